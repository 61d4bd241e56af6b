/**
 * One `escapeMarkdown` for every Markdown stepgrad writes (handouts, traces, diagnoses). The
 * expected strings are derived by hand from CommonMark (0.31) and GitHub's extensions: a
 * backslash escapes ASCII punctuation; an entity (`&amp;`) prints its character; `1.`/`1)`
 * followed by a space opens an ordered list and `-`/`+` a bullet list, at a line's start only;
 * `~~` is GitHub's strike-through; `$` opens math on GitHub and in Jupyter.
 */
import assert from "node:assert/strict";
import { escapeMarkdown } from "../../lib/text/escape.ts";
import { renderMarkdown } from "../../lib/handout/markdown.ts";
import { traceToMarkdown } from "../../lib/render/trace_markdown.ts";
import { SGD, Value } from "../../mod.ts";

Deno.test("escapeMarkdown: a line that starts like a list item stays a paragraph", () => {
  assert.equal(escapeMarkdown("1. item"), "1\\. item");
  assert.equal(escapeMarkdown("12) item"), "12\\) item");
  assert.equal(escapeMarkdown("- item"), "\\- item");
  assert.equal(escapeMarkdown("+ item"), "\\+ item");
  assert.equal(escapeMarkdown("="), "\\="); // a setext underline
  // Not at the start, or not followed by a space: nothing to escape.
  assert.equal(escapeMarkdown("step 1. then 2."), "step 1. then 2.");
  assert.equal(escapeMarkdown("1.5 and -0.25 and +3"), "1.5 and -0.25 and +3");
});

Deno.test("escapeMarkdown: & < > become entities, so entities and tags print as typed", () => {
  assert.equal(escapeMarkdown("Tom & Jerry"), "Tom &amp; Jerry");
  assert.equal(escapeMarkdown("&copy;"), "&amp;copy;"); // not ©
  assert.equal(escapeMarkdown("<b>x</b>"), "&lt;b&gt;x&lt;/b&gt;");
  assert.equal(escapeMarkdown("a <https://x.y> link"), "a &lt;https://x.y&gt; link");
});

Deno.test("escapeMarkdown: parentheses, braces, ! and a + inside a line are left alone", () => {
  // They mean nothing without an unescaped `]` before them; `\(` would open math where MathJax
  // reads `\(…\)` (Jupyter with a doubled backslash, pandoc's tex_math_single_backslash).
  assert.equal(escapeMarkdown("f(x) = {a + b}!"), "f(x) = {a + b}!");
  assert.equal(escapeMarkdown("[link](url)"), "\\[link\\](url)");
  assert.equal(escapeMarkdown("![img](u)"), "!\\[img\\](u)");
});

Deno.test("escapeMarkdown: emphasis, code, tables, headings, strike-through and math", () => {
  assert.equal(escapeMarkdown("*a* _b_ `c`"), "\\*a\\* \\_b\\_ \\`c\\`");
  assert.equal(escapeMarkdown("# x | y"), "\\# x \\| y");
  assert.equal(escapeMarkdown("~~gone~~"), "\\~\\~gone\\~\\~");
  assert.equal(escapeMarkdown("$5 and $6"), "\\$5 and \\$6");
  assert.equal(escapeMarkdown("a\\b"), "a\\\\b");
  assert.equal(escapeMarkdown("two\nlines"), "two lines");
  assert.equal(escapeMarkdown("−1.23457×10⁻⁵"), "−1.23457×10⁻⁵");
});

Deno.test("a handout's Markdown and a trace's Markdown escape the same text the same way", async () => {
  const text = "1. f(x) & <y>";
  const expected = "1\\. f(x) &amp; &lt;y&gt;";
  const { text: md } = await renderMarkdown({
    number: 1,
    title: "t",
    summary: "s",
    blocks: [{ kind: "paragraph", content: [text] }],
  });
  assert.ok(md.split("\n").includes(expected), md);
  const w = new Value(1, text);
  w.grad = 1;
  const trace = traceToMarkdown(new SGD([w], { lr: 0.1 }).step());
  assert.ok(trace.split("\n").includes(`**${expected}**`), trace);
});
