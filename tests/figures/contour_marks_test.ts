/**
 * A contour block's marked points (a minimum): drawn where the data says in the terminal and in
 * the SVG, and named in every format's legend; a contour without marks is drawn as before.
 */
import assert from "node:assert/strict";
import type { Block } from "../../lib/doc/doc.ts";
import { renderContour } from "../../lib/render/terminal_chart.ts";
import { contourSvg } from "../../lib/figures/plot.ts";
import { renderHtml } from "../../lib/handout/html.ts";
import { renderMarkdown } from "../../lib/handout/markdown.ts";
import { renderLatex } from "../../lib/handout/latex.ts";

const xs = Array.from({ length: 21 }, (_, i) => -1 + i / 10); // −1 … 1
const ys = Array.from({ length: 21 }, (_, j) => j / 10); // 0 … 2
const z = ys.map((y) => xs.map((x) => (x - 0.5) ** 2 + (y - 1.5) ** 2));
const block = (marks?: { name: string; point: [number, number] }[]) =>
  ({
    kind: "contour",
    title: "bowl",
    xs,
    ys,
    z,
    paths: [{ name: "GD", points: [[-1, 0], [0, 1]] }],
    ...(marks ? { marks } : {}),
  }) as Extract<Block, { kind: "contour" }>;

Deno.test("terminal: a marked point is an @ at its place in the map, named under it", () => {
  const plain = renderContour(block());
  const marked = renderContour(block([{ name: "the minimum", point: [0.5, 1.5] }]));
  assert.ok(!plain.join("\n").includes("@"));
  assert.ok(marked.includes("  @ the minimum: (0.5, 1.5)"));
  // Where: the map's rows run from y = 2 (top) to 0, its columns from x = −1 to 1.
  const rows = marked.filter((l) => l.includes("│"));
  const r = rows.findIndex((l) => l.includes("@"));
  const row = rows[r], left = row.indexOf("│") + 1, right = row.lastIndexOf("│");
  const c = row.indexOf("@") - left, width = right - left;
  assert.ok(Math.abs(c / (width - 1) - 0.75) < 0.05, `column ${c} of ${width}`);
  assert.ok(Math.abs(r / (rows.length - 1) - 0.25) < 0.08, `row ${r} of ${rows.length}`);
  // The rest of the drawing is unchanged.
  assert.deepEqual(
    marked.filter((l) => !l.includes("@")).length,
    plain.length - 1,
    "only the marked row and the legend line differ",
  );
});

Deno.test("SVG: a marked point is a cross at its place, with a legend entry", async () => {
  const plain = await contourSvg(block(), "p");
  const marked = await contourSvg(block([{ name: "the minimum", point: [0.5, 1.5] }]), "m");
  assert.deepEqual(plain.legend.map((e) => e.mark), ["line"]);
  assert.deepEqual(marked.legend.at(-1), { name: "the minimum", color: "#222222", mark: "cross" });
  const tick = (svg: string, axis: "x" | "y", label: string) => {
    const group = svg.match(new RegExp(`aria-label="${axis}-axis tick label"[^>]*>(.*?)</g>`))
      ?.[1];
    const m = group?.match(new RegExp(`translate\\(([-\\d.]+),([-\\d.]+)\\)"[^>]*>${label}<`));
    assert.ok(m, `tick ${label} on ${axis}`);
    return Number(axis === "x" ? m[1] : m[2]);
  };
  // The last dot group is the mark: its one symbol is translated to (x = 0.5, y = 1.5).
  const groups = [...marked.svg.matchAll(/aria-label="dot"[^>]*>(.*?)<\/g>/g)];
  const at = groups.at(-1)![1].match(/translate\(([-\d.]+),([-\d.]+)\)/);
  assert.ok(at);
  // (0.5 and 1.5 lie halfway between the ticks 0.4 and 0.6, and 1.4 and 1.6.)
  const x = (tick(marked.svg, "x", "0.4") + tick(marked.svg, "x", "0.6")) / 2;
  const y = (tick(marked.svg, "y", "1.4") + tick(marked.svg, "y", "1.6")) / 2;
  assert.ok(Math.abs(Number(at[1]) - x) < 1, `${at[1]} vs ${x}`);
  assert.ok(Math.abs(Number(at[2]) - y) < 1, `${at[2]} vs ${y}`);
});

Deno.test("HTML, Markdown and LaTeX name the marked point in the figure's legend", async () => {
  const handout = {
    number: 1,
    title: "t",
    summary: "s",
    blocks: [block([{ name: "the minimum (1, 1)", point: [0.5, 1.5] }])],
  };
  const html = await renderHtml(handout);
  assert.match(
    html,
    /<li><svg[^>]*><path d="M11 3L21 13M21 3L11 13"[^>]*\/><\/svg>the minimum \(1, 1\)<\/li>/,
  );
  const md = await renderMarkdown(handout);
  assert.match(md.text, /cross: the minimum \(1, 1\)/);
  const tex = await renderLatex(handout);
  assert.match(tex, /cross: the minimum \(1, 1\)/);
});
