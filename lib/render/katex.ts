/**
 * KaTeX, set up once and safely: strict mode, errors thrown (never shown as red text),
 * `trust: false`, a finite `maxExpand` and `maxSize`, and macros for the functions stepgrad uses
 * that KaTeX does not know (the op table's `macro` functions: `\sech`, `\sigmoid`, `\relu`, …).
 *
 * @module
 */
import katex from "npm:katex@0.19.1";

export { KATEX_MACROS } from "../text/macros.ts";
import { KATEX_MACROS } from "../text/macros.ts";

/** The options stepgrad renders with; exported so tests can assert them. */
export const KATEX_OPTIONS = Object.freeze({
  throwOnError: true,
  strict: "error" as const,
  trust: false,
  maxExpand: 1000,
  maxSize: 50,
  output: "htmlAndMathml" as const,
});

/**
 * Renders LaTeX to HTML with stepgrad's options. Throws a `SyntaxError` naming the formula when
 * KaTeX rejects it (in strict mode, anything non-standard is rejected).
 *
 * @example
 * ```ts
 * import { renderTex } from "./katex.ts";
 * import assert from "node:assert/strict";
 * const html = renderTex("w \\leftarrow w - \\alpha \\cdot \\frac{\\partial L}{\\partial w}");
 * assert.match(html, /class="katex"/);
 * assert.throws(() => renderTex("\\frac{1}{"), SyntaxError);
 * ```
 */
export function renderTex(tex: string, options: { displayMode?: boolean } = {}): string {
  try {
    return katex.renderToString(tex, {
      ...KATEX_OPTIONS,
      displayMode: options.displayMode ?? false,
      macros: { ...KATEX_MACROS },
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new SyntaxError(`KaTeX cannot render ${JSON.stringify(tex)}: ${why}`);
  }
}

export { escapeHtml, escapeTex } from "../text/escape.ts";
