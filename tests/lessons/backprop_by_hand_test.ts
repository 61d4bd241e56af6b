/**
 * Lesson 03 against the published figures of the 2-2-2 worked example (Mazur, 2015), as listed
 * in the project's reference notes (shared/reference/worked-example.md), typed in here from that
 * table rather than taken from the lesson; the bias section against a second computation (the
 * network written out with plain numbers in matrix form, and central differences); the
 * exercises' commands run as a learner types them.
 */
import assert from "node:assert/strict";
import {
  type Block,
  type Cell,
  Collector,
  formatNumber,
  NOTATION,
  renderBlock,
} from "../../mod.ts";
import { renderHtml } from "../../lib/handout/html.ts";
import lesson, {
  biasComparison,
  buildNetwork,
  exerciseCommands,
  networkDot,
  train,
  workedExample,
} from "../../lessons/03-backprop-by-hand.ts";

/** The reference table: quantity (as the lesson's table cell writes it in TeX) → figure. */
const FIGURES: [string, number][] = [
  ["net_{h1}", 0.3775],
  ["out_{h1}", 0.593269992],
  ["out_{h2}", 0.596884378],
  ["net_{o1}", 1.105905967],
  ["out_{o1}", 0.75136507],
  ["out_{o2}", 0.772928465],
  ["E_{o1}", 0.274811083],
  ["E_{o2}", 0.023560026],
  ["E_{\\text{total}}", 0.298371109],
  ["\\partial E_{\\text{total}}/\\partial out_{o1}", 0.74136507],
  ["\\partial out_{o1}/\\partial net_{o1}", 0.186815602],
  ["\\partial E_{\\text{total}}/\\partial w_5", 0.082167041],
  ["\\partial E_{\\text{total}}/\\partial out_{h1}", 0.036350306],
  ["\\partial E_{o1}/\\partial out_{h1}", 0.055399425],
  ["\\partial out_{h1}/\\partial net_{h1}", 0.241300709],
  ["\\partial E_{\\text{total}}/\\partial w_1", 0.000438568],
];
const NEW_WEIGHTS: [string, number][] = [
  ["w_1", 0.149780716],
  ["w_2", 0.19956143],
  ["w_3", 0.24975114],
  ["w_4", 0.29950229],
  ["w_5", 0.35891648],
  ["w_6", 0.408666186],
  ["w_7", 0.51130127],
  ["w_8", 0.561370121],
];
const INPUTS = [0.05, 0.1], TARGETS = [0.01, 0.99], LR = 0.5;
const WEIGHTS = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55];

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

/** A row's label as TeX (a formula cell) or as written (a text cell). */
const label = (c: Cell) => (typeof c === "object" ? c.tex : String(c));

/** The number in the row labelled `name` under the column `header`. */
function cell(blocks: Block[], name: string, header: string): number {
  for (const t of tables(blocks)) {
    const col = t.columns.findIndex((c) => c.header === header);
    const row = t.rows.find((r) => label(r[0]) === name);
    if (col >= 0 && row && typeof row[col] === "number") return row[col] as number;
  }
  throw new Error(`no "${header}" number for ${name}`);
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * The network with plain numbers, in matrix form (W1 = [[w1, w2], [w3, w4]], one bias per
 * neuron): the forward pass, the δs (δ2 = (a2 − y)·a2(1 − a2), δ1 = W2ᵀδ2 · a1(1 − a1)) and E.
 */
function plain(w: readonly number[], bh: readonly number[], bo: readonly number[]) {
  const [x1, x2] = INPUTS;
  const h = [sigmoid(w[0] * x1 + w[1] * x2 + bh[0]), sigmoid(w[2] * x1 + w[3] * x2 + bh[1])];
  const o = [
    sigmoid(w[4] * h[0] + w[5] * h[1] + bo[0]),
    sigmoid(w[6] * h[0] + w[7] * h[1] + bo[1]),
  ];
  const d2 = o.map((a, j) => (a - TARGETS[j]) * a * (1 - a));
  const d1 = [
    (w[4] * d2[0] + w[6] * d2[1]) * h[0] * (1 - h[0]),
    (w[5] * d2[0] + w[7] * d2[1]) * h[1] * (1 - h[1]),
  ];
  const E = 0.5 * ((TARGETS[0] - o[0]) ** 2 + (TARGETS[1] - o[1]) ** 2);
  const dW = [
    d1[0] * x1,
    d1[0] * x2,
    d1[1] * x1,
    d1[1] * x2,
    d2[0] * h[0],
    d2[0] * h[1],
    d2[1] * h[0],
    d2[1] * h[1],
  ];
  return { h, o, d1, d2, E, dW };
}

/** Trains the plain network: biases fixed, shared (their δs summed) or one per neuron. */
function plainTrain(biases: "fixed" | "shared" | "per-neuron", rounds: number): number[] {
  let w = [...WEIGHTS], bh = [0.35, 0.35], bo = [0.6, 0.6];
  const errors = [plain(w, bh, bo).E];
  for (let k = 0; k < rounds; k++) {
    const { d1, d2, dW } = plain(w, bh, bo);
    w = w.map((v, i) => v - LR * dW[i]);
    if (biases === "shared") {
      bh = bh.map((b) => b - LR * (d1[0] + d1[1]));
      bo = bo.map((b) => b - LR * (d2[0] + d2[1]));
    } else if (biases === "per-neuron") {
      bh = bh.map((b, j) => b - LR * d1[j]);
      bo = bo.map((b, j) => b - LR * d2[j]);
    }
    errors.push(plain(w, bh, bo).E);
  }
  return errors;
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
  const o2 = cell(blocks, "\\partial E_{o2}/\\partial out_{h1}", "stepgrad");
  // exactly −0.0380982366… · 0.5 = −0.01904911826…, which rounds to …118, not the printed …119
  assert.ok(Math.abs(o2 - -0.0190491183) < 5e-11, String(o2));
  const text = blocks.map((b) => renderBlock(b)).join("\n");
  assert.match(text, /∂Eₒ₂\/∂outₕ₁ +−0\.0190491183 +−0\.019049119 +✓ rounding \(\*\)/);
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

Deno.test("lesson 03: the bias gradients equal the δs summed, by plain numbers and by central differences", async () => {
  const blocks = await collect();
  const { d1, d2 } = plain(WEIGHTS, [0.35, 0.35], [0.6, 0.6]);
  // a second method: E as a function of the two shared biases, differentiated numerically
  const E = (b1: number, b2: number) => plain(WEIGHTS, [b1, b1], [b2, b2]).E;
  const h = 1e-6;
  const fd = [
    (E(0.35 + h, 0.6) - E(0.35 - h, 0.6)) / (2 * h),
    (E(0.35, 0.6 + h) - E(0.35, 0.6 - h)) / (2 * h),
  ];
  const expected = [d1[0] + d1[1], d2[0] + d2[1]];
  for (const [j, name] of ["b_1", "b_2"].entries()) {
    const byHand = cell(blocks, name, "∂E/∂b by hand");
    assert.ok(Math.abs(byHand - expected[j]) < 1e-15, `${name}: ${byHand} vs ${expected[j]}`);
    assert.ok(Math.abs(byHand - fd[j]) < 1e-9, `${name}: ${byHand} vs differences ${fd[j]}`);
    assert.ok(Math.abs(cell(blocks, name, "backprop") - byHand) < 1e-15);
    const b = [0.35, 0.6][j];
    assert.ok(Math.abs(cell(blocks, name, "new b") - (b - LR * expected[j])) < 1e-15);
  }
  // the reference: "Biases are never updated" — the post's figures all keep b fixed, and the
  // engine's fixed-bias run is the published one (above); training them changes the error
  const ex = workedExample();
  assert.deepEqual(ex.deltaH.map((d, j) => Math.abs(d - d1[j]) < 1e-15), [true, true]);
  assert.deepEqual(ex.delta.map((d, j) => Math.abs(d - d2[j]) < 1e-15), [true, true]);
});

Deno.test("lesson 03: the error with and without bias training equals the plain-number network's", async () => {
  const compare = biasComparison();
  for (const biases of ["fixed", "shared", "per-neuron"] as const) {
    const errors = plainTrain(biases, 10000);
    const ours = compare[biases];
    assert.ok(
      Math.abs(ours.after1 - errors[1]) < 1e-15,
      `${biases}: ${ours.after1} vs ${errors[1]}`,
    );
    assert.ok(
      Math.abs(ours.after10000 - errors[10000]) <= 1e-9 * errors[10000],
      `${biases}: ${ours.after10000} vs ${errors[10000]}`,
    );
  }
  // numpy (float64, matrix form) gave 0.28575088669929650 and 4.355321066163729e-06 (shared),
  // 0.28047144679143016 and 2.4475622359322627e-06 (per neuron)
  assert.ok(Math.abs(compare.shared.after1 - 0.2857508866992965) < 1e-14);
  assert.ok(Math.abs(compare["per-neuron"].after10000 - 2.4475622359322627e-6) < 1e-15);
  // what the lesson prints is those numbers
  const text = (await collect()).map((b) => renderBlock(b)).join("\n");
  assert.match(text, /weights only \(the post\) +0\.291027774 +3\.51018778×10⁻⁵/);
  assert.match(text, /weights and the shared biases +0\.285750887 +4\.35532107×10⁻⁶/);
  assert.match(text, /error 1\.8% lower\s+than the post's, after 10,000 rounds 88% lower/);
});

Deno.test("lesson 03: the network diagram's edges are the network's weights", () => {
  const dot = networkDot(workedExample());
  const edges = [...dot.matchAll(/ (\w)(\d) -> (\w)(\d) \[label="w(.) = ([\d.]+)"/g)];
  assert.equal(edges.length, 8, dot);
  const sub = "₁₂₃₄₅₆₇₈";
  for (const [, from, i, to, j, k, value] of edges) {
    const index = sub.indexOf(k);
    assert.equal(Number(value), WEIGHTS[index]);
    // ∂net_to/∂w_k is the value the edge comes from: the weight does connect these two
    const net = buildNetwork();
    const target = net.node[`net_${to}${j}`];
    target.backward();
    const source = from === "i" ? INPUTS[Number(i) - 1] : net.node[`out_h${i}`].data;
    assert.equal(net.w[index].grad, source, `w${index + 1}: ${from}${i} → ${to}${j}`);
  }
  assert.match(dot, /b1 -> h1 \[style=dashed\]; b1 -> h2/);
  assert.match(dot, /b2 -> o1 \[style=dashed\]; b2 -> o2/);
});

Deno.test("lesson 03: notation: α not η, subscripts typeset in every HTML table", async () => {
  const blocks = await collect();
  const text = blocks.map((b) => renderBlock(b)).join("\n");
  assert.ok(!text.includes("η"), "the learning rate is α");
  assert.ok(text.includes("w₅⁺ = w₅ − α·∂Eₜₒₜₐₗ/∂w₅ = 0.4 − 0.5 · 0.0821670406 = 0.35891648"));
  // the total error as the course's notation table spells it, everywhere
  assert.ok(text.includes(`∂${NOTATION.errorTotal.text}/∂outₒ₁`));
  assert.ok(!text.includes("E_total"), "E_total spelled Eₜₒₜₐₗ");
  assert.ok(text.includes("netₕ₁ = 0.15 · 0.05 + 0.2 · 0.1 + 0.35 = 0.3775"));
  assert.match(text, /error after 1 round +0\.291027924 +0\.291027774 +0\.291027924 ✓/);
  assert.match(text, /outₒ₁ after 10,000 +0\.015912196 +0\.0159136204 +0\.0159121963 ✓/);
  assert.match(
    text.replace(/\s+/g, " "),
    /error after 9,999 simultaneous rounds is 3\.51085481×10⁻⁵ ✓/,
  );
  const html = await renderHtml({ number: 3, title: "Backprop by hand", summary: "", blocks });
  for (const table of html.match(/<tbody>[^]*?<\/tbody>/g) ?? []) {
    const plainText = table.replace(/<span class="katex">[^]*?<\/annotation>/g, "")
      .replace(/<[^>]+>/g, "");
    assert.ok(!plainText.includes("_"), `a raw underscore in a table: ${plainText}`);
  }
  const graph = blocks.find((b) => b.kind === "graph" && b.dot.includes("E_total"));
  assert.ok(graph && graph.kind === "graph");
  assert.match(graph.dot, /E_total \| data 0\.298371 \| grad 1/);
  assert.match(graph.dot, /w5 \| data 0\.4 \| grad 0\.082167 /);
});

const ROOT = new URL("../../", import.meta.url);

/** Runs a printed command in sh, `stepgrad` being this checkout's `deno run -A mod.ts`. */
async function learnerRuns(command: string) {
  const out = await new Deno.Command("sh", {
    args: ["-c", `stepgrad() { "$DENO" run -A mod.ts "$@"; }\n${command}`],
    cwd: ROOT,
    env: { DENO: Deno.execPath(), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("lesson 03: the exercises' commands run and give the stated answers", async () => {
  const blocks = await collect();
  const block = blocks.find((b) => b.kind === "exercises");
  assert.ok(block && block.kind === "exercises");
  assert.equal(block.items.length, 3);
  const answer = (k: number) =>
    block.items[k].answer.map((c) => (typeof c === "string" ? c : c.text)).join("");
  const commands = exerciseCommands();
  assert.equal(block.items[0].command, commands.w6);
  assert.equal(block.items[1].command, commands.db2);

  // 1: ∂E/∂w6 = δo1·out_h2; check says right and prints it at the point
  const { d2, h, d1: _ } = plain(WEIGHTS, [0.35, 0.35], [0.6, 0.6]);
  const dW6 = d2[0] * h[1];
  const w6 = await learnerRuns(commands.w6);
  assert.equal(w6.code, 0, w6.stderr + w6.stdout);
  assert.match(w6.stdout, /^right:/);
  const shown6 = formatNumber(dW6);
  assert.ok(w6.stdout.replace(/\s+/g, " ").includes(`the derivative is ${shown6}`), w6.stdout);
  assert.ok(answer(0).includes(formatNumber(dW6, { digits: 9 })), answer(0));
  assert.ok(answer(0).includes(`at that point as ${shown6}`), answer(0));
  assert.ok(answer(0).includes(formatNumber(0.45 - LR * dW6, { digits: 9 })));

  // 2: per-neuron output biases: their gradients are δo1, δo2, as check-layer's db2 shows
  const db2 = await learnerRuns(commands.db2);
  assert.equal(db2.code, 0, db2.stderr + db2.stdout);
  assert.match(db2.stdout, /^right: db2 = delta2/);
  for (const d of d2) {
    const shown = formatNumber(d, { digits: 9 });
    assert.ok(db2.stdout.includes(shown), `${shown} in ${db2.stdout}`);
    assert.ok(answer(1).includes(shown), answer(1));
    assert.ok(answer(1).includes(formatNumber(0.6 - LR * d, { digits: 9 })), answer(1));
  }

  // 3: the slip: ∂E/∂out_h1 with the updated w5, w7
  const dW = plain(WEIGHTS, [0.35, 0.35], [0.6, 0.6]).dW;
  const slipped = d2[0] * (0.4 - LR * dW[4]) + d2[1] * (0.5 - LR * dW[6]);
  assert.ok(answer(2).includes(`= ${formatNumber(slipped, { digits: 9 })}`), answer(2));
  assert.ok(answer(2).includes("0.291027924"), answer(2));
});
