/**
 * The checker for hand-derived gradients: is the claimed derivative equal to the true one
 * everywhere it is defined? The true derivative comes from mathjs (with the op table's rules for
 * sigmoid, relu, softplus and abs). Equality is judged at many points spread over signs and
 * magnitudes (a claim that agrees only where w > 0 is wrong), skipping points outside the
 * expression's domain and kinks, with a rounding-error bound per evaluation; mathjs's simplifier
 * proves equality outright where it can. A wrong claim gets a counterexample (both values and
 * the finite-difference value) and, when one is clear, a hint.
 *
 * @module
 */
import { seededRandom } from "../nn/random.ts";
import { formatNumber } from "../render/format.ts";
import { type Expr, sizeOf, symbolsOf } from "./ast.ts";
import { differentiate, provablyEqual } from "./derivative.ts";
import { evaluateExpr } from "./evaluate.ts";
import { parseExpression } from "./parse.ts";
import { toText } from "./print.ts";
import { toTex } from "./tex.ts";
import { keyOf, mul, replaceSubtree, substitute, tidy } from "./tidy.ts";

/** What to check. */
export interface VerifyInput {
  /** The function, e.g. `"(w*x + b - y)^2"`. */
  expr: string;
  /** The variable the derivative is taken by. */
  wrt: string;
  /** The claimed derivative; may use the `where` names and `step`, `sign`. */
  claim: string;
  /** Named intermediates the expression and the claim may use: `{ o: "sigmoid(w*h + b)" }`. */
  where?: Readonly<Record<string, string>> | readonly (readonly [string, string])[];
  /** A point to show the values at (and to try first): `{ w: 0.5, x: 2 }`. */
  at?: Readonly<Record<string, number>>;
}

/** Where a wrong claim differs from the derivative. */
export interface Counterexample {
  /** The variables' values. */
  point: Record<string, number>;
  /** The claim's value there (NaN when the claim is undefined there). */
  claim: number;
  /** The true derivative's value there. */
  derivative: number;
  /** The central-difference estimate there. */
  finiteDifference: number;
}

/** The checker's answer. */
export interface VerifyResult {
  /** The claim equals the derivative everywhere both were evaluated (and it is defined). */
  correct: boolean;
  /** The true derivative as text, written with the `where` names where they fit. */
  derivative: string;
  /** The true derivative as LaTeX. */
  derivativeTex: string;
  /** The claim as text, as it was read. */
  claim: string;
  /** `"symbolic"` when mathjs's simplifier proved the claim equal; else `"numeric"`. */
  method: "symbolic" | "numeric";
  /** The points (inside the domain, off kinks) at which both were compared. */
  points: number;
  /** Where a wrong claim differs. */
  counterexample?: Counterexample;
  /** A likely cause of a wrong claim, when one is clear. */
  hint?: string;
  /** The values at the `at` point, when one was given and it is inside the domain. */
  atPoint?: Counterexample;
}

const POINTS = 200;
const HINT_CANDIDATES = 24;
const HINT_SIZE_LIMIT = 2000;
const MIN_POINTS = 20;
const NICE = [0.1, 0.2, 0.25, 0.3, 0.5, 0.7, 0.75, 0.9, 1.5, 2, 2.5, 3, 4, 5, 7, 10];

function whereList(where: VerifyInput["where"]): [string, string][] {
  if (where === undefined) return [];
  return Array.isArray(where)
    ? where.map(([n, e]) => [n, e])
    : Object.entries(where as Record<string, string>);
}

function checkName(name: string, what: string): string {
  let p;
  try {
    p = parseExpression(name);
  } catch (e) {
    throw new SyntaxError(`${what} "${name}" is not a usable name: ${(e as Error).message}`);
  }
  if (p.expr.kind !== "sym") {
    throw new SyntaxError(`${what} must be a variable name like w or net_o1, got "${name}"`);
  }
  return p.expr.name;
}

/** Resolves the where-definitions into full expressions in the variables (cycles refused). */
function resolveWhere(list: [string, string][]): Map<string, Expr> {
  const defs = new Map<string, Expr>();
  for (const [rawName, text] of list) {
    const name = checkName(rawName, "the --where name");
    if (defs.has(name)) throw new RangeError(`--where defines "${name}" twice`);
    if (text.trim() === "") throw new SyntaxError(`--where ${name}= has an empty expression`);
    defs.set(name, parseExpression(text).expr);
  }
  const full = new Map<string, Expr>();
  const resolving = new Set<string>();
  const resolve = (name: string): Expr => {
    const done = full.get(name);
    if (done) return done;
    if (resolving.has(name)) {
      throw new RangeError(`the --where definitions are circular: "${name}" depends on itself`);
    }
    resolving.add(name);
    const e = defs.get(name)!;
    const by = new Map<string, Expr>();
    for (const s of symbolsOf(e)) if (defs.has(s)) by.set(s, resolve(s));
    const r = substitute(e, by);
    resolving.delete(name);
    full.set(name, r);
    return r;
  };
  for (const name of defs.keys()) resolve(name);
  return full;
}

function samplePoints(vars: readonly string[], at: Record<string, number> | undefined) {
  const rng = seededRandom(20240601);
  const points: Record<string, number>[] = [];
  for (let k = 0; k < POINTS; k++) {
    const p: Record<string, number> = Object.create(null);
    for (const v of vars) {
      const sign = rng.next() < 0.5 ? -1 : 1;
      const mag = k < 60
        ? NICE[Math.floor(rng.next() * NICE.length)]
        : Number((10 ** rng.uniform(-2, 1.3)).toPrecision(3));
      p[v] = sign * mag;
    }
    points.push(p);
  }
  if (at) points.unshift({ ...points[0], ...at });
  return points;
}

function central(e: Expr, point: Record<string, number>, wrt: string): number {
  const x = point[wrt];
  const h = 1e-6 * Math.max(1, Math.abs(x));
  const f = (t: number) => evaluateExpr(e, { ...point, [wrt]: t }).value;
  return (f(x + h) - f(x - h)) / (2 * h);
}

function agree(a: { value: number; error: number }, b: { value: number; error: number }) {
  const d = Math.abs(a.value - b.value);
  return d <= 1e-10 * Math.max(Math.abs(a.value), Math.abs(b.value)) + 100 * (a.error + b.error);
}

/** Points where the derivative is defined, with their values. */
interface Sample {
  point: Record<string, number>;
  env: Record<string, number>;
  derivative: { value: number; error: number };
}

function describePoint(point: Record<string, number>): string {
  return Object.entries(point).map(([k, v]) => `${k} = ${formatNumber(v)}`).join(", ");
}

/**
 * Checks a claimed derivative. Throws (`SyntaxError`, `RangeError`, `TypeError`, one line each)
 * when the input cannot be judged: a bad expression, a missing or unknown `wrt`, a name in the
 * claim that is neither a variable nor a `where` name, or an expression undefined almost
 * everywhere.
 *
 * @example
 * ```ts
 * import { verifyGradient } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const right = await verifyGradient({ expr: "(w*x + b - y)^2", wrt: "w", claim: "2*(w*x+b-y)*x" });
 * assert.equal(right.correct, true);
 * const wrong = await verifyGradient({ expr: "(w*x + b - y)^2", wrt: "b", claim: "2*(w*x+b-y)*x" });
 * assert.equal(wrong.correct, false);
 * assert.match(wrong.hint!, /derivative by w, not by b/);
 * ```
 */
export async function verifyGradient(input: VerifyInput): Promise<VerifyResult> {
  if (input === null || typeof input !== "object") {
    throw new TypeError("verifyGradient takes { expr, wrt, claim, where?, at? }");
  }
  for (const key of ["expr", "wrt", "claim"] as const) {
    if (typeof input[key] !== "string") {
      throw new TypeError(`verifyGradient: ${key} must be a string, got ${typeof input[key]}`);
    }
  }
  if (input.wrt.trim() === "") {
    throw new SyntaxError("no variable to differentiate by: give --wrt <name>");
  }
  const where = resolveWhere(whereList(input.where));
  const expr = parseExpression(input.expr).expr;
  const claimParsed = parseExpression(input.claim, { derivativeFunctions: true }).expr;
  const full = tidy(substitute(expr, where));
  const vars = symbolsOf(full);
  const wrt = checkName(input.wrt, "--wrt");
  if (where.has(wrt)) {
    throw new RangeError(
      `--wrt ${wrt}: "${wrt}" is a --where intermediate; differentiate by a variable (${
        vars.join(", ")
      })`,
    );
  }
  if (!vars.includes(wrt)) {
    throw new RangeError(
      `--wrt ${wrt}: the expression has no variable "${wrt}"; its variables are ${
        vars.join(", ") || "(none)"
      }`,
    );
  }
  for (const s of symbolsOf(claimParsed)) {
    if (!vars.includes(s) && !where.has(s)) {
      throw new RangeError(
        `the claim uses "${s}", which is neither a variable of the expression (${
          vars.join(", ")
        }) nor defined with --where`,
      );
    }
  }
  const at = input.at === undefined ? undefined : { ...input.at };
  if (at) {
    for (const [k, v] of Object.entries(at)) {
      if (!vars.includes(k)) {
        throw new RangeError(
          `--at ${k}: "${k}" is not a variable of the expression (${vars.join(", ")})`,
        );
      }
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(`--at ${k}: expected a finite number, got ${v}`);
      }
    }
  }
  const claim = tidy(substitute(claimParsed, where));
  for (const s of symbolsOf(claim)) {
    if (!vars.includes(s)) {
      throw new RangeError(
        `the claim uses "${s}" through a --where definition, but the expression does not depend on "${s}"`,
      );
    }
  }
  const derivative = await differentiate(full, wrt);

  // Sample where the expression and its derivative are defined, off kinks.
  const samples: Sample[] = [];
  let atSample: Sample | undefined;
  for (const [k, point] of samplePoints(vars, at).entries()) {
    const f = evaluateExpr(full, point);
    const d = evaluateExpr(derivative, point);
    if (!Number.isFinite(f.value) || !Number.isFinite(d.value) || f.kink || d.kink) continue;
    const s = { point, env: point, derivative: d };
    samples.push(s);
    if (at && k === 0) atSample = s;
  }
  if (samples.length < MIN_POINTS) {
    throw new RangeError(
      `cannot judge: the expression or its derivative is undefined at ${
        POINTS - samples.length
      } of ${POINTS} points tried (${samples.length} usable); give a point inside its domain with --at`,
    );
  }
  const claimAt = (s: Sample) => evaluateExpr(claim, s.env);
  const bad = samples.find((s) => !agree(claimAt(s), s.derivative));
  const example = (s: Sample): Counterexample => ({
    point: { ...s.point },
    claim: claimAt(s).value,
    derivative: s.derivative.value,
    finiteDifference: central(full, s.point, wrt),
  });
  const shown = tidyWith(derivative, where);
  const result: VerifyResult = {
    correct: bad === undefined,
    derivative: toText(shown),
    derivativeTex: toTex(shown),
    claim: toText(claimParsed),
    method: "numeric",
    points: samples.length,
  };
  if (atSample) result.atPoint = example(atSample);
  if (bad === undefined) {
    if (await provablyEqual(derivative, claim)) result.method = "symbolic";
    return result;
  }
  const first = atSample && !agree(claimAt(atSample), atSample.derivative) ? atSample : bad;
  result.counterexample = example(first);
  if (sizeOf(derivative) > HINT_SIZE_LIMIT) return result; // hints are for expressions a person reads
  const show = (e: Expr) => toText(tidyWith(e, where));
  const hint = await findHint(full, wrt, vars, claim, derivative, samples.slice(0, 40), show);
  if (hint) result.hint = hint;
  return result;
}

/** Writes the derivative with the where-names standing for their definitions. */
function tidyWith(e: Expr, where: Map<string, Expr>): Expr {
  let out = e;
  for (const [name, def] of where) {
    out = replaceSubtree(out, keyOf(tidy(def)), { kind: "sym", name });
  }
  return tidy(out);
}

async function findHint(
  full: Expr,
  wrt: string,
  vars: readonly string[],
  claim: Expr,
  derivative: Expr,
  samples: Sample[],
  show: (e: Expr) => string,
): Promise<string | undefined> {
  const claimVals = samples.map((s) => evaluateExpr(claim, s.env));
  const matches = (candidate: Expr): boolean =>
    samples.every((s, i) => {
      const c = evaluateExpr(candidate, s.env);
      return Number.isFinite(c.value) && agree(c, claimVals[i]);
    });
  const completes = (factor: Expr): boolean => {
    const withFactor = mul(claim, factor);
    return samples.every((s) => {
      const c = evaluateExpr(withFactor, s.env);
      return Number.isFinite(c.value) && agree(c, s.derivative);
    });
  };
  const n = (value: number): Expr => ({ kind: "num", value });
  if (matches(mul(n(-1), derivative))) {
    return "the sign is flipped: the claim is −1 times the derivative";
  }
  if (matches(mul(n(2), derivative))) {
    return "a factor of 2 too many: the claim is twice the derivative";
  }
  if (matches(mul(n(0.5), derivative))) {
    return "a factor of 2 is missing: the claim is half the derivative (the power rule brings down the exponent: d(u²) = 2u·du)";
  }
  // Hints are for a learner's small expressions: look at a bounded number of candidates, so a
  // long expression cannot make the checker slow.
  for (const { outer, inner } of chainSites(full, wrt).slice(0, HINT_CANDIDATES)) {
    const du = await differentiate(inner, wrt);
    if (du.kind !== "num" && completes(du)) {
      return `a missing inner factor: the chain rule through ${show(outer)} multiplies by ∂(${
        show(inner)
      })/∂${wrt} = ${show(du)}`;
    }
    const u: Expr = { kind: "sym", name: "$u" };
    const local = substitute(
      await differentiate(replaceSubtree(outer, keyOf(inner), u), "$u"),
      new Map([["$u", inner]]),
    );
    if (local.kind !== "num" && completes(local)) {
      const named = show(outer) === toText(outer)
        ? show(outer)
        : `${show(outer)} = ${toText(outer)}`;
      return `a missing factor: the derivative of ${named} with respect to its argument, ${
        show(tidy(local))
      }`;
    }
  }
  for (const v of vars.slice(0, HINT_CANDIDATES)) {
    if (v === wrt) continue;
    const other = await differentiate(full, v);
    if (matches(other)) return `the claim is the derivative by ${v}, not by ${wrt}`;
  }
  return undefined;
}

/** The chain-rule sites (function calls and powers) whose argument involves wrt. */
function chainSites(e: Expr, wrt: string): { outer: Expr; inner: Expr }[] {
  const out: { outer: Expr; inner: Expr }[] = [];
  const seen = new Set<string>();
  const walk = (x: Expr): void => {
    const push = (inner: Expr) => {
      const k = keyOf(x);
      if (!seen.has(k) && symbolsOf(inner).includes(wrt)) {
        seen.add(k);
        out.push({ outer: x, inner });
      }
    };
    switch (x.kind) {
      case "call":
        push(x.arg);
        return walk(x.arg);
      case "pow":
        if (!symbolsOf(x.exponent).includes(wrt)) push(x.base);
        walk(x.base);
        return walk(x.exponent);
      case "neg":
        return walk(x.arg);
      case "add":
        return x.terms.forEach((t) => walk(t.expr));
      case "mul":
        return x.factors.forEach((f) => walk(f.expr));
    }
  };
  walk(e);
  return out;
}

/**
 * The answer as text for people: the verdict, the derivative, and for a wrong claim the point
 * where it differs and the hint.
 *
 * @example
 * ```ts
 * import { verifyGradient, verifyText } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const r = await verifyGradient({ expr: "x^2", wrt: "x", claim: "2*x" });
 * assert.match(verifyText(r, "x^2", "x"), /^right: /);
 * ```
 */
export function verifyText(r: VerifyResult, expr: string, wrt: string): string {
  const lines: string[] = [];
  if (r.correct) {
    lines.push(`right: ∂/∂${wrt} of ${expr} is ${r.derivative}`);
    lines.push(
      r.method === "symbolic"
        ? `your claim ${r.claim} equals it symbolically (and at ${r.points} points checked)`
        : `your claim ${r.claim} equals it at all ${r.points} points checked, over signs and magnitudes`,
    );
  } else {
    lines.push(`wrong: your claim ${r.claim} is not ∂/∂${wrt} of ${expr}`);
    lines.push(`the derivative is ${r.derivative}`);
  }
  const c = r.counterexample ?? r.atPoint;
  if (c) {
    lines.push(
      `at ${describePoint(c.point)}: your claim gives ${formatNumber(c.claim)}, the derivative is ${
        formatNumber(c.derivative)
      } (finite differences: ${formatNumber(c.finiteDifference)})`,
    );
  }
  if (r.hint) lines.push(`hint: ${r.hint}`);
  return lines.join("\n");
}

/** The answer as one JSON object (`correct`, `derivative`, `counterexample` when wrong, …). */
export function verifyJson(r: VerifyResult): string {
  const num = (x: number) => (Number.isFinite(x) ? x : String(x));
  const example = (c: Counterexample) => ({
    point: c.point,
    claim: num(c.claim),
    derivative: num(c.derivative),
    finiteDifference: num(c.finiteDifference),
  });
  return JSON.stringify({
    correct: r.correct,
    derivative: r.derivative,
    derivativeTex: r.derivativeTex,
    claim: r.claim,
    method: r.method,
    points: r.points,
    ...(r.counterexample ? { counterexample: example(r.counterexample) } : {}),
    ...(r.hint ? { hint: r.hint } : {}),
    ...(r.atPoint ? { at: example(r.atPoint) } : {}),
  });
}
