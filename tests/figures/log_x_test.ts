/**
 * Charts with a log x axis (learning-rate sweeps): the terminal places each point at log₁₀ x, so
 * a chart over 1, 10, 100, … draws what a linear chart over 0, 1, 2, … draws; the SVG plot puts
 * its decades at equal distances and labels them with the formatter.
 */
import assert from "node:assert/strict";
import type { Block } from "../../mod.ts";
import { renderChart } from "../../lib/render/terminal_chart.ts";
import { chartSvg } from "../../lib/figures/plot.ts";

type Chart = Extract<Block, { kind: "chart" }>;
const ys = [3, 1, 0.5, 0.2, 2];
const chart = (logX: boolean, xs: number[]): Chart => ({
  kind: "chart",
  title: "loss against the learning rate",
  xLabel: "α",
  yLabel: "loss",
  logY: true,
  ...(logX ? { logX } : {}),
  series: [
    { name: "a", points: xs.map((x, i) => [x, ys[i]]) },
    { name: "b", points: xs.map((x, i) => [x, ys[i] * 2]) },
  ],
});

Deno.test("terminal chart with logX: the picture of log₁₀ x, labelled with x", () => {
  const decades = [1e-4, 1e-3, 1e-2, 1e-1, 1];
  const log = renderChart(chart(true, decades));
  const linear = renderChart(chart(false, [-4, -3, -2, -1, 0]));
  const body = (lines: string[]) => lines.filter((l) => /[┤┼]/.test(l));
  assert.deepEqual(body(log), body(linear));
  const axis = log.find((l) => l.includes("α"))!;
  assert.match(axis, /^ +0\.0001 +α \(log scale\) +1$/);
  // Unevenly spaced rates land where their logarithm says: 10 sits 1/3 of the way to 1000.
  const uneven = renderChart(chart(true, [1, 10, 1000, 1000.0001, 1000.0002]));
  const even = renderChart(chart(false, [0, 1, 3, 3.00000004, 3.00000009]));
  assert.deepEqual(body(uneven), body(even));
  assert.throws(() => renderChart(chart(true, [0, 1, 2, 3, 4])), /log x axis needs every x > 0/);
});

Deno.test("SVG chart with logX: decades at equal distances, labelled 0.0001 … 1", async () => {
  const { svg } = await chartSvg(chart(true, [1e-4, 1e-3, 1e-2, 1e-1, 1]), "fig1");
  const labels = /aria-label="x-axis tick label">(.*?)<\/g>/.exec(svg)![1];
  const ticks = [...labels.matchAll(/translate\(([\d.]+),[\d.]+\)" y="[^"]*">([^<]*)</g)]
    .map((m) => [Number(m[1]), m[2]] as const);
  assert.deepEqual(ticks.map((t) => t[1]), ["0.0001", "0.001", "0.01", "0.1", "1"]);
  const gaps = ticks.slice(1).map((t, i) => t[0] - ticks[i][0]);
  assert.ok(gaps.every((g) => Math.abs(g - gaps[0]) < 0.02), `gaps ${gaps}`);
  await assert.rejects(() => chartSvg(chart(true, [0, 1, 2, 3, 4]), "f"), /every x > 0/);
});
