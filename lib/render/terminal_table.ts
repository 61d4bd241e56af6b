/**
 * Tables for the terminal: aligned columns under a header and a rule, numbers through the one
 * formatter, aligned as in every handout format (`columnAlign` of lib/doc/blocks.ts).
 *
 * @module
 */
import type { Cell, Column } from "../doc/doc.ts";
import { cellText, columnAlign } from "../doc/blocks.ts";
import { textWidth } from "../text/width.ts";
import { center, padEnd, padStart, wrap } from "./terminal_layout.ts";

/**
 * A table in aligned columns: a header, a rule, the rows; numbers formatted by
 * `cellText` and aligned by `columnAlign` (lib/doc/blocks.ts), as the handouts do.
 *
 * @example
 * ```ts
 * import { renderTable } from "./terminal_table.ts";
 * import assert from "node:assert/strict";
 * const lines = renderTable([{ header: "α" }, { header: "loss" }], [["small", 0.5], ["large", -12.25]]);
 * assert.deepEqual(lines, [
 *   "  α        loss",
 *   "  ─────  ──────",
 *   "  small     0.5",
 *   "  large  −12.25",
 * ]);
 * ```
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  digits?: number,
  width = Infinity,
): string[] {
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i] ?? "", digits)));
  const aligns = columns.map((_, i) => columnAlign({ columns, rows }, i));
  const widths = columns.map((c, i) =>
    Math.max(textWidth(c.header), ...cells.map((r) => textWidth(r[i])))
  );
  const total = (ws: readonly number[]) => 2 + ws.reduce((a, w) => a + w, 0) + 2 * (ws.length - 1);
  // Too wide: first narrow the columns of words (their cells continue on a second line), the
  // widest first, down to 14 columns; then split the table, each part repeating the first column.
  const words = columns.map((_, i) =>
    aligns[i] === "left" && cells.some((r) => r[i].includes(" "))
  );
  const floor = columns.map((c, i) =>
    words[i]
      ? Math.max(
        14,
        textWidth(c.header),
        ...cells.flatMap((r) => r[i].split(" ").map(textWidth)),
      )
      : widths[i]
  );
  while (total(widths) > width) {
    const i = widths.findIndex((w, k) =>
      w > floor[k] && w === Math.max(...widths.filter((v, j) => v > floor[j]))
    );
    if (i < 0) break;
    widths[i] = Math.max(floor[i], widths[i] - (total(widths) - width));
  }
  const fit = (s: string, i: number) =>
    aligns[i] === "right"
      ? padStart(s, widths[i])
      : aligns[i] === "center"
      ? center(s, widths[i])
      : padEnd(s, widths[i]);
  /** One row as lines: a cell wider than its column wraps at spaces. */
  const row = (parts: string[], keep: readonly number[]): string[] => {
    const wrapped = keep.map((i) => wrap(parts[i], widths[i]));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from(
      { length: height },
      (_, k) => ("  " + keep.map((i, j) => fit(wrapped[j][k] ?? "", i)).join("  ")).trimEnd(),
    );
  };
  const part = (keep: readonly number[]) => [
    ...row(columns.map((c) => c.header), keep),
    "  " + keep.map((i) => "─".repeat(widths[i])).join("  "),
    ...cells.flatMap((r) => row(r, keep)),
  ];
  if (total(widths) <= width || columns.length < 3) return part(columns.map((_, i) => i));
  // Split: as many columns as fit beside the first, then the next ones.
  const parts: number[][] = [];
  let current = [0];
  for (let i = 1; i < columns.length; i++) {
    const next = [...current, i];
    if (current.length > 1 && total(next.map((k) => widths[k])) > width) {
      parts.push(current);
      current = [0, i];
    } else current = next;
  }
  parts.push(current);
  return parts.flatMap((keep, k) => (k === 0 ? part(keep) : ["", ...part(keep)]));
}
