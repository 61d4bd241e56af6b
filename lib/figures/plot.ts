/**
 * Pictures of numbers, as SVG, without a browser: line charts (loss curves), optimizer paths
 * over a contour plot, and a classifier's decision regions. Drawn by Observable Plot with
 * linkedom standing in for the DOM; both are loaded on first use, so importing this module
 * costs nothing.
 *
 * Each function returns the SVG and a legend (name, colour, mark) that the page renders as
 * text, so legends read the same in HTML, Markdown and LaTeX. A chart with one series has no
 * legend (its caption names it).
 *
 * @module
 */
import type { Block, Series } from "../doc/doc.ts";
import { formatNumber } from "../text/format.ts";
import { scopeIds } from "./svg_ids.ts";

/** A chart block. */
export type ChartBlock = Extract<Block, { kind: "chart" }>;
/** The colour of a contour's marked points (not a path's). */
const MARK_COLOR = "#222222";

/** A contour block. */
export type ContourBlock = Extract<Block, { kind: "contour" }>;
/** A decision-boundary block. */
export type BoundaryBlock = Extract<Block, { kind: "boundary" }>;
/** A block drawn as a plot. */
export type PlotBlock = ChartBlock | ContourBlock | BoundaryBlock;

/** One legend entry. */
export interface LegendEntry {
  /** What it stands for (user text, not escaped). */
  name: string;
  /** A CSS colour (`#rrggbb`). */
  color: string;
  /** How it is drawn. */
  mark: "line" | "circle" | "triangle" | "area" | "cross";
}

/** An SVG picture and its legend. */
export interface Picture {
  /** A standalone SVG element (with `xmlns`), ids prefixed so several fit on one page. */
  svg: string;
  /** What the colours mean; empty when there is one series and nothing to tell apart. */
  legend: LegendEntry[];
}

/** Series colours: Okabe and Ito's palette (safe for colour-blind readers), then grey. */
export const PALETTE: readonly string[] = Object.freeze([
  "#0072b2",
  "#d55e00",
  "#009e73",
  "#cc79a7",
  "#e69f00",
  "#56b4e9",
  "#000000",
  "#7f7f7f",
]);

/**
 * A colour's name, for legends written in words (Markdown and LaTeX).
 *
 * @example
 * ```ts
 * import { colorName, PALETTE } from "./plot.ts";
 * import assert from "node:assert/strict";
 * assert.equal(colorName(PALETTE[1]), "vermilion");
 * ```
 */
export function colorName(color: string): string {
  const names: Record<string, string> = {
    "#0072b2": "blue",
    "#d55e00": "vermilion",
    "#009e73": "green",
    "#cc79a7": "pink",
    "#e69f00": "orange",
    "#56b4e9": "sky-blue",
    "#000000": "black",
    "#222222": "black",
    "#7f7f7f": "grey",
  };
  return names[color.toLowerCase()] ?? color;
}

/** Dash patterns that tell series apart in a black-and-white print. */
const DASHES = ["", "6,3", "2,2", "8,3,2,3"];

const FONT = '"DejaVu Sans", "Helvetica Neue", Arial, sans-serif';

// deno-lint-ignore no-explicit-any
type PlotModule = any;
/** The part of a DOM element this module uses (linkedom's, not a browser's). */
interface SvgElement {
  setAttribute(name: string, value: string): void;
  readonly outerHTML: string;
}
let plotModules: Promise<{ Plot: PlotModule; document: unknown }> | undefined;

function load(): Promise<{ Plot: PlotModule; document: unknown }> {
  plotModules ??= (async () => {
    const [Plot, { parseHTML }] = await Promise.all([
      import("npm:@observablehq/plot@0.6.17"),
      import("npm:linkedom@0.18.15"),
    ]);
    const window = parseHTML("<!doctype html><html><body></body></html>") as unknown as {
      document: unknown;
    };
    return { Plot, document: window.document };
  })();
  return plotModules;
}

function color(i: number): string {
  return PALETTE[i % PALETTE.length];
}

function dash(i: number): string {
  return DASHES[Math.floor(i / PALETTE.length + i) % DASHES.length];
}

function tick(d: number): string {
  return formatNumber(d, { digits: 4 });
}

/** Geometry to two decimals (a hundredth of a pixel): smaller files, the same picture. */
function roundGeometry(svg: string): string {
  return svg.replace(
    /(\s(?:d|transform|points|x|y|x1|x2|y1|y2|cx|cy)=")([^"]*)(")/g,
    (_, a, value: string, b) =>
      a + value.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => String(Number(Number(n).toFixed(2)))) +
      b,
  );
}

/**
 * Drops the points of a straight-segment path (`M…L…L…`) that lie within half a pixel of the
 * last point kept: a 3000-step run draws the same line from a few hundred points.
 *
 * @example
 * ```ts
 * import { thinPath } from "./plot.ts";
 * import assert from "node:assert/strict";
 * assert.equal(thinPath("M0,0L0.1,0L0.2,0L5,0L5,5"), "M0,0L5,0L5,5");
 * assert.equal(thinPath("M0,0L1,1Z"), "M0,0L1,1Z"); // closed paths are kept as they are
 * ```
 */
export function thinPath(d: string): string {
  if (!/^M[-\d.,eL]*$/.test(d)) return d;
  const points = d.slice(1).split("L").map((p) => p.split(",").map(Number));
  if (points.some((p) => p.length !== 2 || !p.every(Number.isFinite))) return d;
  const kept = [points[0]];
  for (let i = 1; i < points.length; i++) {
    const [x, y] = points[i];
    const [lx, ly] = kept[kept.length - 1];
    if (i === points.length - 1 || Math.hypot(x - lx, y - ly) >= 0.5) kept.push(points[i]);
  }
  return "M" + kept.map((p) => p.join(",")).join("L");
}

function finalize(svg: SvgElement, prefix: string): string {
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const thinned = roundGeometry(svg.outerHTML).replace(
    /(\sd=")([^"]*)(")/g,
    (_, a, d: string, b) => a + thinPath(d) + b,
  );
  return scopeIds(thinned, prefix);
}

function requireFinite(what: string, xs: number[]): void {
  const bad = xs.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
  if (bad >= 0) throw new RangeError(`${what}[${bad}] must be a finite number, got ${xs[bad]}`);
}

/** Points whose y cannot be drawn (non-finite, or ≤ 0 on a log scale) become gaps. */
function drawable(s: Series, logY: boolean): [number, number][] {
  return s.points.map(([x, y]) =>
    Number.isFinite(y) && (!logY || y > 0) ? [x, y] : [x, NaN] as [number, number]
  );
}

function logAxis(
  series: Series[],
  axis: 0 | 1 = 1,
): { ticks: number[]; domain: [number, number] } | undefined {
  const ys = series.flatMap((s) => s.points.map((p) => p[axis])).filter((y) =>
    Number.isFinite(y) && y > 0
  );
  if (ys.length === 0) return undefined;
  const lo = Math.floor(Math.log10(Math.min(...ys)));
  const hi = Math.ceil(Math.log10(Math.max(...ys)));
  if (hi - lo < 2) return undefined;
  const step = Math.ceil((hi - lo) / 8);
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += step) ticks.push(Number(`1e${e}`));
  return { ticks, domain: [Number(`1e${lo}`), Number(`1e${hi}`)] };
}

/**
 * A line chart: one line per series, dots on short series, non-finite values as gaps, a log
 * scale on request. A series that runs into non-finite values (a run that diverged) ends in a
 * cross, explained in the legend.
 *
 * @example
 * ```ts
 * import { chartSvg } from "./plot.ts";
 * import assert from "node:assert/strict";
 * const { svg, legend } = await chartSvg({
 *   kind: "chart", title: "loss", xLabel: "step", yLabel: "loss",
 *   series: [
 *     { name: "α = 0.1", points: [[0, 4], [1, 2.56], [2, 1.64]] },
 *     { name: "α = 1.1", points: [[0, 4], [1, 5.76], [2, Infinity]] }, // diverged: a gap
 *   ],
 * }, "fig1");
 * assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * assert.match(svg, /<path/);
 * assert.deepEqual(legend.map((e) => e.name), ["α = 0.1", "α = 1.1", "diverged here"]);
 * ```
 */
export async function chartSvg(block: ChartBlock, prefix: string): Promise<Picture> {
  const { Plot, document } = await load();
  const logY = block.logY === true;
  if (block.series.length === 0) throw new RangeError(`chart "${block.title}" has no series`);
  for (const s of block.series) {
    requireFinite(
      `chart "${block.title}" series "${s.name}" x`,
      s.points.map((p) => p[0]),
    );
  }
  if (block.logX === true && block.series.some((s) => s.points.some((p) => !(p[0] > 0)))) {
    throw new RangeError(`chart "${block.title}": a log x axis needs every x > 0`);
  }
  const marks: unknown[] = [Plot.frame({ stroke: "#999", strokeOpacity: 0.6 })];
  let diverged = false;
  block.series.forEach((s, i) => {
    const data = drawable(s, logY);
    marks.push(Plot.line(data, {
      x: (d: number[]) => d[0],
      y: (d: number[]) => d[1],
      stroke: color(i),
      strokeWidth: 1.75,
      strokeDasharray: dash(i) || undefined,
      clip: true,
    }));
    if (data.length <= 30) {
      marks.push(Plot.dot(data.filter((d) => Number.isFinite(d[1])), {
        x: (d: number[]) => d[0],
        y: (d: number[]) => d[1],
        fill: color(i),
        r: 2.5,
        clip: true,
      }));
    }
    const stop = divergedAt(s);
    if (stop) {
      diverged = true;
      marks.push(Plot.dot([stop], {
        x: (d: number[]) => d[0],
        y: (d: number[]) => d[1],
        stroke: color(i),
        strokeWidth: 2.25,
        symbol: "times",
        r: 6,
        clip: true,
      }));
    }
  });
  const axis = logY ? logAxis(block.series) : undefined;
  const logX = block.logX === true;
  const xAxis = logX ? logAxis(block.series, 0) : undefined;
  const svg = Plot.plot({
    document,
    width: 640,
    height: 300,
    marginLeft: 64,
    marginRight: 16,
    marginBottom: 40,
    style: { fontSize: "11px", fontFamily: FONT, background: "white", color: "#222" },
    x: {
      label: block.xLabel,
      ...(logX ? { type: "log", ticks: xAxis?.ticks, domain: xAxis?.domain } : {}),
      grid: true,
      labelAnchor: "center",
      labelArrow: "none",
      tickFormat: tick,
    },
    y: {
      label: block.yLabel,
      type: logY ? "log" : "linear",
      grid: true,
      labelAnchor: "center",
      labelArrow: "none",
      ticks: axis?.ticks,
      domain: axis?.domain,
      tickFormat: tick,
    },
    marks,
  });
  return {
    svg: finalize(svg, prefix),
    legend: [
      ...(block.series.length > 1
        ? block.series.map((s, i) => ({ name: s.name, color: color(i), mark: "line" as const }))
        : []),
      ...(diverged ? [{ name: "diverged here", color: "#222222", mark: "cross" as const }] : []),
    ],
  };
}

/** The last finite point of a series that ends in non-finite values (a run that diverged). */
function divergedAt(s: Series): [number, number] | undefined {
  const firstBad = s.points.findIndex(([, y]) => !Number.isFinite(y));
  if (firstBad <= 0) return undefined;
  return s.points[firstBad - 1];
}

function checkGrid(
  title: string,
  xs: number[],
  ys: number[],
  z: number[][],
  what: string,
): void {
  requireFinite(`"${title}" xs`, xs);
  requireFinite(`"${title}" ys`, ys);
  if (xs.length < 2 || ys.length < 2) {
    throw new RangeError(
      `"${title}" needs at least 2 xs and 2 ys, got ${xs.length} and ${ys.length}`,
    );
  }
  for (const [name, v] of [["xs", xs], ["ys", ys]] as const) {
    const step = (v[v.length - 1] - v[0]) / (v.length - 1);
    const uneven = v.findIndex((x, i) =>
      Math.abs(x - (v[0] + i * step)) > 1e-6 * Math.abs(step) + 1e-12
    );
    if (!(step > 0) || uneven >= 0) {
      throw new RangeError(
        `"${title}" ${name} must be evenly spaced and ascending (at index ${uneven})`,
      );
    }
  }
  if (z.length !== ys.length || z.some((row) => row.length !== xs.length)) {
    throw new RangeError(
      `"${title}" ${what} must have ${ys.length} rows of ${xs.length} values (one per ys, xs)`,
    );
  }
}

/**
 * The grid with its edge values repeated one cell further out on every side, so contours run
 * straight to the frame instead of closing with a bevel at the border (marching squares treat
 * the outside as lower than everything).
 */
function padded(xs: number[], ys: number[], z: number[][]) {
  const rows = [z[0], ...z, z[z.length - 1]].map((r) => [r[0], ...r, r[r.length - 1]]);
  const px = [2 * xs[0] - xs[1], ...xs, 2 * xs[xs.length - 1] - xs[xs.length - 2]];
  const py = [2 * ys[0] - ys[1], ...ys, 2 * ys[ys.length - 1] - ys[ys.length - 2]];
  const [x1, x2] = extent(px);
  const [y1, y2] = extent(py);
  return { values: rows.flat(), width: px.length, height: py.length, x1, x2, y1, y2 };
}

function extent(v: number[]): [number, number] {
  const half = (v[v.length - 1] - v[0]) / (v.length - 1) / 2;
  return [v[0] - half, v[v.length - 1] + half];
}

/** Contour levels at evenly spaced quantiles, so a steep valley shows as clearly as a bowl. */
function quantileLevels(values: number[], n: number): number[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const levels: number[] = [];
  for (let k = 1; k <= n; k++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((k / (n + 1)) * sorted.length))];
    if (levels.length === 0 || q > levels[levels.length - 1]) levels.push(q);
  }
  return levels;
}

/** Light band colours, from near-white (low) to a soft blue-grey (high), for `n` bands. */
function bandColors(n: number): string[] {
  const lo = [0xfb, 0xfc, 0xfd], hi = [0x9d, 0xb8, 0xd2];
  return Array.from({ length: n }, (_, k) => {
    const t = n === 1 ? 0 : k / (n - 1);
    return "#" +
      lo.map((c, i) => Math.round(c + (hi[i] - c) * t).toString(16).padStart(2, "0")).join("");
  });
}

/**
 * Paths over a contour plot: light bands at evenly spaced quantiles of z (darker is higher), thin
 * level lines, and each path as a line from a ringed start to a filled end (with a dot per step
 * when there are at most 60). The axes keep to the grid;
 * a path that leaves it is clipped.
 *
 * @example
 * ```ts
 * import { contourSvg } from "./plot.ts";
 * import assert from "node:assert/strict";
 * const xs = [-2, -1, 0, 1, 2], ys = [-2, -1, 0, 1, 2];
 * const z = ys.map((y) => xs.map((x) => x * x + 3 * y * y));
 * const { svg, legend } = await contourSvg({
 *   kind: "contour", title: "bowl", xs, ys, z,
 *   paths: [{ name: "SGD", points: [[2, 2], [1, 0.5], [0.5, 0.1]] }],
 * }, "fig1");
 * assert.match(svg, /aria-label="contour"/);
 * assert.equal(legend[0].name, "SGD");
 * ```
 */
export async function contourSvg(block: ContourBlock, prefix: string): Promise<Picture> {
  const { Plot, document } = await load();
  const { xs, ys, z } = block;
  checkGrid(block.title, xs, ys, z, "z");
  const levels = quantileLevels(z.flat(), 14);
  const [x1, x2] = extent(xs);
  const [y1, y2] = extent(ys);
  const { values, ...box } = padded(xs, ys, z);
  const grid = { ...box, thresholds: levels, clip: true };
  const bands = bandColors(levels.length + 1);
  const marks: unknown[] = [
    Plot.frame({ fill: bands[0] }),
    Plot.contour(values, { ...grid, fill: Plot.identity, stroke: "none" }),
    Plot.contour(values, { ...grid, stroke: "#6b7f95", strokeWidth: 0.5, strokeOpacity: 0.7 }),
  ];
  block.paths.forEach((p, i) => {
    // A run that diverged leaves the picture: its last drawable point is where it stops.
    const data = p.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const at = { x: (d: number[]) => d[0], y: (d: number[]) => d[1], clip: true };
    marks.push(Plot.line(data, {
      ...at,
      stroke: color(i),
      strokeWidth: 1.6,
      strokeDasharray: dash(i) || undefined,
    }));
    if (data.length <= 60) marks.push(Plot.dot(data, { ...at, fill: color(i), r: 2 }));
    marks.push(
      Plot.dot(data.slice(0, 1), {
        ...at,
        stroke: color(i),
        fill: "white",
        strokeWidth: 2,
        r: 4.5,
      }),
      Plot.dot(data.slice(-1), { ...at, fill: color(i), stroke: "white", strokeWidth: 1, r: 3.5 }),
    );
  });
  for (const m of block.marks ?? []) {
    marks.push(Plot.dot([m.point], {
      x: (d: number[]) => d[0],
      y: (d: number[]) => d[1],
      stroke: MARK_COLOR,
      strokeWidth: 2.25,
      symbol: "times",
      r: 6,
      clip: true,
    }));
  }
  const svg = Plot.plot({
    document,
    width: 640,
    height: 420,
    marginLeft: 56,
    marginRight: 16,
    marginBottom: 40,
    style: { fontSize: "11px", fontFamily: FONT, background: "white", color: "#222" },
    x: {
      label: block.xLabel ?? "x",
      domain: [x1, x2],
      labelAnchor: "center",
      labelArrow: "none",
      tickFormat: tick,
    },
    y: {
      label: block.yLabel ?? "y",
      domain: [y1, y2],
      labelAnchor: "center",
      labelArrow: "none",
      tickFormat: tick,
    },
    color: { type: "ordinal", domain: levels, range: bands.slice(1) },
    marks,
  });
  return {
    svg: finalize(svg, prefix),
    legend: [
      ...block.paths.map((p, i) => ({ name: p.name, color: color(i), mark: "line" as const })),
      ...(block.marks ?? []).map((m) => ({
        name: m.name,
        color: MARK_COLOR,
        mark: "cross" as const,
      })),
    ],
  };
}

/** The class colours of a decision boundary: the larger label first. */
const CLASS_COLORS = ["#0072b2", "#d55e00"];
const REGION_COLORS = ["#d6e6f4", "#fbe3d3"];

/**
 * A classifier's decision regions: where the score is positive (shaded as the larger label),
 * the boundary (score = 0) as a line, and the labelled points (circles for the larger label,
 * triangles for the other, so a grey print still tells them apart).
 *
 * @example
 * ```ts
 * import { boundarySvg } from "./plot.ts";
 * import assert from "node:assert/strict";
 * const xs = [-1, 0, 1], ys = [-1, 0, 1];
 * const score = ys.map((y) => xs.map((x) => x + 0.5 * y));
 * const { svg, legend } = await boundarySvg({
 *   kind: "boundary", title: "a line", xs, ys, score,
 *   points: [[-1, -1], [1, 1]], labels: [-1, 1],
 * }, "fig1");
 * assert.match(svg, /<circle/);
 * assert.deepEqual(legend.map((e) => e.name), ["class 1", "class −1"]);
 * ```
 */
export async function boundarySvg(block: BoundaryBlock, prefix: string): Promise<Picture> {
  const { Plot, document } = await load();
  const { xs, ys, score, points, labels } = block;
  checkGrid(block.title, xs, ys, score, "score");
  if (points.length !== labels.length) {
    throw new RangeError(
      `"${block.title}" has ${points.length} points but ${labels.length} labels`,
    );
  }
  const classes = [...new Set(labels)].sort((a, b) => b - a);
  if (classes.length > 2) {
    throw new RangeError(
      `"${block.title}" needs two classes, got ${classes.length}: ${classes.join(", ")}`,
    );
  }
  const [x1, x2] = extent(xs);
  const [y1, y2] = extent(ys);
  const { values, ...box } = padded(xs, ys, score);
  const grid = { ...box, thresholds: [0], clip: true };
  const marks: unknown[] = [
    Plot.frame({ fill: REGION_COLORS[1] }),
    Plot.contour(values, { ...grid, fill: REGION_COLORS[0], stroke: "none" }),
    Plot.contour(values, { ...grid, stroke: "#333", strokeWidth: 1.25 }),
  ];
  const symbols = ["circle", "triangle"];
  classes.forEach((c, k) => {
    const data = points.filter((_, i) => labels[i] === c);
    marks.push(Plot.dot(data, {
      x: (d: number[]) => d[0],
      y: (d: number[]) => d[1],
      fill: CLASS_COLORS[k],
      stroke: "white",
      strokeWidth: 0.75,
      symbol: symbols[k],
      r: 4,
      clip: true,
    }));
  });
  const svg = Plot.plot({
    document,
    width: 560,
    height: 420,
    marginLeft: 48,
    marginRight: 16,
    marginBottom: 40,
    style: { fontSize: "11px", fontFamily: FONT, background: "white", color: "#222" },
    x: {
      label: "x₁",
      domain: [x1, x2],
      labelAnchor: "center",
      labelArrow: "none",
      tickFormat: tick,
    },
    y: {
      label: "x₂",
      domain: [y1, y2],
      labelAnchor: "center",
      labelArrow: "none",
      tickFormat: tick,
    },
    marks,
  });
  return {
    svg: finalize(svg, prefix),
    legend: classes.map((c, k) => ({
      name: `class ${formatNumber(c)}`,
      color: CLASS_COLORS[k],
      mark: k === 0 ? "circle" as const : "triangle" as const,
    })),
  };
}

/**
 * Draws any plot block.
 *
 * @example
 * ```ts
 * import { plotSvg } from "./plot.ts";
 * import assert from "node:assert/strict";
 * const picture = await plotSvg({
 *   kind: "chart", title: "t", xLabel: "x", yLabel: "y", series: [{ name: "s", points: [[0, 1], [1, 0]] }],
 * }, "f");
 * assert.match(picture.svg, /^<svg/);
 * ```
 */
export function plotSvg(block: PlotBlock, prefix: string): Promise<Picture> {
  switch (block.kind) {
    case "chart":
      return chartSvg(block, prefix);
    case "contour":
      return contourSvg(block, prefix);
    case "boundary":
      return boundarySvg(block, prefix);
  }
}
