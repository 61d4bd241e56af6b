/**
 * Pictures for the terminal: line charts drawn by asciichart, and contour plots and decision
 * boundaries as character maps, each with its legend and ranges as text.
 *
 * @module
 */
import asciichart from "npm:asciichart@1.5.25";
import type { Block } from "../doc/doc.ts";
import { formatNumber } from "../text/format.ts";
import { DEFAULT_WIDTH, textWidth } from "../text/width.ts";
import { center, padStart, type TerminalOptions, wrap } from "./terminal_layout.ts";

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
 * non-finite point (divergence); a log-scale chart plots log₁₀ y of the positive values (and
 * with `logX`, places the points at log₁₀ x).
 *
 * @example
 * ```ts
 * import { renderChart } from "./terminal_chart.ts";
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
  const logY = block.logY === true, logX = block.logX === true;
  const series = block.series.map((s) => {
    let points = finitePrefix(s.points);
    if (logX) {
      if (s.points.some((p) => !(p[0] > 0))) {
        throw new RangeError(`chart "${block.title}": a log x axis needs every x > 0`);
      }
      points = points.map(([x, y]) => [Math.log10(x), y]);
    }
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
  const left = formatNumber(logX ? 10 ** x0 : x0, { digits: 4 });
  const right = formatNumber(logX ? 10 ** x1 : x1, { digits: 4 });
  const xLabel = logX ? `${block.xLabel} (log scale)` : block.xLabel;
  const middle = Math.max(
    textWidth(xLabel) + 2,
    columns + 1 - textWidth(left) - textWidth(right),
  );
  lines.push(" ".repeat(labelWidth) + left + center(xLabel, middle) + right);
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
 * import { renderContour } from "./terminal_chart.ts";
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
  for (const m of block.marks ?? []) drawPath(cells, f, [m.point], MARK);
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
        }, ${pts.length} point${pts.length === 1 ? "" : "s"}${ended}`,
        width,
        "  ",
        "    ",
      ),
    );
  });
  for (const m of block.marks ?? []) {
    // A name that already says where the point is ("the minimum (2, 1)") is not followed by it again.
    const at = describePoint(m.point);
    const text = m.name.includes(at) ? m.name : `${m.name}: ${at}`;
    lines.push(...wrap(`${MARK} ${text}`, width, "  ", "    "));
  }
  return lines;
}

/** The character of a marked point (not a shade, not a path's letter). */
const MARK = "@";

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
 * import { renderBoundary } from "./terminal_chart.ts";
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
