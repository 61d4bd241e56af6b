/**
 * What every handout format needs to say the same thing: display math for several lines, and
 * table cells as text with their alignment.
 *
 * @module
 */
import type { Block, Formula } from "./doc.ts";
import { formatNumber } from "../text/format.ts";

/** Whether a LaTeX line has an alignment point (`&`, not `\&`). */
export function hasAlignment(tex: string): boolean {
  // An `&` inside an environment (a matrix's columns) is not an alignment point.
  let outer = tex, before;
  do {
    before = outer;
    outer = outer.replace(/\\begin\{([a-zA-Z*]+)\}(?:(?!\\begin\{)[^])*?\\end\{\1\}/g, "");
  } while (outer !== before);
  return /(^|[^\\])&/.test(outer);
}

/**
 * Display math for several lines: aligned at `&` when any line has one, else centred; `newline`
 * ("\n") puts each line on its own source line, for the formats people read as text.
 *
 * @example
 * ```ts
 * import { displayTex } from "./blocks.ts";
 * import assert from "node:assert/strict";
 * const lines = [{ tex: "a &= 1", text: "a = 1" }, { tex: "b &= 2", text: "b = 2" }];
 * assert.equal(displayTex(lines), "\\begin{aligned}a &= 1 \\\\ b &= 2\\end{aligned}");
 * assert.equal(displayTex([{ tex: "x^2", text: "x²" }]), "x^2");
 * ```
 */
export function displayTex(lines: Formula[], newline = ""): string {
  if (lines.length === 1 && !hasAlignment(lines[0].tex)) return lines[0].tex;
  const env = lines.some((l) => hasAlignment(l.tex)) ? "aligned" : "gathered";
  const body = lines.map((l) => l.tex).join(` \\\\${newline || " "}`);
  return `\\begin{${env}}${newline}${body}${newline}\\end{${env}}`;
}

/**
 * A table cell as text: numbers through the one formatter.
 *
 * @example
 * ```ts
 * import { cellText } from "./blocks.ts";
 * import assert from "node:assert/strict";
 * assert.equal(cellText(-0.000012345678), "−1.23457×10⁻⁵");
 * assert.equal(cellText(0.298371109, 9), "0.298371109");
 * ```
 */
export function cellText(cell: string | number, digits?: number): string {
  return typeof cell === "number" ? formatNumber(cell, digits ? { digits } : {}) : String(cell);
}

/** A column's alignment: as given, else right when every cell is a number. */
export function columnAlign(
  block: Extract<Block, { kind: "table" }>,
  i: number,
): "left" | "right" | "center" {
  return block.columns[i].align ??
    (block.rows.length > 0 && block.rows.every((r) => typeof r[i] === "number") ? "right" : "left");
}
