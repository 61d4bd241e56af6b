/**
 * Optimizer traces as JSON: `{"optimizer", "options", "start", "steps": [{"step", "lr", "loss",
 * "lossAfter", "params", "grads", "equations"}], "divergence"}`. `params` are the values after
 * the step, `grads` the gradients the step used, `loss` the loss where the step started.
 * Non-finite numbers, which JSON cannot hold, are written as the strings "Infinity",
 * "-Infinity" and "NaN".
 *
 * @module
 */
import { formatNumber } from "../text/format.ts";
import { type Equation, traceHeader, type TraceInput, traceSteps } from "../optim/trace.ts";

/** A number, or its name when JSON cannot hold it. */
export type JsonNumber = number | "Infinity" | "-Infinity" | "NaN";

function num(x: number): JsonNumber {
  return Number.isFinite(x) ? x : (String(x) as JsonNumber);
}

function byLabel(entries: [string, number][]): Record<string, JsonNumber> {
  const out: Record<string, JsonNumber> = {};
  for (const [k, v] of entries) out[k] = num(v);
  return out;
}

function equationJson(e: Equation) {
  return {
    lhs: e.lhs.text,
    op: e.op,
    ...(e.rule ? { rule: e.rule.text, ruleTex: e.rule.tex } : {}),
    ...(e.substituted ? { substituted: e.substituted.text } : {}),
    result: num(e.result),
    shown: formatNumber(e.result, { digits: e.digits }),
    ...(e.note ? { note: e.note.text } : {}),
  };
}

/** Options for {@linkcode traceToJson}. */
export interface TraceJsonOptions {
  /** Include each step's equations (default true). */
  equations?: boolean;
  /** Indentation (default 2; 0 for one line). */
  indent?: number;
}

/**
 * Renders a trace as JSON text.
 *
 * @example
 * ```ts
 * import { SGD, traceToJson, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const json = JSON.parse(traceToJson(new SGD([w], { lr: 0.1 }).step()));
 * assert.equal(json.steps[0].params.w, 0.477);
 * assert.equal(json.steps[0].grads.w, 0.23);
 * ```
 */
export function traceToJson(input: TraceInput, options: TraceJsonOptions = {}): string {
  const { steps, run } = traceSteps(input);
  const withEquations = options.equations ?? true;
  const first = traceHeader(input);
  const doc = {
    optimizer: run?.optimizer ?? first?.optimizer,
    ...(first ? { options: first.options } : {}),
    ...(run
      ? {
        start: { loss: num(run.initialLoss), params: byLabel(Object.entries(run.initialParams)) },
      }
      : {}),
    steps: steps.map((s) => ({
      step: s.step,
      lr: s.lr,
      ...(s.loss !== undefined ? { loss: num(s.loss) } : {}),
      ...(s.lossAfter !== undefined ? { lossAfter: num(s.lossAfter) } : {}),
      params: byLabel(s.params.map((p) => [p.label, p.after])),
      grads: byLabel(s.params.map((p) => [p.label, p.grad])),
      ...(withEquations
        ? {
          shared: s.shared.map(equationJson),
          equations: Object.fromEntries(
            s.params.map((p) => [p.label, p.equations.map(equationJson)]),
          ),
        }
        : {}),
      ...(s.divergence ? { divergence: s.divergence } : {}),
    })),
    ...(run?.divergence ? { divergence: run.divergence } : {}),
  };
  return JSON.stringify(doc, null, options.indent ?? 2) + "\n";
}
