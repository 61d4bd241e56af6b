/**
 * Optimizer traces as HTML fragments: text escaped, formulas typeset by KaTeX (strict mode,
 * `throwOnError`, `trust: false`, bounded `maxExpand` and `maxSize`; see katex.ts). KaTeX is
 * loaded on first use, so importing this module stays cheap.
 *
 * @module
 */
import { escapeHtml } from "../text/escape.ts";
import { formatNumber } from "../text/format.ts";
import { stepFormulas } from "./trace_latex.ts";
import { describeOptions } from "./options.ts";
import { traceHeader, type TraceInput, traceSteps } from "../optim/trace.ts";

/**
 * Renders a trace as an HTML fragment (`<section class="stepgrad-trace">…`); the page needs
 * KaTeX's CSS (the handout inlines it).
 *
 * @example
 * ```ts
 * import { SGD, traceToHtml, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const html = await traceToHtml(new SGD([w], { lr: 0.1 }).step());
 * assert.match(html, /^<section class="stepgrad-trace">/);
 * assert.match(html, /class="katex-display"/);
 * ```
 */
export async function traceToHtml(input: TraceInput): Promise<string> {
  const { renderTex } = await import("./katex.ts");
  const { steps, run } = traceSteps(input);
  const out: string[] = ['<section class="stepgrad-trace">'];
  const first = traceHeader(input);
  if (first) {
    const opts = describeOptions(first.options, first.optimizer).map((o) => escapeHtml(o.text))
      .join(" · ");
    out.push(
      `<p class="stepgrad-options"><strong>${escapeHtml(first.optimizer)}</strong>: ${opts}</p>`,
    );
  }
  if (run) {
    const start = Object.entries(run.initialParams)
      .map(([k, v]) => `${escapeHtml(k)} = ${escapeHtml(formatNumber(v))}`).join(", ");
    out.push(
      `<p class="stepgrad-start">Start: ${start}; loss = ${
        escapeHtml(formatNumber(run.initialLoss))
      }</p>`,
    );
  }
  for (const s of steps) {
    out.push(`<section class="stepgrad-step" data-step="${s.step}">`);
    const loss = s.loss !== undefined ? ` · loss = ${escapeHtml(formatNumber(s.loss))}` : "";
    out.push(`<h3>Step ${s.step}</h3>`, `<p>α = ${escapeHtml(formatNumber(s.lr))}${loss}</p>`);
    for (const g of stepFormulas(s)) {
      const label = g.label === undefined ? "" : ` data-param="${escapeHtml(g.label)}"`;
      // The label column is there for the shared equations too (empty), so every group of a
      // step starts at the same place.
      const head = `<p class="stepgrad-param">${
        g.label === undefined ? "" : escapeHtml(g.label)
      }</p>`;
      out.push(
        `<div class="stepgrad-equations"${label}>${head}${
          renderTex(g.tex, { displayMode: true })
        }</div>`,
      );
    }
    if (s.lossAfter !== undefined) {
      out.push(`<p>Loss after the step: ${escapeHtml(formatNumber(s.lossAfter))}</p>`);
    }
    out.push("</section>");
  }
  const d = run?.divergence ?? steps.at(-1)?.divergence;
  if (d) {
    out.push(
      `<p class="stepgrad-divergence" role="alert"><strong>Stopped.</strong> ${
        escapeHtml(d.message)
      }</p>`,
    );
  }
  out.push("</section>");
  return out.join("\n") + "\n";
}
