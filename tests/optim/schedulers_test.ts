import assert from "node:assert/strict";
import { CosineAnnealingLR, ExponentialLR, LinearLR, SGD, StepLR, Value } from "../../mod.ts";

// tests/fixtures/optim/schedulers.json: get_lr() of torch/optim/lr_scheduler.py, transcribed.
const fixture = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/optim/schedulers.json", import.meta.url)),
) as Record<string, { options: Record<string, number>; lr: number; lrs: number[] }>;

const MAKE = {
  StepLR: (o: SGD, x: Record<string, number>) =>
    new StepLR(o, x as { stepSize: number; gamma: number }),
  ExponentialLR: (o: SGD, x: Record<string, number>) =>
    new ExponentialLR(o, x as { gamma: number }),
  CosineAnnealingLR: (o: SGD, x: Record<string, number>) =>
    new CosineAnnealingLR(o, x as { tMax: number; etaMin: number }),
  LinearLR: (o: SGD, x: Record<string, number>) => new LinearLR(o, x),
};

for (const [name, make] of Object.entries(MAKE)) {
  Deno.test(`${name}: the lr of each step, as PyTorch computes it (40 steps)`, () => {
    const f = fixture[name];
    const w = new Value(0, "w");
    const opt = new SGD([w], { lr: f.lr });
    const s = make(opt, f.options);
    f.lrs.forEach((want, i) => {
      w.grad = 1;
      const trace = opt.step();
      assert.ok(Math.abs(trace.lr - want) <= 1e-15 * Math.max(1, want), `${name} step ${i + 1}`);
      s.step();
    });
  });
}

Deno.test("schedulers against closed forms derived by hand", () => {
  const run = (make: (o: SGD) => { step(): void }, n: number) => {
    const opt = new SGD([new Value(0, "w")], { lr: 0.1 });
    const s = make(opt);
    const lrs: number[] = [];
    for (let i = 0; i < n; i++) {
      lrs.push(opt.lr);
      s.step();
    }
    return lrs;
  };
  // StepLR(3, 0.5): 0.1 for steps 1–3, 0.05 for 4–6, 0.025 for 7
  assert.deepEqual(run((o) => new StepLR(o, { stepSize: 3, gamma: 0.5 }), 7), [
    0.1,
    0.1,
    0.1,
    0.05,
    0.05,
    0.05,
    0.025,
  ]);
  // Cosine: η_t = η_min + (η₀ − η_min)(1 + cos(πt/T))/2
  const cos = run((o) => new CosineAnnealingLR(o, { tMax: 10, etaMin: 0.01 }), 11);
  cos.forEach((lr, t) =>
    assert.ok(Math.abs(lr - (0.01 + 0.09 * (1 + Math.cos(Math.PI * t / 10)) / 2)) < 1e-15)
  );
  // Linear: factor from 1/3 to 1 over 5 steps, then 1
  const lin = run((o) => new LinearLR(o), 8);
  lin.forEach((lr, t) => {
    const factor = 1 / 3 + (1 - 1 / 3) * Math.min(t, 5) / 5;
    assert.ok(Math.abs(lr - 0.1 * factor) < 1e-15, `step ${t + 1}: ${lr}`);
  });
});

Deno.test("scheduler options are checked", () => {
  const opt = new SGD([new Value(0, "w")], { lr: 0.1 });
  assert.throws(
    () => new StepLR(opt, { stepSize: 0 }),
    /StepLR: invalid stepSize 0: must be a whole number ≥ 1/,
  );
  assert.throws(() => new ExponentialLR(opt, { gamma: -1 }), RangeError);
  assert.throws(() => new CosineAnnealingLR(opt, { tMax: 2.5 }), /tMax/);
  assert.throws(
    () => new LinearLR(opt, { startFactor: 0 }),
    /LinearLR: invalid startFactor 0: must be in \(0, 1\]/,
  );
  assert.throws(() => new LinearLR(opt, { endFactor: 1.5 }), /endFactor/);
});

Deno.test("one scheduler string reader: forms, spelling, and what it refuses", async () => {
  const { parseScheduler, schedulerFor, createScheduler } = await import(
    "../../lib/optim/schedulers.ts"
  );
  assert.deepEqual(parseScheduler("step:3"), { kind: "step", args: [3] });
  assert.deepEqual(parseScheduler(" STEP : 3 , 0.5 "), { kind: "step", args: [3, 0.5] });
  assert.deepEqual(parseScheduler("exponential:−0.5"), { kind: "exponential", args: [-0.5] });
  assert.deepEqual(parseScheduler("cosine:10,1e-3"), { kind: "cosine", args: [10, 0.001] });
  assert.deepEqual(parseScheduler("linear"), { kind: "linear", args: [] });
  assert.deepEqual(parseScheduler("linear:"), { kind: "linear", args: [] });
  assert.deepEqual(parseScheduler("linear:0.5,1,4"), { kind: "linear", args: [0.5, 1, 4] });
  const refused: [string, string][] = [
    [
      "weekly:3",
      '--scheduler expects one of step:SIZE[,GAMMA], exponential:GAMMA, cosine:TMAX[,ETAMIN], linear[:START,END,ITERS], got "weekly:3"',
    ],
    ["step", '--scheduler step takes step:SIZE[,GAMMA], got "step"'],
    ["step:1,2,3", '--scheduler step takes step:SIZE[,GAMMA], got "step:1,2,3"'],
    ["exponential:x", '--scheduler exponential expects a finite number, got "x"'],
    ["cosine:1,", '--scheduler cosine expects a finite number, got ""'],
    ["cosine:Infinity", '--scheduler cosine expects a finite number, got "Infinity"'],
    ["toString:1", "--scheduler expects one of"],
  ];
  for (const [text, message] of refused) {
    assert.throws(
      () => parseScheduler(text),
      (e: Error) => e instanceof RangeError && e.message.startsWith(message),
      text,
    );
  }
  assert.throws(() => parseScheduler("step", "schedule"), /^RangeError: schedule step takes/);
  // What the string creates steps as the scheduler built by hand does (StepLR halving every 2).
  for (
    const [text, direct] of [
      ["step:2,0.5", (o: SGD) => new StepLR(o, { stepSize: 2, gamma: 0.5 })],
      ["exponential:0.9", (o: SGD) => new ExponentialLR(o, { gamma: 0.9 })],
      ["cosine:7,0.01", (o: SGD) => new CosineAnnealingLR(o, { tMax: 7, etaMin: 0.01 })],
      ["linear", (o: SGD) => new LinearLR(o, {})],
    ] as const
  ) {
    const a = new SGD([new Value(0, "w")], { lr: 0.3 });
    const b = new SGD([new Value(0, "w")], { lr: 0.3 });
    const c = new SGD([new Value(0, "w")], { lr: 0.3 });
    const s1 = schedulerFor(text, a), s2 = direct(b), s3 = createScheduler(parseScheduler(text), c);
    for (let i = 0; i < 10; i++) {
      assert.equal(a.lr, b.lr, `${text} step ${i}`);
      assert.equal(c.lr, b.lr);
      s1.step(), s2.step(), s3.step();
    }
  }
  const lrs: number[] = [];
  const o = new SGD([new Value(0, "w")], { lr: 1 });
  const s = schedulerFor("step:2,0.5", o);
  for (let i = 0; i < 5; i++) lrs.push(o.lr), s.step();
  assert.deepEqual(lrs, [1, 1, 0.5, 0.5, 0.25]);
});

Deno.test("the command line and the explore page read schedules with that one reader", async () => {
  const cli = await import("../../lib/cli/optimize.ts");
  const state = await import("../../lib/explore/state.ts");
  const optim = await import("../../lib/optim/schedulers.ts");
  assert.equal(state.schedulerFor, optim.schedulerFor);
  assert.equal(cli.createScheduler, optim.createScheduler);
  assert.deepEqual(cli.parseScheduler("cosine:5"), optim.parseScheduler("cosine:5"));
  const { UsageError } = await import("../../lib/cli/usage_error.ts");
  assert.throws(
    () => cli.parseScheduler("step"),
    (e: Error) =>
      e instanceof UsageError &&
      e.message === '--scheduler step takes step:SIZE[,GAMMA], got "step"',
  );
});
