/**
 * The terminal renderer: a lesson's blocks as plain Unicode text, printed as they arrive, and a
 * progress bar on stderr.
 *
 * Every block has a text form: headings underlined, paragraphs wrapped with each inline formula
 * in its text spelling, tables in aligned columns (numbers through {@linkcode formatNumber}), math
 * indented, notes behind a bar, optimizer traces through `traceToText`, charts drawn by asciichart, contour plots and decision boundaries
 * as character maps, expression graphs summarised. Output depends only on the blocks (a fixed
 * width, no colours, nothing from the machine), so the same lesson and seed print the same bytes.
 *
 * @module
 */
import asciichart from "npm:asciichart@1.5.25";
import type { Block, Column, Inline, Sink } from "../doc/doc.ts";
import type { TraceInput } from "../optim/trace.ts";
import { formatNumber } from "../text/format.ts";
import { traceToText } from "./trace_text.ts";
import { DEFAULT_WIDTH, terminalWidth, textWidth } from "../text/width.ts";

/** Options for {@linkcode renderBlock}. */
export interface TerminalOptions {
  /** Line width for text, tables, traces and pictures (default 80). */
  width?: number;
}

export { textWidth };

function padEnd(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - textWidth(s)));
}

function padStart(s: string, width: number): string {
  return " ".repeat(Math.max(0, width - textWidth(s))) + s;
}

function center(s: string, width: number): string {
  const room = Math.max(0, width - textWidth(s));
  const left = Math.floor(room / 2);
  return " ".repeat(left) + s + " ".repeat(room - left);
}

/**
 * Running text with each inline formula in its text spelling.
 *
 * @example
 * ```ts
 * import { inlineText } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * assert.equal(inlineText(["Then ", { tex: "w - \\alpha", text: "w − α" }, "."]), "Then w − α.");
 * ```
 */
export function inlineText(content: readonly Inline[]): string {
  return content.map((c) => (typeof c === "string" ? c : c.text)).join("");
}

/**
 * Wraps text at spaces so no line is wider than `width` (a longer word gets a line of its own).
 * Newlines in the text start new lines. `first` prefixes the first line, `rest` the others.
 *
 * @example
 * ```ts
 * import { wrap } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(wrap("one two three four", 9), ["one two", "three", "four"]);
 * assert.deepEqual(wrap("a b", 10, "> ", "  "), ["> a b"]);
 * ```
 */
export function wrap(text: string, width: number, first = "", rest = first): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ").filter((w) => w !== "")) {
      const prefix = lines.length === 0 ? first : rest;
      if (line === "") line = word;
      else if (textWidth(prefix + line + " " + word) <= width) line += " " + word;
      else {
        lines.push(prefix + line);
        line = word;
      }
    }
    lines.push((lines.length === 0 ? first : rest) + line);
  }
  return lines.map((l) => l.trimEnd());
}

/**
 * Lines of text made to fit `width`: each line wider than that continues on the next, indented
 * by two (so a counterexample or a hint reads as one item).
 *
 * @example
 * ```ts
 * import { fitText } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fitText("short\none two three four", 10), "short\none two\n  three\n  four");
 * ```
 */
export function fitText(text: string, width: number): string {
  return text.split("\n").flatMap((l) => textWidth(l) <= width ? [l] : wrap(l, width, "", "  "))
    .join("\n");
}

function cellText(cell: string | number, digits: number | undefined): string {
  return typeof cell === "number" ? formatNumber(cell, digits ? { digits } : {}) : cell;
}

/**
 * A table in aligned columns: a header, a rule, the rows; numbers formatted by
 * {@linkcode formatNumber} and right-aligned unless the column says otherwise.
 *
 * @example
 * ```ts
 * import { renderTable } from "./terminal.ts";
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
  rows: readonly (readonly (string | number)[])[],
  digits?: number,
  width = Infinity,
): string[] {
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i] ?? "", digits)));
  const aligns = columns.map((c, i) =>
    c.align ??
      (rows.every((r) => typeof r[i] === "number" || r[i] === undefined || r[i] === "")
        ? "right"
        : "left")
  );
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

/** The points up to the first non-finite one. */
function finitePrefix(points: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of points) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) break;
    out.push(p);
  }
  return out;
}

const SERIES_SYMBOLS: readonly (readonly string[])[] = [
  ["┼", "┤", "╶", "╴", "─", "╰", "╭", "╮", "╯", "│"],
  ["┼", "┤", "•", "•", "•", "•", "•", "•", "•", "•"],
  ["┼", "┤", "+", "+", "+", "+", "+", "+", "+", "+"],
  ["┼", "┤", "x", "x", "x", "x", "x", "x", "x", "x"],
  ["┼", "┤", "o", "o", "o", "o", "o", "o", "o", "o"],
  ["┼", "┤", "*", "*", "*", "*", "*", "*", "*", "*"],
  ["┼", "┤", "=", "=", "=", "=", "=", "=", "=", "="],
  ["┼", "┤", "#", "#", "#", "#", "#", "#", "#", "#"],
];

interface AsciiChart {
  plot(series: number[][], config: Record<string, unknown>): string;
}

/**
 * A line chart drawn by asciichart: the y axis labelled by {@linkcode formatNumber}, one symbol
 * per series (a line, then • + x o * = #), a legend, and the x range below. A series ends at its first
 * non-finite point (divergence); a log-scale chart plots log₁₀ y of the positive values.
 *
 * @example
 * ```ts
 * import { renderChart } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * const lines = renderChart({
 *   kind: "chart", title: "loss", xLabel: "step", yLabel: "loss",
 *   series: [{ name: "α = 0.1", points: [[0, 4], [1, 2], [2, 1], [3, 0.5]] }],
 * });
 * assert.ok(lines.some((l) => l.includes("α = 0.1")));
 * assert.ok(lines.some((l) => /^ +4 [┤┼]/.test(l)));
 * ```
 */
export function renderChart(
  block: Extract<Block, { kind: "chart" }>,
  options: TerminalOptions = {},
): string[] {
  const width = options.width ?? DEFAULT_WIDTH;
  const logY = block.logY === true;
  const series = block.series.map((s) => {
    let points = finitePrefix(s.points);
    if (logY) {
      const end = points.findIndex((p) => !(p[1] > 0));
      if (end >= 0) points = points.slice(0, end);
      points = points.map(([x, y]) => [x, Math.log10(y)]);
    }
    return { name: s.name, points };
  });
  const lines = [...wrap(block.title, width, "  ")];
  const drawn = series.filter((s) => s.points.length > 0);
  if (drawn.length === 0) return [...lines, "  (no finite values to draw)"];
  const xs = drawn.flatMap((s) => s.points.map((p) => p[0]));
  const ys = drawn.flatMap((s) => s.points.map((p) => p[1]));
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  let y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (y0 === y1) (y0 -= 1), (y1 += 1);
  const labelWidth = 11;
  const columns = Math.max(
    2,
    Math.min(width - labelWidth - 4, Math.max(...drawn.map((s) => s.points.length))),
  );
  // Resample every series onto one grid of columns: the last point at or before each column's x.
  const grid = drawn.map((s) => {
    const out: number[] = [];
    let k = 0;
    for (let c = 0; c < columns; c++) {
      const x = x1 === x0 ? x0 : x0 + ((x1 - x0) * c) / (columns - 1);
      while (k + 1 < s.points.length && s.points[k + 1][0] <= x + 1e-12 * Math.abs(x1 - x0)) k++;
      if (s.points[k][0] > x + 1e-12 * Math.abs(x1 - x0)) continue; // starts later: leave blank
      if (c > 0 && x > s.points[s.points.length - 1][0] + 1e-12 * Math.abs(x1 - x0)) break;
      out.push(s.points[k][1]);
    }
    return out;
  });
  const format = (y: number) =>
    padStart(formatNumber(logY ? 10 ** y : y, { digits: 3 }), labelWidth - 1);
  const chart = asciichart as unknown as AsciiChart;
  const pictures = grid.map((values, i) =>
    chart.plot([values], {
      min: y0,
      max: y1,
      height: 12,
      format,
      symbols: SERIES_SYMBOLS[i % SERIES_SYMBOLS.length],
    }).split("\n").map((row) => [...row])
  );
  // Overlay: later series drawn over earlier ones, axis and labels from the first.
  const base = pictures[0];
  for (const picture of pictures.slice(1)) {
    for (let r = 0; r < base.length; r++) {
      for (let c = labelWidth + 1; c < picture[r].length; c++) {
        if (picture[r][c] !== " ") {
          while (base[r].length <= c) base[r].push(" ");
          base[r][c] = picture[r][c];
        }
      }
    }
  }
  lines.push(`  ${block.yLabel}${logY ? " (log scale)" : ""}`);
  for (const row of base) lines.push(row.join("").trimEnd());
  const left = formatNumber(x0, { digits: 4 }), right = formatNumber(x1, { digits: 4 });
  const middle = Math.max(
    textWidth(block.xLabel) + 2,
    columns + 1 - textWidth(left) - textWidth(right),
  );
  lines.push(" ".repeat(labelWidth) + left + center(block.xLabel, middle) + right);
  {
    const legend = block.series.map((s) => {
      const j = drawn.findIndex((d) => d.name === s.name);
      const symbol = j < 0 ? " " : j === 0 ? "─" : SERIES_SYMBOLS[j % SERIES_SYMBOLS.length][4];
      const ended = finitePrefix(s.points).length < s.points.length ? " (ends: not finite)" : "";
      return `${symbol} ${s.name}${ended}`;
    });
    lines.push(...pack(legend, width));
  }
  return lines;
}

/** Items three spaces apart, as many to a line as fit. */
function pack(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    if (line !== "" && textWidth(`  ${line}   ${item}`) > width) {
      lines.push(`  ${line}`);
      line = "";
    }
    line = line === "" ? item : `${line}   ${item}`;
  }
  if (line !== "") lines.push(`  ${line}`);
  return lines;
}

const MAP_COLUMNS = 60;
const MAP_ROWS = 20;
const SHADES = [" ", ".", ":", "-", "=", "+", "*", "#"];

function nearestIndex(sorted: readonly number[], x: number): number {
  let best = 0;
  for (let i = 1; i < sorted.length; i++) {
    if (Math.abs(sorted[i] - x) < Math.abs(sorted[best] - x)) best = i;
  }
  return best;
}

interface MapFrame {
  cellX(c: number): number;
  cellY(r: number): number;
  column(x: number): number;
  row(y: number): number;
  columns: number;
  rows: number;
}

/** The y axis's labels: the top and bottom values, as {@linkcode mapLines} prints them. */
function yLabels(ys: readonly number[]): [string, string, number] {
  const top = formatNumber(Math.max(...ys), { digits: 3 });
  const bottom = formatNumber(Math.min(...ys), { digits: 3 });
  return [top, bottom, Math.max(textWidth(top), textWidth(bottom))];
}

function frame(xs: readonly number[], ys: readonly number[], width: number): MapFrame {
  // "  " + the y labels + " │" + the cells + "│" fit the width.
  const columns = Math.max(10, Math.min(MAP_COLUMNS, width - 5 - yLabels(ys)[2]));
  const rows = MAP_ROWS;
  const xa = Math.min(...xs), xb = Math.max(...xs), ya = Math.min(...ys), yb = Math.max(...ys);
  return {
    columns,
    rows,
    cellX: (c) => xa + ((c + 0.5) * (xb - xa)) / columns,
    cellY: (r) => yb - ((r + 0.5) * (yb - ya)) / rows,
    column: (x) => Math.floor(((x - xa) / (xb - xa || 1)) * columns),
    row: (y) => Math.floor(((yb - y) / (yb - ya || 1)) * rows),
  };
}

function mapLines(
  cells: string[][],
  xs: readonly number[],
  ys: readonly number[],
  xLabel: string,
  yLabel: string,
): string[] {
  const [top, bottom, w] = yLabels(ys);
  const columns = cells[0].length;
  const out = [`  ${yLabel}`];
  out.push(`  ${padStart(top, w)} ┌${"─".repeat(columns)}┐`);
  for (const row of cells) out.push(`  ${" ".repeat(w)} │${row.join("")}│`);
  out.push(`  ${padStart(bottom, w)} └${"─".repeat(columns)}┘`);
  const left = formatNumber(Math.min(...xs), { digits: 3 });
  const right = formatNumber(Math.max(...xs), { digits: 3 });
  out.push(
    `  ${" ".repeat(w)}  ${left}${
      center(xLabel, Math.max(1, columns - textWidth(left) - textWidth(right)))
    }${right}`,
  );
  return out;
}

function checkGrid(what: string, xs: readonly number[], ys: readonly number[], z: number[][]) {
  if (xs.length < 2 || ys.length < 2) {
    throw new RangeError(`${what}: needs at least 2 grid values on each axis`);
  }
  if (z.length !== ys.length || z.some((row) => row.length !== xs.length)) {
    throw new RangeError(
      `${what}: the grid must have ${ys.length} rows of ${xs.length} values (one per y, then x)`,
    );
  }
}

/** Points of a series on the map, joined by straight runs of cells. */
function drawPath(cells: string[][], f: MapFrame, points: [number, number][], mark: string) {
  let prev: [number, number] | undefined;
  const put = (c: number, r: number) => {
    if (c >= 0 && c < f.columns && r >= 0 && r < f.rows) cells[r][c] = mark;
  };
  for (const [x, y] of finitePrefix(points)) {
    const c = f.column(x), r = f.row(y);
    if (prev) {
      const steps = Math.max(Math.abs(c - prev[0]), Math.abs(r - prev[1]));
      if (steps <= 2 * (f.columns + f.rows)) {
        for (let k = 1; k < steps; k++) {
          put(
            Math.round(prev[0] + ((c - prev[0]) * k) / steps),
            Math.round(prev[1] + ((r - prev[1]) * k) / steps),
          );
        }
      }
    }
    put(c, r);
    prev = [c, r];
  }
}

function describePoint(p: [number, number] | undefined): string {
  return p ? `(${formatNumber(p[0], { digits: 4 })}, ${formatNumber(p[1], { digits: 4 })})` : "—";
}

/**
 * A contour block as a character map: the function's level shaded from low (blank) to high (#)
 * by rank, each path drawn with its own letter, and a legend with where each path starts and
 * ends.
 *
 * @example
 * ```ts
 * import { renderContour } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * const xs = [-1, 0, 1], ys = [-1, 0, 1];
 * const z = ys.map((y) => xs.map((x) => x * x + y * y));
 * const lines = renderContour({ kind: "contour", title: "bowl", xs, ys, z,
 *   paths: [{ name: "SGD", points: [[1, 1], [0, 0]] }] });
 * assert.ok(lines.some((l) => l.includes("A SGD: (1, 1) → (0, 0)")));
 * ```
 */
export function renderContour(
  block: Extract<Block, { kind: "contour" }>,
  options: TerminalOptions = {},
): string[] {
  const width = options.width ?? DEFAULT_WIDTH;
  checkGrid(`contour "${block.title}"`, block.xs, block.ys, block.z);
  const f = frame(block.xs, block.ys, width);
  const finite = block.z.flat().filter(Number.isFinite).sort((a, b) => a - b);
  const rank = (v: number) => {
    if (!Number.isFinite(v)) return SHADES.length - 1;
    let lo = 0, hi = finite.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (finite[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(SHADES.length - 1, Math.floor((lo / finite.length) * SHADES.length));
  };
  const cells: string[][] = [];
  for (let r = 0; r < f.rows; r++) {
    const j = nearestIndex(block.ys, f.cellY(r));
    const row: string[] = [];
    for (let c = 0; c < f.columns; c++) {
      row.push(SHADES[rank(block.z[j][nearestIndex(block.xs, f.cellX(c))])]);
    }
    cells.push(row);
  }
  block.paths.forEach((p, i) => drawPath(cells, f, p.points, letter(i)));
  const lines = wrap(block.title, width, "  ");
  lines.push(...mapLines(cells, block.xs, block.ys, block.xLabel ?? "x", block.yLabel ?? "y"));
  lines.push(
    `  shading: lowest ${SHADES.slice(0, 4).join("")} … ${SHADES.slice(4).join("")} highest`,
  );
  block.paths.forEach((p, i) => {
    const pts = finitePrefix(p.points);
    const ended = pts.length < p.points.length ? ", then not finite" : "";
    lines.push(
      ...wrap(
        `${letter(i)} ${p.name}: ${describePoint(pts[0])} → ${
          describePoint(pts.at(-1))
        }, ${pts.length} points${ended}`,
        width,
        "  ",
        "    ",
      ),
    );
  });
  return lines;
}

function letter(i: number): string {
  return String.fromCharCode(65 + (i % 26));
}

/**
 * A decision boundary as a character map: `·` where the score is positive (the class labelled
 * 1), blank where it is not, the points as `+` (label 1) and `o` (label −1), and a count of the
 * points that sit in the other class's region.
 *
 * @example
 * ```ts
 * import { renderBoundary } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * const xs = [-1, 1], ys = [-1, 1];
 * const score = ys.map(() => xs.map((x) => x));
 * const lines = renderBoundary({ kind: "boundary", title: "x > 0", xs, ys, score,
 *   points: [[0.5, 0], [-0.5, 0]], labels: [1, -1] });
 * assert.ok(lines.some((l) => l.includes("all 2 points lie in their own class's region")));
 * ```
 */
export function renderBoundary(
  block: Extract<Block, { kind: "boundary" }>,
  options: TerminalOptions = {},
): string[] {
  const width = options.width ?? DEFAULT_WIDTH;
  checkGrid(`boundary "${block.title}"`, block.xs, block.ys, block.score);
  if (block.points.length !== block.labels.length) {
    throw new RangeError(
      `boundary "${block.title}": ${block.points.length} points but ${block.labels.length} labels`,
    );
  }
  const f = frame(block.xs, block.ys, width);
  const scoreAt = (x: number, y: number) =>
    block.score[nearestIndex(block.ys, y)][nearestIndex(block.xs, x)];
  const cells: string[][] = [];
  for (let r = 0; r < f.rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < f.columns; c++) row.push(scoreAt(f.cellX(c), f.cellY(r)) > 0 ? "·" : " ");
    cells.push(row);
  }
  let wrong = 0;
  block.points.forEach(([x, y], i) => {
    const positive = block.labels[i] > 0;
    if ((scoreAt(x, y) > 0) !== positive) wrong++;
    const c = Math.min(f.columns - 1, f.column(x)), r = Math.min(f.rows - 1, f.row(y));
    if (c >= 0 && r >= 0) cells[r][c] = positive ? "+" : "o";
  });
  const lines = wrap(block.title, width, "  ");
  lines.push(...mapLines(cells, block.xs, block.ys, "x₁", "x₂"));
  lines.push(
    ...pack(["· score > 0 (predicts 1)", "+ a point labelled 1", "o a point labelled −1"], width),
  );
  const n = block.points.length;
  lines.push(
    ...wrap(
      wrong === 0
        ? `all ${n} points lie in their own class's region (read off this grid)`
        : `${wrong} of ${n} points lie in the other class's region (read off this grid)`,
      width,
      "  ",
    ),
  );
  return lines;
}

function renderGraph(block: Extract<Block, { kind: "graph" }>, width: number): string[] {
  const values = (block.dot.match(/^\s*n\d+ \[/gm) ?? []).length;
  const ops = (block.dot.match(/^\s*op\d+ \[/gm) ?? []).length;
  if (values + ops === 0) {
    return wrap(`[picture] ${block.title}: the handout draws it.`, width, "  ", "  ");
  }
  return wrap(
    `[graph] ${block.title}: ${values} values and ${ops} operations. The handout draws it, ` +
      "each node with its data and grad; toDot gives the Graphviz text.",
    width,
    "  ",
    "  ",
  );
}

const TONES = { info: "Note", warning: "Warning", key: "Key point" } as const;

/** Where `text` has ` = ` (or ⇒, ≈) outside brackets: the places a person breaks a formula. */
function relations(text: string): number[] {
  const at: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0 && text[i - 1] === " " && "=⇒≈".includes(c) && text[i + 1] === " ") {
      at.push(i);
    }
  }
  return at;
}

/**
 * A formula indented by four, and when it is wider than `width`, broken as a person would: at
 * each `=` (each on its own line, under the first), then at spaces, further in.
 *
 * @example
 * ```ts
 * import { mathLines } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(mathLines("y = 2·x + 1 = 2·3 + 1 = 7", 80), ["    y = 2·x + 1 = 2·3 + 1 = 7"]);
 * assert.deepEqual(mathLines("y = 2·x + 1 = 2·3 + 1 = 7", 16), [
 *   "    y = 2·x + 1",
 *   "      = 2·3 + 1",
 *   "      = 7",
 * ]);
 * ```
 */
export function mathLines(text: string, width: number): string[] {
  // Text already laid out on several lines (a formula with matrices, by matrixFormula) is kept
  // as it is, each line indented.
  if (text.includes("\n")) return text.split("\n").map((l) => `    ${l}`.trimEnd());
  const whole = `    ${text}`;
  if (textWidth(whole) <= width) return [whole];
  const at = relations(text);
  // The first line keeps the left side with its first relation: `y = rule`, then `= …`.
  const pieces: string[] = [];
  let from = 0;
  for (const i of at.slice(1)) {
    pieces.push(text.slice(from, i).trimEnd());
    from = i;
  }
  pieces.push(text.slice(from));
  // Under the first relation, unless that is too far right to leave room for the numbers.
  const first = at.length > 0 ? textWidth(text.slice(0, at[0])) : 0;
  const indent = " ".repeat(4 + (first <= width / 3 ? first : 4));
  return pieces.flatMap((piece, k) =>
    wrap(piece, width, k === 0 ? "    " : indent, `${indent}    `)
  );
}

/**
 * A line of a code block, indented by four; when wider than `width` it continues on the next
 * line: a shell command (`$ …`, `deno …`) after a ` \` at a space outside quotes, so it still
 * runs when copied, other text with a hanging indent.
 */
function codeLines(line: string, width: number): string[] {
  const whole = `    ${line}`.trimEnd();
  if (textWidth(whole) <= width) return [whole];
  if (!/^(\$ |deno )/.test(line)) return wrap(line, width, "    ", "      ");
  // Words outside quotes: a quoted argument is never split.
  const tokens = line.match(/(?:"[^"]*"|'[^']*'|\S)+/g) ?? [line];
  // An option stays with its value (`--wrt w`).
  const words: string[] = [];
  for (const t of tokens) {
    const last = words.at(-1);
    if (last && /^--?[A-Za-z][\w-]*$/.test(last) && !t.startsWith("-")) {
      words[words.length - 1] += ` ${t}`;
    } else words.push(t);
  }
  const out: string[] = [];
  let current = "    ";
  for (const word of words) {
    const sep = current.trim() === "" ? "" : " ";
    if (sep && textWidth(current + sep + word + " \\") > width) {
      out.push(`${current} \\`);
      current = `      ${word}`;
    } else current += sep + word;
  }
  out.push(current);
  return out;
}

/**
 * One block as lines of text (no trailing newline).
 *
 * @example
 * ```ts
 * import { renderBlock } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * assert.equal(renderBlock({ kind: "section", title: "The update rule" }), "The update rule\n═══════════════");
 * assert.equal(
 *   renderBlock({ kind: "math", lines: [{ tex: "w \\leftarrow w - \\alpha", text: "w ← w − α" }] }),
 *   "    w ← w − α",
 * );
 * ```
 */
export function renderBlock(block: Block, options: TerminalOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  switch (block.kind) {
    case "section":
    case "heading": {
      const title = wrap(block.title, width);
      const rule = block.kind === "section" ? "═" : "─";
      return [...title, rule.repeat(Math.min(width, Math.max(...title.map(textWidth))))].join("\n");
    }
    case "paragraph":
      return wrap(inlineText(block.content), width).join("\n");
    case "math":
      return block.lines.flatMap((l) => mathLines(l.text, width)).join("\n");
    case "table": {
      const lines = renderTable(block.columns, block.rows, block.digits, width);
      if (block.caption) lines.push(...wrap(block.caption, width, "  ", "  "));
      return lines.join("\n");
    }
    case "note":
      return wrap(`${TONES[block.tone]}: ${inlineText(block.content)}`, width, "  │ ").join("\n");
    case "code":
      return block.text.replace(/\n$/, "").split("\n").flatMap((l) => codeLines(l, width))
        .join("\n");
    case "trace": {
      const head = block.title ? [block.title] : [];
      const body = traceToText(block.trace as TraceInput, { width: width - 2 }).trimEnd()
        .split("\n");
      return [...head, ...body.map((l) => (l === "" ? "" : `  ${l}`))].join("\n");
    }
    case "chart":
      return renderChart(block, options).join("\n");
    case "contour":
      return renderContour(block, options).join("\n");
    case "boundary":
      return renderBoundary(block, options).join("\n");
    case "graph":
      return renderGraph(block, width).join("\n");
    default: {
      const kind = (block as { kind?: unknown }).kind;
      throw new TypeError(`unknown block kind ${JSON.stringify(kind)}`);
    }
  }
}

/**
 * A progress bar: `label  [██████░░░░░░]  45/100`.
 *
 * @example
 * ```ts
 * import { progressBar } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * assert.equal(progressBar("training", 1, 4, 8), "training  [██░░░░░░]  1/4");
 * ```
 */
export function progressBar(label: string, done: number, total: number, width = 30): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const full = Math.round(fraction * width);
  return `${label}  [${"█".repeat(full)}${"░".repeat(width - full)}]  ${done}/${total}`;
}

/** Where a {@linkcode TerminalSink} writes. */
export interface TerminalSinkOptions extends TerminalOptions {
  /** Receives the text of each block (default: standard output). */
  write?: (text: string) => void;
  /** Receives progress bar updates (default: standard error, when it is a terminal). */
  writeProgress?: ((text: string) => void) | null;
}

const encoder = new TextEncoder();

/** Writes all of `text`; false once the reader has gone (a closed pipe, as in `| head`). */
function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): boolean {
  let bytes = encoder.encode(text);
  try {
    while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return false;
    throw e;
  }
  return true;
}

/** A writer that stops quietly once its reader has gone. */
function quietWriter(file: { writeSync(p: Uint8Array): number }): (text: string) => void {
  let open = true;
  return (text) => {
    if (open) open = writeAll(file, text);
  };
}

/**
 * The terminal sink: prints each block as it arrives, a blank line between blocks, and draws a
 * progress bar on stderr when stderr is a terminal (nothing otherwise, so piped output stays
 * the same from run to run).
 *
 * @example
 * ```ts
 * import { TerminalSink } from "./terminal.ts";
 * import { Doc } from "../doc/doc.ts";
 * import assert from "node:assert/strict";
 * let out = "";
 * const doc = new Doc(new TerminalSink({ write: (t) => (out += t), writeProgress: null }));
 * doc.section("One");
 * doc.say("Hello.");
 * assert.equal(out, "One\n═══\n\nHello.\n");
 * ```
 */
export class TerminalSink implements Sink {
  #write: (text: string) => void;
  #progress: ((text: string) => void) | null;
  #options: TerminalOptions;
  #blocks = 0;
  #bar = "";

  /** Writes to standard output and standard error unless told otherwise. */
  constructor(options: TerminalSinkOptions = {}) {
    this.#write = options.write ?? quietWriter(Deno.stdout);
    this.#progress = options.writeProgress === undefined
      ? (Deno.stderr.isTerminal() ? quietWriter(Deno.stderr) : null)
      : options.writeProgress;
    this.#options = { width: options.width ?? terminalWidth() };
  }

  /** Prints one block. */
  emit(block: Block): void {
    this.#clearBar();
    const text = renderBlock(block, this.#options);
    const gap = this.#blocks++ === 0 ? "" : block.kind === "section" ? "\n\n" : "\n";
    this.#write(`${gap}${text}\n`);
  }

  /** Redraws the progress bar; ends its line when done reaches total. */
  progress(label: string, done: number, total: number): void {
    if (!this.#progress) return;
    // The bar is 30 wide, or narrower when the label and counts would not fit the width.
    const room = (this.#options.width ?? DEFAULT_WIDTH) -
      textWidth(progressBar(label, done, total, 0));
    const bar = progressBar(label, done, total, Math.max(5, Math.min(30, room)));
    if (bar === this.#bar) return;
    this.#bar = bar;
    this.#progress(`\r${bar}`);
    if (done >= total) {
      this.#progress("\n");
      this.#bar = "";
    }
  }

  #clearBar(): void {
    if (this.#progress && this.#bar !== "") {
      this.#progress(`\r${" ".repeat(textWidth(this.#bar))}\r`);
      this.#bar = "";
    }
  }
}
