/**
 * Print layout, measured from the PDFs themselves (poppler's pdftoppm and pdftotext): every
 * lesson printed on A4 and on Letter has no page but the last less than half full, no page that
 * ends on a heading, and no table caption left at the foot of a page without its table.
 *
 * Skipped, saying so, when Chromium or poppler-utils is not installed.
 */
import assert from "node:assert/strict";
import { renderHtml } from "../../lib/handout/html.ts";
import { htmlToPdf } from "../../lib/handout/pdf.ts";
import { chromiumAvailable } from "../../lib/handout/browser.ts";
import { allHandouts } from "./lessons.ts";
import { hasPdftoppm, pageFills } from "./page_fill.ts";

const available = chromiumAvailable() && hasPdftoppm();
if (!available) {
  console.warn("print layout test skipped: needs Chromium and poppler-utils (pdftoppm, pdftotext)");
}

/** The text of each page, as pdftotext lays it out. */
async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  const file = await Deno.makeTempFile({ suffix: ".pdf" });
  try {
    await Deno.writeFile(file, pdf);
    const r = await new Deno.Command("pdftotext", { args: ["-layout", file, "-"], stdout: "piped" })
      .output();
    return new TextDecoder().decode(r.stdout).split("\f").slice(0, -1);
  } finally {
    await Deno.remove(file);
  }
}

Deno.test({
  name: "print: every page but the last at least half full, no heading or caption at a page's foot",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await t.step("the measure sees an empty half page", async () => {
      const html = `<!doctype html><p>top</p><p style="break-before:page">next</p>` +
        `<div style="height:200mm;background:#000"></div><p style="break-before:page">end</p>`;
      const fills = await pageFills(await htmlToPdf(html));
      assert.equal(fills.length, 3);
      assert.ok(fills[0].fill < 0.1, `page 1 ${fills[0].fill}`);
      assert.ok(fills[1].fill > 0.75 && fills[1].fill < 0.9, `page 2 ${fills[1].fill}`);
    });
    for (const { name, handout } of await allHandouts()) {
      const html = await renderHtml(handout, { colophon: false });
      const headings = handout.blocks.flatMap((b) =>
        b.kind === "section" || b.kind === "heading" || (b.kind === "trace" && b.title)
          ? [b.title!]
          : []
      );
      for (const paper of ["a4", "letter"] as const) {
        await t.step(`${name} on ${paper}`, async () => {
          const pdf = await htmlToPdf(html, { paper, footer: "stepgrad footer" });
          const fills = await pageFills(pdf);
          const texts = await pageTexts(pdf);
          assert.equal(texts.length, fills.length);
          const shown = fills.map((f) => `${f.page}: ${Math.round(f.fill * 100)}%`).join(", ");
          // The answers to the exercises start a page of their own (a teacher may leave them
          // out), so the page before them is the questions' last and may be short.
          const answersPage = texts.findIndex((text) =>
            text.split("\n").map((l) => l.trim()).filter((l) => l !== "").slice(0, 3)
              .some((l) => /^(\d+\s+)?Answers$/.test(l))
          );
          for (const f of fills.slice(0, -1)) {
            if (answersPage > 0 && f.page === answersPage) continue; // pages count from 1
            assert.ok(f.fill >= 0.5, `page ${f.page} is less than half full (${shown})`);
          }
          texts.forEach((text, i) => {
            const lines = text.split("\n").map((l) => l.trim()).filter((l) =>
              l !== "" && !l.startsWith("stepgrad footer")
            );
            const last = lines.at(-1) ?? "";
            const bare = last.replace(/^\d+\s+/, "");
            assert.ok(
              !headings.some((h) => h === bare || h === last),
              `page ${i + 1} ends on the heading "${last}"`,
            );
            assert.doesNotMatch(last, /^Table \d+\./, `page ${i + 1} ends on a caption`);
            // A trace's options line (`Adam: α = … (lr)`) or its "Step n" heading is its head.
            assert.doesNotMatch(
              last,
              /^(\S+: α = |Step \d+$)/,
              `page ${i + 1} ends on a trace's head`,
            );
          });
        });
      }
    }
  },
});
