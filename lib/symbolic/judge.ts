/**
 * The checker's judge: the value of an expression and of its derivative at a point, computed by
 * forward-mode differentiation over the expression as a graph (a shared subexpression, such as a
 * `--where` name used twice, is computed once), with a running bound on the rounding error of
 * both. It runs in two arithmetics: JavaScript numbers (fast, to scan many points) and decimal
 * numbers of any precision (mathjs's decimal.js), in which the numbers a person typed (`0.1`,
 * `6.283185307`, `1e300`) are exact, nothing overflows, and a claim whose terms cancel is computed
 * with enough digits to see what is left.
 *
 * Derivatives follow the op table's rules (relu'(0) = step(0) = 0, abs' = sign) and PyTorch's
 * limits for powers: ∂(xʸ)/∂x at y = 0 is 0 (x⁰ = 1 is constant), ∂(xʸ)/∂y at x = 0 is 0 for
 * y ≥ 0.
 *
 * @module
 */
// deno-lint-ignore-file no-explicit-any
import { type Arithmetic, FUNCTIONS } from "../graph/ops.ts";
import type { Expr } from "./ast.ts";

/** A value with its derivative, each with a bound on its rounding error. */
export interface Dual<T> {
  /** The value. */
  v: T;
  /** Its error bound. */
  ev: T;
  /** The derivative by the chosen variable. */
  d: T;
  /** Its error bound. */
  ed: T;
}

/** The arithmetic the judge runs in: the op table's {@linkcode Arithmetic}, and more. */
interface Arith<T> extends Arithmetic<T> {
  pi: T;
  e: T;
  /** The unit roundoff of one operation (a few units of the last digit). */
  u: T;
  pow(a: T, b: T): T;
  lt(a: T, b: T): boolean;
  isFinite(a: T): boolean;
  isInteger(a: T): boolean;
  toNumber(a: T): number;
  /** True when a + b (or a − b) was computed without rounding. */
  exactAdd(a: T, b: T): boolean;
  /** True when a · b was computed without rounding. */
  exactMul(a: T, b: T): boolean;
}

const NUM_U = Number.EPSILON;

// The functions whose slope jumps at their kinks (relu, abs, step, sign), from the op table.
const KINKED = new Set<string>(
  Object.values(FUNCTIONS).filter((f) => f.kinks && f.kinkJumps).map((f) => f.name),
);

/** What one evaluation saw besides its numbers. */
export interface Seen {
  /** A relu, abs, step or sign was evaluated at (or within rounding of) its kink. */
  kink: boolean;
  /** The largest |argument| of a function call (exact decimals are slow past about 10⁵). */
  maxArg?: number;
}

/**
 * Evaluates `e` and its derivative by `wrt` at `env` (variables' values) in an arithmetic.
 * Shared subtrees are evaluated once.
 */
function evaluateDual<T>(
  A: Arith<T>,
  e: Expr,
  env: Readonly<Record<string, number>>,
  wrt: string | undefined,
  seen: Seen,
): Dual<T> {
  const zero = A.num(0), one = A.num(1);
  const memo = new Map<Expr, Dual<T>>();
  const U = A.u;
  const absx = A.abs;
  const nan = A.num(NaN);
  const NAN: Dual<T> = { v: nan, ev: zero, d: nan, ed: zero };
  const isZero = (x: T) => A.sign(x) === 0;
  const go = (x: Expr): Dual<T> => {
    const done = memo.get(x);
    if (done) return done;
    const r = compute(x);
    memo.set(x, r);
    return r;
  };
  // The product of two duals with error bounds.
  const times = (p: Dual<T>, g: Dual<T>): Dual<T> => {
    const v = A.mul(p.v, g.v);
    const round = (exact: boolean, x: T) => (exact ? zero : A.mul(U, absx(x)));
    const ev = A.add(
      A.add(A.mul(absx(p.v), g.ev), A.mul(absx(g.v), p.ev)),
      A.add(A.mul(p.ev, g.ev), round(A.exactMul(p.v, g.v), v)),
    );
    const t1 = A.mul(p.d, g.v), t2 = A.mul(p.v, g.d);
    const d = A.add(t1, t2);
    const ed = A.add(
      A.add(
        A.add(A.mul(absx(p.d), g.ev), A.mul(absx(g.v), p.ed)),
        A.add(A.mul(absx(p.v), g.ed), A.mul(absx(g.d), p.ev)),
      ),
      A.add(
        A.add(A.mul(p.ed, g.ev), A.mul(p.ev, g.ed)),
        A.add(
          A.add(round(A.exactMul(p.d, g.v), t1), round(A.exactMul(p.v, g.d), t2)),
          round(A.exactAdd(t1, t2), d),
        ),
      ),
    );
    return { v, ev, d, ed };
  };
  const inverse = (f: Dual<T>): Dual<T> => {
    if (isZero(f.v) || !A.lt(f.ev, absx(f.v))) return NAN; // 1/0, or a divisor lost in rounding
    const v = A.div(one, f.v);
    const rel = A.div(f.ev, A.sub(absx(f.v), f.ev)); // relative error of f, bounded
    const ev = A.add(A.mul(absx(v), rel), A.mul(U, absx(v)));
    const d = A.neg(A.mul(f.d, A.mul(v, v)));
    const ed = A.add(
      A.add(A.mul(A.mul(v, v), f.ed), A.mul(absx(d), A.mul(A.num(3), rel))),
      A.mul(A.mul(U, A.num(3)), absx(d)),
    );
    return { v, ev, d, ed };
  };
  const compute = (x: Expr): Dual<T> => {
    switch (x.kind) {
      case "num":
        return { v: A.num(x.value), ev: zero, d: zero, ed: zero };
      case "const":
        return { v: x.name === "pi" ? A.pi : A.e, ev: A.mul(U, one), d: zero, ed: zero };
      case "sym": {
        const value = Object.hasOwn(env, x.name) ? env[x.name] : undefined;
        if (value === undefined) throw new RangeError(`no value for the variable "${x.name}"`);
        return { v: A.num(value), ev: zero, d: x.name === wrt ? one : zero, ed: zero };
      }
      case "neg": {
        const a = go(x.arg);
        return { v: A.neg(a.v), ev: a.ev, d: A.neg(a.d), ed: a.ed };
      }
      case "add": {
        // Each partial sum's rounding counts only when it rounded: 1e300 − 1e300 is exactly 0.
        let v = zero, ev = zero, d = zero, ed = zero;
        for (const t of x.terms) {
          const a = go(t.expr);
          const av = t.sign > 0 ? a.v : A.neg(a.v), ad = t.sign > 0 ? a.d : A.neg(a.d);
          const nv = A.add(v, av), nd = A.add(d, ad);
          ev = A.add(ev, a.ev);
          ed = A.add(ed, a.ed);
          if (!A.exactAdd(v, av)) ev = A.add(ev, A.mul(U, absx(nv)));
          if (!A.exactAdd(d, ad)) ed = A.add(ed, A.mul(U, absx(nd)));
          v = nv;
          d = nd;
        }
        return { v, ev, d, ed };
      }
      case "mul": {
        let p: Dual<T> = { v: one, ev: zero, d: zero, ed: zero };
        for (const f of x.factors) {
          const g = go(f.expr);
          p = times(p, f.inverse ? inverse(g) : g);
        }
        return p;
      }
      case "pow": {
        const b = go(x.base), y = go(x.exponent);
        if (!A.isFinite(b.v) || !A.isFinite(y.v)) return NAN;
        if (isZero(b.v) && A.sign(y.v) < 0) return NAN;
        const v = A.pow(b.v, y.v);
        if (!A.isFinite(v) && A.isFinite(b.v)) return { ...NAN, v }; // overflow: value only
        const logb = A.sign(b.v) > 0 ? A.call("log", b.v) : nan;
        // value error: |v|·(|y|·eb/|b| + |log b|·ey + u)
        let rel = U;
        if (!isZero(b.ev)) {
          rel = isZero(b.v)
            ? A.num(Infinity)
            : A.add(rel, A.mul(absx(y.v), A.div(b.ev, absx(b.v))));
        }
        if (!isZero(y.ev)) rel = A.add(rel, A.mul(A.sign(b.v) > 0 ? absx(logb) : zero, y.ev));
        const ev = isZero(v) && isZero(b.ev) ? zero : A.mul(absx(v), A.mul(A.num(2), rel));
        // derivative: y·b^(y−1)·db + b^y·log(b)·dy, with PyTorch's limits
        let d = zero, ed = zero;
        if (!isZero(b.d) || !isZero(b.ed)) {
          if (!isZero(y.v)) {
            const c = isZero(b.v)
              ? A.mul(y.v, A.pow(b.v, A.sub(y.v, one))) // 0^(y−1): 0, 1, or ∞ (NaN below)
              : A.div(A.mul(y.v, v), b.v);
            if (!A.isFinite(c)) return { v, ev, d: nan, ed: zero };
            const t = A.mul(c, b.d);
            d = A.add(d, t);
            ed = A.add(
              ed,
              A.add(A.mul(absx(c), b.ed), A.mul(absx(t), A.add(rel, A.mul(U, A.num(4))))),
            );
            if (!isZero(b.ev)) {
              // c's own error through b: |y(y−1)·b^(y−2)|·eb·|db|
              const c2 = isZero(b.v) ? A.num(Infinity) : A.div(A.mul(c, A.sub(y.v, one)), b.v);
              ed = A.add(ed, A.mul(A.mul(absx(c2), b.ev), absx(b.d)));
            }
          }
        }
        if (!isZero(y.d) || !isZero(y.ed)) {
          if (isZero(b.v) && A.sign(y.v) >= 0) {
            // PyTorch: ∂(xʸ)/∂y = 0 at x = 0 for y ≥ 0
          } else if (A.sign(b.v) <= 0) return { v, ev, d: nan, ed: zero };
          else {
            const c = A.mul(v, logb);
            const t = A.mul(c, y.d);
            d = A.add(d, t);
            ed = A.add(
              ed,
              A.add(
                A.mul(absx(c), y.ed),
                A.mul(absx(t), A.add(A.mul(A.num(2), rel), A.mul(U, A.num(4)))),
              ),
            );
            if (!isZero(b.ev)) ed = A.add(ed, A.mul(A.mul(absx(A.div(v, b.v)), b.ev), absx(y.d)));
          }
        }
        return { v, ev, d, ed };
      }
      case "call": {
        const a = go(x.arg);
        if (!A.isFinite(a.v)) return NAN;
        if (KINKED.has(x.fn) && !A.lt(a.ev, absx(a.v))) seen.kink = true;
        if (!KINKED.has(x.fn)) seen.maxArg = Math.max(seen.maxArg ?? 0, Math.abs(A.toNumber(a.v)));
        const rules = FUNCTIONS[x.fn].arith;
        const v = rules.value(A, a.v);
        if (!A.isFinite(v)) return { ...NAN, v };
        const s = rules.slope(A, a.v, v);
        const curv = rules.curvature(A, a.v, v);
        const U4 = A.mul(U, A.num(4));
        const ev = A.add(
          A.mul(absx(s), a.ev),
          A.add(A.mul(U4, absx(v)), A.mul(curv, A.mul(a.ev, a.ev))),
        );
        const d = A.mul(s, a.d);
        const ed = A.add(
          A.add(A.mul(absx(s), a.ed), A.mul(A.mul(curv, a.ev), A.add(absx(a.d), a.ed))),
          A.mul(U4, absx(d)),
        );
        return { v, ev, d, ed };
      }
    }
  };
  return go(e);
}

/** JavaScript numbers, for scanning many points fast. */
const NUMBERS: Arith<number> = {
  num: (x) => x,
  pi: Math.PI,
  e: Math.E,
  u: NUM_U,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => (a === 0 || b === 0 ? 0 : a * b), // 0·∞ is 0 for error bounds
  div: (a, b) => a / b,
  neg: (a) => -a,
  abs: Math.abs,
  pow: Math.pow,
  sign: (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
  lt: (a, b) => a < b,
  isFinite: Number.isFinite,
  isInteger: Number.isInteger,
  call: (name, a) => Math[name](a),
  toNumber: (a) => a,
  exactAdd: (a, b) => a === 0 || b === 0,
  exactMul: (a, b) => a === 0 || b === 0 || Math.abs(a) === 1 || Math.abs(b) === 1,
};

const decimals = new Map<number, Arith<any>>();

/** Decimal numbers of `digits` significant digits (decimal.js, from mathjs). */
function decimalArith(Decimal: any, digits: number): Arith<any> {
  let A = decimals.get(digits);
  if (A) return A;
  const D = Decimal.clone({ precision: digits, rounding: 4, toExpNeg: -9e15, toExpPos: 9e15 });
  const cache = new Map<number, any>();
  const num = (x: number) => {
    let c = cache.get(x);
    if (c === undefined) {
      c = new D(x); // the shortest decimal that reads back as x: 0.1 is exactly one tenth
      if (cache.size < 1000) cache.set(x, c);
    }
    return c;
  };
  const calls = new Map<string, any>();
  const callDecimal = (name: string, a: any): any => {
    if (name === "log") return a.ln();
    // decimal.js's hyperbolic functions are very slow for large arguments: through exp there
    if ((name === "tanh" || name === "cosh" || name === "sinh") && a.abs().gt(1)) {
      const e = D.exp(a.abs().neg());
      const big = D.exp(a.abs());
      if (name === "tanh") {
        const e2 = e.times(e);
        const t = new D(1).minus(e2).div(new D(1).plus(e2));
        return a.isNegative() ? t.neg() : t;
      }
      const h = name === "cosh" ? big.plus(e).div(2) : big.minus(e).div(2);
      return name === "sinh" && a.isNegative() ? h.neg() : h;
    }
    return (D as any)[name](a);
  };
  const zero = new D(0);
  A = {
    num,
    pi: D.acos(-1),
    e: D.exp(1),
    u: new D(10).pow(1 - digits).mul(4),
    add: (a, b) => a.plus(b),
    sub: (a, b) => a.minus(b),
    mul: (a, b) => (a.isZero() || b.isZero() ? zero : a.times(b)),
    div: (a, b) => a.div(b),
    neg: (a) => a.neg(),
    abs: (a) => a.abs(),
    pow: (a, b) => a.pow(b),
    sign: (a) => (a.isNaN() ? NaN : a.isPositive() && !a.isZero() ? 1 : a.isZero() ? 0 : -1),
    lt: (a, b) => a.lt(b),
    isFinite: (a) => a.isFinite(),
    isInteger: (a) => a.isInteger(),
    call: (name, a) => {
      // A function's value at one argument is asked for again and again (σ for the value, its
      // slope and its curvature, at each point): exp and ln in many digits are the judge's cost.
      const key = `${name} ${a.toString()}`;
      let r = calls.get(key);
      if (r === undefined) {
        r = callDecimal(name, a);
        if (calls.size >= 4096) calls.clear();
        calls.set(key, r);
      }
      return r;
    },
    toNumber: (a) => a.toNumber(),
    // A finite decimal's digits run from position e down to e − sd + 1: a sum is exact when the
    // digits of both (and a carry) fit in the precision; a product when sd(a) + sd(b) do.
    exactAdd: (a, b) => {
      if (!a.isFinite() || !b.isFinite()) return false;
      if (a.isZero() || b.isZero()) return true;
      const low = Math.min(a.e - a.sd() + 1, b.e - b.sd() + 1);
      return Math.max(a.e, b.e) + 1 - low + 1 <= digits;
    },
    exactMul: (a, b) =>
      a.isFinite() && b.isFinite() && (a.isZero() || b.isZero() || a.sd() + b.sd() <= digits),
  };
  decimals.set(digits, A);
  return A;
}

/** The three-valued comparison at one point. */
export type Verdict = "agree" | "differ" | "undecided";

/** A claim's and the derivative's values at one point, as numbers, and how they compare. */
export interface PointJudgement {
  /** How they compare. */
  verdict: Verdict;
  /** The claim's value (NaN outside its domain). */
  claim: number;
  /** The derivative's value. */
  derivative: number;
  /** The function's value. */
  value: number;
  /** A kink was hit (the derivative is not defined there by one rule). */
  kink: boolean;
  /** The digits used (0 for JavaScript numbers). */
  digits: number;
  /** The largest |argument| of a function call seen. */
  maxArg: number;
  /** The function and its derivative are defined (finite) here, however large. */
  defined: boolean;
  /** The claim and the derivative in decimal scientific notation, when too large for a number. */
  text?: { claim: string; derivative: string };
}

function compare<T>(
  A: Arith<T>,
  f: Dual<T>,
  c: Dual<T>,
  tolerance: number,
): Verdict {
  if (A.isFinite(f.v) && A.isFinite(f.d) && A.isFinite(f.ed) && !A.isFinite(c.v)) {
    return "differ"; // the claim is undefined where the derivative is defined
  }
  if (!A.isFinite(f.d) || !A.isFinite(c.v) || !A.isFinite(f.ed) || !A.isFinite(c.ev)) {
    return "undecided";
  }
  const diff = A.abs(A.sub(c.v, f.d));
  const err = A.add(c.ev, f.ed);
  const big = A.lt(A.abs(c.v), A.abs(f.d)) ? A.abs(f.d) : A.abs(c.v);
  if (A.lt(A.mul(A.num(2), err), diff)) return "differ";
  if (A.sign(err) === 0 || A.lt(err, A.mul(A.num(tolerance), big))) return "agree";
  return "undecided";
}

/** The judge for one expression, its derivative variable and one claim. */
export class Judge {
  #Decimal: any;
  /** Creates a judge; `Decimal` is decimal.js's constructor (mathjs's `BigNumber`). */
  constructor(
    readonly f: Expr,
    readonly wrt: string,
    readonly claim: Expr,
    Decimal: any,
  ) {
    this.#Decimal = Decimal;
  }

  /** A quick look in JavaScript numbers: `differ` here is only a candidate. */
  quick(point: Readonly<Record<string, number>>): PointJudgement {
    const seen: Seen = { kink: false };
    const f = evaluateDual(NUMBERS, this.f, point, this.wrt, seen);
    const c = evaluateDual(NUMBERS, this.claim, point, undefined, seen);
    const diff = Math.abs(c.v - f.d);
    const big = Math.max(Math.abs(c.v), Math.abs(f.d));
    let verdict: Verdict;
    if (!Number.isFinite(f.d) || !Number.isFinite(c.v) || !Number.isFinite(f.v)) {
      verdict = "undecided";
    } else if (diff > 8 * (c.ev + f.ed) + 1e-9 * big) verdict = "differ";
    else verdict = "agree";
    return {
      verdict,
      claim: c.v,
      derivative: f.d,
      value: f.v,
      kink: seen.kink,
      digits: 0,
      maxArg: seen.maxArg ?? 0,
      defined: Number.isFinite(f.v) && Number.isFinite(f.d),
    };
  }

  /**
   * The exact judgement at a point: decimal arithmetic from 40 digits, doubled while the rounding
   * bound is too wide to tell, up to `maxDigits` (and not past the time `until`, in
   * `performance.now()` milliseconds).
   */
  exact(
    point: Readonly<Record<string, number>>,
    maxDigits = 640,
    until = Infinity,
  ): PointJudgement {
    let digits = 40;
    for (;;) {
      const A = decimalArith(this.#Decimal, digits);
      const seen: Seen = { kink: false };
      const f = evaluateDual(A, this.f, point, this.wrt, seen);
      const c = evaluateDual(A, this.claim, point, undefined, seen);
      const verdict: Verdict = seen.kink ? "undecided" : compare(A, f, c, 1e-20);
      const definedHere = A.isFinite(f.v) && A.isFinite(f.d);
      const stop = digits >= maxDigits || performance.now() > until;
      if (verdict !== "undecided" || stop || seen.kink || !definedHere) {
        const big = (x: any) => A.isFinite(x) && !Number.isFinite(A.toNumber(x));
        const show = (x: any) => x.toSignificantDigits(6).toExponential().replace("e+", "e");
        return {
          defined: definedHere,
          ...(big(c.v) || big(f.d) ? { text: { claim: show(c.v), derivative: show(f.d) } } : {}),
          verdict,
          claim: A.toNumber(c.v),
          derivative: A.toNumber(f.d),
          value: A.toNumber(f.v),
          kink: seen.kink,
          digits,
          maxArg: seen.maxArg ?? 0,
        };
      }
      digits *= 2;
    }
  }
}

/**
 * Evaluates an expression graph and its derivative in JavaScript numbers (shared subtrees once);
 * for finite differences and for hints.
 */
export function evaluateGraph(
  e: Expr,
  point: Readonly<Record<string, number>>,
  wrt?: string,
): { value: number; derivative: number; error: number; kink: boolean } {
  const seen: Seen = { kink: false };
  const r = evaluateDual(NUMBERS, e, point, wrt, seen);
  return { value: r.v, derivative: r.d, error: r.ev, kink: seen.kink };
}

/** Calls `visit` on every node of a graph, a node shared by several parents once. */
function eachNode(e: Expr, visit: (x: Expr) => void): void {
  const visited = new Set<Expr>();
  const walk = (x: Expr): void => {
    if (visited.has(x)) return;
    visited.add(x);
    visit(x);
    switch (x.kind) {
      case "neg":
      case "call":
        return walk(x.arg);
      case "add":
        return x.terms.forEach((t) => walk(t.expr));
      case "mul":
        return x.factors.forEach((f) => walk(f.expr));
      case "pow":
        walk(x.base);
        return walk(x.exponent);
    }
  };
  walk(e);
}

/** The distinct symbols of a graph, visiting each shared node once. */
export function graphSymbols(e: Expr): string[] {
  const seen = new Set<string>();
  eachNode(e, (x) => {
    if (x.kind === "sym") seen.add(x.name);
  });
  return [...seen];
}

/** The nodes of a graph written out as a tree, and of its derivative (both capped at 1e15). */
export function treeSizes(e: Expr, wrt: string): { tree: number; derivative: number } {
  const memo = new Map<Expr, { t: number; d: number; has: boolean }>();
  const cap = (n: number) => Math.min(n, 1e15);
  const go = (x: Expr): { t: number; d: number; has: boolean } => {
    const done = memo.get(x);
    if (done) return done;
    let r: { t: number; d: number; has: boolean };
    switch (x.kind) {
      case "num":
      case "const":
        r = { t: 1, d: 1, has: false };
        break;
      case "sym":
        r = { t: 1, d: 1, has: x.name === wrt };
        break;
      case "neg":
      case "call": {
        const a = go(x.arg);
        r = { t: cap(a.t + 1), d: cap(a.has ? a.d + 2 * a.t + 2 : 1), has: a.has };
        break;
      }
      case "add": {
        const parts = x.terms.map((t) => go(t.expr));
        r = {
          t: cap(parts.reduce((n, p) => n + p.t, 1)),
          d: cap(parts.reduce((n, p) => n + (p.has ? p.d : 0), 1)),
          has: parts.some((p) => p.has),
        };
        break;
      }
      case "mul": {
        const parts = x.factors.map((f) => go(f.expr));
        const t = cap(parts.reduce((n, p) => n + p.t, 1));
        r = {
          t,
          d: cap(parts.reduce((n, p) => n + (p.has ? p.d + t : 0), 1)),
          has: parts.some((p) => p.has),
        };
        break;
      }
      case "pow": {
        const b = go(x.base), y = go(x.exponent);
        const t = cap(b.t + y.t + 1);
        r = {
          t,
          d: cap((b.has ? b.d + 2 * t : 0) + (y.has ? y.d + 2 * t : 0) + 1),
          has: b.has || y.has,
        };
        break;
      }
    }
    memo.set(x, r);
    return r;
  };
  const r = go(e);
  return { tree: r.t, derivative: r.d };
}

/** The kinked calls (relu, abs, step, sign) of a graph, each once. */
export function kinkedCalls(e: Expr): Expr[] {
  const out: Expr[] = [];
  eachNode(e, (x) => {
    if (x.kind === "call" && KINKED.has(x.fn)) out.push(x.arg);
  });
  return out;
}

/** The numbers written in a graph (each once). */
export function constantsOf(e: Expr): number[] {
  const out = new Set<number>();
  eachNode(e, (x) => {
    if (x.kind === "num") out.add(x.value);
  });
  return [...out];
}

/**
 * Compares the values of two expressions at a point in exact decimals (40 digits, more while the
 * rounding bound cannot tell): `differ` only when they surely differ.
 */
export function compareAt(
  a: Expr,
  b: Expr,
  point: Readonly<Record<string, number>>,
  Decimal: any,
): Verdict {
  for (let digits = 40; digits <= 320; digits *= 2) {
    const A = decimalArith(Decimal, digits);
    const seen: Seen = { kink: false };
    const x = evaluateDual(A, a, point, undefined, seen);
    const y = evaluateDual(A, b, point, undefined, seen);
    const verdict = compare(A, { ...y, d: y.v, ed: y.ev }, x, 1e-25);
    if (verdict !== "undecided") return verdict;
  }
  return "undecided";
}
