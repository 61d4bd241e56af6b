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
  return head + await traceToHtml(trace);
}

/** The trace as Markdown under its title, or `undefined` when it is not a trace. */
export async function traceMarkdown(trace: unknown, title?: string): Promise<string | undefined> {
  if (!isTraceInput(trace)) return undefined;
  const [{ traceToMarkdown }, { escapeMarkdown }, { expandMacros }] = await Promise.all([
    import("../render/trace_markdown.ts"),
    import("./markdown.ts"),
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
