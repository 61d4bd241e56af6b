/**
 * The pictures of a handout, drawn once and numbered in order (Figure 1, Figure 2, …): charts,
 * contour plots and decision boundaries by Observable Plot, expression graphs by Graphviz.
 *
 * @module
 */
import type { Block } from "../doc/doc.ts";
import { type LegendEntry, plotSvg } from "./plot.ts";
import { graphSvg } from "./graph_svg.ts";

/** A numbered picture. */
export interface Figure {
  /** 1 for the first picture of the handout. */
  number: number;
  /** The block's title (user text, not escaped). */
  title: string;
  /** The standalone SVG; ids start with `fig<number>-`. */
  svg: string;
  /** What the colours mean (may be empty). */
  legend: LegendEntry[];
  /** Which kind of block it came from. */
  kind: "chart" | "contour" | "boundary" | "graph";
}

/** Whether a block is drawn as a picture. */
export function isFigure(
  block: Block,
): block is Extract<Block, { kind: "chart" | "contour" | "boundary" | "graph" }> {
  return block.kind === "chart" || block.kind === "contour" || block.kind === "boundary" ||
    block.kind === "graph";
}

/**
 * Draws every picture block; the map's keys are the blocks' positions.
 *
 * @example
 * ```ts
 * import { drawFigures } from "./figures.ts";
 * import assert from "node:assert/strict";
 * const figures = await drawFigures([
 *   { kind: "paragraph", content: ["text"] },
 *   { kind: "graph", title: "g", dot: "digraph { a -> b }" },
 * ]);
 * assert.deepEqual([...figures.keys()], [1]);
 * assert.equal(figures.get(1)?.number, 1);
 * ```
 */
export async function drawFigures(blocks: Block[]): Promise<Map<number, Figure>> {
  const figures = new Map<number, Figure>();
  let number = 0;
  for (const [i, block] of blocks.entries()) {
    if (!isFigure(block)) continue;
    number++;
    const prefix = `fig${number}`;
    if (block.kind === "graph") {
      const svg = await graphSvg(block.dot, prefix);
      figures.set(i, { number, title: block.title, svg, legend: [], kind: "graph" });
    } else {
      const { svg, legend } = await plotSvg(block, prefix);
      figures.set(i, { number, title: block.title, svg, legend, kind: block.kind });
    }
  }
  return figures;
}
