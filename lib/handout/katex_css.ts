/**
 * KaTeX's stylesheet with its fonts inside: every `@font-face` points at its woff2 file as a
 * `data:` URI, so a handout needs no network and no files beside it. Read from the pinned
 * katex package (the CSS must match the version that rendered the formulas).
 *
 * @module
 */
import { createRequire } from "node:module";
import { encodeBase64 } from "./base64.ts";

let cached: Promise<string> | undefined;

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
 * ```
 */
export function katexCss(): Promise<string> {
  cached ??= (async () => {
    const require = createRequire(import.meta.url);
    const cssPath = require.resolve("katex/dist/katex.min.css");
    const css = await Deno.readTextFile(cssPath);
    const fontsDir = cssPath.replace(/katex\.min\.css$/, "fonts/");
    const fonts = new Map<string, string>();
    for (const m of css.matchAll(/url\(fonts\/([A-Za-z0-9_-]+)\.woff2\)/g)) {
      if (!fonts.has(m[1])) {
        const bytes = await Deno.readFile(`${fontsDir}${m[1]}.woff2`);
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
    return inlined;
  })();
  return cached;
}
