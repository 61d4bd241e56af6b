/**
 * Trace blocks in handouts are drawn by lib/render's trace renderers (traceToHtml,
 * traceToMarkdown, traceToLatex), so a handout shows a step exactly as the `optimize` command
 * does. Data that is not a trace falls back to the generic rendering (lib/handout/trace_blocks.ts).
 *
 * @module
 */
import type { TraceInput } from "../optim/trace.ts";
import { isRun, isStepTrace } from "./trace_blocks.ts";

/** Whether the trace renderers can take this block's data. */
export function isTraceInput(trace: unknown): trace is TraceInput {
  return isStepTrace(trace) || isRun(trace) ||
    (Array.isArray(trace) && trace.length > 0 && trace.every(isStepTrace));
}

/** The trace as an HTML fragment under its title, or `undefined` when it is not a trace. */
export async function traceHtml(trace: unknown, title?: string): Promise<string | undefined> {
  if (!isTraceInput(trace)) return undefined;
  const [{ traceToHtml }, { escapeHtml }] = await Promise.all([
    import("../render/trace_html.ts"),
    import("../render/katex.ts"),
  ]);
  const head = title ? `<h3>${escapeHtml(title)}</h3>\n` : "";
  return keepHeadWithFirstStep(await traceToHtml(trace), head);
}

/**
 * Puts the title, the optimizer's options and its first step in one block that print does not
 * split, so a page never ends on a trace's heading.
 *
 * @example
 * ```ts
 * import { keepHeadWithFirstStep } from "./traces.ts";
 * import assert from "node:assert/strict";
 * const html = '<section class="stepgrad-trace">\n<p>SGD</p>\n<section class="stepgrad-step">1</section>\n' +
 *   '<section class="stepgrad-step">2</section>\n</section>\n';
 * assert.equal(
 *   keepHeadWithFirstStep(html, "<h3>t</h3>\n"),
 *   '<section class="stepgrad-trace"><div class="stepgrad-keep"><h3>t</h3>\n\n<p>SGD</p>\n' +
 *     '<section class="stepgrad-step">1</section></div>\n<section class="stepgrad-step">2</section>\n</section>\n',
 * );
 * ```
 */
export function keepHeadWithFirstStep(html: string, head: string): string {
  const open = '<section class="stepgrad-trace">';
  const step = html.indexOf('<section class="stepgrad-step"');
  const end = step < 0 ? -1 : html.indexOf("</section>", step);
  if (!html.startsWith(open) || end < 0) return head + html;
  const close = end + "</section>".length;
  return `${open}<div class="stepgrad-keep">${head}${html.slice(open.length, close)}</div>${
    html.slice(close)
  }`;
}

/** The trace as Markdown under its title, or `undefined` when it is not a trace. */
export async function traceMarkdown(trace: unknown, title?: string): Promise<string | undefined> {
  if (!isTraceInput(trace)) return undefined;
  const [{ traceToMarkdown }, { escapeMarkdown }, { expandMacros }] = await Promise.all([
    import("../render/trace_markdown.ts"),
    import("../text/escape.ts"),
    import("./markdown.ts"),
  ]);
  const head = title ? `### ${escapeMarkdown(title)}\n\n` : "";
  return head + expandMacros(traceToMarkdown(trace));
}

/** The trace as LaTeX under its title, or `undefined` when it is not a trace. */
export async function traceLatex(trace: unknown, title?: string): Promise<string | undefined> {
  if (!isTraceInput(trace)) return undefined;
  const [{ traceToLatex }, { escapeTex }] = await Promise.all([
    import("../render/trace_latex.ts"),
    import("../render/katex.ts"),
  ]);
  const head = title ? `\\subsection*{${escapeTex(title)}}\n` : "";
  return head + traceToLatex(trace);
}
