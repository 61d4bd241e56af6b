/**
 * KaTeX's stylesheet with its fonts inside: every `@font-face` points at its woff2 file as a
 * `data:` URI, so a handout needs no network and no files beside it. Read from the pinned
 * katex package (the CSS must match the version that rendered the formulas).
 *
 * @module
 */
import { encodeBase64 } from "./base64.ts";

let cached: Promise<string> | undefined;

/** The font family of lowercase Greek in running text (KaTeX's math italic, Greek only). */
export const GREEK_FAMILY = "stepgrad Greek";

/**
 * katex.min.css with the woff2 fonts inlined (the woff and ttf fallbacks dropped: every browser
 * that prints a handout reads woff2).
 *
 * @example
 * ```ts
 * import { katexCss } from "./katex_css.ts";
 * import assert from "node:assert/strict";
 * const css = await katexCss();
 * assert.match(css, /url\(data:font\/woff2;base64,/);
 * assert.doesNotMatch(css, /url\(fonts\//);
 * assert.match(css, /font-family:"stepgrad Greek"[^}]*unicode-range:U\+03B1-03C9/);
 * ```
 */
export function katexCss(): Promise<string> {
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
    const inlined = css.replace(
      /src:url\(fonts\/([A-Za-z0-9_-]+)\.woff2\) format\("woff2"\)(?:,url\([^)]*\) format\("[^"]*"\))*/g,
      (_, name: string) => `src:url(data:font/woff2;base64,${fonts.get(name)}) format("woff2")`,
    );
    if (/url\(fonts\//.test(inlined)) {
      throw new Error("katex.min.css has a font reference this version of stepgrad cannot inline");
    }
    // Running text is set in KaTeX_Main, which has no lowercase Greek: borrow KaTeX's math
    // italic for those letters only, so "α = 0.05" in a sentence matches α in a formula.
    const greek = (file: string, weight: number) =>
      `@font-face{font-family:"${GREEK_FAMILY}";font-style:normal;font-weight:${weight};` +
      `src:url(data:font/woff2;base64,${fonts.get(file)}) format("woff2");` +
      `unicode-range:U+03B1-03C9,U+03D1,U+03D5-03D6,U+03F1,U+03F5}`;
    return `${inlined}\n${greek("KaTeX_Math-Italic", 400)}\n${greek("KaTeX_Math-BoldItalic", 700)}`;
  })();
  return cached;
}
