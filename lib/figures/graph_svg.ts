/**
 * The expression graph as a picture: the `graph` block's DOT text laid out by Graphviz (compiled
 * to WebAssembly, @viz-js/viz), loaded on first use. The SVG is cleaned for a page that must not
 * run or fetch anything: no links, no comments, no doctype, ids scoped to the figure.
 *
 * @module
 */
import { scopeIds } from "./svg_ids.ts";

/** What Graphviz draws every node and edge with, unless the DOT text says otherwise. */
const NODE_STYLE = {
  fontsize: 12,
  style: "filled",
  fillcolor: "#f4f7fb",
  color: "#4a5a6a",
  penwidth: 0.9,
};
const EDGE_STYLE = { color: "#4a5a6a", arrowsize: 0.7, penwidth: 0.9 };

// deno-lint-ignore no-explicit-any
let viz: Promise<any> | undefined;

function load() {
  viz ??= import("npm:@viz-js/viz@3.31.0").then((m) => m.instance());
  return viz;
}

/** Removes what a printed picture does not need and a script-free page must not have. */
export function cleanSvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>\s*/g, "")
    .replace(/<!DOCTYPE[^>]*>\s*/gi, "")
    .replace(/<!--[\s\S]*?-->\s*/g, "")
    .replace(/<title>[\s\S]*?<\/title>\s*/g, "")
    .replace(/<\/?a(\s[^>]*)?>\s*/g, "")
    .replace(/\s(?:xlink:)?(?:href|title|target)="[^"]*"/g, "")
    .replace(/<script[\s\S]*?<\/script>/gi, "")
    .replace(/\s+xmlns:xlink="[^"]*"/, "")
    .trim();
}

/** The box a picture gets on a printed page, in points (A4 and Letter less margins). */
const PAGE_WIDTH = 500;
const PAGE_HEIGHT = 660;

function size(svg: string): { width: number; height: number } {
  const m = svg.match(/<svg width="([\d.]+)pt" height="([\d.]+)pt"/);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : { width: 0, height: 0 };
}

/** How much a picture must shrink to fit the page box (1 when it fits). */
function fitScale(svg: string): number {
  const { width, height } = size(svg);
  return Math.min(1, PAGE_WIDTH / Math.max(width, 1), PAGE_HEIGHT / Math.max(height, 1));
}

function render(
  // deno-lint-ignore no-explicit-any
  instance: any,
  dot: string,
): string {
  const result = instance.render(dot, {
    format: "svg",
    nodeAttributes: NODE_STYLE,
    edgeAttributes: EDGE_STYLE,
    graphAttributes: { bgcolor: "transparent", pad: 0.1, nodesep: 0.18, ranksep: 0.22 },
  });
  if (result.status !== "success") {
    const why = result.errors
      .map((e: { message: string }) => e.message.trim())
      .filter((m: string) => m !== "")
      .join("; ");
    throw new SyntaxError(`Graphviz cannot read the graph: ${why || "unknown error"}`);
  }
  return result.output;
}

/**
 * Lays out DOT text and returns a standalone SVG element with ids prefixed by `prefix`. Throws a
 * `SyntaxError` with Graphviz's own message when the DOT text cannot be read. A left-to-right
 * graph too wide for a page is also laid out top to bottom, and the layout that keeps its text
 * larger on the page wins.
 *
 * @example
 * ```ts
 * import { graphSvg } from "./graph_svg.ts";
 * import assert from "node:assert/strict";
 * const svg = await graphSvg('digraph { x [label="x | data 3"]; x -> y }', "fig1");
 * assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * assert.match(svg, /id="fig1-1"/);
 * await assert.rejects(graphSvg("digraph { x -> }", "fig2"), SyntaxError);
 * ```
 */
export async function graphSvg(dot: string, prefix: string): Promise<string> {
  if (typeof dot !== "string" || dot.trim() === "") {
    throw new TypeError("a graph block needs DOT text, got nothing");
  }
  const instance = await load();
  let svg = render(instance, dot);
  const rankdir = /^(\s*rankdir\s*=\s*"?)LR("?\s*;?\s*)$/m;
  if (fitScale(svg) < 1 && rankdir.test(dot)) {
    const turned = render(instance, dot.replace(rankdir, "$1TB$2"));
    if (fitScale(turned) > 1.15 * fitScale(svg)) svg = turned;
  }
  return scopeIds(cleanSvg(svg), prefix);
}
