/**
 * Lesson 02's claims against independent truth: closed forms for the bowl's curvatures and
 * Polyak's pair, step counts from a second implementation (numpy, in plain Python, written apart
 * from the lesson), stepgrad's SGD (checked against PyTorch by tests/optim's fixtures) for the
 * momentum and Nesterov iterates, brute force for the pruned grid search, and each exercise's
 * command run as a learner runs it.
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import type { Block } from "../../lib/doc/doc.ts";
import { renderBlock } from "../../lib/render/terminal.ts";
import { formatNumber } from "../../lib/text/format.ts";
import { runOptimizer } from "../../lib/optim/run.ts";
import { SGD } from "../../lib/optim/sgd.ts";
import { bowl } from "../../lessons/01-the-update-rule.ts";
import lesson02, {
  arrival,
  bowlGradient,
  curvatures,
  descend,
  directions,
  edges,
  EXERCISE_COMMANDS,
  firstApart,
  GRIDS,
  heavyBallPair,
  lookAheadRun,
  momentumRun,
  nesterovBothWays,
  range,
  RATES,
  REPORTED_PAIR,
  search,
  split,
  tunedPair,
} from "../../lessons/02-the-learning-rate.ts";
import { optimize } from "./exercise_command.ts";

async function lesson() {
  const sink = new Collector();
  await lesson02.run(sink, {});
  const text = sink.blocks.map((b: Block) => renderBlock(b)).join("\n");
  // the terminal wraps sentences: read them as one line
  return { blocks: sink.blocks, text: text.replace(/\s+/g, " ") };
}

const { max, min } = curvatures();

Deno.test("lesson 02: the best plain rate is 2/(h_max + h_min) = 3/17 (the trace of H is 34/3)", () => {
  assert.ok(Math.abs(2 / (max + min) - 3 / 17) < 1e-15);
  // both directions shrink by the same factor there, (κ − 1)/(κ + 1)
  assert.ok(Math.abs(Math.abs(1 - (3 / 17) * max) - (1 - (3 / 17) * min)) < 1e-14);
  // the eigenvectors: H·v = h·v for H = (2/3)·[[14, 6], [6, 3]]
  const H = [[28 / 3, 4], [4, 2]];
  const { steep, flat } = directions();
  for (const [v, h] of [[steep, max], [flat, min]] as const) {
    assert.ok(Math.abs(H[0][0] * v[0] + H[0][1] * v[1] - h * v[0]) < 1e-12);
    assert.ok(Math.abs(H[1][0] * v[0] + H[1][1] * v[1] - h * v[1]) < 1e-12);
  }
  // the loss is exactly ½·h_max·s² + ½·h_min·f²
  for (const [w, b] of [[0.5, 0], [3.56, 1.36], [-1, 2]]) {
    const p = split(w, b), loss = bowl(w, b).loss.data;
    assert.ok(Math.abs(p.steepLoss + p.flatLoss - loss) < 1e-12 * Math.max(1, loss));
  }
});

Deno.test("lesson 02: steps to a loss below 1e-6 equal numpy's count (a second implementation)", () => {
  // counted by separate numpy code: w, b updated with PyTorch's momentum, loss mean((wx+b−y)²)
  const numpy: [number, number, boolean, number, number][] = [
    // lr, μ, nesterov, first below, stays below
    [0.172, 0, false, 111, 111],
    [3 / 17, 0, false, 193, 193],
    [0.17, 0, false, 113, 113],
    [0.274, 0.553, false, 42, 42],
    [0.282, 0.603, false, 16, 42],
    [0.21, 0.63, false, 22, 38],
    [0.22, 0.3, false, 58, 58],
    [0.14, 0.3, true, 96, 96],
    [0.07, 0.9, true, 42, 65],
    [0.035, 0.9, false, 94, 156],
  ];
  for (const [lr, momentum, nesterov, first, stays] of numpy) {
    assert.deepEqual(arrival({ lr, momentum, nesterov }), { first, stays }, `${lr}, ${momentum}`);
  }
  assert.deepEqual(arrival(heavyBallPair()), { first: 43, stays: 43 });
  assert.deepEqual(arrival({ lr: 0.2, momentum: 0 }), {}, "α = 0.2 diverges");
});

Deno.test("lesson 02: the closed-form count agrees with stepgrad's SGD on lesson 01's graph", () => {
  for (const o of [{ lr: 0.274, momentum: 0.553 }, { lr: 0.1, momentum: 0.9, nesterov: true }]) {
    const { w, b, loss } = bowl(0.5, 0);
    const run = runOptimizer(loss, new SGD([w, b], o), { steps: 300, trace: false });
    const first = run.steps.findIndex((s) => s.lossAfter! < 1e-6) + 1;
    assert.equal(first, arrival(o).first, JSON.stringify(o));
    // and the iterates are momentumRun's
    const mine = momentumRun(bowlGradient, [0.5, 0], o, 30);
    for (let t = 1; t <= 30; t++) {
      run.steps[t - 1].params.forEach((p, i) =>
        assert.ok(Math.abs(p.after - mine[t].theta[i]) < 1e-12, `step ${t}`)
      );
    }
  }
});

Deno.test("lesson 02: the pruned grid search finds what brute force finds", () => {
  const grid = range(0.2, 0.3, 0.01).flatMap((lr) =>
    range(0.5, 0.66, 0.01).map((momentum) => ({ lr, momentum }))
  );
  const all = grid.map((o) => ({ o, a: arrival(o) }));
  const best = (by: "first" | "stays") => Math.min(...all.map(({ a }) => a[by] ?? Infinity));
  const found = search(grid);
  assert.equal(found.first.arrival.first, best("first"));
  assert.equal(found.stays.arrival.stays, best("stays"));
  assert.deepEqual(range(0, 0.98, 0.01).slice(0, 4), [0, 0.01, 0.02, 0.03]);
  assert.equal(range(0, 0.98, 0.01).length, 99);
  assert.equal(GRIDS.coarse().length, 60 * 99);
  // the lesson's grid results (numpy on the same grid: first below at 22 for (0.21, 0.63))
  const coarse = search(GRIDS.coarse());
  assert.deepEqual(coarse.first.options, { lr: 0.21, momentum: 0.63, nesterov: false });
  assert.equal(coarse.first.arrival.first, 22);
  assert.ok(coarse.stays.arrival.stays! < arrival(heavyBallPair()).stays!);
  assert.deepEqual(search(GRIDS.plain()).stays.options.lr, 0.172);
});

Deno.test("lesson 02: Polyak's pair takes the best plain rate across and 1/√(h_max·h_min) along", () => {
  const { lr, momentum } = heavyBallPair();
  assert.ok(Math.abs(lr / (1 + momentum) - 2 / (max + min)) < 1e-15);
  assert.ok(Math.abs(lr / (1 - momentum) - 1 / Math.sqrt(max * min)) < 1e-13);
  assert.deepEqual(tunedPair(), { lr: 0.274, momentum: 0.553 });
  // along a direction of curvature h the distance obeys d′ = (1 + μ − α·h)·d − μ·d_prev; at
  // h_min and h_max its two roots meet (discriminant 0), so both shrink by exactly √μ per step
  for (const h of [min, max]) {
    const c = 1 + momentum - lr * h;
    assert.ok(Math.abs(c * c - 4 * momentum) < 1e-12, `h = ${h}`);
    assert.ok(Math.abs(Math.abs(c / 2) - Math.sqrt(momentum)) < 1e-7);
  }
  // the momentum buffer on a constant slope: m_t = g·(1 − μᵗ)/(1 − μ)
  const slope = momentumRun(() => [3], [0], { lr: 0.1, momentum: 0.9 }, 50);
  assert.ok(Math.abs(slope[50].m[0] - 30 * (1 - 0.9 ** 50)) < 1e-12);
});

Deno.test("lesson 02: the stability edges of momentum and Nesterov, found by running", () => {
  for (const mu of [0.3, 0.5, 0.9]) {
    const e = edges(mu);
    for (const [edge, nesterov] of [[e.momentum, false], [e.nesterov, true]] as const) {
      const below = arrival({ lr: edge * 0.98, momentum: mu, nesterov }, 1e-6, 20000);
      const above = arrival({ lr: edge * 1.02, momentum: mu, nesterov }, 1e-6, 20000);
      assert.ok(below.first !== undefined, `μ = ${mu} below the edge converges`);
      assert.deepEqual(above, {}, `μ = ${mu} above the edge diverges (nesterov ${nesterov})`);
    }
  }
  assert.ok(Math.abs(edges(0).momentum - 2 / max) < 1e-15);
});

Deno.test("lesson 02: Nesterov's look-ahead form and PyTorch's form give the same iterates", async () => {
  const { lookAhead, pytorch, sgd, gap } = nesterovBothWays(20);
  assert.ok(gap < 1e-13, `${gap}`);
  for (let t = 0; t <= 20; t++) {
    for (let i = 0; i < 2; i++) {
      assert.ok(Math.abs(sgd[t][i] - pytorch[t].theta[i]) < 1e-13);
      assert.equal(formatNumber(lookAhead[t].ahead[i]), formatNumber(sgd[t][i]), `step ${t}`);
    }
  }
  // by hand: step 1 from (0.5, 0), α = 0.1, μ = 0.9: g = (−18, −8), w = 0.5 − 0.1·(1 + 0.9)·(−18)
  assert.ok(Math.abs(sgd[1][0] - 3.92) < 1e-12 && Math.abs(sgd[1][1] - 1.52) < 1e-12);
  assert.ok(Math.abs(lookAhead[1].u[0] - 2.3) < 1e-12); // u = 0.5 − 0.1·(−18)
  // the look-ahead form's gradient is taken at u − α·μ·m, which is not u
  const la = lookAheadRun(bowlGradient, [0.5, 0], { lr: 0.1, momentum: 0.9 }, 3);
  assert.notEqual(la[2].u[0], la[2].ahead[0]);
  const { blocks } = await lesson();
  const table = blocks.find((b) => b.kind === "table" && b.caption?.startsWith("The weight w"));
  assert.ok(table && table.kind === "table");
  for (const row of table.rows) {
    assert.equal(
      formatNumber(row[2] as number),
      formatNumber(row[3] as number),
      "to the last digit",
    );
  }
});

Deno.test("lesson 02: what the text says about the rates is what the runs do", async () => {
  const [small, right, edge, large] = RATES.map((r) => descend(r.lr));
  assert.equal(RATES[1].verdict.includes("about right"), false);
  // 0.17's loss falls at every step while dW flips sign: the zigzag is in w, not in the loss
  for (let k = 1; k <= 100; k++) assert.ok(edge.probes[k].loss < edge.probes[k - 1].loss);
  for (let k = 1; k <= 5; k++) assert.ok(edge.probes[k].dW * edge.probes[k - 1].dW < 0);
  // 0.01 and 0.17 coincide: equal steep factors, losses within 1.5× until step 27
  assert.ok(Math.abs(Math.abs(1 - 0.01 * max) - Math.abs(1 - 0.17 * max)) < 0.004);
  const apart = firstApart(small, edge)!;
  assert.ok(apart >= 20);
  for (let k = 0; k < apart; k++) {
    const [a, b] = [small.probes[k].loss, edge.probes[k].loss];
    assert.ok(Math.max(a, b) <= 1.5 * Math.min(a, b));
  }
  assert.ok(right.probes[100].loss > edge.probes[100].loss);
  assert.ok(large.divergedAt !== undefined);
  const { text } = await lesson();
  assert.match(text, /separate only at step 27/);
  assert.match(text, /the fewest steps to a loss below 1×10⁻⁶ is 111 at α = 0\.172/);
  assert.match(text, /α = 2\/hₘₐₓ = 0\.180295/);
  assert.doesNotMatch(text, /λ/, "λ is weight decay only");
  const reported = arrival(REPORTED_PAIR);
  assert.deepEqual(reported, { first: 16, stays: 42 });
  assert.match(text, /rises above it again until step 41/);
});

Deno.test("lesson 02: every contour marks the minimum; each exercise's command gives its answer", async () => {
  const { blocks } = await lesson();
  const contours = blocks.filter((b) => b.kind === "contour");
  assert.ok(contours.length >= 6);
  for (const c of contours) {
    assert.ok(c.kind === "contour");
    assert.deepEqual(c.marks?.map((m) => m.point), [[2, 1]]);
  }
  const ex = blocks.find((b) => b.kind === "exercises");
  assert.ok(ex && ex.kind === "exercises");
  assert.equal(ex.items.length, 4);
  const text = (i: number) =>
    ex.items[i].answer.map((x) => (typeof x === "string" ? x : x.text)).join("");
  // 1: diverges just above 2/h_max, at the step the lesson states
  const edge = await optimize(ex.items[0].command!);
  assert.equal(edge.code, 1);
  assert.equal(edge.json.divergence.step, descend(0.185, 200).divergedAt);
  assert.match(text(0), new RegExp(`stops at step ${edge.json.divergence.step},`));
  assert.ok(0.185 > 2 / max && 0.18 < 2 / max);
  // 2: 3/17 and (κ − 1)/(κ + 1)
  assert.match(text(1), /α = 0\.176471/);
  assert.match(text(1), new RegExp(formatNumber((max - min) / (max + min))));
  // 3: the buffer on the constant slope after 50 steps, from the command's own trace
  assert.deepEqual(EXERCISE_COMMANDS.slope.slice(0, 2), ["optimize", "3*w"]);
  const slope = await optimize(ex.items[2].command!);
  const last = slope.json.steps.at(-1).equations.w;
  const buffer = last[last.findIndex((e: { op: string }) => e.op === "←") - 1].result;
  assert.ok(Math.abs(buffer - 30 * (1 - 0.9 ** 50)) < 1e-12);
  assert.match(text(2), new RegExp(`= ${formatNumber(buffer).replace(".", "\\.")} \\(`));
  // 4: two Nesterov steps, by hand: (0.5, 0) → (3.92, 1.52) → (1.578, 0.5112)
  const nest = await optimize(ex.items[3].command!);
  assert.equal(nest.json.options.nesterov, true);
  assert.ok(Math.abs(nest.json.steps[1].params.w - 1.578) < 1e-12);
  assert.ok(Math.abs(nest.json.steps[1].params.b - 0.5112) < 1e-12);
  assert.match(text(3), /= \(1\.578, 0\.5112\)\.$/);
  for (const item of ex.items) {
    for (const line of item.command?.split("\n") ?? []) assert.ok(line.length <= 76, line);
  }
});
