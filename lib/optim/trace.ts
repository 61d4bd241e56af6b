/**
 * The step trace: what one optimizer step did, as plain data (no `Value` inside), so renderers,
 * handouts and JSON never reach back into the engine.
 *
 * @module
 */

/** A formula in two spellings: LaTeX (KaTeX strict mode accepts it) and Unicode text. */
export interface TraceFormula {
  /** LaTeX. */
  tex: string;
  /** The same in plain Unicode text (← − · √ α β ∂). */
  text: string;
}

/**
 * One line of a step: `lhs op rule = substituted = result`, e.g.
 * `mₜ = β₁·mₜ₋₁ + (1 − β₁)·gₜ = 0.9 · 0 + (1 − 0.9) · 2 = 0.2`.
 */
export interface Equation {
  /** What the line is about. */
  role: "gradient" | "decay" | "state" | "update";
  /** The quantity computed (`m_t`, the parameter's name, …). */
  lhs: TraceFormula;
  /** `=` defines a quantity; `←` overwrites the parameter. */
  op: "=" | "←";
  /** The rule with symbols (`β₁·mₜ₋₁ + (1 − β₁)·gₜ`); absent for a given value (the gradient). */
  rule?: TraceFormula;
  /** The rule with this step's numbers substituted; absent for a given value. */
  substituted?: TraceFormula;
  /** The value, exactly as the optimizer computed it (float64). */
  result: number;
  /** Significant digits to show `result` with (more than 6 when a tiny step needs them). */
  digits: number;
  /** A short remark (RAdam: "κₜ ≤ 5: no adaptive step yet"), in both spellings. */
  note?: TraceFormula;
}

/** What a step did to one parameter. */
export interface ParamStep {
  /** The parameter's label (or `p1`, `p2`, … when it had none). */
  label: string;
  /** The value before the step. */
  before: number;
  /** The gradient `.grad` the step read (before maximize or weight decay). */
  grad: number;
  /** The value after the step. */
  after: number;
  /** The ordered equations of the optimizer for this parameter (empty when tracing is off). */
  equations: Equation[];
}

/** Why a run was stopped: the loss or a parameter ran away. */
export interface Divergence {
  /** The step whose update produced the problem. */
  step: number;
  /** What went wrong. */
  kind:
    | "non-finite-loss"
    | "non-finite-parameter"
    | "non-finite-gradient"
    | "loss-bound"
    | "domain";
  /** One or two sentences for people: what happened at which step and the likely reason. */
  message: string;
}

/** One optimizer step. */
export interface StepTrace {
  /** The optimizer's name (`"Adam"`). */
  optimizer: string;
  /** The step number t, 1 on the first step. */
  step: number;
  /** The learning rate this step used (after any scheduler). */
  lr: number;
  /** The hyperparameters in effect (PyTorch's names in camelCase). */
  options: Record<string, number | boolean | number[]>;
  /** Formulas shared by every parameter this step (bias corrections, NAdam's μ, RAdam's ρ). */
  shared: Equation[];
  /** One entry per parameter, in the optimizer's order. */
  params: ParamStep[];
  /** The loss where the step started (the loss whose gradient was used), when known. */
  loss?: number;
  /** The loss at the parameters after the step, when known. */
  lossAfter?: number;
  /** Set on the step that made the run diverge. */
  divergence?: Divergence;
}

/** A whole run: the steps taken, and why it stopped early if it did. */
export interface OptimizationRun {
  /** The optimizer's name. */
  optimizer: string;
  /** The hyperparameters at the start (the lr may change with a scheduler). */
  options?: Record<string, number | boolean | number[]>;
  /** The loss at the start. */
  initialLoss: number;
  /** The parameters at the start, by label. */
  initialParams: Record<string, number>;
  /** Every step taken. */
  steps: StepTrace[];
  /** Present when the run was stopped early. */
  divergence?: Divergence;
}

/** What the trace renderers accept: one step, a list of steps, or a whole run. */
export type TraceInput = StepTrace | readonly StepTrace[] | OptimizationRun;

/**
 * The steps (and the run, when there is one) of any {@linkcode TraceInput}; a `TypeError` for
 * anything else.
 *
 * @example
 * ```ts
 * import { SGD, traceSteps, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * w.grad = 2;
 * const trace = new SGD([w], { lr: 0.1 }).step();
 * assert.equal(traceSteps(trace).steps.length, 1);
 * ```
 */
export function traceSteps(
  input: TraceInput,
): { steps: readonly StepTrace[]; run?: OptimizationRun } {
  if (Array.isArray(input)) return { steps: input as readonly StepTrace[] };
  const x = input as Partial<OptimizationRun & StepTrace>;
  if (x && typeof x === "object" && Array.isArray(x.steps)) {
    return { steps: x.steps, run: input as OptimizationRun };
  }
  if (x && typeof x === "object" && Array.isArray(x.params) && typeof x.step === "number") {
    return { steps: [input as StepTrace] };
  }
  throw new TypeError("expected a step trace, a list of step traces or an optimization run");
}

/**
 * The optimizer and options a trace was made with: the run's (its start), else the first step's.
 *
 * @example
 * ```ts
 * import { runOptimizer, SGD, traceHeader, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const run = runOptimizer(w.mul(w), new SGD([w], { lr: 0.1 }), { steps: 0 });
 * assert.equal(traceHeader(run)?.options.lr, 0.1);
 * ```
 */
export function traceHeader(
  input: TraceInput,
): { optimizer: string; options: Record<string, number | boolean | number[]> } | undefined {
  const { steps, run } = traceSteps(input);
  if (run?.options) return { optimizer: run.optimizer, options: run.options };
  return steps[0];
}
