/**
 * Optimizer traces as Markdown: headings and text, with the formulas in `$$` display blocks
 * (GitHub and Jupyter render them with MathJax/KaTeX).
 *
 * @module
 */
import { formatNumber } from "../text/format.ts";
import { escapeMarkdown } from "../text/escape.ts";
import { stepFormulas } from "./trace_latex.ts";
import { describeOptions } from "./options.ts";
import { traceHeader, type TraceInput, traceSteps } from "../optim/trace.ts";

/**
 * Renders a trace as Markdown.
 *
 * @example
 * ```ts
 * import { SGD, traceToMarkdown, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const md = traceToMarkdown(new SGD([w], { lr: 0.1 }).step());
 * assert.match(md, /### Step 1/);
 * assert.match(md, /\$\$\n\\begin\{aligned\}/);
 * ```
 */
export function traceToMarkdown(input: TraceInput): string {
  const { steps, run } = traceSteps(input);
  const out: string[] = [];
  const first = traceHeader(input);
  if (first) {
    const opts = describeOptions(first.options, first.optimizer).map((o) => escapeMarkdown(o.text))
      .join(" · ");
    out.push(`**${escapeMarkdown(first.optimizer)}**: ${opts}`, "");
  }
  if (run) {
    const start = Object.entries(run.initialParams)
      .map(([k, v]) => `${escapeMarkdown(k)} = ${formatNumber(v)}`).join(", ");
    out.push(`Start: ${start}; loss = ${formatNumber(run.initialLoss)}`, "");
  }
  for (const s of steps) {
    const loss = s.loss !== undefined ? ` · loss = ${formatNumber(s.loss)}` : "";
    out.push(`### Step ${s.step}`, "", `α = ${formatNumber(s.lr)}${loss}`, "");
    for (const g of stepFormulas(s)) {
      if (g.label !== undefined) out.push(`**${escapeMarkdown(g.label)}**`, "");
      out.push("$$", g.tex, "$$", "");
    }
    if (s.lossAfter !== undefined) {
      out.push(`Loss after the step: ${formatNumber(s.lossAfter)}`, "");
    }
  }
  const d = run?.divergence ?? steps.at(-1)?.divergence;
  if (d) out.push(`> **Stopped.** ${escapeMarkdown(d.message)}`, "");
  return out.join("\n");
}
