/**
 * Makes SVG ids unique and stable: every `id` is renamed to `<prefix>-<n>` in order of
 * appearance, and every reference to it (`url(#…)`, `href="#…"`) follows. Plot numbers its clip
 * paths with a process-wide counter and Graphviz names every node `node1`, so two pictures on one
 * page would clash and the same picture drawn twice would differ; after this they do neither.
 *
 * @module
 */

/**
 * Renames the ids of one SVG document.
 *
 * @example
 * ```ts
 * import { scopeIds } from "./svg_ids.ts";
 * import assert from "node:assert/strict";
 * const svg = '<svg><clipPath id="plot-clip-7"/><g clip-path="url(#plot-clip-7)"/></svg>';
 * assert.equal(
 *   scopeIds(svg, "fig2"),
 *   '<svg><clipPath id="fig2-1"/><g clip-path="url(#fig2-1)"/></svg>',
 * );
 * ```
 */
export function scopeIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]*)"/g)) {
    if (!renamed.has(m[1])) renamed.set(m[1], `${prefix}-${renamed.size + 1}`);
  }
  return svg
    .replace(/(\sid=")([^"]*)(")/g, (_, a, id, b) => `${a}${renamed.get(id)}${b}`)
    .replace(/url\(#([^)]*)\)/g, (all, id) => (renamed.has(id) ? `url(#${renamed.get(id)})` : all))
    .replace(
      /(href=")#([^"]*)(")/g,
      (all, a, id, b) => (renamed.has(id) ? `${a}#${renamed.get(id)}${b}` : all),
    );
}
