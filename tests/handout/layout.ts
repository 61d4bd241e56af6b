/// <reference lib="dom" />
/**
 * Measures, inside a page in headless Chromium, whether any formula, table, code block or figure
 * of a handout extends past its column: its content (every descendant's box, not just its own)
 * reaching beyond the column's edges, cut by an ancestor with `overflow: hidden`, or scrolling
 * inside a container (allowed only where `scrollOk`, the narrow screen).
 */
import type { Browser } from "./playwright.ts";

/** One block that does not fit. */
export interface Overflow {
  /** What it is: `formula`, `table`, `code`, `figure`. */
  kind: string;
  /** Its first words, to find it. */
  text: string;
  /** Why: past the column, hidden, or scrolling. */
  why: string;
  /** How many CSS px too wide. */
  by: number;
}

/** Widths of the printable area (paper less the handout's `@page` margins of 17 mm a side), CSS px. */
export const PRINT_WIDTHS = {
  a4: ((210 - 2 * 17) / 25.4) * 96,
  letter: ((215.9 - 2 * 17) / 25.4) * 96,
} as const;

/** The check itself, run in the page: a plain function so playwright can send its source. */
function findOverflows(scrollOk: boolean): Overflow[] {
  const column = document.querySelector("main") ?? document.body;
  const col = column.getBoundingClientRect();
  const selectors: [string, string][] = [
    ["formula", ".katex-display, .display, .stepgrad-equations"],
    ["formula", "p .katex, li .katex, td .katex"],
    ["table", "table"],
    ["code", "pre"],
    ["figure", "figure"],
  ];
  const out: Overflow[] = [];
  const seen = new Set<Element>();
  const clips = (el: Element) => {
    const s = getComputedStyle(el);
    return s.overflowX !== "visible" || s.overflowY !== "visible";
  };
  for (const [kind, selector] of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      if (seen.has(el)) continue;
      seen.add(el);
      // The extent of everything drawn inside the block.
      let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
      for (const d of [el, ...el.querySelectorAll("*")]) {
        const r = d.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (d.closest(".katex-mathml")) continue; // for screen readers, clipped to nothing
        // Inside a picture only the picture's own box counts (KaTeX draws √ as a path far
        // wider than its svg, which shows only the part it needs).
        if (d.parentElement?.closest("svg")) continue;
        if (getComputedStyle(d).visibility === "hidden") continue;
        left = Math.min(left, r.left), right = Math.max(right, r.right);
        top = Math.min(top, r.top), bottom = Math.max(bottom, r.bottom);
      }
      if (right < left) continue;
      const text = (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 70);
      // Walk up to the column: every ancestor (or the block itself) that clips.
      let scroller: Element | undefined;
      for (let a: Element | null = el; a && a !== column; a = a.parentElement) {
        if (!clips(a)) continue;
        const s = getComputedStyle(a);
        const r = a.getBoundingClientRect();
        const scrolls = (v: string) => v === "auto" || v === "scroll";
        // Content beyond the box: boxes drawn outside it, or text it scrolls (a.scrollWidth).
        const pastX = Math.max(r.left - left, right - r.right, a.scrollWidth - a.clientWidth);
        const pastY = Math.max(r.top - top, bottom - r.bottom, a.scrollHeight - a.clientHeight);
        if (pastX > 1 && !scrolls(s.overflowX)) {
          out.push({ kind, text, why: "cut off sideways (overflow hidden)", by: pastX });
        } else if (pastY > 2 && !scrolls(s.overflowY)) {
          out.push({ kind, text, why: "cut off at top or bottom (overflow hidden)", by: pastY });
        } else if (pastX > 1 && !scrollOk) {
          out.push({ kind, text, why: "needs a sideways scroll", by: Math.max(pastX, 1) });
        }
        if (pastX > 1 && scrolls(s.overflowX)) {
          scroller = a;
          left = Math.max(left, r.left), right = Math.min(right, r.right);
        }
      }
      void scroller;
      const past = Math.max(col.left - left, right - col.right);
      if (past > 1) out.push({ kind, text, why: "past its column", by: past });
    }
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    out.push({
      kind: "page",
      text: "",
      why: "the whole page scrolls sideways",
      by: doc.scrollWidth - doc.clientWidth,
    });
  }
  return out;
}

/** How a page is looked at. */
export interface View {
  /** Name for messages. */
  name: string;
  /** Viewport width, CSS px. */
  width: number;
  /** Print media (the printable width of a paper) rather than screen. */
  print: boolean;
}

/** The four views the issue asks for. */
export const VIEWS: readonly View[] = [
  { name: "screen 1000 px", width: 1000, print: false },
  { name: "screen 700 px", width: 700, print: false },
  { name: "print A4", width: PRINT_WIDTHS.a4, print: true },
  { name: "print Letter", width: PRINT_WIDTHS.letter, print: true },
];

/** Every block that does not fit, per view, for one HTML page. */
export async function overflows(
  browser: Browser,
  html: string,
  views: readonly View[] = VIEWS,
): Promise<Map<string, Overflow[]>> {
  const file = await Deno.makeTempFile({ suffix: ".html" });
  await Deno.writeTextFile(file, html);
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const result = new Map<string, Overflow[]>();
  try {
    await page.goto(`file://${file}`, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready.then(() => true));
    for (const v of views) {
      await page.emulateMedia({ media: v.print ? "print" : "screen" });
      await page.setViewportSize({ width: Math.floor(v.width), height: 900 });
      result.set(v.name, await page.evaluate(findOverflows, v.width === 700 && !v.print));
    }
  } finally {
    await page.close();
    await Deno.remove(file);
  }
  return result;
}

/** A font that drew some of a page's text, and how many glyphs. */
export interface UsedFont {
  /** The family the glyphs came from. */
  family: string;
  /** Whether it came from the page's own `@font-face` (not the machine's fonts). */
  custom: boolean;
  /** Glyphs drawn with it. */
  glyphs: number;
  /** The text of one element that used it (to find it). */
  example: string;
}

/**
 * The fonts Chromium actually drew the text inside `selector` with (DevTools' platform fonts per
 * node), summed by family.
 */
export async function fontsUsed(
  browser: Browser,
  html: string,
  selector: string,
): Promise<UsedFont[]> {
  const file = await Deno.makeTempFile({ suffix: ".html" });
  await Deno.writeTextFile(file, html);
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  try {
    await page.goto(`file://${file}`, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready.then(() => true));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
    const { nodeIds } = await cdp.send("DOM.querySelectorAll", {
      nodeId: root.nodeId,
      selector,
    });
    const byFamily = new Map<string, UsedFont>();
    const results = await Promise.all(
      nodeIds.map((nodeId) =>
        cdp.send("CSS.getPlatformFontsForNode", { nodeId }).then((r) => ({ nodeId, ...r }))
      ),
    );
    for (const { nodeId, fonts } of results) {
      for (const f of fonts) {
        const key = `${f.familyName}|${f.isCustomFont}`;
        const seen = byFamily.get(key);
        if (seen) seen.glyphs += f.glyphCount;
        else {
          const example = (await cdp.send("DOM.getOuterHTML", { nodeId })).outerHTML.slice(0, 120);
          byFamily.set(key, {
            family: f.familyName,
            custom: f.isCustomFont,
            glyphs: f.glyphCount,
            example,
          });
        }
      }
    }
    await cdp.detach();
    return [...byFamily.values()];
  } finally {
    await page.close();
    await Deno.remove(file);
  }
}
