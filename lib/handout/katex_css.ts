/**
 * KaTeX's stylesheet with its fonts inside: every `@font-face` points at its woff2 file as a
 * `data:` URI, so a handout needs no network and no files beside it. Read from the pinned
 * katex package (the CSS must match the version that rendered the formulas).
 *
 * @module
 */
import { encodeBase64 } from "./base64.ts";

/**
 * katex.min.css with the woff2 fonts inlined (the woff and ttf fallbacks dropped: every browser
 * that prints a handout reads woff2). Given the class attributes on a page (each a
 * space-separated list, as in `class="…"`), only the font families
 * the page needs are inlined: KaTeX_Main always (the page's text is set in it), KaTeX_Math when a
 * formula or running text has a letter in it (lowercase Greek in text falls back to it), and each
 * other family (AMS, Size1 to Size4, Caligraphic, …) only when a class that selects it is on the
 * page.
 *
 * @example
 * ```ts
 * import { katexCss } from "./katex_css.ts";
 * import assert from "node:assert/strict";
 * const css = await katexCss();
 * assert.match(css, /url\(data:font\/woff2;base64,/);
 * assert.doesNotMatch(css, /url\(fonts\//);
 * assert.match(css, /font-family:KaTeX_AMS;/);
 * const small = await katexCss(new Set(["katex", "mord mathnormal"]));
 * assert.match(small, /font-family:KaTeX_Main;/);
 * assert.doesNotMatch(small, /font-family:KaTeX_AMS;/);
 * assert.ok(small.length < css.length / 2);
 * ```
 */
export async function katexCss(classes?: ReadonlySet<string>): Promise<string> {
  const { css, fonts } = await loaded();
  const keep = classes ? usedFamilies(css, classes) : undefined;
  const inlined = css.replace(/@font-face\{[^}]*\}/g, (face) => {
    const family = /font-family:"?(KaTeX_\w+)/.exec(face)?.[1]; // some names are quoted
    if (keep && family && !keep.has(family)) return "";
    // Bold italic: KaTeX's \boldsymbol, or (KaTeX_Math) Greek in bold running text.
    if (
      classes && family && /font-style:italic/.test(face) && /font-weight:700/.test(face) &&
      ![...classes].some((c) => c.split(" ").includes("boldsymbol")) &&
      !(family === "KaTeX_Math" && classes.has(BOLD_GREEK))
    ) return "";
    return face.replace(
      /src:url\(fonts\/([A-Za-z0-9_-]+)\.woff2\) format\("woff2"\)(?:,url\([^)]*\) format\("[^"]*"\))*/,
      (_, name: string) => `src:url(data:font/woff2;base64,${fonts.get(name)}) format("woff2")`,
    );
  });
  if (/url\(fonts\//.test(inlined)) {
    throw new Error("katex.min.css has a font reference this version of stepgrad cannot inline");
  }
  return inlined;
}

/**
 * A class name that stands for Greek letters in running text: the page's text is set in
 * KaTeX_Main, which has no lowercase Greek, and falls back to KaTeX_Math (its italic, as in a
 * formula), so that family is inlined whenever running text has Greek in it.
 */
export const TEXT_GREEK = "stepgrad-text-greek";

/** A class name that stands for Greek letters in bold running text (KaTeX_Math's bold italic). */
export const BOLD_GREEK = "stepgrad-bold-greek";

/**
 * The KaTeX font families a page with these classes needs: KaTeX_Main always, and each family a
 * rule of katex.min.css selects with classes that are all on the page.
 */
function usedFamilies(css: string, classes: ReadonlySet<string>): Set<string> {
  const used = new Set(["KaTeX_Main"]);
  if (classes.has(TEXT_GREEK)) used.add("KaTeX_Math");
  const elements = [...classes].map((c) => new Set(c.split(/\s+/)));
  for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const [, selectors, body] = m;
    if (selectors.includes("@font-face")) continue;
    const family = /font(?:-family)?:[^;}]*?(KaTeX_\w+)/.exec(body)?.[1];
    if (!family || used.has(family)) continue;
    // The element a selector styles is its last compound (`.delimsizing.size3` in
    // `.katex .delimsizing.size3`): some element must carry all of its classes.
    const any = selectors.split(",").some((sel) => {
      const subject = sel.trim().split(/[\s>+~]+/).at(-1) ?? "";
      const names = [...subject.matchAll(/\.([A-Za-z0-9_-]+)/g)].map((c) => c[1]);
      return names.length > 0 && elements.some((e) => names.every((n) => e.has(n)));
    });
    if (any) used.add(family);
  }
  return used;
}

let cached: Promise<{ css: string; fonts: Map<string, string> }> | undefined;

function loaded(): Promise<{ css: string; fonts: Map<string, string> }> {
  cached ??= (async () => {
    // Wherever Deno keeps the package (its global cache, or a node_modules folder), once katex
    // is loaded its files resolve to file: URLs; no deno.json or node_modules needed.
    await import("npm:katex@0.19.1");
    const cssUrl = new URL(import.meta.resolve("npm:katex@0.19.1/dist/katex.min.css"));
    if (cssUrl.protocol !== "file:") {
      throw new Error(`cannot find katex.min.css on disk (resolved to ${cssUrl.href})`);
    }
    const cssPath = cssUrl.href;
    const css = await Deno.readTextFile(cssUrl);
    const fontsDir = cssPath.replace(/katex\.min\.css$/, "fonts/");
    const fonts = new Map<string, string>();
    for (const m of css.matchAll(/url\(fonts\/([A-Za-z0-9_-]+)\.woff2\)/g)) {
      if (!fonts.has(m[1])) {
        const bytes = await Deno.readFile(new URL(`${fontsDir}${m[1]}.woff2`));
        fonts.set(m[1], encodeBase64(bytes));
      }
    }
    return { css, fonts };
  })();
  return cached;
}
