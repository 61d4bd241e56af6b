/**
 * Running an optimizer on a loss graph, step by step, with divergence detection: a run that
 * blows up stops and says at which step and why, instead of printing NaN.
 *
 * @module
 */
import { recompute, topoSort, type Value } from "../graph/value.ts";
import { formatNumber } from "../text/format.ts";
import type { Divergence, OptimizationRun, StepTrace } from "./trace.ts";
import { withDisplay } from "../graph/display.ts";

/** What {@linkcode runOptimizer} drives: an optimizer from this folder. */
export interface Steppable {
  /** Its name. */
  readonly name: string;
  /** Its parameters. */
  readonly params: readonly Value[];
  /** Their labels. */
  readonly labels: readonly string[];
  /** Its options (only `maximize` is read). */
  readonly options: object;
  /** The lr of the next step. */
  lr: number;
  /** One step. */
  step(options?: { trace?: boolean }): StepTrace;
  /** Zeroes the parameters' gradients. */
  zeroGrad(): void;
}

/** Options for {@linkcode runOptimizer}. */
export interface RunOptions {
  /** Number of steps (a whole number ≥ 0). */
  steps: number;
  /** A scheduler, stepped after each optimizer step (as in PyTorch). */
  scheduler?: { step(): void };
  /** Build the equations of every step (default true). */
  trace?: boolean;
  /**
   * Stop when the loss grows past its start by more than this factor times max(1, |start|)
   * (default 1e6).
   */
  growthLimit?: number;
  /** Called after each step (for progress). */
  onStep?: (trace: StepTrace) => void;
}

/** The default factor past which a growing loss counts as diverging. */
export const GROWTH_LIMIT = 1e6;

function advice(lr: number): string {
  return `the learning rate α = ${
    formatNumber(lr)
  } is likely too large for the curvature here; try a smaller lr`;
}

/**
 * Runs `steps` optimizer steps on `loss` (a graph whose labelled leaves include the optimizer's
 * parameters): each step recomputes the loss at the current parameters, backpropagates, steps,
 * and checks the result. Stops early, with `divergence` set (on the run and on the step), when
 * the loss or a parameter turns non-finite, the loss grows past the bound, or a step leaves the
 * function's domain.
 *
 * @example
 * ```ts
 * import { runOptimizer, SGD, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const loss = w.mul(w); // w², curvature 2: lr above 1 diverges
 * const ok = runOptimizer(loss, new SGD([w], { lr: 0.1 }), { steps: 3 });
 * assert.equal(ok.steps.length, 3);
 * assert.equal(ok.divergence, undefined);
 * w.data = 1;
 * const bad = runOptimizer(loss, new SGD([w], { lr: 5 }), { steps: 100 });
 * assert.equal(bad.divergence?.kind, "loss-bound");
 * assert.match(bad.divergence!.message, /^step 4: /);
 * ```
 */
export function runOptimizer(
  loss: Value,
  optimizer: Steppable,
  options: RunOptions,
): OptimizationRun {
  const { steps } = options;
  if (typeof steps !== "number" || !Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`steps must be a whole number ≥ 0, got ${steps}`);
  }
  const limit = options.growthLimit ?? GROWTH_LIMIT;
  const maximize = (optimizer.options as { maximize?: boolean }).maximize === true;
  const order = topoSort(loss);
  const params = optimizer.params;
  const labels = optimizer.labels;
  const initialLoss = recompute(order);
  const initialParams: Record<string, number> = {};
  params.forEach((p, i) => initialParams[labels[i]] = p.data);
  if (!Number.isFinite(initialLoss)) {
    throw new RangeError(
      `the loss is ${formatNumber(initialLoss)} at the start point; nothing to optimize`,
    );
  }
  const bound = limit * Math.max(1, Math.abs(initialLoss));
  const hyper: Record<string, number | boolean | number[]> = {};
  for (const [k, v] of Object.entries(optimizer.options)) {
    hyper[k] = Array.isArray(v) ? [...v] : v;
  }
  hyper.lr = optimizer.lr;
  const run: OptimizationRun = withDisplay(
    { optimizer: optimizer.name, options: hyper, initialLoss, initialParams, steps: [] },
    "run", // in a notebook: the loss curve (lib/jupyter/display.ts)
    (r: OptimizationRun) => `${r.optimizer} run: ${r.steps.length} steps`,
  );
  let current = initialLoss;
  const stop = (trace: StepTrace | undefined, d: Divergence) => {
    if (trace) trace.divergence = d;
    run.divergence = d;
  };
  for (let t = 1; t <= steps; t++) {
    optimizer.zeroGrad();
    loss.backward();
    const bad = params.findIndex((p) => !Number.isFinite(p.grad));
    if (bad >= 0) {
      stop(undefined, {
        step: t,
        kind: "non-finite-gradient",
        message: `step ${t}: the gradient ∂L/∂${labels[bad]} is ${
          formatNumber(params[bad].grad)
        } at ${labels[bad]} = ${
          formatNumber(params[bad].data)
        }; the loss has no usable slope there`,
      });
      break;
    }
    const lr = optimizer.lr;
    const trace = optimizer.step({ trace: options.trace ?? true });
    trace.loss = current;
    run.steps.push(trace);
    const away = params.findIndex((p) => !Number.isFinite(p.data));
    if (away >= 0) {
      stop(trace, {
        step: t,
        kind: "non-finite-parameter",
        message: `step ${t}: ${labels[away]} became ${formatNumber(params[away].data)}; ${
          advice(lr)
        }`,
      });
      options.onStep?.(trace);
      break;
    }
    let after: number;
    try {
      after = recompute(order);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      const where = params.map((p, i) => `${labels[i]} = ${formatNumber(p.data)}`).join(", ");
      stop(trace, {
        step: t,
        kind: "domain",
        message: `step ${t} left the function's domain (${where}): ${e.message}; ${advice(lr)}`,
      });
      options.onStep?.(trace);
      break;
    }
    trace.lossAfter = after;
    current = after;
    if (!Number.isFinite(after)) {
      stop(trace, {
        step: t,
        kind: "non-finite-loss",
        message: `step ${t}: the loss became ${formatNumber(after)}; ${advice(lr)}`,
      });
    } else if (maximize ? initialLoss - after > bound : after - initialLoss > bound) {
      stop(trace, {
        step: t,
        kind: "loss-bound",
        message: `step ${t}: the loss ${maximize ? "fell" : "grew"} from ${
          formatNumber(initialLoss)
        } to ${formatNumber(after)} (more than ${formatNumber(limit)} times its start); ${
          advice(lr)
        }`,
      });
    }
    options.onStep?.(trace);
    if (run.divergence) break;
    options.scheduler?.step();
  }
  return run;
}
