/**
 * Every formula a lesson writes must typeset: KaTeX in strict mode (as the handouts use it)
 * accepts its LaTeX spelling, and its text spelling is not empty.
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import type { Block, Formula, Inline } from "../../lib/doc/doc.ts";
import { renderTex } from "../../lib/render/katex.ts";

const ROOT = new URL("../../", import.meta.url);
const LESSONS = [...Deno.readDirSync(new URL("lessons/", ROOT))]
  .map((e) => e.name)
  .filter((n) => /^\d\d-.*\.ts$/.test(n))
  .sort();

function formulas(block: Block): { formula: Formula; display: boolean }[] {
  const inline = (content: readonly Inline[]) =>
    content.filter((c): c is Formula => typeof c !== "string").map((formula) => ({
      formula,
      display: false,
    }));
  switch (block.kind) {
    case "paragraph":
    case "note":
      return inline(block.content);
    case "math": {
      // as a handout sets it: the lines in one aligned block when any has an alignment point
      if (!block.lines.some((l) => /(^|[^\\])&/.test(l.tex))) {
        return block.lines.map((formula) => ({ formula, display: true }));
      }
      const tex = `\\begin{aligned}${block.lines.map((l) => l.tex).join(" \\\\ ")}\\end{aligned}`;
      const text = block.lines.map((l) => l.text).join("\n");
      return [{ formula: { tex, text }, display: true }];
    }
    default:
      return [];
  }
}

for (const name of LESSONS) {
  Deno.test(`${name}: every formula renders in KaTeX strict mode`, async () => {
    const lesson = (await import(new URL(`lessons/${name}`, ROOT).href)).default;
    const sink = new Collector();
    await lesson.run(sink, lesson.defaultSeed === undefined ? {} : { seed: lesson.defaultSeed });
    const all = sink.blocks.flatMap(formulas);
    assert.ok(all.length > 0, "a lesson writes some mathematics");
    for (const { formula, display } of all) {
      assert.ok(formula.text.trim().length > 0, `empty text for ${formula.tex}`);
      assert.doesNotThrow(() => renderTex(formula.tex, { displayMode: display }), formula.tex);
    }
    // numbers in formulas use a real minus in text and an ASCII one in LaTeX
    for (const { formula } of all) {
      assert.ok(!formula.tex.includes("−"), `Unicode minus in LaTeX: ${formula.tex}`);
    }
  });
}
