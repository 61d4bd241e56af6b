/**
 * Optimizer traces as plain text for terminals: Unicode (← − · √ α β), one block per step,
 * columns aligned, e.g. `w ← w − α·∂L/∂w = 0.5 − 0.1 · 0.23 = 0.477`.
 *
 * @module
 */
import { formatNumber } from "./format.ts";
import { describeOptions } from "../optim/notation.ts";
import {
  type Equation,
  type StepTrace,
  traceHeader,
  type TraceInput,
  traceSteps,
} from "../optim/trace.ts";

/** Rules or substitutions longer than this are not used to pad the others. */
const MAX_PAD = 44;

/** The width of text on a terminal: code points, not counting combining marks (`v̂` is one). */
export function textWidth(s: string): number {
  let n = 0;
  for (const _ of s.replace(MARKS, "")) n++;
  return n;
}

const MARKS = /\p{M}/gu;

function pad(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - textWidth(s)));
}

function columnWidth(cells: (string | undefined)[]): number {
  const fitting = cells.filter((c): c is string => c !== undefined && textWidth(c) <= MAX_PAD);
  return Math.max(0, ...fitting.map(textWidth));
}

/** Formats one equation's result with its digits. */
export function resultText(e: Equation): string {
  return formatNumber(e.result, { digits: e.digits });
}

/**
 * Lines of equations with their columns aligned: the names, the rules, the substitutions.
 *
 * @example
 * ```ts
 * import { alignEquations, SGD, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const [p] = new SGD([w], { lr: 0.1 }).step().params;
 * assert.deepEqual(alignEquations(p.equations), [
 *   "∂L/∂w = 0.23",
 *   "w     ← w − α·∂L/∂w = 0.5 − 0.1 · 0.23 = 0.477",
 * ]);
 * ```
 */
export function alignEquations(equations: readonly Equation[]): string[] {
  const lhsW = Math.max(0, ...equations.map((e) => textWidth(e.lhs.text)));
  const ruleW = columnWidth(equations.map((e) => e.rule?.text));
  const subW = columnWidth(equations.map((e) => e.substituted?.text));
  const lines: string[] = [];
  for (const e of equations) {
    const head = `${pad(e.lhs.text, lhsW)} ${e.op} `;
    if (!e.rule || !e.substituted) {
      lines.push(`${head}${resultText(e)}`);
    } else {
      lines.push(
        `${head}${pad(e.rule.text, ruleW)} = ${pad(e.substituted.text, subW)} = ${resultText(e)}`,
      );
    }
    if (e.note) lines.push(`${" ".repeat(lhsW + 3)}(${e.note.text})`);
  }
  return lines.map((l) => l.trimEnd());
}

function stepText(s: StepTrace): string[] {
  const head = [`step ${s.step}`, `α = ${formatNumber(s.lr)}`];
  if (s.loss !== undefined) head.push(`loss = ${formatNumber(s.loss)}`);
  const out = [head.join("   ")];
  // One alignment for the whole step, so the columns line up across parameters.
  const all = [...s.shared, ...s.params.flatMap((p) => p.equations)];
  const aligned = alignEquations(all);
  let i = 0;
  // Notes take a line of their own: walk the equations and their notes together.
  const take = (eqs: readonly Equation[], indent: string) => {
    for (const e of eqs) {
      out.push(indent + aligned[i++]);
      if (e.note) out.push(indent + aligned[i++]);
    }
  };
  take(s.shared, "  ");
  for (const p of s.params) {
    if (p.equations.length === 0) {
      out.push(
        `  ${p.label} ← ${formatNumber(p.after)}   (∂L/∂${p.label} = ${formatNumber(p.grad)})`,
      );
      continue;
    }
    out.push(`  ${p.label}:`);
    take(p.equations, "    ");
  }
  if (s.lossAfter !== undefined) out.push(`  loss after the step = ${formatNumber(s.lossAfter)}`);
  if (s.divergence) out.push(`  stopped: ${s.divergence.message}`);
  return out;
}

/**
 * Renders a trace (one step, several, or a whole run) as plain text.
 *
 * @example
 * ```ts
 * import { SGD, traceToText, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const text = traceToText(new SGD([w], { lr: 0.1 }).step());
 * assert.match(text, /w +← w − α·∂L\/∂w = 0\.5 − 0\.1 · 0\.23 = 0\.477/);
 * ```
 */
export function traceToText(input: TraceInput): string {
  const { steps, run } = traceSteps(input);
  const out: string[] = [];
  const first = traceHeader(input);
  if (first) {
    out.push(
      `${first.optimizer}: ${describeOptions(first.options).map((o) => o.text).join(" · ")}`,
    );
  }
  if (run) {
    const start = Object.entries(run.initialParams).map(([k, v]) => `${k} = ${formatNumber(v)}`);
    out.push(`start: ${start.join(", ")}, loss = ${formatNumber(run.initialLoss)}`);
  }
  for (const s of steps) out.push("", ...stepText(s));
  if (run) {
    out.push("");
    const last = steps.at(-1);
    if (last) {
      const end = last.params.map((p) => `${p.label} = ${formatNumber(p.after)}`);
      const loss = last.lossAfter !== undefined ? `, loss = ${formatNumber(last.lossAfter)}` : "";
      out.push(
        `after ${steps.length} step${steps.length === 1 ? "" : "s"}: ${end.join(", ")}${loss}`,
      );
    }
    if (run.divergence) out.push(`diverged: ${run.divergence.message}`);
  }
  return out.join("\n") + "\n";
}
