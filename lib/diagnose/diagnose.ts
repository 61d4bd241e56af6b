/**
 * `diagnose`: which update rule a learner's run follows — one of stepgrad's optimizers with the
 * options recovered from the data, or a catalogued mistake — to what precision, and where it
 * departs from the closest correct rule, with that step written out both ways.
 *
 * @module
 */
import { type OptimizerName, optimizerName } from "../optim/registry.ts";
import type { StepTrace } from "../optim/trace.ts";
import { formatNumber } from "../text/format.ts";
import { isBias, MISTAKES, weightFor } from "./catalogue.ts";
import {
  fitRule,
  givenFor,
  type Observations,
  observations,
  replay,
  residuals,
  worst,
} from "./fit.ts";
import { dataDigits, type LearnerRun } from "./input.ts";
import { type FitParam, type FlatOptions, OPTIMIZER_RULES, type Rule, unflatten } from "./rules.ts";

/** Options as PyTorch names them (`betas` a pair). */
export type DiagnosedOptions = Record<string, number | boolean | number[]>;

/** Where a run first differs from a rule. */
export interface Departure {
  /** The step (1 on the first). */
  step: number;
  /** The parameter's name. */
  param: string;
  /** What the rule gives. */
  expected: number;
  /** What the learner's run has. */
  observed: number;
}

/** One rule, fitted to the run. */
export interface Candidate {
  /** The optimizer's name or the mistake's id. */
  id: string;
  /** What the rule is. */
  kind: "optimizer" | "mistake";
  /** The correct optimizer the rule is, or should have been. */
  base: string;
  /** The rule in one line. */
  title: string;
  /** The options that best fit (given, recovered or default). */
  options: DiagnosedOptions;
  /** The options recovered from the data. */
  recovered: string[];
  /** Recovered options the data does not pin down (any nearby value fits as well). */
  undetermined: string[];
  /** Whether the rule reproduces every observed value within the data's precision. */
  fits: boolean;
  /** The largest difference from the observed values, relative to them. */
  relativeError: number;
  /** Where the rule first differs from the run (null when it fits). */
  firstDeparture: Departure | null;
  /** For rules that fit as well as the match: what more data would separate them. */
  separate?: string;
}

/** What `diagnose` concludes. */
export interface Diagnosis {
  /** The matched optimizer's name or mistake's id, or null when nothing fits. */
  match: string | null;
  /** What the match is. */
  kind: "optimizer" | "mistake" | null;
  /** The match's options (recovered where the learner did not give them). */
  options: DiagnosedOptions;
  /** Every rule that fits, then the closest that do not. */
  candidates: Candidate[];
  /** Where the run first departs from the closest correct rule (null when it is one). */
  firstDeparture: Departure | null;
  /** The closest correct rule and its options (the match itself when it is an optimizer). */
  closest: { optimizer: string; options: DiagnosedOptions } | null;
  /** The data's precision and the match's agreement with it. */
  precision: { digits: number; relativeError: number | null; significantDigits: number | null };
  /** The departing step written both ways: the correct rule's and the learner's. */
  traces: { correct: StepTrace; learner: StepTrace } | null;
  /** The number of steps and parameters read. */
  size: { steps: number; params: number };
}

/** Every rule `diagnose` fits: the nine optimizers, then the catalogue. */
export const RULES: readonly Rule[] = [...OPTIMIZER_RULES, ...MISTAKES];

/** Steps used for the search (the fit is then checked on every step). */
export const FIT_STEPS = 30;

function pytorch(o: FlatOptions): DiagnosedOptions {
  const out: DiagnosedOptions = {};
  for (const [k, v] of Object.entries(unflatten(o))) {
    out[k] = Array.isArray(v) ? [...v] : v as number | boolean;
  }
  return out;
}

function relError(obs: Observations, pred: Float64Array, steps: number): number {
  let m = 0;
  const P = obs.run.names.length;
  obs.run.steps.slice(0, steps).forEach((s, k) =>
    s.params.forEach((x, i) => {
      const y = pred[k * P + i];
      if (Number.isNaN(x) && Number.isNaN(y)) return;
      if (x === y) return;
      const e = Number.isFinite(x) && Number.isFinite(y)
        ? Math.abs(x - y) / Math.max(Math.abs(x), 1e-300)
        : Infinity;
      m = Math.max(m, e);
    })
  );
  return m;
}

function departure(obs: Observations, pred: Float64Array, steps: number): Departure | null {
  const r = residuals(obs, pred, steps);
  const P = obs.run.names.length;
  for (let j = 0; j < r.length; j++) {
    if (Math.abs(r[j]) > 1) {
      const step = Math.floor(j / P), i = j % P;
      return {
        step: step + 1,
        param: obs.run.names[i],
        expected: pred[j],
        observed: obs.run.steps[step].params[i],
      };
    }
  }
  return null;
}

/** A candidate from a rule and options, checked on every step. */
function judge(
  rule: Rule,
  obs: Observations,
  o: FlatOptions,
  free: string[],
): Candidate | undefined {
  // A rule that misses the first steps departs there: only a rule that fits them is replayed on
  // the whole run (which keeps long runs fast).
  const head = Math.min(obs.run.steps.length, FIT_STEPS);
  let steps = head;
  let pred = replay(rule, obs, o, head);
  if (!pred) return undefined;
  if (worst(residuals(obs, pred, head)) <= 1 && head < obs.run.steps.length) {
    steps = obs.run.steps.length;
    pred = replay(rule, obs, o, steps);
    if (!pred) return undefined;
  }
  const w = worst(residuals(obs, pred, steps));
  const loose = undetermined(rule, obs, o, free);
  return {
    id: rule.id,
    kind: rule.kind,
    base: rule.base,
    title: rule.title,
    options: pytorch(o),
    recovered: free.filter((k) => !loose.includes(k)).map((k) =>
      k === "beta1" || k === "beta2" ? "betas" : k
    )
      .filter((k, i, a) => a.indexOf(k) === i),
    undetermined: loose,
    fits: w <= 1,
    relativeError: relError(obs, pred, steps),
    firstDeparture: w <= 1 ? null : departure(obs, pred, steps),
  };
}

/** Free options that can move 10 % (on their search scale) and still fit. */
function undetermined(rule: Rule, obs: Observations, o: FlatOptions, free: string[]): string[] {
  const steps = Math.min(obs.run.steps.length, FIT_STEPS);
  const base = replay(rule, obs, o, steps);
  if (!base || worst(residuals(obs, base, steps)) > 1) return [];
  const out: string[] = [];
  for (const key of free) {
    const spec = rule.fit.find((p: FitParam) => p.key === key)!;
    const x = o[key] as number;
    const lo = spec.lo ?? 0, hi = spec.hi ?? 1;
    const y = spec.kind === "scale"
      ? x * 1.1
      : x <= lo
      ? lo + 0.1 * (hi - lo)
      : Math.max(lo, hi - (hi - x) * 1.1);
    const pred = replay(rule, obs, { ...o, [key]: y }, steps);
    if (pred && worst(residuals(obs, pred, steps)) <= 1) out.push(key);
  }
  return out;
}

/** Variants of a fitted optimizer that fit as well: a flag flipped, a zero option switched on. */
function alternatives(
  rule: Rule,
  obs: Observations,
  full: Observations,
  fit: { options: FlatOptions; free: string[] },
): Candidate[] {
  const out: Candidate[] = [];
  const given = givenFor(rule, obs.run.known);
  const tries: FlatOptions[] = [];
  for (const f of rule.flags) if (!(f in given)) tries.push({ [f]: !(fit.options[f] as boolean) });
  for (const p of rule.fit) {
    if (p.zero && !(p.key in given) && fit.options[p.key] === 0) {
      tries.push({ [p.key]: p.starts[0] });
    }
  }
  for (const change of tries) {
    const o = { ...fit.options, ...change };
    if (change.nesterov === true && !(o.momentum as number > 0)) o.momentum = 0.9;
    if (rule.invalid?.(o)) continue;
    const sub: Rule = {
      ...rule,
      flags: [],
      // A zero option switched on stays on: searched from 0.01 up, never snapped back to 0.
      fit: rule.fit
        .filter((p) => fit.free.includes(p.key) || p.key in change)
        .map((p) => p.zero ? { ...p, zero: false, lo: Math.max(p.lo ?? 0, 0.01) } : p),
    };
    // Secondary options stay where the fit put them; the primaries and lr are fitted again.
    const fixed: Record<string, number | boolean> = { ...flagsOf(o, rule) };
    for (const p of rule.fit) if (p.secondary) fixed[p.key] = o[p.key];
    const run = { ...obs.run, known: { ...obs.run.known, ...fixed } };
    const local = fitRule(sub, { ...obs, run }, Math.min(obs.run.steps.length, FIT_STEPS));
    if (!local || local.worst > 1) continue;
    const c = judge(rule, full, local.options, local.free);
    if (c?.fits) out.push(c);
  }
  return out;
}

function flagsOf(o: FlatOptions, rule: Rule): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const f of rule.flags) out[f] = o[f] as boolean;
  for (const [k, v] of Object.entries(o)) if (typeof v === "boolean") out[k] = v;
  return out;
}

function describe(c: Candidate): string {
  const on = Object.entries(c.options).filter(([, v]) => v === true).map(([k]) => k);
  const mom = typeof c.options.momentum === "number" && c.options.momentum !== 0
    ? [`momentum ${formatNumber(c.options.momentum)}`]
    : [];
  return [c.id, ...mom, ...on].join(", ");
}

/** What more data would tell `other` from `match`. */
function separation(match: Candidate, other: Candidate, run: LearnerRun): string {
  const hints: string[] = [];
  const name = (c: Candidate) => c === other && c.id === match.id ? `the other ${c.id}` : c.id;
  const known = run.known;
  for (const key of new Set([...Object.keys(match.options), ...Object.keys(other.options)])) {
    if (key in known || key === "maximize" || (key !== "lr" && match.id !== other.id)) continue;
    const a = match.options[key], b = other.options[key];
    if (
      typeof a === "number" && typeof b === "number" &&
      Math.abs(a - b) > 1e-12 * Math.max(Math.abs(a), Math.abs(b))
    ) {
      hints.push(
        `giving ${key} (${name(match)} needs ${formatNumber(a)}, ${name(other)} ${
          formatNumber(b)
        })`,
      );
    }
  }
  if (other.undetermined.length > 0 || match.undetermined.length > 0 || run.steps.length < 4) {
    hints.push(
      "more steps (the rules' running state, momentum or moments, tells them apart from step 2 on)",
    );
  }
  if (other.kind === "mistake" && match.kind === "optimizer" && run.intended === undefined) {
    hints.push(`saying which optimizer you meant ("optimizer": "${other.base}")`);
  }
  if (hints.length === 0) hints.push("more steps, with gradients that change from step to step");
  return hints.join("; or ");
}

/** How many options (besides lr) a candidate sets away from its rule's defaults. */
function surprise(c: Candidate): number {
  const rule = RULES.find((r) => r.id === c.id && r.title === c.title);
  if (!rule) return 0;
  const o = flatFrom(c.options);
  return Object.keys(o).filter((k) => k !== "lr" && k in rule.defaults && o[k] !== rule.defaults[k])
    .length;
}

/**
 * The order of candidates: those that fit first; among them correct optimizers, then the rule
 * with the fewest options away from its defaults (plain SGD before RAdam with β₁ = 0, which takes
 * the same first steps), then the fewest recovered; then the smallest difference.
 */
function better(a: Candidate, b: Candidate): number {
  if (a.fits !== b.fits) return a.fits ? -1 : 1;
  if (a.fits) {
    if (a.kind !== b.kind) return a.kind === "optimizer" ? -1 : 1;
    const s = surprise(a) - surprise(b);
    if (s !== 0) return s;
    if (a.recovered.length !== b.recovered.length) return a.recovered.length - b.recovered.length;
  }
  return a.relativeError - b.relativeError;
}

/** The most parameters the search looks at (the verdict looks at all). */
export const FIT_PARAMS = 8;

/** The run cut to its first few parameters, with the weights its biases go with. */
function fitSubset(run: LearnerRun): LearnerRun {
  if (run.names.length <= FIT_PARAMS) return run;
  const keep = new Set(run.names.slice(0, FIT_PARAMS));
  for (const n of [...keep]) {
    const w = isBias(n) ? weightFor(n, run.names) : undefined;
    if (w !== undefined) keep.add(w);
  }
  const idx = run.names.map((n, i) => keep.has(n) ? i : -1).filter((i) => i >= 0);
  return {
    ...run,
    names: idx.map((i) => run.names[i]),
    start: idx.map((i) => run.start[i]),
    steps: run.steps.map((s) => ({
      grads: idx.map((i) => s.grads[i]),
      params: idx.map((i) => s.params[i]),
    })),
  };
}

/** Replays `rule` up to `step` and returns that step's trace. */
export function traceAt(rule: Rule, run: LearnerRun, o: FlatOptions, step: number): StepTrace {
  const stepper = rule.create(run.names, o);
  let trace: StepTrace | undefined;
  for (let s = 0; s < step; s++) {
    const before = s === 0 ? run.start : run.steps[s - 1].params;
    const r = stepper.step(before, run.steps[s].grads, s === step - 1);
    trace = r.trace;
  }
  return trace!;
}

/** The learner's own step, as data: the gradient they used and where each parameter went. */
function observedTrace(run: LearnerRun, step: number): StepTrace {
  const before = step === 1 ? run.start : run.steps[step - 2].params;
  const s = run.steps[step - 1];
  return {
    optimizer: "your run",
    step,
    lr: run.known.lr as number ?? NaN,
    options: Object.fromEntries(
      Object.entries(run.known).map((
        [k, v],
      ) => [k, Array.isArray(v) ? [...v] : v as number | boolean]),
    ),
    shared: [],
    params: run.names.map((label, i) => ({
      label,
      before: before[i],
      grad: s.grads[i],
      after: s.params[i],
      equations: [
        {
          role: "gradient",
          lhs: {
            tex: `\\frac{\\partial L}{\\partial \\text{${label.replace(/[^A-Za-z0-9]/g, "")}}}`,
            text: `∂L/∂${label}`,
          },
          op: "=",
          result: s.grads[i],
          digits: 6,
        },
        {
          role: "update",
          lhs: { tex: `\\text{${label.replace(/[^A-Za-z0-9]/g, "")}}`, text: label },
          op: "←",
          result: s.params[i],
          digits: 8,
        },
      ],
    })),
  };
}

function flatFrom(o: DiagnosedOptions): FlatOptions {
  const out: FlatOptions = {};
  for (const [k, v] of Object.entries(o)) {
    if (Array.isArray(v)) {
      out.beta1 = v[0];
      out.beta2 = v[1];
    } else out[k] = v;
  }
  return out;
}

/**
 * Diagnoses a learner's run: fits every optimizer and every catalogued mistake, names the match
 * and says where the run departs from the closest correct rule.
 *
 * @example
 * ```ts
 * import { diagnose, parseRunJson } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * // w² from w = 1 with lr 0.1, but the gradient was added: 1 + 0.1·2 = 1.2, 1.2 + 0.1·2.4 = 1.44
 * const run = parseRunJson(JSON.stringify({
 *   lr: 0.1,
 *   start: { w: 1 },
 *   steps: [{ grads: { w: 2 }, params: { w: 1.2 } }, { grads: { w: 2.4 }, params: { w: 1.44 } }],
 * }));
 * const d = diagnose(run);
 * assert.equal(d.match, "gradient-added");
 * assert.equal(d.kind, "mistake");
 * assert.deepEqual(d.firstDeparture, { step: 1, param: "w", expected: 0.8, observed: 1.2 });
 * ```
 */
export function diagnose(run: LearnerRun): Diagnosis {
  let intended: OptimizerName | undefined;
  if (run.intended !== undefined) intended = optimizerName(run.intended);
  const obs = observations(run, dataDigits(run));
  // The options are shared by every parameter, so a few parameters are enough to search them;
  // every candidate is then judged on all of them.
  const sub = observations(fitSubset(run), obs.digits);
  const steps = Math.min(run.steps.length, FIT_STEPS);
  const all: Candidate[] = [];
  const fitted = new Map<Candidate, Rule>();
  const pass = (rules: readonly Rule[], searchSecondary: boolean) => {
    for (const rule of rules) fitOne(rule, searchSecondary);
  };
  const fitOne = (rule: Rule, searchSecondary: boolean) => {
    const fit = fitRule(rule, sub, steps, searchSecondary);
    if (!fit) return;
    const c = judge(rule, obs, fit.options, fit.free);
    if (!c) return;
    all.push(c);
    fitted.set(c, rule);
    if (rule.kind === "optimizer" && c.fits) {
      for (
        const alt of alternatives(rule, sub, obs, { options: flatFrom(c.options), free: fit.free })
      ) {
        all.push(alt);
        fitted.set(alt, rule);
      }
    }
  };
  pass(RULES, false);
  // Nothing fits with ε, weight decay and the like as given (or PyTorch's defaults): search them.
  if (!all.some((c) => c.fits)) {
    const before = all.length;
    pass(OPTIMIZER_RULES, true);
    // Keep the secondary search's candidates only where they improve on the first pass.
    const extra = all.splice(before);
    for (const c of extra) {
      const old = all.findIndex((a) => a.id === c.id && a.kind === c.kind);
      if (old < 0 || c.fits || c.relativeError < all[old].relativeError) {
        if (old >= 0) all.splice(old, 1);
        all.push(c);
      }
    }
  }
  // One candidate per id (eps-inside-sqrt has an RMSprop and an Adam form), keeping the best.
  all.sort(better);
  const seen = new Set<string>();
  const candidates = all.filter((c) => {
    const key = c.kind === "optimizer" ? `${c.id} ${describe(c)}` : c.id;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const fits = candidates.filter((c) => c.fits);
  let match: Candidate | undefined;
  if (intended !== undefined) {
    match = fits.find((c) => c.kind === "optimizer" && c.id === intended) ??
      fits.find((c) => c.kind === "mistake" && c.base === intended) ??
      fits.find((c) => c.kind === "mistake") ?? fits[0];
  } else match = fits[0];
  const shown = [
    ...(match ? [match] : []),
    ...fits.filter((c) => c !== match),
    ...candidates.filter((c) => !c.fits).slice(0, 5),
  ];
  if (match) {
    for (const c of shown) if (c !== match && c.fits) c.separate = separation(match, c, run);
  }

  // The closest correct rule: the match when it is one; the mistake's own optimizer with the same
  // options; or, when nothing fits, the optimizer that came closest.
  let closest: { rule: Rule; options: FlatOptions } | undefined;
  if (match?.kind === "optimizer") {
    closest = { rule: fitted.get(match)!, options: flatFrom(match.options) };
  } else if (match) {
    const rule = OPTIMIZER_RULES.find((r) => r.id === match!.base)!;
    const o: FlatOptions = { ...rule.defaults, ...flatFrom(match.options) };
    for (const k of Object.keys(o)) if (!(k in rule.defaults)) delete o[k];
    closest = { rule, options: o };
  } else {
    const best = candidates.find((c) => c.kind === "optimizer");
    if (best) closest = { rule: fitted.get(best)!, options: flatFrom(best.options) };
  }
  let firstDeparture: Departure | null = null;
  let traces: Diagnosis["traces"] = null;
  if (closest && match?.kind !== "optimizer") {
    const pred = replay(closest.rule, obs, closest.options, run.steps.length);
    firstDeparture = pred ? departure(obs, pred, run.steps.length) : null;
    if (firstDeparture) {
      const k = firstDeparture.step;
      const correct = traceAt(closest.rule, run, closest.options, k);
      const learner = match
        ? traceAt(fitted.get(match)!, run, flatFrom(match.options), k)
        : observedTrace(run, k);
      traces = { correct, learner };
    }
  }
  const rel = match ? match.relativeError : null;
  return {
    match: match?.id ?? null,
    kind: match?.kind ?? null,
    options: match ? match.options : {},
    candidates: shown,
    firstDeparture,
    closest: closest ? { optimizer: closest.rule.id, options: pytorch(closest.options) } : null,
    precision: {
      digits: obs.digits,
      relativeError: rel,
      significantDigits: rel === null
        ? null
        : rel === 0
        ? 17
        : Math.max(0, Math.min(17, Math.floor(-Math.log10(rel)))),
    },
    traces,
    size: { steps: run.steps.length, params: run.names.length },
  };
}
