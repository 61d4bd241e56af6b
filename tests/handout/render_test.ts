/**
 * Handouts without a browser: every lesson (and the fixture) in HTML, Markdown and LaTeX; the
 * same lesson and seed give the same bytes; hostile user text comes out escaped in every
 * format; the pictures are where the data says.
 */
import assert from "node:assert/strict";
import { renderFormat } from "../../lib/handout/render.ts";
import { renderHtml } from "../../lib/handout/html.ts";
import { escapeHtml } from "../../lib/render/katex.ts";
import { renderMarkdown } from "../../lib/handout/markdown.ts";
import { renderLatex } from "../../lib/handout/latex.ts";
import { CODE_COLUMNS, commandLines } from "../../lib/render/terminal_layout.ts";
import { boundarySvg, contourSvg } from "../../lib/figures/plot.ts";
import { isFigure } from "../../lib/figures/figures.ts";
import { HOSTILE } from "../fixtures/handout/every_block.ts";
import { allHandouts, fixtureHandout } from "./lessons.ts";

Deno.test("every lesson renders to HTML, Markdown and LaTeX", async (t) => {
  const handouts = await allHandouts();
  assert.ok(handouts.length >= 2, "the fixture and at least one lesson");
  for (const { name, handout } of handouts) {
    await t.step(name, async () => {
      const figures = handout.blocks.filter(isFigure).length;
      const html = String((await renderFormat(handout, "html")).main);
      assert.match(html, /^<!doctype html>/);
      assert.doesNotMatch(html, /<script/i, "no scripts");
      assert.doesNotMatch(html, /katex-error/);
      assert.equal(html.match(/<figure /g)?.length ?? 0, figures);
      assert.doesNotMatch(html, /(?:src|href)="(?!#|data:)/, "nothing to fetch");
      const md = await renderFormat(handout, "md", { figuresFolder: "x-figures" });
      assert.equal(md.files.size, figures);
      for (const path of md.files.keys()) assert.ok(String(md.main).includes(`](${path})`));
      const tex = String((await renderFormat(handout, "tex")).main);
      assert.match(tex, /^\\documentclass/);
      assert.equal(tex.match(/\\begin\{tikzpicture\}/g)?.length ?? 0, figures);
      assert.equal(
        tex.match(/\\begin\{/g)?.length,
        tex.match(/\\end\{/g)?.length,
        "environments are balanced",
      );
      // pdflatex stops on characters it has no glyph for; everything outside Latin-1 is a command.
      assert.doesNotMatch(tex, /[^\n\t -\u017f]/u);
    });
  }
});

Deno.test("the same lesson and seed give byte-identical handouts, and a new seed changes them", async () => {
  const a = await fixtureHandout(11);
  const b = await fixtureHandout(11);
  const c = await fixtureHandout(12);
  assert.equal(await renderHtml(a), await renderHtml(b));
  assert.equal((await renderMarkdown(a)).text, (await renderMarkdown(b)).text);
  assert.deepEqual([...(await renderMarkdown(a)).files], [...(await renderMarkdown(b)).files]);
  assert.equal(await renderLatex(a), await renderLatex(b));
  assert.notEqual(await renderHtml(a), await renderHtml(c));
  const html = await renderHtml(a);
  assert.doesNotMatch(html, /20\d\d-\d\d-\d\d|\/work\/|\/tmp\//, "no dates or machine paths");
});

Deno.test("HTML escapes user text everywhere it goes", async () => {
  const html = await renderHtml(await fixtureHandout());
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<a[\s>]/, "no links: not from text, not from the graph");
  assert.doesNotMatch(html, /javascript:alert\(1\)\}\{click\}<\/a>/);
  // The hostile strings appear, escaped, in running text, headings, table cells and captions.
  const escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
  for (
    const where of [
      /<h3>A heading with ([^<]*)/,
      /<caption>(.*?)<\/caption>/,
      /<figcaption>(.*?)<\/figcaption>/,
    ]
  ) {
    assert.ok(html.match(where)?.[1]?.includes(escaped), `escaped in ${where}`);
  }
  assert.ok(html.includes('<td class="l">\\href{javascript:alert(1)}{click}</td>'));
  assert.ok(html.includes("a &amp; b"));
  for (const text of HOSTILE) assert.ok(html.includes(escapeHtml(text)), text);
  // In the graph picture too (Graphviz escapes its labels).
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;</text>"));
});

Deno.test("Markdown escapes user text: no HTML, emphasis, math or table breaks", async () => {
  const { text } = await renderMarkdown(await fixtureHandout(), { folder: "f" });
  const fences = text.match(/^```/gm)?.length ?? 0;
  assert.equal(fences, 2, "one code block, shown as written inside its fence");
  assert.doesNotMatch(text.replace(/^```text\n[\s\S]*?^```$/m, ""), /<script/);
  const paragraph = text.split("\n").find((l) => l.startsWith("Plain text with"))!;
  assert.ok(paragraph.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(paragraph.includes("\\$5"), "a dollar sign does not start math");
  assert.ok(paragraph.includes("w\\_1"), "an underscore does not start emphasis");
  assert.ok(paragraph.includes("\\*not bold\\*"));
  assert.ok(paragraph.includes("\\| pipe \\|"));
  assert.ok(paragraph.includes("100%"));
  // Every table row has as many cells as the header: no pipe in user text splits a cell.
  const rows = text.split("\n").filter((l) => l.startsWith("| "));
  const cells = (l: string) => l.replace(/\\\|/g, "").split("|").length;
  const header = rows.find((l) => l.startsWith("| quantity"))!;
  for (const row of rows.slice(rows.indexOf(header), rows.indexOf(header) + 6)) {
    assert.equal(cells(row), cells(header), row);
  }
  // Formulas are left as math, with stepgrad's macros spelled out for GitHub and Jupyter.
  assert.match(
    text,
    /^\$\$\n\\begin\{aligned\}\nm_t &= .* \\\\\nw &\\leftarrow .*\n\\end\{aligned\}\n\$\$$/m,
  );
  assert.match(text, /\$\$\n\\sigma\(x\) = \\frac\{1\}\{1 \+ e\^\{-x\}\}\n\$\$/);
});

Deno.test("LaTeX escapes user text: specials print as themselves", async () => {
  const tex = await renderLatex(await fixtureHandout());
  const body = tex.slice(tex.indexOf("\\begin{document}"));
  const heading = body.split("\n").find((l) => l.startsWith("\\subsection*{A heading with"))!;
  assert.ok(heading.includes("\\textbackslash{}href\\{javascript:alert(1)\\}\\{click\\}"));
  assert.ok(heading.includes(" \\}\\{ "), "}{ does not close the group");
  assert.ok(heading.includes("100\\%"), "% does not start a comment");
  assert.ok(heading.includes("\\#1"));
  assert.ok(heading.includes("w\\_1"));
  assert.ok(heading.includes("\\$5"));
  assert.ok(heading.includes("a \\& b"));
  assert.ok(heading.includes("\\textasciitilde{}\\textasciicircum{}"));
  assert.doesNotMatch(body, /\\href\{/, "no live \\href anywhere");
  // Braces balance outside escapes: a quick count over the document body.
  const unescaped = body.replace(/\\[{}]/g, "").replace(/\\textbackslash\{\}/g, "");
  assert.equal(unescaped.split("{").length, unescaped.split("}").length);
});

/** Pixel position of an axis tick labelled `label` (Plot writes translate(x,y) on each tick). */
function tickPosition(svg: string, axis: "x" | "y", label: string): number {
  const group = svg.match(new RegExp(`aria-label="${axis}-axis tick label"[^>]*>(.*?)</g>`))?.[1];
  const m = group?.match(new RegExp(`translate\\(([-\\d.]+),([-\\d.]+)\\)"[^>]*>${label}<`));
  assert.ok(m, `tick ${label} on ${axis}`);
  return Number(axis === "x" ? m[1] : m[2]);
}

/** Every coordinate pair of the paths in a mark's group. */
function pathPoints(svg: string, mark: RegExp): number[][] {
  const group = svg.match(mark)?.[1] ?? "";
  return [...group.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

Deno.test("a decision boundary is drawn where the score changes sign, not transposed or flipped", async () => {
  const xs = Array.from({ length: 21 }, (_, i) => i / 20); // 0 … 1
  const ys = Array.from({ length: 21 }, (_, j) => (2 * j) / 20); // 0 … 2
  // score = x − 0.6: the boundary is the vertical line x = 0.6.
  const vertical = await boundarySvg({
    kind: "boundary",
    title: "x",
    xs,
    ys,
    score: ys.map(() => xs.map((x) => x - 0.6)),
    points: [[0.9, 1], [0.1, 1]],
    labels: [1, 0],
  }, "v");
  const line = /aria-label="contour"><g[^>]*stroke-width="1.25"[^>]*>(.*?)<\/g>/;
  const x06 = tickPosition(vertical.svg, "x", "0.6");
  // Points inside the frame (the rest is the padded grid's edge, clipped away).
  const inside = ([x, y]: number[]) => x > 50 && x < 542 && y > 22 && y < 378;
  const vpoints = pathPoints(vertical.svg, line).filter(inside);
  assert.ok(vpoints.length > 0);
  for (const [x] of vpoints) assert.ok(Math.abs(x - x06) < 1, `${x} vs tick at ${x06}`);
  // score = y − 0.4 on ys from 0 to 2: horizontal at y = 0.4 (flipped, it would be at 1.6).
  const horizontal = await boundarySvg({
    kind: "boundary",
    title: "y",
    xs,
    ys,
    score: ys.map((y) => xs.map(() => y - 0.4)),
    points: [[0.5, 1.5], [0.5, 0.2]],
    labels: [1, 0],
  }, "h");
  const y04 = tickPosition(horizontal.svg, "y", "0.4");
  const hpoints = pathPoints(horizontal.svg, line).filter(inside);
  assert.ok(hpoints.length > 0);
  for (const [, y] of hpoints) assert.ok(Math.abs(y - y04) < 1, `${y} vs tick at ${y04}`);
});

Deno.test("a contour plot refuses a grid that does not match its axes", async () => {
  const xs = [0, 1, 2], ys = [0, 1];
  await assert.rejects(
    contourSvg({ kind: "contour", title: "t", xs, ys, z: [[1, 2, 3]], paths: [] }, "c"),
    /must have 2 rows of 3 values/,
  );
  await assert.rejects(
    contourSvg({
      kind: "contour",
      title: "t",
      xs: [0, 1, 3],
      ys,
      z: [[1, 2, 3], [1, 2, 3]],
      paths: [],
    }, "c"),
    /evenly spaced/,
  );
});

Deno.test("a formula KaTeX rejects stops the handout with its text, never a red error on the page", async () => {
  const handout = {
    number: 1,
    title: "t",
    summary: "s",
    blocks: [{ kind: "paragraph" as const, content: [{ tex: "\\frac{1}{", text: "1/" }] }],
  };
  await assert.rejects(renderHtml(handout), /KaTeX cannot render "\\\\frac\{1\}\{"/);
});

Deno.test("a graph's DOT text cannot put links or scripts on the page", async () => {
  const { graphSvg } = await import("../../lib/figures/graph_svg.ts");
  const svg = await graphSvg(
    'digraph { a [URL="javascript:alert(1)", tooltip="<script>x</script>", label="<b>"]; a -> b [href="https://example.com"] }',
    "g",
  );
  assert.doesNotMatch(svg, /javascript:|https:|<a[\s>]|<script|href=/i);
  assert.match(svg, />&lt;b&gt;</, "labels stay text");
  await assert.rejects(graphSvg("digraph { a -> }", "g"), /Graphviz cannot read the graph: /);
});

Deno.test("a long command on a printed page breaks at spaces with a backslash, never inside an option", async () => {
  const handouts = await allHandouts();
  let long = 0;
  for (const { name, handout } of handouts) {
    const commands = handout.blocks.flatMap((b) =>
      b.kind === "code" ? b.text.split("\n").filter((l) => /^(\$ |deno |stepgrad )/.test(l)) : []
    );
    const html = String((await renderFormat(handout, "html")).main);
    const tex = String((await renderFormat(handout, "tex")).main);
    const spans = [...html.matchAll(/<span class="line">(.*?)<\/span>/g)].map((m) =>
      m[1].replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&")
        .replaceAll("&lt;", "<").replaceAll("&gt;", ">")
    );
    for (const command of commands.filter((c) => c.length > CODE_COLUMNS)) {
      long++;
      const printed = commandLines(command, CODE_COLUMNS);
      const at = spans.findIndex((_, k) => printed.every((l, n) => spans[k + n] === l));
      assert.ok(at >= 0, `${name}: ${command} printed as ${printed.join(" / ")}`);
      for (const line of printed) {
        assert.ok(line.length <= CODE_COLUMNS, `${name}: ${line}`);
        assert.doesNotMatch(line, /(^|\s)-\s*\\?$/, `${name}: a dash left at a line's end`);
      }
      // Joined at the backslashes, the lines give the command back, as a shell reads them.
      assert.equal(printed.map((l) => l.replace(/ \\$/, "").trim()).join(" "), command);
      assert.ok(tex.includes("\\ \\textbackslash{}\\\\"), `${name}: the LaTeX breaks the same way`);
    }
  }
  assert.ok(long >= 5, `long commands exist to test (${long})`);
});
