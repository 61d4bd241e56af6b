/// <reference lib="dom" />
/**
 * Handouts in a real browser (Debian's Chromium through playwright-core; the PDFs are printed the
 * way stepgrad prints them, by the browser alone), one browser for the
 * whole file: every lesson's HTML loads with no KaTeX error, its KaTeX fonts loaded from the
 * page itself, no request other than data:, no console error, every picture drawn; every
 * lesson prints to a PDF with a page count in range; a PDF is the same bytes twice.
 *
 * Skipped, saying so, only when Chromium is not installed.
 */
import assert from "node:assert/strict";
import { renderHtml } from "../../lib/handout/html.ts";
import { htmlToPdf } from "../../lib/handout/pdf.ts";
import { chromiumAvailable, chromiumPath } from "../../lib/handout/browser.ts";
import { type Browser, launchChromium } from "./playwright.ts";
import { isFigure } from "../../lib/figures/figures.ts";
import { allHandouts, fixtureHandout } from "./lessons.ts";

const available = chromiumAvailable();
if (!available) {
  console.warn(
    `browser tests skipped: no Chromium at ${chromiumPath()} (install Debian's package: apt-get install -y chromium)`,
  );
}

/** Pages in a PDF: its page objects (not the page tree nodes). */
function pageCount(pdf: Uint8Array): number {
  const text = new TextDecoder("latin1").decode(pdf);
  return text.match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}

/** Inflates every Flate stream of a PDF; throws at the first one that is corrupt. */
async function inflateAll(pdf: Uint8Array): Promise<number> {
  let text = "";
  for (let i = 0; i < pdf.length; i += 0x8000) {
    text += String.fromCharCode(...pdf.subarray(i, i + 0x8000)); // one char per byte
  }
  let count = 0;
  for (const m of text.matchAll(/\/FlateDecode[^]*?>>\s*stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = text.indexOf("endstream", start);
    const data = pdf.subarray(start, text[end - 2] === "\r" ? end - 2 : end - 1);
    const stream = new Blob([data.slice()]).stream().pipeThrough(
      new DecompressionStream("deflate"),
    );
    await new Response(stream).arrayBuffer();
    count++;
  }
  return count;
}

interface PageReport {
  requests: string[];
  errors: string[];
  katexErrors: number;
  katexNodes: number;
  fontsLoaded: string[];
  mainFontReady: boolean;
  figures: { kind: string; width: number; height: number; shapes: number }[];
  printHeight: number;
}

async function inspect(browser: Browser, html: string): Promise<PageReport> {
  const file = await Deno.makeTempFile({ suffix: ".html" });
  await Deno.writeTextFile(file, html);
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const pageUrl = `file://${file}`;
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => {
    if (r.url() !== pageUrl && !r.url().startsWith("data:")) requests.push(r.url());
  });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  try {
    await page.goto(pageUrl, { waitUntil: "load" });
    const report = await page.evaluate(async () => {
      await document.fonts.ready;
      const loaded = [...document.fonts].filter((f) => f.status === "loaded").map((f) =>
        `${f.family.replace(/"/g, "")} ${f.style} ${f.weight}`
      );
      const figures = [...document.querySelectorAll("figure")].map((f) => {
        const svg = f.querySelector("svg");
        const box = svg?.getBoundingClientRect();
        return {
          kind: f.className,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          shapes: svg?.querySelectorAll("path, circle, polygon, ellipse, line, text").length ?? 0,
        };
      });
      return {
        katexErrors: document.querySelectorAll(".katex-error").length,
        katexNodes: document.querySelectorAll(".katex").length,
        fontsLoaded: loaded,
        mainFontReady: document.fonts.check('16px "KaTeX_Main"'),
        figures,
      };
    });
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 665, height: 900 }); // A4 less the margins, in CSS px
    const printHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    return { ...report, requests, errors, printHeight };
  } finally {
    await page.close();
    await Deno.remove(file);
  }
}

Deno.test({
  name:
    "every handout in headless Chromium: KaTeX fonts, no errors, no network, pictures drawn, a PDF in range",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const browser = await launchChromium();
    try {
      for (const { name, handout } of await allHandouts()) {
        await t.step(name, async () => {
          const html = await renderHtml(handout);
          const r = await inspect(browser, html);
          assert.deepEqual(r.requests, [], "no request other than data:");
          assert.deepEqual(r.errors, [], "no console errors or warnings");
          assert.equal(r.katexErrors, 0);
          if (r.katexNodes > 0) {
            assert.ok(r.mainFontReady, "KaTeX_Main is ready");
            assert.ok(
              r.fontsLoaded.some((f) => f.startsWith("KaTeX_Main ")),
              `KaTeX_Main loaded; loaded: ${r.fontsLoaded.join(", ")}`,
            );
            assert.ok(r.fontsLoaded.some((f) => f.startsWith("KaTeX_Math ")), "KaTeX_Math loaded");
          }
          const kinds = handout.blocks.filter(isFigure).map((b) => b.kind);
          assert.deepEqual(r.figures.map((f) => f.kind), kinds, "one figure per picture block");
          for (const f of r.figures) {
            assert.ok(f.width > 200 && f.height > 80, `${f.kind} drawn at ${f.width}×${f.height}`);
            assert.ok(f.shapes > 5, `${f.kind} has ${f.shapes} shapes`);
          }
          const pdf = await htmlToPdf(html, { footer: name });
          assert.equal(new TextDecoder().decode(pdf.subarray(0, 5)), "%PDF-");
          assert.ok(await inflateAll(pdf) > 0, "every compressed stream inflates");
          const pages = pageCount(pdf);
          // A4 prints about 990 CSS px of content a page; sections run on, and figures, tables
          // and a trace's head do not split, so allow half as much again plus a page.
          const estimate = r.printHeight / 990;
          assert.ok(
            pages >= Math.max(1, Math.floor(estimate * 0.8)) &&
              pages <= Math.ceil(estimate * 1.5) + 1,
            `${pages} pages for ~${estimate.toFixed(1)} pages of content`,
          );
        });
      }
      await t.step(
        "a PDF is byte-identical for the same lesson and seed, and Letter is Letter",
        async () => {
          const html = await renderHtml(await fixtureHandout(3));
          const a = await htmlToPdf(html);
          await new Promise((resolve) => setTimeout(resolve, 1100)); // a new second on the clock
          const b = await htmlToPdf(html);
          assert.deepEqual(a, b);
          const letter = new TextDecoder("latin1").decode(
            await htmlToPdf(html, { paper: "letter" }),
          );
          assert.match(letter, /\/MediaBox \[0 0 612 792\]/);
          // A4 is 210 × 297 mm = 595.28 × 841.89 pt; Chromium rounds to its CSS pixels.
          const box = new TextDecoder("latin1").decode(a).match(
            /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/,
          );
          assert.ok(box, "a MediaBox");
          assert.ok(Math.abs(Number(box[1]) - 595.28) < 1, `A4 width ${box[1]} pt`);
          assert.ok(Math.abs(Number(box[2]) - 841.89) < 1, `A4 height ${box[2]} pt`);
        },
      );
    } finally {
      await browser.close();
    }
  },
});
