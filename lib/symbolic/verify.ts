/**
 * The checker for hand-derived gradients: is the claimed derivative equal to the true one
 * everywhere it is defined? The true derivative comes from mathjs (with the op table's rules for
 * sigmoid, relu, softplus and abs) for display; the judging is done by the judge (judge.ts):
 * forward-mode differentiation over the expression as a shared graph, in floating point to scan
 * about 400 points (signs, magnitudes over many decades, the expression's own constants and
 * thresholds and each side of every kink) and in exact decimal arithmetic with a rounding-error
 * bound wherever floating point sees a difference, overflows or loses its digits, and at a spread
 * of the other points. mathjs's simplifier proves equality outright where it can. A wrong claim
 * gets a counterexample (both values and the finite-difference value) and, when one is true at
 * the counterexample, a hint.
 *
 * @module
 */
import { seededRandom } from "../nn/random.ts";
import { digitsToDistinguish, formatNumber } from "../text/format.ts";
import { type Expr, sizeOf, symbolsOf } from "./ast.ts";
import { differentiate, provablyEqual } from "./derivative.ts";
import { evaluateExpr } from "./evaluate.ts";
import { parseExpression } from "./parse.ts";
import { toText } from "./print.ts";
import { toTex } from "./tex.ts";
import { keyOf, mul, replaceSubtree, substitute, tidy } from "./tidy.ts";
import {
  compareAt,
  constantsOf,
  evaluateGraph,
  graphSymbols,
  Judge,
  kinkedCalls,
  type PointJudgement,
  treeSizes,
} from "./judge.ts";
import { loadSymbolic } from "./mathjs.ts";

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
  /** The claim and derivative in decimal notation, when they are beyond floating point. */
  exact?: { claim: string; derivative: string };
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
  /** How many points were judged in exact decimal arithmetic. */
  exactPoints?: number;
  /** What the reader should know about how this was judged (a numeric fallback, overflow). */
  notes?: string[];
}

const POINTS = 200;
const HINT_CANDIDATES = 24;
const HINT_SIZE_LIMIT = 2000;
const MIN_POINTS = 20;
const EXTRA_POINTS = 160;
/** Agreeing points confirmed in exact decimals (every disagreeing one is, too). */
const EXACT_POINTS = 24;
const MIN_EXACT = 8;
/** The most digits the judge uses before calling a point undecided. */
export const JUDGE_MAX_DIGITS = 640;
/** Beyond this many nodes (written out as a tree), the derivative is not written out. */
export const SYMBOLIC_TREE_LIMIT = 1500;
/** Beyond this many nodes in the derivative written out, it is computed numerically. */
export const SYMBOLIC_DERIVATIVE_LIMIT = 6000;
/** Sampling stops after this long (once enough points were judged). */
const TIME_BUDGET_MS = 1000;
/** Function arguments beyond this are not evaluated in exact decimals (too slow). */
const EXACT_ARG_LIMIT = 1e5;
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
function resolveWhere(list: [string, string][], wrt: string): Map<string, Expr> {
  const defs = new Map<string, Expr>();
  for (const [rawName, text] of list) {
    const name = checkName(rawName, "the --where name");
    if (defs.has(name)) throw new RangeError(`--where defines "${name}" twice`);
    if (name === wrt) {
      throw new RangeError(
        `--wrt ${wrt}: "${wrt}" is a --where intermediate; differentiate by a variable, not a name --where defines`,
      );
    }
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

/** The exactly representable numbers a sample may take, beyond the random ones. */
function specialValues(constants: readonly number[]): { decades: number[]; near: number[] } {
  const decades: number[] = [];
  for (let j = -6; j <= 6; j++) {
    for (const m of [1, 1.7, 3.1]) decades.push(Number((m * 10 ** j).toPrecision(3)));
  }
  const near = new Set<number>();
  for (const c0 of constants) {
    const c = Math.abs(c0);
    if (c === 0 || c < 1e-12 || c > 1e12) continue;
    for (const v of [c, c * (1 + 1e-3), c * (1 - 1e-3), c + 0.5, c - 0.5, c + 1, c - 1, 2 * c]) {
      near.add(Number(v.toPrecision(12)));
    }
  }
  return { decades, near: [...near].filter((v) => v !== 0) };
}

function samplePoints(
  vars: readonly string[],
  at: Record<string, number> | undefined,
  constants: readonly number[],
) {
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
  // Points from the expression itself (its constants and thresholds, each side of them) and
  // magnitudes across many decades: a claim wrong only past x = 50 is seen.
  const { decades, near } = specialValues(constants);
  const pick = (list: readonly number[]) => list[Math.floor(rng.next() * list.length)];
  for (let k = 0; k < EXTRA_POINTS; k++) {
    const p: Record<string, number> = Object.create(null);
    for (const v of vars) {
      const sign = rng.next() < 0.5 ? -1 : 1;
      const r = rng.next();
      p[v] = sign *
        (near.length > 0 && r < 0.5 ? pick(near) : r < 0.75 ? pick(decades) : pick(NICE));
    }
    points.push(p);
  }
  if (at) points.unshift({ ...points[0], ...at });
  return points;
}

/** Points on each side of where a kinked call's argument crosses 0, found by a secant step. */
function kinkPoints(
  kinks: readonly Expr[],
  base: readonly Record<string, number>[],
): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  for (const u of kinks.slice(0, 8)) {
    const uvars = graphSymbols(u);
    for (const p of base.slice(0, 12)) {
      for (const v of uvars.slice(0, 6)) {
        const u0 = evaluateGraph(u, p).value;
        const u1 = evaluateGraph(u, { ...p, [v]: p[v] + 1 }).value;
        if (!Number.isFinite(u0) || !Number.isFinite(u1) || u0 === u1) continue;
        const r = p[v] - u0 / (u1 - u0);
        if (!Number.isFinite(r) || Math.abs(r) > 1e12) continue;
        for (const d of [1e-6, 1e-2, 0.5]) {
          const h = d * Math.max(1, Math.abs(r));
          out.push({ ...p, [v]: Number((r + h).toPrecision(12)) });
          out.push({ ...p, [v]: Number((r - h).toPrecision(12)) });
        }
      }
    }
  }
  return out;
}

function central(e: Expr, point: Record<string, number>, wrt: string): number {
  const x = point[wrt];
  const h = 1e-6 * Math.max(1, Math.abs(x));
  const f = (t: number) => evaluateGraph(e, { ...point, [wrt]: t }).value;
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
  await loadSymbolic(); // loaded once; the time budget below is for the judging itself
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
  const wrt = checkName(input.wrt, "--wrt");
  const where = resolveWhere(whereList(input.where), wrt);
  const expr = parseExpression(input.expr).expr;
  const claimParsed = parseExpression(input.claim, { derivativeFunctions: true }).expr;
  // The expression and the claim as graphs: a --where name used twice is one shared node.
  const dag = substitute(expr, where);
  const vars = graphSymbols(dag);
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
  const claimDag = substitute(claimParsed, where);
  for (const s of graphSymbols(claimDag)) {
    if (!vars.includes(s)) {
      throw new RangeError(
        `the claim uses "${s}" through a --where definition, but the expression does not depend on "${s}"`,
      );
    }
  }
  const notes: string[] = [];
  // The symbolic route (mathjs writes the derivative out) only while it stays small; beyond
  // that the derivative is computed numerically, exactly as precise, and not written out.
  const sizes = treeSizes(dag, wrt);
  const claimSize = treeSizes(claimDag, wrt).tree;
  const symbolic = sizes.tree <= SYMBOLIC_TREE_LIMIT &&
    sizes.derivative <= SYMBOLIC_DERIVATIVE_LIMIT &&
    claimSize <= SYMBOLIC_TREE_LIMIT;
  let derivative: Expr | undefined;
  let full: Expr | undefined;
  if (symbolic) {
    full = tidy(dag);
    derivative = await differentiate(full, wrt);
  } else {
    notes.push(
      `the derivative written out would have about ${
        formatNumber(Number(sizes.derivative.toPrecision(2)))
      } terms and factors: it was computed numerically (forward-mode, exact decimals) instead of written out`,
    );
  }
  const m = await loadSymbolic();
  const judge = new Judge(dag, wrt, claimDag, m.instance.BigNumber);
  const deadline = performance.now() + TIME_BUDGET_MS;
  const hardDeadline = deadline + TIME_BUDGET_MS / 2;

  // Scan the points in JavaScript numbers; judge exactly where they may differ, overflow, or
  // lose their digits; then confirm a spread of the agreeing points exactly too.
  const base = samplePoints(vars, at, [...constantsOf(dag), ...constantsOf(claimDag)]);
  const kinks = [...kinkedCalls(dag), ...kinkedCalls(claimDag)];
  const points = [...base, ...kinkPoints(kinks, base)];
  const samples: Sample[] = [];
  const agreeing: Sample[] = [];
  const suspects: { s: Sample; q: PointJudgement; k: number }[] = [];
  let atSample: Sample | undefined;
  let bad: { sample: Sample; j: PointJudgement } | undefined;
  let lost = 0, exactCount = 0, overflowed = 0;
  const sampleOf = (point: Record<string, number>, j: PointJudgement): Sample => ({
    point,
    env: point,
    derivative: { value: j.derivative, error: 0 },
  });
  const size = (p: Record<string, number>) => Math.max(...Object.values(p).map(Math.abs));
  // How far a point's numbers are from 1 in decades: 0.5 and 3 are plainer than 3.1×10⁻⁶.
  const plainness = (p: Record<string, number>) =>
    Math.max(...Object.values(p).map((v) => Math.abs(Math.log10(Math.abs(v) || 1))));
  for (const [k, point] of points.entries()) {
    if (performance.now() > deadline && samples.length >= MIN_POINTS) break;
    const q = judge.quick(point);
    if (q.kink) continue;
    const s = sampleOf(point, q);
    if (at && k === 0) atSample = s;
    if (q.verdict === "agree") {
      samples.push(s);
      agreeing.push(s);
    } else suspects.push({ s, q, k });
  }
  // Where floating point says they differ, overflows or is undefined: judge exactly, the
  // --at point first, then the smallest numbers (the plainest counterexample).
  const plainer = new Map(suspects.map(({ s }) => [s, plainness(s.point)]));
  suspects.sort((a, b) =>
    (b.s === atSample ? 1 : 0) - (a.s === atSample ? 1 : 0) ||
    plainer.get(a.s)! - plainer.get(b.s)!
  );
  for (const { s, q } of suspects) {
    if (bad) break; // one exact counterexample settles it (the --at point's, when it is one)
    if (performance.now() > deadline && samples.length >= MIN_POINTS) break;
    if (q.maxArg > EXACT_ARG_LIMIT) {
      if (Number.isFinite(q.derivative)) lost++;
      continue;
    }
    if (performance.now() > hardDeadline && exactCount > 0) break;
    const j = judge.exact(s.point, JUDGE_MAX_DIGITS, hardDeadline);
    exactCount++;
    if (j.kink || !j.defined) continue; // outside the domain
    if (!Number.isFinite(q.value) || !Number.isFinite(q.derivative) || !Number.isFinite(q.claim)) {
      overflowed++;
    }
    if (j.verdict === "undecided") {
      lost++;
      continue;
    }
    const e = sampleOf(s.point, j);
    if (s === atSample) atSample = e;
    samples.push(e);
    if (j.verdict === "differ") bad ??= { sample: e, j };
  }
  if (bad === undefined) {
    // Confirm exactly: the --at point, then a spread of the rest (plain numbers first).
    const chosen = new Set<Sample>();
    if (atSample && agreeing.includes(atSample)) chosen.add(atSample);
    const plain = agreeing.filter((s) => size(s.point) <= 1e3);
    const wide = agreeing.filter((s) => size(s.point) > 1e3);
    for (const list of [plain, wide]) {
      const want = list === plain ? EXACT_POINTS - 8 : EXACT_POINTS;
      const step = Math.max(1, Math.floor(list.length / want));
      for (let i = 0; i < list.length && chosen.size < want; i += step) chosen.add(list[i]);
    }
    for (const s of chosen) {
      if (performance.now() > deadline && exactCount >= MIN_EXACT) break;
      const q = judge.quick(s.point);
      if (q.maxArg > EXACT_ARG_LIMIT) continue;
      const j = judge.exact(s.point, 160, hardDeadline);
      exactCount++;
      if (j.verdict === "differ" && !j.kink) {
        bad = { sample: s, j };
        break;
      }
    }
  }
  const finite = suspects.filter(({ q }) =>
    Number.isFinite(q.value) && Number.isFinite(q.derivative) && Number.isFinite(q.claim)
  ).map(({ s }) => s);
  const usable = bad ? samples.length + finite.length : samples.length;
  if (bad === undefined && samples.length < MIN_POINTS && performance.now() > hardDeadline) {
    throw new RangeError(
      `cannot judge in time: only ${samples.length} points could be evaluated within ${
        (TIME_BUDGET_MS * 1.5) / 1000
      } s; try a smaller expression`,
    );
  }
  if (bad === undefined && samples.length < MIN_POINTS) {
    throw new RangeError(
      `cannot judge: the expression or its derivative is undefined at ${
        points.length - samples.length
      } of ${points.length} points tried (${samples.length} usable); give a point inside its domain with --at`,
    );
  }
  if (overflowed > 0) {
    notes.push(
      `at ${overflowed} point${
        overflowed === 1 ? "" : "s"
      } a value overflowed or lost its digits in floating point; judged there in exact decimals`,
    );
  }
  if (lost > 0) {
    notes.push(
      `at ${lost} point${
        lost === 1 ? "" : "s"
      } even ${JUDGE_MAX_DIGITS} digits could not tell; not used`,
    );
  }
  const example = (s: Sample, j?: PointJudgement): Counterexample => {
    const jj = j ?? judge.exact(s.point);
    return {
      point: { ...s.point },
      claim: jj.claim,
      derivative: jj.derivative,
      finiteDifference: central(dag, s.point, wrt),
      ...(jj.text ? { exact: jj.text } : {}),
    };
  };
  const shown = derivative ? tidyWith(derivative, where) : undefined;
  const result: VerifyResult = {
    correct: bad === undefined,
    derivative: shown ? toText(shown) : "(too large to write out)",
    derivativeTex: shown ? toTex(shown) : "\\text{(too large to write out)}",
    claim: toText(claimParsed),
    method: "numeric",
    points: Math.max(samples.length, usable),
    exactPoints: exactCount,
  };
  if (notes.length > 0) result.notes = notes;
  if (atSample) result.atPoint = example(atSample);
  if (bad === undefined) {
    if (derivative && (await provablyEqual(derivative, tidy(claimDag)))) result.method = "symbolic";
    return result;
  }
  result.counterexample = example(bad.sample, bad.j);
  if (!derivative || !full || sizeOf(derivative) > HINT_SIZE_LIMIT) return result; // hints are for expressions a person reads
  const show = (e: Expr) => toText(tidyWith(e, where));
  const claim = tidy(claimDag);
  const others = [...finite, ...samples].filter((s) => s.point !== bad!.sample.point);
  const hintSamples = [bad.sample, ...others.slice(0, 40)].map(
    (s) => ({ ...s, derivative: evaluateExpr(derivative!, s.env) }),
  );
  const exactlyAt = (a: Expr, b: Expr) =>
    compareAt(a, b, bad!.sample.point, m.instance.BigNumber) !== "differ";
  const hint = constantHint(claimParsed, where, dag, wrt, judge, m.instance.BigNumber, [
    bad.sample,
    ...samples.slice(0, 3),
  ]) ??
    await findHint(full, wrt, vars, claim, derivative, hintSamples, show, exactlyAt) ??
    closeHint(result.counterexample);
  if (hint) result.hint = hint;
  return result;
}

/** Numbers a rounded constant may stand for, with how to write them. */
function exactCandidates(): { value: number; text: string; expr: string }[] {
  const out: { value: number; text: string; expr: string }[] = [];
  for (let k = 1; k <= 12; k++) {
    out.push({ value: k * Math.PI, text: k === 1 ? "π" : `${k}π`, expr: `${k}*pi` });
    out.push({ value: Math.PI / k, text: `π/${k}`, expr: `pi/${k}` });
    out.push({ value: k * Math.E, text: k === 1 ? "e" : `${k}e`, expr: `${k}*e` });
    out.push({ value: Math.sqrt(k), text: `√${k}`, expr: `sqrt(${k})` });
    out.push({ value: Math.log(k + 1), text: `log(${k + 1})`, expr: `log(${k + 1})` });
    for (let q = 1; q <= 12; q++) {
      for (let p = 1; p <= 24; p++) {
        if (gcd(p, q) === 1) {
          out.push({ value: p / q, text: q === 1 ? `${p}` : `${p}/${q}`, expr: `${p}/${q}` });
        }
      }
    }
  }
  return out;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** "your constant 6.283185307 is 2π rounded to 10 digits", when putting 2π there makes it right. */
function constantHint(
  claimParsed: Expr,
  where: Map<string, Expr>,
  dag: Expr,
  wrt: string,
  judge: Judge,
  Decimal: unknown,
  points: Sample[],
): string | undefined {
  const typed = constantsOf(claimParsed).filter((c) => !Number.isInteger(c) && c > 0);
  if (typed.length === 0 || typed.length > 6) return undefined;
  const candidates = exactCandidates();
  for (const c of typed) {
    for (const cand of candidates) {
      if (Math.abs(cand.value - c) > 1e-4 * cand.value) continue;
      const replaced = replaceNumber(claimParsed, c, parseExpression(cand.expr).expr);
      const j2 = new Judge(dag, wrt, substitute(replaced, where), Decimal);
      if (points.every((s) => j2.exact(s.point).verdict !== "differ")) {
        const digits = String(c).replace(/^0\.0*|\./g, "").replace(/e.*$/, "").length;
        return Number.isInteger(cand.value)
          ? `your constant ${c} is not ${cand.text}: it is ${cand.text} ${
            c > cand.value ? "+" : "−"
          } ${formatNumber(Math.abs(c - cand.value))}, and the derivative has exactly ${cand.text}`
          : `your constant ${c} is ${cand.text} rounded to ${digits} digits; write ${cand.expr} (a right claim is exactly equal, not nearly)`;
      }
    }
  }
  void judge;
  return undefined;
}

function replaceNumber(e: Expr, value: number, by: Expr): Expr {
  switch (e.kind) {
    case "num":
      return e.value === value ? by : e;
    case "sym":
    case "const":
      return e;
    case "neg":
    case "call":
      return { ...e, arg: replaceNumber(e.arg, value, by) };
    case "add":
      return {
        ...e,
        terms: e.terms.map((t) => ({ ...t, expr: replaceNumber(t.expr, value, by) })),
      };
    case "mul":
      return {
        ...e,
        factors: e.factors.map((f) => ({ ...f, expr: replaceNumber(f.expr, value, by) })),
      };
    case "pow":
      return {
        ...e,
        base: replaceNumber(e.base, value, by),
        exponent: replaceNumber(e.exponent, value, by),
      };
  }
}

/** A claim off by a tiny amount: say so (it is still wrong). */
function closeHint(c: Counterexample): string | undefined {
  const big = Math.max(Math.abs(c.claim), Math.abs(c.derivative));
  const rel = Math.abs(c.claim - c.derivative) / big;
  if (!(big > 0) || !(rel < 1e-6)) return undefined;
  if (rel === 0) {
    return "the claim and the derivative agree to all the digits of floating point, but they are not equal: a small term is missing or a constant is rounded; a right derivative is exactly equal";
  }
  return `the claim is within ${
    formatNumber(Number(rel.toPrecision(2)))
  } (relative) of the derivative there, but not equal: a small term is missing or a constant is rounded; a right derivative is exactly equal`;
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
  exactlyAt: (a: Expr, b: Expr) => boolean,
): Promise<string | undefined> {
  const claimVals = samples.map((s) => evaluateExpr(claim, s.env));
  // Every hint is checked at the counterexample in exact decimals, too: a claim whose rounding
  // swamps floating point (1e300 − 1e300) matches nothing by accident.
  const matches = (candidate: Expr): boolean =>
    samples.every((s, i) => {
      const c = evaluateExpr(candidate, s.env);
      return Number.isFinite(c.value) && agree(c, claimVals[i]);
    }) && exactlyAt(candidate, claim);
  const completes = (factor: Expr): boolean => {
    const withFactor = mul(claim, factor);
    return samples.every((s) => {
      const c = evaluateExpr(withFactor, s.env);
      return Number.isFinite(c.value) && agree(c, s.derivative);
    }) && exactlyAt(withFactor, derivative);
  };
  const n = (value: number): Expr => ({ kind: "num", value });
  // A multiple of the derivative explains the claim only where the derivative is not 0 (−0 = 0);
  // a missing factor only where the claim is not 0. The samples start with the counterexample.
  const derivativeNonZero = samples.some((s) => s.derivative.value !== 0);
  const claimNonZero = claimVals.some((c) => c.value !== 0);
  if (derivativeNonZero && matches(mul(n(-1), derivative))) {
    return "the sign is flipped: the claim is −1 times the derivative";
  }
  if (derivativeNonZero && matches(mul(n(2), derivative))) {
    return "a factor of 2 too many: the claim is twice the derivative";
  }
  if (derivativeNonZero && matches(mul(n(0.5), derivative))) {
    return "a factor of 2 is missing: the claim is half the derivative (the power rule brings down the exponent: d(u²) = 2u·du)";
  }
  // Hints are for a learner's small expressions: look at a bounded number of candidates, so a
  // long expression cannot make the checker slow.
  for (
    const { outer, inner } of claimNonZero ? chainSites(full, wrt).slice(0, HINT_CANDIDATES) : []
  ) {
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
    if (claimNonZero && matches(other)) return `the claim is the derivative by ${v}, not by ${wrt}`;
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
    // Enough digits that two different values never print alike (6.28319 vs 6.28319).
    const digits = digitsToDistinguish(c.claim, c.derivative);
    const show = (x: number) => formatNumber(x, { digits });
    lines.push(
      `at ${describePoint(c.point)}: your claim gives ${
        c.exact ? c.exact.claim : show(c.claim)
      }, the derivative is ${c.exact ? c.exact.derivative : show(c.derivative)}${
        c.exact ? "" : ` (finite differences: ${formatNumber(c.finiteDifference)})`
      }`,
    );
  }
  if (r.hint) lines.push(`hint: ${r.hint}`);
  for (const note of r.notes ?? []) lines.push(`note: ${note}`);
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
    ...(r.notes ? { notes: r.notes } : {}),
    ...(r.atPoint ? { at: example(r.atPoint) } : {}),
  });
}
