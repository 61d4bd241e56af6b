// Formula cells: a table cell may be a formula, typeset in every handout format and shown as its
// text in the terminal, so a name with a subscript (net_{h1}) never reaches a page as "net_h1".
import assert from "node:assert/strict";
import { type Block, Collector, Doc, formula, renderBlock } from "../../mod.ts";
import { renderHtml } from "../../lib/handout/html.ts";
import { renderLatex } from "../../lib/handout/latex.ts";
import { renderMarkdown } from "../../lib/handout/markdown.ts";

function blocks(): Block[] {
  const sink = new Collector();
  const doc = new Doc(sink);
  doc.section("Cells");
  doc.table(
    ["quantity", "value"],
    [[formula`net_{h1}`, 0.3775], [formula`E_{\text{total}}`, 0.298371109], ["plain", 1]],
    "A caption.",
    9,
  );
  return sink.blocks;
}

const handout = { number: 3, title: "T", summary: "S", blocks: blocks() };

Deno.test("terminal: a formula cell shows its text, aligned like any other cell", () => {
  const text = renderBlock(handout.blocks[1], { width: 60 });
  const lines = text.split("\n");
  assert.ok(lines.some((l) => /^ *netₕ₁ +0\.3775$/.test(l)), text);
  assert.ok(lines.some((l) => /^ *E_total +0\.298371109$/.test(l)), text);
  assert.ok(lines.some((l) => /^ *plain +1$/.test(l)), text);
  // the value column stays right-aligned: its cells end in the same column
  const ends = lines.filter((l) => /\d$/.test(l)).map((l) => [...l].length);
  assert.equal(new Set(ends).size, 1, text);
});

Deno.test("html, LaTeX and Markdown typeset a formula cell; no raw underscore reaches the page", async () => {
  const html = await renderHtml(handout);
  const body = html.slice(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
  assert.match(body, /<td class="l"><span class="katex">/);
  assert.ok(!body.includes("net_h1") && !body.includes("E_total"), body);
  const latex = await renderLatex(handout);
  assert.match(latex, /\\\(net_\{h1\}\\\) & 0\.3775 \\\\/);
  assert.match(latex, /\\\(E_\{\\text\{total\}\}\\\) & 0\.298371109 \\\\/);
  const md = (await renderMarkdown(handout)).text;
  assert.match(md, /\| \$net_\{h1\}\$ \| 0\.3775 \|/);
  assert.match(md, /\| plain \| 1 \|/);
});
