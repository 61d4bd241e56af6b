/**
 * Lesson 10's claims against independent truth: the valley's curvature at its minimum from
 * finite differences, the sweep's runs against runOptimizer on the uncompiled graph, weight
 * decay against its closed form, the schedule and the exercises' commands run as a learner
 * would run them.
 */
import assert from "node:assert/strict";
import {
  Adam,
  Collector,
  CosineAnnealingLR,
  createOptimizer,
  parseFormatted,
  runOptimizer,
} from "../../mod.ts";
import lesson, {
  CONTESTANTS,
  cosineRun,
  DECAY,
  decayRun,
  floorCurvature,
  MOONS,
  moonsProblem,
  startGradient,
  sweepAll,
  unusedWeight,
  VALLEY,
  valleyProblem,
} from "../../lessons/10-choosing-an-optimizer.ts";
import { f, rosenbrock, START } from "../../lessons/04-the-optimizers.ts";
import { DEFAULT_SEED, setup } from "../../lessons/06-training-an-mlp.ts";

const named = (name: string) => CONTESTANTS.find((c) => c.name === name)!;

Deno.test("lesson 10: the valley's Hessian at (1, 1) matches finite differences; h_max from it", () => {
  const { hessian, hMax, hMin } = floorCurvature();
  const h = 1e-4;
  const fd = [
    [
      (f(1 + h, 1) - 2 * f(1, 1) + f(1 - h, 1)) / (h * h),
      (f(1 + h, 1 + h) - f(1 + h, 1 - h) - f(1 - h, 1 + h) + f(1 - h, 1 - h)) / (4 * h * h),
    ],
    [0, (f(1, 1 + h) - 2 * f(1, 1) + f(1, 1 - h)) / (h * h)],
  ];
  fd[1][0] = fd[0][1];
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) assert.ok(Math.abs(hessian[i][j] - fd[i][j]) < 1e-3);
  }
  // Eigenvalues: trace and determinant.
  assert.ok(Math.abs(hMax + hMin - (hessian[0][0] + hessian[1][1])) < 1e-9);
  assert.ok(Math.abs(hMax * hMin - (802 * 200 - 400 * 400)) < 1e-6);
});

Deno.test("lesson 10: the valley sweep, checked against runOptimizer on the uncompiled graph", () => {
  const problem = valleyProblem();
  const picked = ["SGD", "SGD + momentum", "Adam"].map(named);
  const rows = sweepAll(problem, VALLEY, picked);
  const uncompiled = (name: string, lr: number) => {
    const { x, y, loss } = rosenbrock(START[0], START[1]);
    const c = named(name);
    return runOptimizer(loss, createOptimizer(c.optimizer, [x, y], { ...c.options, lr }), {
      steps: VALLEY.steps,
      trace: false,
    });
  };
  const end = (run: ReturnType<typeof uncompiled>) =>
    run.divergence ? Infinity : run.steps.at(-1)!.lossAfter!;
  // SGD's best rate lies below the edge 2/h_max at the minimum, the next one above it.
  const sgd = rows[0].sweep;
  const { hMax } = floorCurvature();
  const next = sgd.runs[sgd.runs.indexOf(sgd.best!) + 1];
  assert.ok(sgd.best!.lr < 2 / hMax && next.lr > 2 / hMax);
  assert.equal(sgd.best!.finalLoss, end(uncompiled("SGD", sgd.best!.lr)));
  // Each band: its ends end below the tolerance, its neighbours do not (or diverge).
  for (const row of rows.slice(1)) {
    const band = row.band!;
    const rates = VALLEY.rates;
    const lo = rates.indexOf(band.low), hi = rates.indexOf(band.high);
    const name = row.contestant.name;
    assert.ok(end(uncompiled(name, band.low)) < VALLEY.tolerance, name);
    assert.ok(end(uncompiled(name, band.high)) < VALLEY.tolerance, name);
    if (lo > 0) assert.ok(!(end(uncompiled(name, rates[lo - 1])) < VALLEY.tolerance), name);
    if (hi < rates.length - 1) {
      assert.ok(!(end(uncompiled(name, rates[hi + 1])) < VALLEY.tolerance), name);
    }
  }
  // Adam's band is wider than momentum's on the valley, as the lesson says.
  assert.ok(rows[2].band!.decades > rows[1].band!.decades);
  // PyTorch's default for Adam (0.001) ends far from the minimum: lesson 04's 3.54.
  assert.equal(rows[2].atDefault.lr, 0.001);
  assert.ok(Math.abs(rows[2].atDefault.finalLoss - 3.54) < 0.005);
});

Deno.test("lesson 10: a moons run equals the uncompiled network's run, bit for bit", () => {
  const problem = moonsProblem(DEFAULT_SEED);
  const run = sweepAll(problem, { ...MOONS, rates: [0.1] }, [named("Adam")])[0].sweep.runs[0];
  const { model, loss } = setup(DEFAULT_SEED);
  const reference = runOptimizer(loss().total, new Adam(model.parameters(), { lr: 0.1 }), {
    steps: MOONS.steps,
    trace: false,
  });
  assert.equal(run.finalLoss, reference.steps.at(-1)!.lossAfter);
  // The gradient sizes the lesson compares: the valley's from its closed form.
  const g = startGradient(valleyProblem());
  const [x, y] = START;
  const gx = -2 * (1 - x) - 400 * x * (y - x * x), gy = 200 * (y - x * x);
  assert.ok(Math.abs(g - Math.hypot(gx, gy)) < 1e-9);
});

Deno.test("lesson 10: weight decay on an unused weight, against the closed forms", () => {
  const { lr, small, large, start, at } = DECAY;
  for (const lambda of [small, large]) {
    const w = unusedWeight("AdamW", lr, lambda, start, at);
    at.forEach((t, k) => {
      const want = start * (1 - lr * lambda) ** t;
      assert.ok(Math.abs(w[k] - want) < 1e-12 * want, `AdamW λ = ${lambda}, t = ${t}`);
    });
    // Adam with L2: the gradient is λθ, and the first step is α·g/(|g| + ε).
    const g = lambda * start;
    const [first] = unusedWeight("Adam", lr, lambda, start, [1]);
    assert.ok(Math.abs(first - (start - lr * g / (g + 1e-8))) < 1e-15);
  }
  // The two Adam columns, λ a hundred times apart, stay within 10⁻³ of each other.
  const a = unusedWeight("Adam", lr, small, start, at),
    b = unusedWeight("Adam", lr, large, start, at);
  a.forEach((v, k) => assert.ok(Math.abs(v - b[k]) < 1e-3));
  assert.ok(a[1] < start - 9 * lr && a[1] > start - 11 * lr); // about α a step for 10 steps
});

Deno.test("lesson 10: AdamW with λ = 0 is Adam (one run serves both), and λ shrinks Σθ²", () => {
  const problem = valleyProblem();
  const c = { ...named("Adam"), options: { weightDecay: 0 } };
  const adam = sweepAll(problem, { ...VALLEY, rates: [0.05] }, [c])[0].sweep.runs[0];
  const adamW = sweepAll(problem, { ...VALLEY, rates: [0.05] }, [{ ...c, optimizer: "AdamW" }])[0]
    .sweep.runs[0];
  assert.equal(adam.finalLoss, adamW.finalLoss);
  const moons = moonsProblem(DEFAULT_SEED);
  const none = decayRun(moons, "AdamW", 0.1, 0), some = decayRun(moons, "AdamW", 0.1, 0.1);
  assert.ok(some.squares < none.squares);
  const check = moons.params.map((p) => p.data);
  assert.deepEqual(check, moons.start); // decayRun puts the parameters back
});

Deno.test("lesson 10: the cosine run is PyTorch's CosineAnnealingLR through runOptimizer", () => {
  const problem = valleyProblem();
  const c = named("Adam");
  const r = cosineRun(problem, VALLEY, c, 0.178, true);
  const { x, y, loss } = rosenbrock(START[0], START[1]);
  const opt = createOptimizer("Adam", [x, y], { lr: 0.178 });
  const reference = runOptimizer(loss, opt, {
    steps: VALLEY.steps,
    trace: false,
    scheduler: new CosineAnnealingLR(opt, { tMax: VALLEY.steps }),
  });
  assert.deepEqual(r.losses, [reference.initialLoss, ...reference.steps.map((s) => s.lossAfter)]);
});

async function cli(args: string[]): Promise<{ code: number; last: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "mod.ts", ...args],
    cwd: new URL("../../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(out.stdout).trimEnd().split("\n");
  return { code: out.code, last: lines.at(-1)! };
}

/** Splits a command as the lesson prints it (double-quoted words, a `| tail -1` at the end). */
function words(command: string): string[] {
  const [cmd, pipe] = command.split(" | ");
  assert.equal(pipe, "tail -1");
  const parts = [...cmd.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
  assert.equal(parts[0], "stepgrad");
  return parts.slice(1);
}

Deno.test("lesson 10: each exercise's command runs and gives the answer the lesson states", async () => {
  const sink = new Collector();
  await lesson.run(sink);
  const block = sink.blocks.find((b) => b.kind === "exercises")!;
  assert.ok(block.kind === "exercises");
  const text = (parts: unknown[]) =>
    parts.map((p) => typeof p === "string" ? p : (p as { text: string }).text).join("");
  const [one, , three] = block.items;
  // 1: Adam with cosine annealing, and without: the final f the answer states for each.
  const finalF = async (args: string[]) => {
    const r = await cli(args);
    assert.equal(r.code, 0, r.last);
    return Number(parseFormatted(/loss = (\S+)$/.exec(r.last)![1]));
  };
  const args = words(one.command!);
  const withCosine = await finalF(args);
  const at = args.indexOf("--scheduler");
  const constant = await finalF([...args.slice(0, at), ...args.slice(at + 2)]);
  const [s1, s2] = [...text(one.answer).matchAll(/f = (\S+?)[;.](?:\s|$)/g)].map((m) =>
    Number(parseFormatted(m[1]))
  );
  assert.ok(Math.abs(withCosine - s1) <= 0.005 * Math.abs(s1), `${withCosine} vs ${s1}`);
  assert.ok(Math.abs(constant - s2) <= 0.005 * Math.abs(s2), `${constant} vs ${s2}`);
  // The rate at T/2: half the rate typed on the command line.
  const lr = Number(args[args.indexOf("--lr") + 1]);
  const half = /= ([\d.]+)\. With/.exec(text(one.answer))![1];
  assert.ok(Math.abs(Number(half) - lr / 2) < 1e-6 * lr);
  // 3: Adam's and AdamW's positions after 3 steps.
  const r3 = await cli(words(three.command!));
  const adamW = await cli(words(three.command!).map((w) => w === "adam" ? "adamw" : w));
  const w3 = /w = (\S+),/.exec(r3.last)![1], wW = /w = (\S+),/.exec(adamW.last)![1];
  assert.match(text(three.answer), new RegExp(`the run gives ${w3.replace(".", "\\.")}\\.`));
  assert.match(text(three.answer), new RegExp(`= ${wW.replace(".", "\\.")}\\. Adam`));
});
