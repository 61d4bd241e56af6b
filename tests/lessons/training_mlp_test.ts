/**
 * Lesson 06: micrograd's demo, compiled. Its numbers against a second method (bench/fused.ts, the
 * same arithmetic over Float64Arrays with no graph; the graph rebuilt every step), its claims
 * about creases against backprop, its exercises against hand counts and the real command.
 */
import assert from "node:assert/strict";
import {
  accuracy,
  Adam,
  Collector,
  createOptimizer,
  formatNumber,
  maxMarginLoss,
  MLP,
  Value,
} from "../../mod.ts";
import { demoWorkload, runFused } from "../../bench/workload.ts";
import lesson06, {
  ADAM_LR,
  creases,
  DEFAULT_SEED,
  L2,
  moonsData,
  moonsModel,
  schedule,
  scorer,
  STEPS,
  trainAdam,
  trainMoons,
  trainSGD,
} from "../../lessons/06-training-an-mlp.ts";

const ROOT = new URL("../../", import.meta.url);

async function lessonBlocks() {
  const sink = new Collector();
  await lesson06.run(sink);
  return sink.blocks;
}

/** The natural loop: the graph rebuilt every step, as micrograd's demo and the lesson once did. */
function natural(update: (params: Value[]) => (k: number) => void, steps: number) {
  const { X, y } = moonsData(DEFAULT_SEED);
  const model = moonsModel(DEFAULT_SEED);
  const params = model.parameters();
  const step = update(params);
  const out: { loss: number; accuracy: number }[] = [];
  for (let k = 0; k <= steps; k++) {
    const scores = X.map((x) => model.forwardScalar(x));
    const total = maxMarginLoss(scores, y, { params, alpha: L2 });
    out.push({ loss: total.data, accuracy: accuracy(scores, y) });
    if (k === steps) break;
    for (const p of params) p.grad = 0;
    total.backward();
    step(k);
  }
  return out;
}

Deno.test("lesson 06: the compiled run is the rebuilt graph's run, bit for bit (SGD and Adam)", () => {
  const sgd = trainSGD(DEFAULT_SEED).records;
  const byHand = natural((params) => (k) => {
    for (const p of params) p.data -= schedule(k) * p.grad;
  }, STEPS);
  assert.equal(sgd.length, STEPS + 1);
  sgd.forEach((r, k) => {
    assert.equal(r.loss, byHand[k].loss, `SGD loss after ${k} updates`);
    assert.equal(r.accuracy, byHand[k].accuracy, `SGD accuracy after ${k} updates`);
  });
  const adam = trainAdam(DEFAULT_SEED).records;
  const adamByHand = natural((params) => {
    const opt = new Adam(params, { lr: ADAM_LR });
    return () => opt.step({ trace: false });
  }, STEPS);
  adam.forEach((r, k) => assert.equal(r.loss, adamByHand[k].loss, `Adam loss after ${k}`));
});

Deno.test("lesson 06: the losses are bench/fused.ts's, computed with no graph at all", () => {
  const w = demoWorkload(STEPS + 1);
  assert.deepEqual(w.X, moonsData(DEFAULT_SEED).X, "the same data");
  const fused = runFused(w).losses; // loss k is before update k + 1: after k updates
  const records = trainSGD(DEFAULT_SEED).records;
  records.forEach((r, k) => {
    assert.ok(Math.abs(r.loss - fused[k]) <= 1e-12 * Math.max(1, fused[k]), `after ${k} updates`);
  });
});

Deno.test("lesson 06: one number for 'after 100 updates': the loss after the last update, not before it", async () => {
  const run = trainSGD(DEFAULT_SEED);
  const { records, model, X, y } = run;
  // The trained model, measured afresh with the Value graph: what the lesson once printed as
  // "after 100 steps" is records[100]; records[99] (what it printed later) is one update earlier.
  const scores = X.map((x) => model.forwardScalar(x));
  const fresh = maxMarginLoss(scores, y, { params: model.parameters(), alpha: L2 }).data;
  assert.equal(records[STEPS].loss, fresh);
  assert.notEqual(records[STEPS - 1].loss, fresh);
  assert.ok(Number.isNaN(records[STEPS].lr), "no update follows the last record");
  const text = (await lessonBlocks()).filter((b) => b.kind === "paragraph")
    .map((b) => (b.kind === "paragraph" ? b.content.join("") : "")).join("\n");
  const adam = trainAdam(DEFAULT_SEED).records;
  assert.ok(text.includes(`After ${STEPS} updates the loss is ${formatNumber(fresh)}`), text);
  assert.ok(
    text.includes(
      `their losses are ${formatNumber(fresh)} and ${formatNumber(adam[STEPS].loss)}`,
    ),
  );
  assert.ok(!text.includes(formatNumber(records[STEPS - 1].loss)), "the earlier number is gone");
});

Deno.test("lesson 06: Adam's first update moves a parameter by α·|g|/(|g| + ε): about α unless g is rounding noise", () => {
  const { first } = trainAdam(DEFAULT_SEED);
  first.grad.forEach((g, i) => {
    const expected = (ADAM_LR * Math.abs(g)) / (Math.abs(g) + 1e-8);
    assert.ok(Math.abs(first.moved[i] - expected) <= 1e-15, `parameter ${i}`);
    if (Math.abs(g) > 1e-6) assert.ok(first.moved[i] > 0.049, `parameter ${i} moves ~α`);
    if (Math.abs(g) < 1e-15) assert.ok(first.moved[i] < 1e-8, `parameter ${i} barely moves`);
  });
});

Deno.test("lesson 06: trainMoons runs any optimizer; Adam from the registry is trainAdam", () => {
  const viaRegistry = trainMoons(DEFAULT_SEED, (params) => {
    const opt = createOptimizer("adam", params, { lr: ADAM_LR });
    return () => (opt.step({ trace: false }), ADAM_LR);
  }, 20).records;
  const adam = trainAdam(DEFAULT_SEED).records.slice(0, 21);
  assert.deepEqual(viaRegistry.map((r) => r.loss), adam.map((r) => r.loss));
  // A rate far too large: the records carry what happened; nothing throws.
  const wild = trainMoons(DEFAULT_SEED, (params) => () => {
    for (const p of params) p.data -= 1e6 * p.grad;
    return 1e6;
  }, 5).records;
  assert.equal(wild.length, 6);
  assert.ok(wild[5].loss > 1e6 || Number.isNaN(wild[5].loss));
});

/** ∇ₓ of second-layer neuron j's pre-activation at a point where it is on, by backprop. */
function secondLayerSlope(model: MLP, j: number, x: number, y: number): [number, number] {
  const x1 = new Value(x), x2 = new Value(y);
  const a1 = model.layers[0].forward([x1, x2]);
  const out = model.layers[1].neurons[j].forward(a1); // relu(z): its slope is ∇z where z > 0
  out.backward();
  return [x1.grad, x2.grad];
}

Deno.test("lesson 06: first-layer creases are straight lines, second-layer creases bend (backprop's slopes)", () => {
  const { model, X } = trainSGD(DEFAULT_SEED);
  const c = creases(model, X);
  // First layer: z = w·x + b has the same slope w everywhere, so its zero set is one line.
  const l1 = model.layers[0];
  for (const nrn of l1.neurons) {
    const slopes = [[-1, 0.3], [2, -1], [0.5, 1.5]].map(([x, y]) => {
      const x1 = new Value(x), x2 = new Value(y);
      const z = nrn.b.add(nrn.w[0].mul(x1)).add(nrn.w[1].mul(x2));
      z.backward();
      return [x1.grad, x2.grad];
    });
    for (const s of slopes) assert.deepEqual(s, [nrn.w[0].data, nrn.w[1].data]);
  }
  // Second layer: along each crease that crosses the window, the slope of z (the crease's
  // normal) takes several directions: walk rows of a grid, find sign changes of z, and measure
  // the slope just on the positive side with backprop.
  const xs = X.map((p) => p[0]), ys = X.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs) - 0.5, Math.max(...xs) + 0.5];
  const [y0, y1] = [Math.min(...ys) - 0.5, Math.max(...ys) + 0.5];
  const z = (j: number, x: number, y: number) => {
    const a1 = model.layers[0].forward([x, y]);
    const nrn = model.layers[1].neurons[j];
    return a1.reduce((s, a, i) => s + nrn.w[i].data * a.data, nrn.b.data);
  };
  let bending = 0;
  for (let j = 0; j < 16; j++) {
    const directions = new Set<string>();
    for (let r = 0; r <= 40; r++) {
      const y = y0 + ((y1 - y0) * r) / 40;
      for (let i = 0; i < 200; i++) {
        const xa = x0 + ((x1 - x0) * i) / 200, xb = x0 + ((x1 - x0) * (i + 1)) / 200;
        const za = z(j, xa, y), zb = z(j, xb, y);
        if ((za > 0) === (zb > 0)) continue;
        const [gx, gy] = secondLayerSlope(model, j, za > 0 ? xa : xb, y);
        const norm = Math.hypot(gx, gy);
        directions.add(`${(gx / norm).toFixed(6)},${(gy / norm).toFixed(6)}`);
      }
    }
    if (directions.size > 1) bending++;
  }
  assert.equal(c.firstCrossing, 16);
  assert.equal(bending, c.secondPieces.length, "every second-layer crease in view bends");
  assert.ok(Math.min(...c.secondPieces) > 1);
  // The boundary: two neighbouring grid points on either side of score = 0 whose score has the
  // same slope (backprop) lie in one linear piece, and the boundary crosses it there; distinct
  // slopes are distinct pieces. Found this way on a finer grid, they are at least as many as
  // the lesson says.
  const score = scorer(model);
  const slope = (p: number[]) => {
    const a = new Value(p[0]), b = new Value(p[1]);
    model.forwardScalar([a, b]).backward();
    const norm = Math.hypot(a.grad, b.grad);
    return `${(a.grad / norm).toFixed(6)},${(b.grad / norm).toFixed(6)}`;
  };
  const N = 400, pieces = new Set<string>();
  const at = (u: number, v: number) => [x0 + ((x1 - x0) * u) / N, y0 + ((y1 - y0) * v) / N];
  for (let r = 0; r <= N; r++) {
    for (let i = 0; i < N; i++) {
      for (const [pa, pb] of [[at(i, r), at(i + 1, r)], [at(r, i), at(r, i + 1)]]) {
        if ((score(pa) > 0) === (score(pb) > 0)) continue;
        const [sa, sb] = [slope(pa), slope(pb)];
        if (sa === sb) pieces.add(sa);
      }
    }
  }
  assert.ok(pieces.size >= c.boundaryPieces, `${pieces.size} pieces by backprop`);
});

Deno.test("lesson 06: the crease counts' network is the trained network (its score, as the scorer's)", () => {
  const { model, X } = trainSGD(DEFAULT_SEED);
  const score = scorer(model);
  for (const p of [[0, 0], [1.2, -0.4], [-0.7, 0.9]]) {
    assert.equal(score(p), model.forwardScalar(p).data);
  }
  assert.ok(creases(model, X, 48).regions <= creases(model, X, 160).regions * 2);
});

/** The words of a shell command, with double-quoted arguments kept whole. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

Deno.test("lesson 06: the exercises' answers, by hand, and the command printed runs", async () => {
  const ex = (await lessonBlocks()).find((b) => b.kind === "exercises");
  assert.ok(ex && ex.kind === "exercises");
  const answers = ex.items.map((i) => i.answer.join(""));
  // 1: 1 − 0.9·t/100 < 0.5 ⇔ t > 55.5…: t = 56, where α = 0.496
  assert.ok(1 - (0.9 * 55) / 100 >= 0.5 && 1 - (0.9 * 56) / 100 < 0.5);
  assert.ok(answers[0].includes("first at t = 56 (α = 0.496)"), answers[0]);
  assert.ok(answers[0].includes("α = 0.109"), answers[0]);
  // 2: (2·32 + 32) + (32·32 + 32) + (32·1 + 1)
  const count = (2 * 32 + 32) + (32 * 32 + 32) + (32 + 1);
  assert.equal(new MLP(2, [32, 32, 1]).parameters().length, count);
  assert.ok(answers[1].endsWith(`= ${count}.`), answers[1]);
  // 3: the neuron's input is 0 at (x₁, 0)
  const { model } = trainSGD(DEFAULT_SEED);
  const nrn = model.layers[0].neurons[0];
  const crossing = -nrn.b.data / nrn.w[0].data;
  assert.ok(Math.abs(nrn.w[0].data * crossing + nrn.b.data) < 1e-15);
  assert.equal(answers[2], `x₁ = −b/w₁ = ${formatNumber(crossing)}.`);
  // 4: the command prints w = 0.05 after one step
  const args = words(ex.items[3].command!);
  assert.deepEqual(args.slice(0, 3), ["deno", "task", "stepgrad"]);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "mod.ts", ...args.slice(3)],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  assert.equal(out.code, 0);
  const printed = new TextDecoder().decode(out.stdout);
  assert.match(printed, new RegExp(`after 1 step: w = ${formatNumber(ADAM_LR)},`));
  assert.ok(answers[3].endsWith(`w = ${formatNumber(ADAM_LR)}.`), answers[3]);
});
