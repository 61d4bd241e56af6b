/**
 * Fitting a rule to a learner's run: replay the rule from the learner's own parameters at every
 * step (so one early difference does not snowball), compare with what they observed, and search
 * the hyperparameters the learner did not give (Levenberg–Marquardt on each step's residuals,
 * scaled by the data's precision), then round each recovered value to the shortest decimal the
 * data cannot tell apart from it (0.9, not 0.90000000000013).
 *
 * @module
 */
import type { LearnerRun } from "./input.ts";
import type { FitParam, FlatOptions, Rule } from "./rules.ts";

/** The learner's observations with the tolerance of each. */
export interface Observations {
  /** The run. */
  run: LearnerRun;
  /** The significant digits the data carries. */
  digits: number;
  /** How far a prediction may be from each observed value (step-major, then parameter). */
  tol: Float64Array;
}

/** The tolerance of every observed value: its rounding, its inputs' rounding, and float64 noise. */
export function observations(run: LearnerRun, digits: number): Observations {
  const P = run.names.length;
  const tol = new Float64Array(run.steps.length * P);
  const rel = digits >= 16 ? 2 ** -52 : 0.5 * 10 ** (1 - digits);
  for (let s = 0; s < run.steps.length; s++) {
    const before = s === 0 ? run.start : run.steps[s - 1].params;
    const after = run.steps[s].params;
    for (let i = 0; i < P; i++) {
      const a = Math.abs(after[i]), b = Math.abs(before[i]);
      const delta = Number.isFinite(a) && Number.isFinite(b) ? Math.abs(after[i] - before[i]) : 0;
      // The observed value, the value the step started from, and the gradient (which scales the
      // step) each carry the data's rounding; float64 arithmetic in another order adds a few ulps.
      tol[s * P + i] = 4 * rel * (a + b + delta) + 64 * 2 ** -52 * (a + b + delta) + 1e-300;
    }
  }
  return { run, digits, tol };
}

/** Replays a rule from the observed parameters; `null` when the options are impossible. */
export function replay(
  rule: Rule,
  obs: Observations,
  o: FlatOptions,
  steps: number,
): Float64Array | null {
  const { run } = obs;
  const P = run.names.length;
  let stepper;
  try {
    stepper = rule.create(run.names, o);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) return null;
    throw e;
  }
  const out = new Float64Array(steps * P);
  for (let s = 0; s < steps; s++) {
    const before = s === 0 ? run.start : run.steps[s - 1].params;
    const { after } = stepper.step(before, run.steps[s].grads, false);
    for (let i = 0; i < P; i++) out[s * P + i] = after[i];
  }
  return out;
}

/** Residuals in units of each value's tolerance (0 when both are NaN or the same infinity). */
export function residuals(obs: Observations, predicted: Float64Array, steps: number): Float64Array {
  const P = obs.run.names.length;
  const r = new Float64Array(steps * P);
  for (let s = 0; s < steps; s++) {
    const seen = obs.run.steps[s].params;
    for (let i = 0; i < P; i++) {
      const j = s * P + i;
      const x = seen[i], y = predicted[j];
      if (Number.isNaN(x) && Number.isNaN(y)) r[j] = 0;
      else if (x === y) r[j] = 0;
      else if (!Number.isFinite(x) || !Number.isFinite(y)) r[j] = 1e100;
      else r[j] = Math.max(-1e100, Math.min(1e100, (y - x) / obs.tol[j]));
    }
  }
  return r;
}

/** The largest |difference| in tolerances (≤ 1: within the data's precision). */
export function worst(r: Float64Array): number {
  let m = 0;
  for (const x of r) m = Math.max(m, Math.abs(x));
  return m;
}

function cost(r: Float64Array): number {
  let c = 0;
  for (const x of r) c += x * x;
  return c;
}

// Search coordinates: log x for scales, log(hi − x) for decay rates.
function toSearch(p: FitParam, x: number): number {
  return p.kind === "scale" ? Math.log(x) : Math.log((p.hi ?? 1) - x);
}
function fromSearch(p: FitParam, z: number): number {
  if (p.kind === "scale") {
    return Math.exp(Math.max(Math.log(p.lo ?? 1e-30), Math.min(Math.log(p.hi ?? 1e10), z)));
  }
  const hi = p.hi ?? 1, lo = p.lo ?? 0;
  return Math.min(Math.max(hi - Math.exp(Math.min(z, 5)), lo), hi - 1e-15);
}

/** A fit of one rule with some options free. */
export interface Fit {
  /** The options (given, fitted and default). */
  options: FlatOptions;
  /** The options that were fitted. */
  free: string[];
  /** The largest residual on the steps fitted, in tolerances (≤ 1 fits). */
  worst: number;
}

/** Least-squares step size for a rule linear in lr: the lr that best scales a unit-lr replay. */
function lrGuess(rule: Rule, obs: Observations, o: FlatOptions, steps: number): number {
  const unit = replay(rule, obs, { ...o, lr: 1 }, steps);
  if (!unit) return 1e-3;
  const P = obs.run.names.length;
  let num = 0, den = 0;
  for (let s = 0; s < steps; s++) {
    const before = s === 0 ? obs.run.start : obs.run.steps[s - 1].params;
    for (let i = 0; i < P; i++) {
      const d1 = unit[s * P + i] - before[i];
      const d = obs.run.steps[s].params[i] - before[i];
      if (!Number.isFinite(d1) || !Number.isFinite(d)) continue;
      const w = 1 / obs.tol[s * P + i];
      num += d1 * d * w * w;
      den += d1 * d1 * w * w;
    }
  }
  const lr = num / den;
  return Number.isFinite(lr) && lr > 0 ? lr : 1e-3;
}

/**
 * Levenberg–Marquardt over the free options (in search coordinates), from `o`. Returns the
 * options at the smallest cost found.
 */
export function levenberg(
  rule: Rule,
  obs: Observations,
  o: FlatOptions,
  free: readonly FitParam[],
  steps: number,
  maxIter = 40,
): { options: FlatOptions; cost: number; worst: number } {
  const z = free.map((p) => toSearch(p, o[p.key] as number));
  const at = (zz: number[]): { o: FlatOptions; r: Float64Array | null } => {
    const oo = { ...o };
    free.forEach((p, i) => oo[p.key] = fromSearch(p, zz[i]));
    const pred = replay(rule, obs, oo, steps);
    return { o: oo, r: pred ? residuals(obs, pred, steps) : null };
  };
  let cur = at(z);
  if (!cur.r) return { options: cur.o, cost: Infinity, worst: Infinity };
  let c = cost(cur.r);
  let lambda = 1e-3;
  const n = free.length;
  for (let iter = 0; iter < maxIter && n > 0 && c > 0; iter++) {
    // Jacobian by forward differences.
    const J: Float64Array[] = [];
    for (let j = 0; j < n; j++) {
      const h = 1e-7 * Math.max(1, Math.abs(z[j]));
      const zp = [...z];
      zp[j] += h;
      const rp = at(zp).r;
      const col = new Float64Array(cur.r!.length);
      if (rp) { for (let i = 0; i < col.length; i++) col[i] = (rp[i] - cur.r![i]) / h; }
      J.push(col);
    }
    const JtJ = J.map((a) => J.map((b) => a.reduce((s, x, i) => s + x * b[i], 0)));
    const Jtr = J.map((a) => a.reduce((s, x, i) => s + x * cur.r![i], 0));
    let improved = false;
    for (let tries = 0; tries < 12; tries++) {
      const A = JtJ.map((row, i) => row.map((x, j) => i === j ? x * (1 + lambda) + 1e-30 : x));
      const dz = solve(A, Jtr.map((x) => -x));
      if (!dz) {
        lambda *= 10;
        continue;
      }
      const zn = z.map((x, i) => x + dz[i]);
      const next = at(zn);
      const cn = next.r ? cost(next.r) : Infinity;
      if (cn < c) {
        const small = dz.every((d, i) => Math.abs(d) <= 1e-14 * Math.max(1, Math.abs(z[i])));
        for (let i = 0; i < n; i++) z[i] = zn[i];
        cur = next;
        const gain = (c - cn) / c;
        c = cn;
        lambda = Math.max(lambda / 10, 1e-12);
        // Slow progress is worth pursuing only near a fit.
        improved = !small && gain > 1e-12 && (gain > 1e-3 || worst(cur.r!) <= 1e3);
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  return { options: cur.o, cost: c, worst: worst(cur.r!) };
}

/** Solves A·x = b by Gaussian elimination with partial pivoting; null when singular. */
function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > 0)) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x.every(Number.isFinite) ? x : null;
}

/** Every subset of `items`, smallest first. */
function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [[]];
  for (const item of items) {
    const n = out.length;
    for (let i = 0; i < n; i++) out.push([...out[i], item]);
  }
  return out.sort((a, b) => a.length - b.length);
}

/** The shortest decimal within the data's resolution of each fitted value, one at a time. */
function snap(
  rule: Rule,
  obs: Observations,
  fit: { options: FlatOptions; worst: number },
  free: readonly FitParam[],
  steps: number,
): { options: FlatOptions; worst: number } {
  let best = fit;
  const limit = Math.max(1, fit.worst * 1.5 + 0.05);
  for (const p of free) {
    const x = best.options[p.key] as number;
    for (let d = p.zero ? 0 : 1; d <= 15; d++) {
      const y = d === 0 ? 0 : Number(x.toPrecision(d));
      if (y === x) break;
      if (p.kind === "decay" && !(y >= (p.lo ?? 0) && y < (p.hi ?? 1)) && !(d === 0)) continue;
      if (p.kind === "scale" && !(y >= (p.lo ?? 0) && y > 0)) continue;
      const o = { ...best.options, [p.key]: y };
      const pred = replay(rule, obs, o, steps);
      if (!pred) continue;
      const w = worst(residuals(obs, pred, steps));
      if (w <= limit) {
        best = { options: o, worst: w };
        break;
      }
    }
  }
  return best;
}

/** The options the learner gave that this rule has. */
export function givenFor(rule: Rule, known: LearnerRun["known"]): FlatOptions {
  const out: FlatOptions = {};
  for (const [key, v] of Object.entries(known)) {
    if (Array.isArray(v)) {
      if ("beta1" in rule.defaults) {
        out.beta1 = v[0];
        out.beta2 = v[1];
      }
    } else if (key in rule.defaults) out[key] = v as number | boolean;
  }
  return out;
}

/** The prefixes a fit is grown over: a rule that cannot fit the first steps is dropped early. */
function prefixes(steps: number, free: number): number[] {
  return [Math.max(3, 2 * free), 10, steps].map((n) => Math.min(n, steps))
    .filter((n, i, a) => a.indexOf(n) === i && (i === 0 || n > a[i - 1]));
}

/**
 * Fits a rule to the first `steps` steps: each combination of its flags, from a few starting
 * points, over growing prefixes of the run. Secondary options (ε, weight decay, …) stay as given
 * or at their defaults unless `searchSecondary`; then they are freed one at a time, then together,
 * only when the run does not fit without them. Returns the best fit found (fitting or
 * not), or undefined when the rule cannot apply.
 */
export function fitRule(
  rule: Rule,
  obs: Observations,
  steps: number,
  searchSecondary = false,
): Fit | undefined {
  if (rule.inapplicable?.(obs.run.names)) return undefined;
  const given = givenFor(rule, obs.run.known);
  const base: FlatOptions = { ...rule.defaults, ...given };
  if ("maximize" in base && !("maximize" in given)) base.maximize = false;
  const unknown = rule.fit.filter((p) => !(p.key in given));
  const flags = rule.flags.filter((f) => !(f in given));
  const primaries = unknown.filter((p) => !p.secondary);
  const secondaries = searchSecondary ? unknown.filter((p) => p.secondary) : [];
  let best: Fit | undefined;
  const consider = (f: Fit) => {
    if (
      !best || (f.worst <= 1 && best.worst > 1) ||
      (f.worst <= 1 && best.worst <= 1 &&
        (f.free.length < best.free.length ||
          (f.free.length === best.free.length && f.worst < best.worst))) ||
      (f.worst > 1 && best.worst > 1 && f.worst < best.worst)
    ) best = f;
  };
  const attempt = (o: FlatOptions, free: FitParam[]): Fit => {
    let cur = { ...o };
    let w = Infinity;
    const ns = prefixes(steps, free.length);
    for (const n of ns) {
      if (free.some((p) => p.key === "lr") && n === ns[0]) cur.lr = lrGuess(rule, obs, cur, n);
      const r = levenberg(rule, obs, cur, free, n);
      const s = snap(rule, obs, r, free, n);
      cur = s.options;
      w = s.worst;
      if (w > 1) break;
    }
    return { options: cur, free: free.map((p) => p.key), worst: w };
  };
  // Secondary options: none freed, then each alone, then all together.
  const secondarySets: FitParam[][] = [[], ...secondaries.map((p) => [p])];
  if (secondaries.length > 1) secondarySets.push(secondaries);
  for (const secs of secondarySets) {
    for (const on of subsets(flags)) {
      const o: FlatOptions = { ...base };
      for (const f of flags) o[f] = on.includes(f);
      const free = [...primaries, ...secs];
      for (const start of startPoints(free)) {
        if (rule.invalid?.({ ...o, ...start })) continue;
        const f = attempt({ ...o, ...start }, free);
        consider(f);
        if (f.worst <= 1) break;
      }
      if (best && best.worst <= 1) break;
    }
    if (best && best.worst <= 1) break;
  }
  // Secondary options freed together: put back at their defaults those the data does not need.
  if (best && best.worst <= 1 && best.free.some((k) => secondaries.some((p) => p.key === k))) {
    for (const p of secondaries) {
      if (!best.free.includes(p.key)) continue;
      const free = rule.fit.filter((q) => best!.free.includes(q.key) && q.key !== p.key);
      const f = attempt({ ...best.options, [p.key]: rule.defaults[p.key] }, free);
      if (f.worst <= 1) best = f;
    }
  }
  return best;
}

function startPoints(free: readonly FitParam[]): FlatOptions[] {
  let out: FlatOptions[] = [{}];
  for (const p of free) {
    if (p.key === "lr") continue;
    out = out.flatMap((o) => p.starts.map((s) => ({ ...o, [p.key]: s })));
  }
  return out.slice(0, 9);
}
