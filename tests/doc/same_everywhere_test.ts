/**
 * What a lesson says is the same in the terminal and in every handout format: the words over a
 * note, how a column of numbers with a blank cell is aligned, what a lesson is called; and a
 * lesson is checked by one rule wherever it is loaded.
 */
import assert from "node:assert/strict";
import { type Block, Collector, Doc, type Lesson } from "../../lib/doc/doc.ts";
import type { TraceInput } from "../../lib/optim/trace.ts";
import { unicodeToLatex } from "../../lib/text/latex_text.ts";
import { SGD, traceToHtml, traceToLatex, traceToMarkdown, traceToText, Value } from "../../mod.ts";
import { defineLesson, lessonHeading, lessonHelp } from "../../lib/lesson/lesson.ts";
import { asLesson, mastheadLines } from "../../lib/handout/handout.ts";
import { renderBlock } from "../../lib/render/terminal.ts";
import { renderHtml } from "../../lib/handout/html.ts";
import { renderMarkdown } from "../../lib/handout/markdown.ts";
import { renderLatex } from "../../lib/handout/latex.ts";

const handout = (blocks: Block[]) => ({ number: 1, title: "t", summary: "s", blocks });

Deno.test("a note's label is the same in all four formats", async () => {
  const expected = { info: "Note", warning: "Watch out", key: "Key point" } as const;
  for (const tone of ["info", "warning", "key"] as const) {
    const block: Block = { kind: "note", tone, content: ["mind the sign"] };
    const terminal = renderBlock(block, { width: 80 });
    const html = await renderHtml(handout([block]));
    const { text: md } = await renderMarkdown(handout([block]));
    const tex = await renderLatex(handout([block]));
    const labels = {
      terminal: terminal.match(/^ {2}│ (.+): mind the sign$/)?.[1],
      html: html.match(/<span class="tone">([^<]+)<\/span>mind the sign/)?.[1],
      markdown: md.match(/^> \*\*(.+):\*\* mind the sign$/m)?.[1],
      latex: tex.match(/\\begin\{handoutnote\}\{\w+\}\{([^}]+)\}\nmind the sign/)?.[1],
    };
    assert.deepEqual(labels, {
      terminal: expected[tone],
      html: expected[tone],
      markdown: expected[tone],
      latex: expected[tone],
    });
  }
});

Deno.test("a number column with a blank cell is right-aligned in all four formats", async () => {
  const table: Block = {
    kind: "table",
    columns: [{ header: "name" }, { header: "loss" }],
    rows: [["first", 0.5], ["second", ""], ["third", -12.25]],
  };
  // The terminal pads a right-aligned cell on the left, to the widest cell (−12.25, 6 wide).
  assert.deepEqual(renderBlock(table, { width: 80 }).split("\n"), [
    "  name      loss",
    "  ──────  ──────",
    "  first      0.5",
    "  second",
    "  third   −12.25",
  ]);
  const html = await renderHtml(handout([table]));
  assert.match(html, /<th class="l">name<\/th><th class="r">loss<\/th>/);
  assert.match(html, /<td class="l">second<\/td><td class="r"><\/td>/);
  const { text: md } = await renderMarkdown(handout([table]));
  assert.match(md, /^\| :--- \| ---: \|$/m);
  const tex = await renderLatex(handout([table]));
  assert.match(tex, /\\begin\{tabular\}\{lr\}/);
});

Deno.test("a column of words, or of blanks only, is left-aligned in all four formats", async () => {
  const table: Block = {
    kind: "table",
    columns: [{ header: "words" }, { header: "blank" }],
    rows: [["a", ""], [" ", ""]],
  };
  assert.deepEqual(renderBlock(table, { width: 80 }).split("\n").slice(0, 2), [
    "  words  blank",
    "  ─────  ─────",
  ]);
  assert.match(await renderHtml(handout([table])), /<th class="l">words<\/th><th class="l">blank/);
  assert.match((await renderMarkdown(handout([table]))).text, /^\| :--- \| :--- \|$/m);
  assert.match(await renderLatex(handout([table])), /\\begin\{tabular\}\{ll\}/);
});

Deno.test("a lesson script and a module the handout command loads are checked by one rule", () => {
  const meta = { url: "file:///x/lessons/09-x.ts", main: false } as ImportMeta;
  const good = { number: 9, title: "Nine", summary: "s", run() {} };
  const cases: [unknown, string][] = [
    [{ ...good, number: 100 }, "number (a whole number 0 to 99)"],
    [{ ...good, number: 1.5 }, "number (a whole number 0 to 99)"],
    [{ ...good, title: "  " }, "title"],
    [{ ...good, summary: undefined }, "summary"],
    [{ ...good, run: "run" }, "run(sink, options)"],
  ];
  for (const [lesson, missing] of cases) {
    const said = `(missing: ${missing})`;
    assert.throws(
      () => defineLesson(meta, lesson as Lesson),
      (e: Error) => e.message.endsWith(said),
    );
    assert.throws(
      () => asLesson({ default: lesson }, "x.ts"),
      (e: Error) => e.message.endsWith(said),
    );
  }
  assert.equal(defineLesson(meta, good), good);
  assert.equal(asLesson({ default: good }, "x.ts"), good);
});

Deno.test("a lesson is called 'Lesson 07' in the terminal, its help and every handout format", async () => {
  const lesson = { number: 7, title: "Seven", summary: "s", run() {} };
  assert.equal(lessonHeading(lesson), "Lesson 07 · Seven");
  assert.match(lessonHelp(lesson, "lessons/07-seven.ts"), /^Lesson 07: Seven$/m);
  const h = { ...lesson, blocks: [] };
  assert.match(await renderHtml(h), /<title>Lesson 07: Seven<\/title>/);
  assert.match((await renderMarkdown(h)).text, /^# Lesson 07: Seven$/m);
  assert.match(await renderLatex(h), /^\\title\{Lesson 07: Seven\}$/m);
  assert.equal(mastheadLines(h).kicker, "stepgrad · Lesson 07");
});

Deno.test("a trace block is drawn by the optimize command's renderer in every format", async () => {
  const w = new Value(0.5, "w");
  w.grad = 0.23;
  const trace = new SGD([w], { lr: 0.1, momentum: 0.9 }).step();
  const block: Block = { kind: "trace", trace, title: "One step" };
  const terminal = renderBlock(block, { width: 80 });
  assert.equal(
    terminal,
    [
      "One step",
      ...traceToText(trace, { width: 78 }).trimEnd().split("\n").map((l) => l && `  ${l}`),
    ]
      .join("\n"),
  );
  const html = await renderHtml(handout([block]));
  assert.ok(html.includes(`<h3>One step</h3>\n`));
  const steps = (await traceToHtml(trace)).match(
    /<section class="stepgrad-step"[^]*?<\/section>/g,
  )!;
  assert.ok(steps.length > 0 && steps.every((s) => html.includes(s)));
  const { text: md } = await renderMarkdown(handout([block]));
  assert.ok(md.includes(`### One step\n\n${traceToMarkdown(trace).trim()}`));
  const tex = await renderLatex(handout([block]));
  assert.ok(tex.includes(`\\subsection*{One step}\n${unicodeToLatex(traceToLatex(trace).trim())}`));
});

Deno.test("Doc.trace refuses what is not a trace, where the lesson writes it", () => {
  const doc = new Doc(new Collector());
  assert.throws(() => doc.trace(42 as unknown as TraceInput), TypeError);
  assert.throws(() => doc.trace({ optimizer: "SGD" } as unknown as TraceInput), TypeError);
});

Deno.test("a table row with too few cells is refused the same way in all four formats", async () => {
  const table: Block = {
    kind: "table",
    columns: [{ header: "a" }, { header: "b" }],
    rows: [[1, 2], [3]],
  };
  const said = /^table row 2 has 1 cell, the table has 2 columns$/;
  assert.throws(
    () => renderBlock(table),
    (e: Error) => e instanceof RangeError && said.test(e.message),
  );
  for (const render of [renderHtml, renderMarkdown, renderLatex]) {
    await assert.rejects(
      () => render(handout([table])),
      (e: Error) => e instanceof RangeError && said.test(e.message),
    );
  }
});
