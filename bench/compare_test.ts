// A light run of bench/compare.ts's engines, so the comparison cannot rot: a few steps of the
// demo workload through (a) the natural loop, (b) compiled, (c) the floor and, when python3 is
// installed, (d) bench/micrograd.py, which must all reach the same losses.
import assert from "node:assert/strict";
import { largestLossGap, report, type Row } from "./compare.ts";
import {
  demoWorkload,
  graphSize,
  learningRate,
  runCompiled,
  runFused,
  runNatural,
  runPython,
} from "./workload.ts";

const w = demoWorkload(4);

Deno.test("bench:compare engines agree: the same loss at every step from the same weights", () => {
  const a = runNatural(w), b = runCompiled(w), c = runFused(w);
  assert.equal(a.losses.length, 4);
  assert.deepEqual(b.losses, a.losses); // same graph, same order: bit for bit
  for (let k = 0; k < 4; k++) assert.ok(Math.abs(c.losses[k] - a.losses[k]) <= 1e-12);
  assert.ok(a.losses[3] < a.losses[0], `the loss should fall: ${a.losses}`);
  assert.equal(learningRate(0), 1);
  assert.equal(learningRate(50), 0.55);
});

Deno.test("bench:compare report: aligned columns, ratios, the agreement line and the figures", () => {
  const rows: Row[] = [
    { name: "(a) stepgrad, natural loop", run: { losses: [1, 0.5], seconds: [0.004, 0.004] } },
    {
      name: "(b) stepgrad, compiled",
      run: { losses: [1, 0.5], seconds: [4e-4, 4e-4], setup: 0.02 },
    },
    { name: "(c) hand-fused (the floor)", run: { losses: [1, 0.5], seconds: [2e-4, 2e-4] } },
    { name: "(d) Python, micrograd's design", run: { losses: [1, 0.5], seconds: [1.5, 1.5] } },
  ];
  const text = report({ ...w, steps: 2 }, rows, 65818);
  assert.match(text, /\(a\) stepgrad, natural loop\s+4\s+4\s+20×\s+375×\s+0\.5/);
  assert.match(text, /\(b\) stepgrad, compiled\s+0\.4\s+0\.4\s+2×\s+3750×/);
  assert.match(text, /Compiling \(b\) took 20 ms, once\./);
  assert.match(text, /natural loop 375× faster than Python \(≥ 300×\): met/);
  assert.match(text, /compiled 2× the floor's time \(≤ 3×\): met/);
  assert.match(text, /Losses agree at every step: largest difference from \(a\) 0/);
  const lines = text.split("\n").filter((l) => l.startsWith("  ("));
  const col = (l: string) => l.indexOf("×");
  assert.ok(lines.slice(1).every((l) => col(l) === col(lines[0])), "ratio columns line up");

  const absent: Row[] = [rows[0], { name: "(d) Python, micrograd's design", run: "not run" }];
  const off = report({ ...w, steps: 2 }, absent, 10);
  assert.match(off, /\(d\) Python, micrograd's design\s+not run/);
  assert.doesNotMatch(off, /faster than Python/);

  const wrong: Row[] = [rows[0], { name: "x", run: { losses: [1, 0.6], seconds: [1, 1] } }];
  assert.ok(Math.abs(largestLossGap(wrong) - 0.1) < 1e-15);
  assert.match(report({ ...w, steps: 2 }, wrong, 10), /LOSSES DISAGREE/);
});

Deno.test("bench:compare's Python engine (when python3 is installed) matches stepgrad", async () => {
  const short = demoWorkload(2);
  const py = await runPython(short);
  if (py === undefined) {
    console.log("python3 not installed: skipped");
    return;
  }
  const a = runNatural(short);
  assert.equal(py.losses.length, 2);
  py.losses.forEach((l, k) => assert.ok(Math.abs(l - a.losses[k]) <= 1e-12, `step ${k}`));
  // nodes per step: per sample 2·16·2 + 16 (layer 1) + 16·16·2 + 16 (layer 2) + 16·2 (layer 3)
  // + 3 (loss term); then the data sum (100 adds and ·1/n), L2 (337 products, 337 adds, ·α) and
  // the total; leaves: 337 parameters, 200 inputs, 200 label constants, two 0s, 1/n and α
  const perSample = 2 * 16 * 2 + 16 + 16 * 16 * 2 + 16 + 16 * 2 + 3;
  const interior = 100 * perSample + 101 + 337 * 2 + 1 + 1;
  assert.equal(graphSize(short), interior + 337 + 200 + 200 + 2 + 2);
});
