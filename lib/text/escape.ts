/**
 * Escaping of user text for LaTeX and HTML. Kept apart from katex.ts so that code which only
 * writes LaTeX or HTML text does not load KaTeX.
 *
 * @module
 */

/**
 * Escapes text for use inside LaTeX `\text{…}` or as a name: `\ { } $ & # ^ _ % ~` are written so
 * they print as themselves, never as commands; `< >` as `\textless{}` `\textgreater{}` and `[ ]` as
 * `{[}` `{]}`, so that LaTeX embedded in HTML or Markdown (`$$` blocks) never carries a tag or a
 * link.
 *
 * @example
 * ```ts
 * import { escapeTex } from "./escape.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeTex("50% of $x_1"), "50\\% of \\$x\\_1");
 * assert.equal(escapeTex("<b>"), "\\textless{}b\\textgreater{}");
 * ```
 */
export function escapeTex(text: string): string {
  return text.replace(/[\\{}$&#^_%~<>[\]]/g, (c) => {
    switch (c) {
      case "[":
      case "]":
        return `{${c}}`;
      case "<":
        return "\\textless{}";
      case ">":
        return "\\textgreater{}";
      case "\\":
        return "\\textbackslash{}";
      case "^":
        return "\\textasciicircum{}";
      case "~":
        return "\\textasciitilde{}";
      default:
        return `\\${c}`;
    }
  });
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./escape.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeHtml('<script>"&\''), "&lt;script&gt;&quot;&amp;&#39;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" }[c]};`,
  );
}
