// Exercises: questions where the lesson puts them, answers apart (after a prompt line in the
// terminal, on a page of their own in every handout format).
import assert from "node:assert/strict";
import { type Block, Collector, Doc, renderBlock, tex } from "../../mod.ts";
import { renderHtml } from "../../lib/handout/html.ts";
import { renderLatex } from "../../lib/handout/latex.ts";
import { renderMarkdown } from "../../lib/handout/markdown.ts";

function lessonBlocks(): Block[] {
  const sink = new Collector();
  const doc = new Doc(sink);
  doc.section("Rates");
  doc.say("A bowl.");
  doc.exercises(
    {
      question: ["At what rate does ", tex("f(x) = x^2", "f(x) = x²"), " diverge?"],
      command: 'stepgrad optimize "x^2" --start x=1 --lr 1.01',
      answer: ["Above ", tex("\\alpha = 1", "α = 1"), "."],
    },
    { question: ["Why subtract?"], answer: ["Opposite the slope is downhill."] },
  );
  return sink.blocks;
}

const handout = { number: 3, title: "T", summary: "S", blocks: lessonBlocks() };

Deno.test("terminal: questions, then the prompt line, then the answers in order", () => {
  const text = renderBlock(handout.blocks[2], { width: 60 });
  const lines = text.split("\n");
  const q1 = lines.findIndex((l) => l.startsWith("1. At what rate does f(x) = x² diverge?"));
  const q2 = lines.findIndex((l) => l.startsWith("2. Why subtract?"));
  const prompt = lines.findIndex((l) => l.startsWith("Answers (try the exercises first) ─"));
  const a1 = lines.findIndex((l) => l.startsWith("1. Above α = 1."));
  const a2 = lines.findIndex((l) => l.startsWith("2. Opposite the slope is downhill."));
  assert.ok(q1 >= 0 && q1 < q2 && q2 < prompt && prompt < a1 && a1 < a2, text);
  assert.match(text, /stepgrad optimize "x\^2" --start x=1 --lr 1\.01/);
  assert.ok(lines.every((l) => [...l].length <= 60), text);
});

Deno.test("html: the answers are the last section, on a page of their own in print", async () => {
  const html = await renderHtml(handout);
  const exercises = html.indexOf("<h2>Exercises</h2>");
  const answers = html.indexOf('<section class="section unnumbered answers">');
  assert.ok(exercises > 0 && answers > exercises);
  assert.ok(html.indexOf("Opposite the slope") > answers);
  assert.ok(html.indexOf("Why subtract?") < answers);
  assert.match(html, /section\.answers \{ break-before: page; \}/);
  // Neither is numbered: they follow the lesson's own sections.
  assert.match(html, /<section class="section unnumbered">\n<h2>Exercises<\/h2>/);
  assert.match(html, /section\.unnumbered > h2::before \{ content: none; \}/);
});

Deno.test("latex: \\clearpage before the answers; markdown: a rule before them", async () => {
  const latex = await renderLatex(handout);
  assert.match(latex, /\\clearpage\n\\section\*\{Answers\}/);
  assert.match(latex, /\\section\*\{Exercises\}/);
  assert.ok(latex.indexOf("Opposite the slope") > latex.indexOf("\\section*{Answers}"));
  const md = (await renderMarkdown(handout)).text;
  assert.match(md, /---\n\n## Answers\n\n1\\\. Above \$\\alpha = 1\$\./);
  assert.ok(md.indexOf("Why subtract?") < md.indexOf("## Answers"));
});

Deno.test("a handout without exercises has no answers section", async () => {
  const plain = { ...handout, blocks: handout.blocks.slice(0, 2) };
  assert.doesNotMatch(await renderHtml(plain), /answers"/);
  assert.doesNotMatch(await renderLatex(plain), /Answers/);
  assert.doesNotMatch((await renderMarkdown(plain)).text, /Answers/);
});

Deno.test("doc.math aligns several lines at their first relation, and leaves one line alone", () => {
  const sink = new Collector();
  const doc = new Doc(sink);
  doc.math(tex("a = 1", "a = 1"), tex("w \\leftarrow 2", "w ← 2"));
  doc.math(tex("x^2 = 4", "x² = 4"));
  doc.math(tex("p &= q", "p = q"), tex("r = s", "r = s"));
  assert.deepEqual(sink.blocks, [
    { kind: "math", lines: [tex("a &= 1", "a = 1"), tex("w &\\leftarrow 2", "w ← 2")] },
    { kind: "math", lines: [tex("x^2 = 4", "x² = 4")] },
    { kind: "math", lines: [tex("p &= q", "p = q"), tex("r &= s", "r = s")] },
  ]);
});
