/**
 * Learning-rate sweeps: the same optimizer, from the same start, once at each of several learning
 * rates; for each the final loss, the steps it took to reach a tolerance (or that it never did, or
 * diverged), and the best rate. The loss graph is compiled once ({@linkcode compile}), so a run
 * of a few hundred steps on micrograd's moons network takes milliseconds.
 *
 * @module
 */
import { compile, type CompiledGraph } from "../graph/compile.ts";
import { labelledLeaves, type Value } from "../graph/value.ts";
import type { OptionValue } from "./optimizer.ts";
import { createOptimizer } from "./registry.ts";
import { GROWTH_LIMIT, type Steppable } from "./run.ts";
import type { Divergence } from "./trace.ts";

/** A loss over parameters, compiled once, with the start the sweep resets to before each run. */
export interface SweepProblem {
  /** The compiled loss. */
  readonly graph: CompiledGraph;
  /** The parameters the optimizer moves. */
  readonly params: readonly Value[];
  /** Their values at the start of every run. */
  readonly start: readonly number[];
  /** The loss at the start. */
  readonly initialLoss: number;
}

/**
 * Prepares a problem: compiles `loss` and remembers where `params` (by default the graph's
 * labelled leaves) are now, as every run's start.
 */
export function sweepProblem(loss: Value, params?: readonly Value[]): SweepProblem {
  const graph = compile(loss);
  const ps = [...(params ?? labelledLeaves(loss))];
  if (ps.length === 0) throw new RangeError("sweepProblem: the loss has no parameters to move");
  const initialLoss = graph.forward();
  if (!Number.isFinite(initialLoss)) {
    throw new RangeError(`sweepProblem: the loss is ${initialLoss} at the start`);
  }
  return { graph, params: ps, start: ps.map((p) => p.data), initialLoss };
}

/**
 * Log-spaced rates from `low` to `high`, `perDecade` to a factor of 10: 10^(k/perDecade) for
 * every whole k in between, so `logRates(1e-3, 1, 2)` is 0.001, 0.00316…, 0.01, …, 1.
 *
 * @example
 * ```ts
 * import { logRates } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(logRates(0.01, 1, 1), [0.01, 0.1, 1]);
 * assert.equal(logRates(1e-4, 1, 4).length, 17);
 * ```
 */
export function logRates(low: number, high: number, perDecade: number): number[] {
  if (!(low > 0 && high >= low && Number.isFinite(high))) {
    throw new RangeError(`logRates: need 0 < low ≤ high, got ${low} and ${high}`);
  }
  if (!(Number.isInteger(perDecade) && perDecade > 0)) {
    throw new RangeError(`logRates: perDecade must be a whole number > 0, got ${perDecade}`);
  }
  const from = Math.ceil(Math.log10(low) * perDecade - 1e-9);
  const to = Math.floor(Math.log10(high) * perDecade + 1e-9);
  const rates: number[] = [];
  for (let k = from; k <= to; k++) rates.push(10 ** (k / perDecade));
  return rates;
}

/** How each run of a sweep goes. */
export interface SweepOptions {
  /** The optimizer's other options (the rest are PyTorch's defaults); `lr` is the sweep's. */
  options?: Record<string, OptionValue>;
  /** Steps per run. */
  steps: number;
  /** A run has arrived when the loss after a step is below this and stays below it. */
  tolerance: number;
  /** A run diverges when its loss grows past its start by more than this factor times
   * max(1, |start|), as {@linkcode runOptimizer} decides (default 1e6). */
  growthLimit?: number;
  /** A scheduler for each run, created after its optimizer and stepped after each step. */
  scheduler?: (optimizer: Steppable) => { step(): void };
  /** Keep the loss after every step (`losses`); off by default. */
  record?: boolean;
  /** Called after each run, with the runs done and the runs in all. */
  onRun?: (done: number, total: number) => void;
}

/** One run of a sweep. */
export interface SweepRun {
  /** Its learning rate (the scheduler's start, with a scheduler). */
  lr: number;
  /** The loss after the last step taken (for a diverged run, the value that stopped it). */
  finalLoss: number;
  /**
   * The step from which on the loss stayed below the tolerance to the end of the run (a run that
   * only passes through the tolerance, as momentum can, has not arrived); undefined if none.
   */
  stepsToTolerance: number | undefined;
  /** Why and when the run was stopped, as {@linkcode runOptimizer} says; undefined if not. */
  divergence: Divergence | undefined;
  /** With `record`: the loss at the start, then after each step taken. */
  losses?: number[];
}

/** A sweep: every run, and the best. */
export interface Sweep {
  /** The optimizer, as the registry names it. */
  optimizer: string;
  /** Its other options. */
  options: Record<string, OptionValue>;
  /** Steps per run. */
  steps: number;
  /** The tolerance. */
  tolerance: number;
  /** One run per rate, in the order given. */
  runs: SweepRun[];
  /** The best run ({@linkcode bestRun}); undefined when every run diverged. */
  best: SweepRun | undefined;
}

/**
 * One run from the problem's start at `lr`: `steps` steps of the optimizer with the compiled
 * graph's gradients, stopped on divergence exactly where {@linkcode runOptimizer} would stop
 * (a non-finite gradient, parameter or loss, a loss past the growth bound, a step out of the
 * function's domain). The numbers are bit for bit those of `runOptimizer`.
 */
export function runAt(
  problem: SweepProblem,
  optimizer: string,
  lr: number,
  options: Omit<SweepOptions, "onRun">,
): SweepRun {
  const { graph, params, start } = problem;
  const { steps, tolerance } = options;
  if (!(Number.isInteger(steps) && steps >= 0)) {
    throw new RangeError(`steps must be a whole number ≥ 0, got ${steps}`);
  }
  params.forEach((p, i) => (p.data = start[i], p.grad = 0));
  const opt = createOptimizer(optimizer, [...params], { ...options.options, lr });
  const scheduler = options.scheduler?.(opt);
  const initial = graph.forward();
  const bound = (options.growthLimit ?? GROWTH_LIMIT) * Math.max(1, Math.abs(initial));
  const maximize = (opt.options as { maximize?: boolean }).maximize === true;
  const losses = options.record ? [initial] : undefined;
  let loss = initial;
  let settled: number | undefined;
  let divergence: Divergence | undefined;
  const stop = (step: number, kind: Divergence["kind"], message: string) =>
    divergence = { step, kind, message: `step ${step}: ${message}` };
  for (let t = 1; t <= steps; t++) {
    opt.zeroGrad();
    graph.backward();
    if (params.some((p) => !Number.isFinite(p.grad))) {
      stop(t, "non-finite-gradient", "a gradient is not finite");
      break;
    }
    opt.step({ trace: false });
    if (params.some((p) => !Number.isFinite(p.data))) {
      stop(t, "non-finite-parameter", "a parameter is not finite");
      break;
    }
    try {
      loss = graph.forward();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      stop(t, "domain", `the step left the function's domain: ${e.message}`);
      break;
    }
    losses?.push(loss);
    if (!Number.isFinite(loss)) {
      stop(t, "non-finite-loss", `the loss became ${loss}`);
      break;
    }
    if (maximize ? initial - loss > bound : loss - initial > bound) {
      stop(t, "loss-bound", `the loss went from ${initial} to ${loss}`);
      break;
    }
    if (loss >= tolerance) settled = undefined;
    else settled ??= t;
    scheduler?.step();
  }
  params.forEach((p, i) => (p.data = start[i], p.grad = 0));
  const stepsToTolerance = divergence === undefined ? settled : undefined;
  return { lr, finalLoss: loss, stepsToTolerance, divergence, ...(losses ? { losses } : {}) };
}

/**
 * The best of several runs: among those that did not diverge, the one that reached the
 * tolerance in the fewest steps (ties: the lower final loss); when none reached it, the one with
 * the lowest final loss. Undefined when every run diverged.
 */
export function bestRun(runs: readonly SweepRun[]): SweepRun | undefined {
  let best: SweepRun | undefined;
  const better = (a: SweepRun, b: SweepRun) => {
    const sa = a.stepsToTolerance ?? Infinity, sb = b.stepsToTolerance ?? Infinity;
    return sa !== sb ? sa < sb : a.finalLoss < b.finalLoss;
  };
  for (const r of runs) {
    if (r.divergence === undefined && Number.isFinite(r.finalLoss)) {
      if (best === undefined || better(r, best)) best = r;
    }
  }
  return best;
}

/**
 * Runs `optimizer` on the problem once per rate, each from the same start, and picks the best
 * run ({@linkcode bestRun}). The parameters are back at the start afterwards.
 *
 * @example
 * ```ts
 * import { logRates, sweep, sweepProblem, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const problem = sweepProblem(w.mul(w).mul(5)); // 5w², curvature h = 10: SGD diverges past 2/h
 * const s = sweep(problem, "SGD", logRates(0.01, 1, 10), { steps: 50, tolerance: 1e-12 });
 * assert.equal(s.best?.lr, 0.1); // α = 1/h lands on the minimum in one step
 * assert.equal(s.best?.stepsToTolerance, 1);
 * assert.ok(s.runs.every((r) => (r.divergence !== undefined) === (r.lr > 0.2 + 1e-9)));
 * ```
 */
export function sweep(
  problem: SweepProblem,
  optimizer: string,
  rates: readonly number[],
  options: SweepOptions,
): Sweep {
  const runs: SweepRun[] = [];
  for (const lr of rates) {
    runs.push(runAt(problem, optimizer, lr, options));
    options.onRun?.(runs.length, rates.length);
  }
  return {
    optimizer: createOptimizer(optimizer, [...problem.params], { ...options.options }).name,
    options: { ...options.options },
    steps: options.steps,
    tolerance: options.tolerance,
    runs,
    best: bestRun(runs),
  };
}

/** Which final losses {@linkcode rateBand} counts as good. */
export type BandRule =
  /** Within this factor of the lowest final loss. */
  | { factor: number }
  /** Below this loss (a sweep's tolerance, say). */
  | { below: number };

/**
 * How forgiving an optimizer is of its learning rate: the unbroken band of neighbouring rates
 * around the run with the lowest final loss whose final losses are good by `rule` (by default
 * within 10× of the lowest; no diverged run inside), its ends and its width in decades,
 * log₁₀(high/low). Undefined when every run diverged or, with `below`, when no run is below.
 *
 * @example
 * ```ts
 * import { rateBand, type SweepRun } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const run = (lr: number, finalLoss: number): SweepRun =>
 *   ({ lr, finalLoss, stepsToTolerance: undefined, divergence: undefined });
 * const runs = [run(0.001, 50), run(0.01, 4), run(0.1, 1), run(1, 80), run(10, 2)];
 * assert.deepEqual(rateBand(runs), { low: 0.01, high: 0.1, decades: 1, count: 2 });
 * assert.deepEqual(rateBand(runs, { below: 2 }), { low: 0.1, high: 0.1, decades: 0, count: 1 });
 * ```
 */
export function rateBand(
  runs: readonly SweepRun[],
  rule: BandRule = { factor: 10 },
): { low: number; high: number; decades: number; count: number } | undefined {
  const ok = (r: SweepRun) => r.divergence === undefined && Number.isFinite(r.finalLoss);
  const order = [...runs].sort((a, b) => a.lr - b.lr);
  let at = -1;
  order.forEach((r, i) => {
    if (ok(r) && (at < 0 || r.finalLoss < order[at].finalLoss)) at = i;
  });
  if (at < 0) return undefined;
  const good = "below" in rule
    ? (r: SweepRun) => ok(r) && r.finalLoss < rule.below
    : (r: SweepRun) => ok(r) && r.finalLoss <= rule.factor * order[at].finalLoss;
  if (!good(order[at])) return undefined;
  let lo = at, hi = at;
  while (lo > 0 && good(order[lo - 1])) lo--;
  while (hi < order.length - 1 && good(order[hi + 1])) hi++;
  const low = order[lo].lr, high = order[hi].lr;
  return { low, high, decades: Math.log10(high / low), count: hi - lo + 1 };
}
