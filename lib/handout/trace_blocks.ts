/**
 * An optimizer trace spelled out in plain blocks (headings, display math, tables, notes), so
 * every handout format can show a trace with the renderers it already has. Used when the trace
 * renderers of lib/render are not at hand, and for shapes they do not take.
 *
 * @module
 */
import type { Block } from "../doc/doc.ts";
import { formatNumberLatex } from "../text/format.ts";
import type { Equation, OptimizationRun, StepTrace } from "../optim/trace.ts";

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A StepTrace, as far as a renderer needs one. */
export function isStepTrace(x: unknown): x is StepTrace {
  return isObject(x) && typeof x.optimizer === "string" && typeof x.step === "number" &&
    Array.isArray(x.params);
}

/** An OptimizationRun, as far as a renderer needs one. */
export function isRun(x: unknown): x is OptimizationRun {
  return isObject(x) && typeof x.optimizer === "string" && Array.isArray(x.steps) &&
    x.steps.every(isStepTrace);
}

function equationTex(e: Equation): string {
  const op = e.op === "←" ? "\\leftarrow" : "=";
  const parts = [e.rule?.tex, e.substituted?.tex].filter((t): t is string => !!t);
  const value = formatNumberLatex(e.result, { digits: e.digits });
  return [`${e.lhs.tex} &${op} ${parts.join(" = ")}`.trimEnd(), value].join(
    parts.length ? " = " : " ",
  );
}

function equationText(e: Equation): string {
  const parts = [e.rule?.text, e.substituted?.text].filter((t): t is string => !!t);
  return `${e.lhs.text} ${e.op} ${[...parts, String(e.result)].join(" = ")}`;
}

function stepBlocks(step: StepTrace): Block[] {
  const blocks: Block[] = [{
    kind: "heading",
    title: `${step.optimizer}, step ${step.step}`,
  }];
  const lines = [...step.shared, ...step.params.flatMap((p) => p.equations)];
  if (lines.length > 0) {
    blocks.push({
      kind: "math",
      lines: lines.map((e) => ({ tex: equationTex(e), text: equationText(e) })),
    });
  }
  blocks.push({
    kind: "table",
    columns: [
      { header: "parameter", align: "left" },
      { header: "before" },
      { header: "gradient" },
      { header: "after" },
    ],
    rows: step.params.map((p) => [p.label, p.before, p.grad, p.after]),
  });
  if (step.divergence) {
    blocks.push({ kind: "note", tone: "warning", content: [step.divergence.message] });
  }
  return blocks;
}

function runBlocks(run: OptimizationRun): Block[] {
  const labels = Object.keys(run.initialParams);
  const blocks: Block[] = [{
    kind: "table",
    columns: ["step", "loss", ...labels].map((header) => ({ header })),
    rows: [
      [0, run.initialLoss, ...labels.map((l) => run.initialParams[l])],
      ...run.steps.map((s) => [
        s.step,
        s.lossAfter ?? NaN,
        ...labels.map((l) => s.params.find((p) => p.label === l)?.after ?? NaN),
      ]),
    ],
    caption: `${run.optimizer}: the loss and the parameters after each step`,
  }];
  if (run.divergence) {
    blocks.push({ kind: "note", tone: "warning", content: [run.divergence.message] });
  }
  return blocks;
}

/**
 * The blocks that show a trace: one heading, equations and a table per step for a
 * `StepTrace` (or a list of them), a step-by-step table for an `OptimizationRun`, and the
 * data itself as JSON for anything else.
 *
 * @example
 * ```ts
 * import { traceBlocks } from "./trace_blocks.ts";
 * import assert from "node:assert/strict";
 * const blocks = traceBlocks({
 *   optimizer: "SGD", step: 1, lr: 0.1, options: {}, shared: [],
 *   params: [{ label: "w", before: 0.5, grad: -10, after: 1.5, equations: [] }],
 * });
 * assert.deepEqual(blocks.map((b) => b.kind), ["heading", "table"]);
 * assert.deepEqual(traceBlocks(42).map((b) => b.kind), ["code"]);
 * ```
 */
export function traceBlocks(trace: unknown, title?: string): Block[] {
  const head: Block[] = title ? [{ kind: "heading", title }] : [];
  if (isStepTrace(trace)) return [...head, ...stepBlocks(trace)];
  if (Array.isArray(trace) && trace.length > 0 && trace.every(isStepTrace)) {
    return [...head, ...trace.flatMap(stepBlocks)];
  }
  if (isRun(trace)) return [...head, ...runBlocks(trace)];
  return [...head, { kind: "code", text: JSON.stringify(trace, null, 2) ?? String(trace) }];
}
