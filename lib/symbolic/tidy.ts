/**
 * Smart constructors that keep expression trees tidy without changing their structure the way a
 * simplifier would: nested sums and products are flattened, signs are pulled to the front, and
 * the identities x + 0, x·1, x^1, −(−x) and 0·x are applied. Nothing is multiplied out.
 *
 * @module
 */
import type { Expr, Factor, Term } from "./ast.ts";

const isNum = (e: Expr, v: number): boolean => e.kind === "num" && e.value === v;

/** −x, folding numbers and double negation. */
export function neg(x: Expr): Expr {
  if (x.kind === "num") return { kind: "num", value: -x.value };
  if (x.kind === "neg") return x.arg;
  return { kind: "neg", arg: x };
}

/** A sum of signed terms, flattened; zero terms dropped; negated terms turned into subtraction. */
export function sum(terms: readonly Term[]): Expr {
  const out: Term[] = [];
  const push = (sign: 1 | -1, e: Expr): void => {
    if (e.kind === "add") {
      for (const t of e.terms) push((sign * t.sign) as 1 | -1, t.expr);
    } else if (e.kind === "neg") {
      push((-sign) as 1 | -1, e.arg);
    } else if (e.kind === "num" && e.value < 0) {
      out.push({ sign: (-sign) as 1 | -1, expr: { kind: "num", value: -e.value } });
    } else if (!isNum(e, 0)) {
      out.push({ sign, expr: e });
    }
  };
  for (const t of terms) push(t.sign, t.expr);
  if (out.length === 0) return { kind: "num", value: 0 };
  if (out.length === 1) return out[0].sign > 0 ? out[0].expr : neg(out[0].expr);
  // Lead with a positive term when there is one: −a + b reads better as b − a only when the
  // order does not matter to the reader; keep the order and let the printer write −a + b.
  return { kind: "add", terms: out };
}

/** a + b + … */
export function add(...exprs: Expr[]): Expr {
  return sum(exprs.map((expr) => ({ sign: 1 as const, expr })));
}

/** a − b */
export function sub(a: Expr, b: Expr): Expr {
  return sum([{ sign: 1, expr: a }, { sign: -1, expr: b }]);
}

/** A product of factors and divisors, flattened; signs pulled out; 1s dropped; 0 absorbs. */
export function product(factors: readonly Factor[]): Expr {
  const out: Factor[] = [];
  let negative = false;
  let zero = false;
  const push = (inverse: boolean, e: Expr): void => {
    if (e.kind === "mul") {
      for (const f of e.factors) push(inverse !== f.inverse, f.expr);
    } else if (e.kind === "neg") {
      negative = !negative;
      push(inverse, e.arg);
    } else if (e.kind === "num" && e.value < 0) {
      negative = !negative;
      push(inverse, { kind: "num", value: -e.value });
    } else if (isNum(e, 1)) {
      // x·1 = x, x/1 = x
    } else if (isNum(e, 0) && !inverse) {
      zero = true;
    } else {
      out.push({ inverse, expr: e });
    }
  };
  for (const f of factors) push(f.inverse, f.expr);
  if (zero) return { kind: "num", value: 0 };
  let result: Expr;
  if (out.length === 0) result = { kind: "num", value: 1 };
  else if (out.length === 1 && !out[0].inverse) result = out[0].expr;
  else {
    // A product that starts with a divisor reads as 1/b·a; put a factor first.
    const first = out.findIndex((f) => !f.inverse);
    if (first > 0) out.unshift(...out.splice(first, 1));
    result = { kind: "mul", factors: out };
  }
  return negative ? neg(result) : result;
}

/** a · b · … */
export function mul(...exprs: Expr[]): Expr {
  return product(exprs.map((expr) => ({ inverse: false, expr })));
}

/** a / b */
export function div(a: Expr, b: Expr): Expr {
  return product([{ inverse: false, expr: a }, { inverse: true, expr: b }]);
}

/** base ^ exponent, with x^1 = x and x^0 = 1. */
export function pow(base: Expr, exponent: Expr): Expr {
  if (isNum(exponent, 1)) return base;
  if (isNum(exponent, 0)) return { kind: "num", value: 1 };
  return { kind: "pow", base, exponent };
}

/** Rebuilds a whole tree through the smart constructors (positions dropped). */
export function tidy(e: Expr): Expr {
  switch (e.kind) {
    case "num":
      return { kind: "num", value: e.value };
    case "sym":
      return { kind: "sym", name: e.name };
    case "const":
      return { kind: "const", name: e.name };
    case "neg":
      return neg(tidy(e.arg));
    case "add":
      return sum(e.terms.map((t) => ({ sign: t.sign, expr: tidy(t.expr) })));
    case "mul":
      return product(e.factors.map((f) => ({ inverse: f.inverse, expr: tidy(f.expr) })));
    case "pow":
      return pow(tidy(e.base), tidy(e.exponent));
    case "call":
      return { kind: "call", fn: e.fn, arg: tidy(e.arg) };
  }
}

/** Replaces symbols by expressions (a symbol missing from `by` stays). */
export function substitute(e: Expr, by: ReadonlyMap<string, Expr>): Expr {
  switch (e.kind) {
    case "num":
    case "const":
      return e;
    case "sym":
      return by.get(e.name) ?? e;
    case "neg":
      return { kind: "neg", arg: substitute(e.arg, by) };
    case "add":
      return {
        kind: "add",
        terms: e.terms.map((t) => ({ sign: t.sign, expr: substitute(t.expr, by) })),
      };
    case "mul":
      return {
        kind: "mul",
        factors: e.factors.map((f) => ({ inverse: f.inverse, expr: substitute(f.expr, by) })),
      };
    case "pow":
      return { kind: "pow", base: substitute(e.base, by), exponent: substitute(e.exponent, by) };
    case "call":
      return { kind: "call", fn: e.fn, arg: substitute(e.arg, by) };
  }
}

/** A canonical string for structural comparison (positions ignored). */
export function keyOf(e: Expr): string {
  switch (e.kind) {
    case "num":
      return String(e.value);
    case "sym":
      return `$${e.name}`;
    case "const":
      return `#${e.name}`;
    case "neg":
      return `-(${keyOf(e.arg)})`;
    case "add":
      return `+(${e.terms.map((t) => (t.sign > 0 ? "" : "-") + keyOf(t.expr)).join(",")})`;
    case "mul":
      return `*(${e.factors.map((f) => (f.inverse ? "/" : "") + keyOf(f.expr)).join(",")})`;
    case "pow":
      return `^(${keyOf(e.base)},${keyOf(e.exponent)})`;
    case "call":
      return `${e.fn}(${keyOf(e.arg)})`;
  }
}

/** Replaces every subtree structurally equal to the one with key `key` (see `keyOf`) by `by`. */
export function replaceSubtree(e: Expr, key: string, by: Expr): Expr {
  if (keyOf(e) === key) return by;
  switch (e.kind) {
    case "neg":
    case "call":
      return { ...e, arg: replaceSubtree(e.arg, key, by) };
    case "add":
      return { ...e, terms: e.terms.map((t) => ({ ...t, expr: replaceSubtree(t.expr, key, by) })) };
    case "mul":
      return {
        ...e,
        factors: e.factors.map((f) => ({ ...f, expr: replaceSubtree(f.expr, key, by) })),
      };
    case "pow":
      return {
        ...e,
        base: replaceSubtree(e.base, key, by),
        exponent: replaceSubtree(e.exponent, key, by),
      };
    default:
      return e;
  }
}
