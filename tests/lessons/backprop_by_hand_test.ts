/**
 * Lesson 03 against the published figures of the 2-2-2 worked example (Mazur, 2015), as listed
 * in the project's reference notes (shared/reference/worked-example.md), typed in here from that
 * table rather than taken from the lesson.
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import type { Block } from "../../lib/doc/doc.ts";
import { renderBlock } from "../../lib/render/terminal.ts";
import lesson, { train } from "../../lessons/03-backprop-by-hand.ts";

/** The reference table: quantity → published figure. */
const FIGURES: [string, number][] = [
  ["net_h1", 0.3775],
  ["out_h1", 0.593269992],
  ["out_h2", 0.596884378],
  ["net_o1", 1.105905967],
  ["out_o1", 0.75136507],
  ["out_o2", 0.772928465],
  ["E_o1", 0.274811083],
  ["E_o2", 0.023560026],
  ["E_total", 0.298371109],
  ["∂E_total/∂out_o1", 0.74136507],
  ["∂out_o1/∂net_o1", 0.186815602],
  ["∂E_total/∂w5", 0.082167041],
  ["∂E_total/∂out_h1", 0.036350306],
  ["∂E_o1/∂out_h1", 0.055399425],
  ["∂out_h1/∂net_h1", 0.241300709],
  ["∂E_total/∂w1", 0.000438568],
];
const NEW_WEIGHTS: [string, number][] = [
  ["w1", 0.149780716],
  ["w2", 0.19956143],
  ["w3", 0.24975114],
  ["w4", 0.29950229],
  ["w5", 0.35891648],
  ["w6", 0.408666186],
  ["w7", 0.51130127],
  ["w8", 0.561370121],
];

/** Half a unit in the last printed decimal of a figure. */
function halfUlp(figure: number): number {
  const decimals = String(figure).split(".")[1]?.length ?? 0;
  return 0.5 * 10 ** -decimals * (1 + 1e-9);
}

async function collect(): Promise<Block[]> {
  const sink = new Collector();
  await lesson.run(sink);
  return sink.blocks;
}

function tables(blocks: Block[]) {
  return blocks.filter((b): b is Extract<Block, { kind: "table" }> => b.kind === "table");
}

/** The number in the row labelled `name` under the column `header`. */
function cell(blocks: Block[], name: string, header: string): number {
  for (const t of tables(blocks)) {
    const col = t.columns.findIndex((c) => c.header === header);
    const row = t.rows.find((r) => r[0] === name);
    if (col >= 0 && row && typeof row[col] === "number") return row[col] as number;
  }
  throw new Error(`no "${header}" number for ${name}`);
}

Deno.test("lesson 03: forward pass and chain-rule factors round to the published figures", async () => {
  const blocks = await collect();
  for (const [name, figure] of FIGURES) {
    const value = cell(blocks, name, "stepgrad");
    assert.ok(
      Math.abs(value - figure) <= halfUlp(figure),
      `${name}: stepgrad ${value}, published ${figure}`,
    );
  }
});

Deno.test("lesson 03: the updated weights, and backprop equals the hand-written chain rule", async () => {
  const blocks = await collect();
  for (const [name, figure] of NEW_WEIGHTS) {
    const value = cell(blocks, name, "new weight");
    assert.ok(Math.abs(value - figure) <= halfUlp(figure), `${name}⁺ ${value} vs ${figure}`);
    const product = cell(blocks, name, "product");
    const backprop = cell(blocks, name, "backprop");
    assert.ok(Math.abs(product - backprop) <= 1e-15, `${name}: ${product} vs ${backprop}`);
  }
  // the one factor the post rounded from a rounded intermediate is shown and explained
  const o2 = cell(blocks, "∂E_o2/∂out_h1", "stepgrad");
  // exactly −0.0380982366… · 0.5 = −0.01904911826…, which rounds to …118, not the printed …119
  assert.ok(Math.abs(o2 - -0.0190491183) < 5e-11, String(o2));
  const text = blocks.map((b) => renderBlock(b)).join("\n");
  assert.match(text, /∂E_o2\/∂out_h1 +−0\.0190491183 +−0\.019049119 +✓ rounding \(\*\)/);
  assert.ok(!text.includes("✗"), "every published figure is accounted for");
});

Deno.test("lesson 03: the later figures, simultaneous versus in-place", () => {
  const sim = train("simultaneous", 10000, [1, 9999, 10000]);
  const inPlace = train("in-place", 10000, [1, 10000]);
  // the stated algorithm (reference: 0.29102777369…, 3.5101878e-05, 0.015913620, 0.984064274)
  assert.ok(Math.abs(sim.get(1)!.error - 0.29102777369) < 1e-11);
  assert.ok(Math.abs(sim.get(10000)!.error - 3.5101878e-5) < 1e-12);
  assert.ok(Math.abs(sim.get(10000)!.out_o1 - 0.01591362) < 5e-10);
  assert.ok(Math.abs(sim.get(10000)!.out_o2 - 0.984064274) < 5e-10);
  // the published 0.0000351085 is the stated algorithm after 9,999 updates
  assert.ok(Math.abs(sim.get(9999)!.error - 0.0000351085) < 5e-11);
  // the published 0.291027924 and outputs 0.015912196, 0.984065734 come from in-place updates
  assert.ok(Math.abs(inPlace.get(1)!.error - 0.291027924) < 5e-10);
  assert.ok(Math.abs(inPlace.get(10000)!.out_o1 - 0.015912196) < 5e-10);
  assert.ok(Math.abs(inPlace.get(10000)!.out_o2 - 0.984065734) < 5e-10);
});

Deno.test("lesson 03: the in-place variant equals the old code written out with plain numbers", () => {
  // The post's original code, transcribed: output deltas, update w5..w8, then hidden deltas
  // with the new w5..w8 and the old activations.
  const s = (x: number) => 1 / (1 + Math.exp(-x));
  const w = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55];
  const [i1, i2, b1, b2, t1, t2] = [0.05, 0.1, 0.35, 0.6, 0.01, 0.99];
  const forward = () => {
    const h1 = s(w[0] * i1 + w[1] * i2 + b1), h2 = s(w[2] * i1 + w[3] * i2 + b1);
    const o1 = s(w[4] * h1 + w[5] * h2 + b2), o2 = s(w[6] * h1 + w[7] * h2 + b2);
    return { h1, h2, o1, o2, E: 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2 };
  };
  for (let k = 0; k < 50; k++) {
    const { h1, h2, o1, o2 } = forward();
    const d1 = (o1 - t1) * o1 * (1 - o1), d2 = (o2 - t2) * o2 * (1 - o2);
    w[4] -= 0.5 * d1 * h1, w[5] -= 0.5 * d1 * h2, w[6] -= 0.5 * d2 * h1, w[7] -= 0.5 * d2 * h2;
    const e1 = (d1 * w[4] + d2 * w[6]) * h1 * (1 - h1);
    const e2 = (d1 * w[5] + d2 * w[7]) * h2 * (1 - h2);
    w[0] -= 0.5 * e1 * i1, w[1] -= 0.5 * e1 * i2, w[2] -= 0.5 * e2 * i1, w[3] -= 0.5 * e2 * i2;
  }
  const engine = train("in-place", 50).get(50)!;
  assert.ok(Math.abs(engine.error - forward().E) < 1e-15, `${engine.error} vs ${forward().E}`);
});

Deno.test("lesson 03: the terminal shows the worked numbers, and the graph block is the real graph", async () => {
  const blocks = await collect();
  const text = blocks.map((b) => renderBlock(b)).join("\n");
  assert.ok(text.includes("w₅⁺ = w₅ − η·∂E_total/∂w₅ = 0.4 − 0.5 · 0.0821670406 = 0.35891648"));
  assert.ok(text.includes("netₕ₁ = 0.15 · 0.05 + 0.2 · 0.1 + 0.35 = 0.3775"));
  assert.match(text, /error after 1 round +0\.291027924 +0\.291027774 +0\.291027924 ✓/);
  assert.match(text, /out_o1 after 10,000 +0\.015912196 +0\.0159136204 +0\.0159121963 ✓/);
  assert.match(
    text.replace(/\s+/g, " "),
    /error after 9,999 simultaneous rounds is 3\.51085481×10⁻⁵ ✓/,
  );
  const graph = blocks.find((b) => b.kind === "graph");
  assert.ok(graph && graph.kind === "graph");
  assert.match(graph.dot, /E_total \| data 0\.298371 \| grad 1/);
  assert.match(graph.dot, /w5 \| data 0\.4 \| grad 0\.082167 /);
});
