/**
 * A step trace as HTML that shows correctly on its own: `traceToHtml`'s typeset formulas with
 * KaTeX's stylesheet (fonts inlined) carried along, as a fragment for a notebook cell or a web
 * page, or as a whole document. No network, no scripts.
 *
 * @module
 */
import type { TraceInput } from "../optim/trace.ts";

/** Options for {@linkcode traceToStandaloneHtml}. */
export interface StandaloneHtmlOptions {
  /** A whole HTML document (`<!doctype html>…`) instead of a `<div>` to put in a page. */
  document?: boolean;
  /** The document's title (with `document: true`); default "stepgrad trace". */
  title?: string;
}

/** The trace's own look: quiet, numbers aligned, wide formulas scroll rather than overflow. */
const TRACE_CSS = `.stepgrad-standalone { font: 15px/1.5 system-ui, sans-serif; color: #1d2329; }
.stepgrad-standalone h3 { font-size: 1.05em; margin: 0.9em 0 0.2em; }
.stepgrad-standalone p { margin: 0.25em 0; }
.stepgrad-standalone .stepgrad-param { font-weight: 600; margin-top: 0.6em; }
.stepgrad-standalone .katex-display { margin: 0.3em 0; overflow-x: auto; overflow-y: hidden; }
.stepgrad-standalone .stepgrad-divergence { color: #a4262c; }`;

/**
 * A trace as standalone HTML: the typeset trace with KaTeX's CSS and fonts inside, so it shows
 * the same in a Jupyter cell, an email or a page with no stylesheet of its own.
 *
 * @example
 * ```ts
 * import { Adam, traceToStandaloneHtml, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = -8;
 * const trace = new Adam([w], { lr: 0.1 }).step();
 * const html = await traceToStandaloneHtml(trace);
 * assert.match(html, /^<div class="stepgrad-standalone">\n<style>/);
 * assert.match(html, /@font-face\{[^}]*font-family:KaTeX_Main;[^}]*url\(data:font\/woff2;base64,/);
 * assert.match(html, /class="katex-display"/);
 * const page = await traceToStandaloneHtml(trace, { document: true, title: "Adam <1>" });
 * assert.match(page, /^<!doctype html>/);
 * assert.match(page, /<title>Adam &lt;1&gt;<\/title>/);
 * ```
 */
export async function traceToStandaloneHtml(
  input: TraceInput,
  options: StandaloneHtmlOptions = {},
): Promise<string> {
  const [{ traceToHtml }, { katexCss }, { htmlDocument }] = await Promise.all([
    import("../render/trace_html.ts"),
    import("./katex_css.ts"),
    import("./html.ts"),
  ]);
  const [body, css] = await Promise.all([traceToHtml(input), katexCss()]);
  const style = `\n${css}\n${TRACE_CSS}\n`;
  if (!options.document) {
    return `<div class="stepgrad-standalone">\n<style>${style}</style>\n${body}</div>\n`;
  }
  return htmlDocument(
    { title: options.title ?? "stepgrad trace", styles: [style] },
    `<body>\n<div class="stepgrad-standalone">\n${body}</div>\n</body>\n`,
  );
}
