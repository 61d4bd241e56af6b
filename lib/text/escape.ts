/**
 * Escaping of user text for LaTeX, HTML and Markdown, one function each. Kept apart from
 * katex.ts so that code which only writes LaTeX or HTML text does not load KaTeX.
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

/**
 * Escapes text so Markdown (CommonMark, GitHub's and Jupyter's renderers) shows it as written:
 * no emphasis, code, links, HTML, tables, strike-through, math or headings, and a line that
 * starts like a list item (`1. `, `- `, `+ `) or a heading underline (`=`) stays a paragraph.
 * `&`, `<` and `>` become entities (so `&copy;` and `<b>` print as typed); backslash escapes
 * are used only where Markdown gives the character a meaning. Parentheses are left alone: they
 * mean nothing outside a link (whose `[`/`]` are escaped), and `\(`…`\)` is a math delimiter
 * where MathJax is set up to read it. A line break becomes a space.
 *
 * @example
 * ```ts
 * import { escapeMarkdown } from "./escape.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeMarkdown("<b>*$5*</b>"), "&lt;b&gt;\\*\\$5\\*&lt;/b&gt;");
 * assert.equal(escapeMarkdown("# w_1 | x"), "\\# w\\_1 \\| x");
 * assert.equal(escapeMarkdown("1. not a list"), "1\\. not a list");
 * assert.equal(escapeMarkdown("f(x) & g"), "f(x) &amp; g");
 * assert.equal(escapeMarkdown("0.477"), "0.477");
 * ```
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/[\\`*_[\]#|$~]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, "$1\\$2")
    .replace(/^(\s*)([-+=])(?=\s|$)/, "$1\\$2");
}
