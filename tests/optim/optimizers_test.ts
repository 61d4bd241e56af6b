import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  createOptimizer,
  NAdam,
  RAdam,
  RMSprop,
  SGD,
  type StepTrace,
  Value,
} from "../../mod.ts";

const close = (actual: number, expected: number, tol = 1e-12, what = "") =>
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1e-300, Math.abs(expected)),
    `${what} ${actual} is not within ${tol} (relative) of ${expected}`,
  );

/** Runs `steps` steps on f(w) = w² from w = 1; returns w after each step. */
function onSquare(make: (p: Value[]) => { step(): StepTrace }, steps = 3): number[] {
  const w = new Value(1, "w");
  const opt = make([w]);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    w.grad = 2 * w.data;
    opt.step();
    out.push(w.data);
  }
  return out;
}

// reference/optimizers.md, "A check anyone can run": f(w) = w², w₀ = 1, float64.
Deno.test("the reference table: SGD, momentum, Nesterov, Adam, RAdam on w²", () => {
  const table: [string, (p: Value[]) => { step(): StepTrace }, number[]][] = [
    ["SGD lr 0.1", (p) => new SGD(p, { lr: 0.1 }), [0.8, 0.64, 0.512]],
    ["SGD momentum", (p) => new SGD(p, { lr: 0.1, momentum: 0.9 }), [
      0.8,
      0.45999999999999996,
      0.0619999999999999,
    ]],
    ["SGD Nesterov", (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }), [
      0.62,
      0.2224,
      -0.10835200000000006,
    ]],
    ["Adam", (p) => new Adam(p), [0.999000000005, 0.9980000262138343, 0.9970000960651408]],
    ["RAdam", (p) => new RAdam(p), [0.998, 0.9960021052631579, 0.9940063841522626]],
  ];
  for (const [name, make, want] of table) {
    onSquare(make).forEach((w, i) => close(w, want[i], 1e-12, name));
  }
  // Exact where the order of operations is PyTorch's scalar order (the Nesterov row differs in
  // the last bit: PyTorch's kernel fuses g + μ·b into one FMA).
  assert.deepEqual(onSquare((p) => new Adam(p)), [
    0.999000000005,
    0.9980000262138343,
    0.9970000960651408,
  ]);
  assert.deepEqual(onSquare((p) => new RAdam(p)), [0.998, 0.9960021052631579, 0.9940063841522626]);
});

Deno.test("PyTorch's defaults, option names in camelCase", () => {
  const w = [new Value(0, "w")];
  assert.deepEqual({ ...new SGD(w).options }, {
    lr: 1e-3,
    momentum: 0,
    dampening: 0,
    weightDecay: 0,
    nesterov: false,
    maximize: false,
  });
  assert.deepEqual({ ...new RMSprop(w).options }, {
    lr: 1e-2,
    alpha: 0.99,
    eps: 1e-8,
    weightDecay: 0,
    momentum: 0,
    centered: false,
    maximize: false,
  });
  assert.deepEqual({ ...new Adagrad(w).options }, {
    lr: 1e-2,
    lrDecay: 0,
    weightDecay: 0,
    initialAccumulatorValue: 0,
    eps: 1e-10,
    maximize: false,
  });
  assert.deepEqual({ ...new Adadelta(w).options }, {
    lr: 1.0,
    rho: 0.9,
    eps: 1e-6,
    weightDecay: 0,
    maximize: false,
  });
  const adam = {
    lr: 1e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: 0,
    amsgrad: false,
    maximize: false,
  };
  assert.deepEqual({ ...new Adam(w).options }, adam);
  assert.deepEqual({ ...new AdamW(w).options }, { ...adam, weightDecay: 1e-2 });
  assert.deepEqual({ ...new Adamax(w).options }, {
    lr: 2e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: 0,
    maximize: false,
  });
  assert.deepEqual({ ...new NAdam(w).options }, {
    lr: 2e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: 0,
    momentumDecay: 4e-3,
    decoupledWeightDecay: false,
    maximize: false,
  });
  assert.deepEqual({ ...new RAdam(w).options }, {
    lr: 1e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: 0,
    decoupledWeightDecay: false,
    maximize: false,
  });
});

Deno.test("first steps derived by hand, g = 2 at w = 1", () => {
  const one = (make: (p: Value[]) => { step(): StepTrace }) => onSquare(make, 1)[0];
  // RMSprop: v = (1 − 0.99)·4 = 0.04, w = 1 − 0.01·2/(√0.04 + 1e−8)
  close(one((p) => new RMSprop(p)), 1 - 0.01 * 2 / (0.2 + 1e-8));
  // centered: ḡ = 0.01·2 = 0.02, denominator √(0.04 − 0.0004) + 1e−8
  close(one((p) => new RMSprop(p, { centered: true })), 1 - 0.01 * 2 / (Math.sqrt(0.0396) + 1e-8));
  // momentum 0.5: b = 0·0.5 + 2/(0.2 + 1e−8), w = 1 − 0.01·b
  close(one((p) => new RMSprop(p, { momentum: 0.5 })), 1 - 0.01 * (2 / (0.2 + 1e-8)));
  // Adagrad: s = 0 + 4, w = 1 − 0.01·2/(2 + 1e−10); starting from s₀ = 5: s = 9
  close(one((p) => new Adagrad(p)), 1 - 0.01 * 2 / (2 + 1e-10));
  close(one((p) => new Adagrad(p, { initialAccumulatorValue: 5 })), 1 - 0.01 * 2 / (3 + 1e-10));
  // Adadelta: v = 0.1·4 = 0.4, Δ = √(0 + 1e−6)/√(0.4 + 1e−6)·2
  close(one((p) => new Adadelta(p)), 1 - Math.sqrt(1e-6) / Math.sqrt(0.400001) * 2);
  // Adamax: m = 0.2, u = max(0, 2 + 1e−8), w = 1 − (0.002/0.1)·0.2/u
  close(one((p) => new Adamax(p)), 1 - 0.002 / 0.1 * 0.2 / (2 + 1e-8));
  // NAdam: μ₁ = 0.9(1 − 0.5·0.96^0.004), μ₂ = 0.9(1 − 0.5·0.96^0.008), Π = μ₁,
  // m = 0.2, v = 0.004, d = √(0.004/0.001) + ε = 2 + 1e−8
  const mu1 = 0.9 * (1 - 0.5 * 0.96 ** 0.004), mu2 = 0.9 * (1 - 0.5 * 0.96 ** 0.008);
  const d = 2 + 1e-8;
  close(
    one((p) => new NAdam(p)),
    1 - 0.002 * (1 - mu1) / (1 - mu1) * 2 / d - 0.002 * mu2 / (1 - mu1 * mu2) * 0.2 / d,
  );
  // weight decay 0.5 adds λθ = 0.5 to the gradient: SGD sees 2.5
  close(one((p) => new SGD(p, { lr: 0.1, weightDecay: 0.5 })), 0.75);
  // maximize climbs: w = 1 + 0.1·2
  close(one((p) => new SGD(p, { lr: 0.1, maximize: true })), 1.2);
});

Deno.test("Adagrad's lr decay: αₜ = α/(1 + (t − 1)·η), shown as its own line", () => {
  const w = new Value(1, "w");
  const opt = new Adagrad([w], { lr: 0.3, lrDecay: 0.5 });
  w.grad = 2;
  opt.step(); // α₁ = 0.3, s = 4, w = 1 − 0.3·2/(2 + 1e−10)
  close(w.data, 1 - 0.3 * 2 / (2 + 1e-10));
  const before = w.data;
  w.grad = 1;
  const trace = opt.step(); // α₂ = 0.3/1.5 = 0.2, s = 5, w −= 0.2·1/(√5 + 1e−10)
  close(w.data, before - 0.2 / (Math.sqrt(5) + 1e-10));
  assert.equal(trace.shared[0].lhs.text, "αₜ");
  close(trace.shared[0].result, 0.2);
});

Deno.test("SGD: the momentum buffer starts at g (no dampening on the first step)", () => {
  const [w1, w2] = onSquare((p) => new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.5 }), 2);
  close(w1, 0.8); // b = g = 2, not (1 − 0.5)·2
  close(w2, 0.8 - 0.1 * (0.9 * 2 + 0.5 * 1.6)); // b = μb + (1 − τ)g
  const w = new Value(1, "w");
  w.grad = 2;
  const trace = new SGD([w], { lr: 0.1, momentum: 0.9, dampening: 0.5 }).step();
  const b = trace.params[0].equations.find((e) => e.lhs.text === "mₜ");
  assert.equal(b?.result, 2);
  assert.equal(b?.note?.text, "the buffer starts as the gradient");
});

Deno.test("SGD with momentum 0 is plain SGD, whatever the dampening (random gradients)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 20 }),
      fc.double({ min: 1e-6, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (grads, lr, dampening) => {
        const a = new Value(0.3, "a"), b = new Value(0.3, "b");
        const plain = new SGD([a], { lr }), zero = new SGD([b], { lr, momentum: 0, dampening });
        for (const g of grads) {
          a.grad = g;
          b.grad = g;
          plain.step();
          zero.step();
        }
        assert.equal(a.data, b.data);
        let w = 0.3;
        for (const g of grads) w = w - lr * g;
        close(a.data, w, 1e-9);
      },
    ),
  );
});

Deno.test("Adadelta with lr 1 is Zeiler's Algorithm 1 (ρ = 0.95, ε = 1e−6)", () => {
  const rho = 0.95, eps = 1e-6;
  const w = new Value(1.5, "w");
  const opt = new Adadelta([w], { lr: 1, rho });
  // The paper: E[g²] ← ρE[g²] + (1 − ρ)g²; Δx = −RMS[Δx]ₜ₋₁/RMS[g]ₜ·g; E[Δx²] ← ρE[Δx²] + (1 − ρ)Δx²;
  // x ← x + Δx, with RMS[y] = √(E[y] + ε). f(x) = x³ − 2x, g = 3x² − 2.
  let x = 1.5, eg2 = 0, edx2 = 0;
  for (let t = 0; t < 50; t++) {
    const g = 3 * x * x - 2;
    eg2 = rho * eg2 + (1 - rho) * g * g;
    const dx = -(Math.sqrt(edx2 + eps) / Math.sqrt(eg2 + eps)) * g;
    edx2 = rho * edx2 + (1 - rho) * dx * dx;
    x = x + dx;
    w.grad = 3 * w.data * w.data - 2;
    opt.step();
    close(w.data, x, 1e-12);
  }
});

Deno.test("AdamW: the decay is decoupled (θ·(1 − αλ), then Adam without λ); Adam's is L2", () => {
  const a = new Value(2, "a"), b = new Value(2, "b"), c = new Value(2, "c");
  const lr = 0.05, weightDecay = 0.2;
  const adamw = new AdamW([a], { lr, weightDecay });
  const plain = new Adam([b], { lr, weightDecay: 0 });
  const l2 = new Adam([c], { lr, weightDecay });
  for (let t = 0; t < 25; t++) {
    a.grad = Math.sin(a.data) + 2 * a.data; // any gradient field
    b.grad = Math.sin(b.data) + 2 * b.data;
    c.grad = Math.sin(c.data) + 2 * c.data;
    adamw.step();
    b.data = b.data * (1 - lr * weightDecay); // the decoupled decay, by hand, before the step
    plain.step();
    l2.step();
    assert.equal(a.data, b.data);
  }
  assert.ok(Math.abs(a.data - c.data) > 1e-3, "L2 weight decay inside Adam is not AdamW");
});

Deno.test("RAdam: plain momentum steps while κₜ ≤ 5, the adaptive step from step 6", () => {
  const w = new Value(1, "w");
  const opt = new RAdam([w], { lr: 0.01 });
  for (let t = 1; t <= 8; t++) {
    w.grad = 1; // constant gradient: m̂ = 1 exactly in exact arithmetic
    const before = w.data;
    const trace = opt.step();
    const kappa = trace.shared.find((e) => e.lhs.text === "κₜ")!;
    const rect = trace.shared.find((e) => e.lhs.text === "rₜ");
    // κₜ = κ∞ − 2t·β₂ᵗ/(1 − β₂ᵗ), κ∞ = 2/(1 − β₂) − 1 = 1999
    const b2t = 0.999 ** t;
    close(kappa.result, 2 / (1 - 0.999) - 1 - 2 * t * b2t / (1 - b2t), 1e-9);
    if (t <= 5) {
      assert.ok(kappa.result <= 5);
      assert.equal(rect, undefined);
      close(before - w.data, 0.01, 1e-9); // θ − α·m̂
    } else {
      assert.ok(kappa.result > 5);
      assert.ok(rect !== undefined && rect.result > 0 && rect.result < 1);
    }
  }
});

Deno.test("AMSGrad keeps the running maximum of v (never the raw v once it shrinks)", () => {
  const w = new Value(0, "w");
  const opt = new Adam([w], { amsgrad: true, betas: [0.5, 0.5] });
  let vmax = 0;
  for (const g of [10, 1, 0.1, 0.01, 5]) {
    w.grad = g;
    const eqs = opt.step().params[0].equations;
    const v = eqs.find((e) => e.lhs.text === "vₜ")!.result;
    const m = eqs.find((e) => e.lhs.text === "vₜᵐᵃˣ")!.result;
    vmax = Math.max(vmax, v);
    assert.equal(m, vmax);
  }
});

Deno.test("invalid options: a RangeError naming the option and why, as PyTorch refuses them", () => {
  const p = [new Value(0, "w")];
  const cases: [() => unknown, RegExp][] = [
    [() => new SGD(p, { lr: -0.1 }), /^SGD: invalid lr -0\.1: must be ≥ 0$/],
    [() => new SGD(p, { momentum: -1 }), /SGD: invalid momentum -1: must be ≥ 0/],
    [() => new SGD(p, { weightDecay: -1 }), /SGD: invalid weightDecay -1/],
    [
      () => new SGD(p, { nesterov: true }),
      /Nesterov momentum requires momentum > 0 and dampening 0/,
    ],
    [() => new SGD(p, { nesterov: true, momentum: 0.9, dampening: 0.1 }), /nesterov/],
    [
      () => new Adam(p, { betas: [1, 0.999] }),
      /Adam: invalid betas\[0\] 1: each beta must be in \[0, 1\)/,
    ],
    [() => new Adam(p, { betas: [0.9, -0.1] }), /invalid betas\[1\] -0\.1/],
    [() => new Adam(p, { eps: -1e-8 }), /Adam: invalid eps/],
    [() => new AdamW(p, { betas: [0.9, 1.5] }), /AdamW: invalid betas\[1\]/],
    [() => new Adamax(p, { lr: -1 }), /Adamax: invalid lr/],
    [() => new NAdam(p, { momentumDecay: -1 }), /NAdam: invalid momentumDecay -1/],
    [() => new RAdam(p, { weightDecay: -1 }), /RAdam: invalid weightDecay/],
    [() => new RMSprop(p, { alpha: -0.5 }), /RMSprop: invalid alpha -0\.5/],
    [() => new RMSprop(p, { momentum: -0.5 }), /RMSprop: invalid momentum/],
    [() => new Adagrad(p, { lrDecay: -1 }), /Adagrad: invalid lrDecay/],
    [() => new Adagrad(p, { initialAccumulatorValue: -1 }), /invalid initialAccumulatorValue/],
    [() => new Adadelta(p, { rho: 1.5 }), /Adadelta: invalid rho 1\.5: must be in \[0, 1\]/],
    [() => new Adam(p, { lr: NaN }), /Adam: invalid lr NaN: expected a finite number/],
    [() => new Adam(p, { lr: Infinity }), /invalid lr Infinity/],
    [() => new Adam([], {}), /Adam: got an empty parameter list/],
    [() => new Adam([p[0], p[0]], {}), /appears more than once/],
  ];
  for (const [make, message] of cases) {
    assert.throws(make, (e: Error) => e instanceof RangeError && message.test(e.message));
  }
});

Deno.test("wrong kinds of options: a TypeError", () => {
  const p = [new Value(0, "w")];
  const kinds: [() => unknown, RegExp][] = [
    [
      () => createOptimizer("adam", p, { lr_decay: 1 }),
      /Adam: unknown option "lr_decay"; expected one of lr, betas/,
    ],
    [
      () => new SGD(p, { lr: "0.1" as unknown as number }),
      /SGD: option lr must be a number, got string/,
    ],
    [
      () => new SGD(p, { nesterov: 1 as unknown as boolean }),
      /option nesterov must be true or false/,
    ],
    [
      () => new Adam(p, { betas: [0.9] as unknown as [number, number] }),
      /betas must be a pair of numbers/,
    ],
    [() => new Adam([1 as unknown as Value]), /Adam: params\[0\] is not a Value/],
  ];
  for (const [make, message] of kinds) {
    assert.throws(make, (e: Error) => e instanceof TypeError && message.test(e.message));
  }
  assert.throws(
    () => createOptimizer("adamm", p),
    /unknown optimizer "adamm"; expected one of SGD, RMSprop/,
  );
});

Deno.test("optimizer names are case-insensitive; zeroGrad clears every gradient", () => {
  const a = new Value(1, "a"), b = new Value(2, "b");
  for (
    const name of [
      "sgd",
      "RMSPROP",
      "adagrad",
      "AdaDelta",
      "adam",
      "adamw",
      "ADAMAX",
      "nadam",
      "radam",
    ]
  ) {
    const opt = createOptimizer(name, [a, b]);
    a.grad = 3;
    b.grad = -4;
    opt.zeroGrad();
    assert.equal(a.grad, 0);
    assert.equal(b.grad, 0);
  }
});

Deno.test("the trace is plain data: JSON round-trips it, no Value inside", () => {
  const w = new Value(0.5, "w"), b = new Value(0, "");
  w.grad = 0.23;
  b.grad = -1;
  const trace = new Adam([w, b], { amsgrad: true }).step();
  assert.deepEqual(JSON.parse(JSON.stringify(trace)), trace);
  assert.deepEqual(trace.params.map((p) => p.label), ["w", "p2"]);
  assert.equal(trace.lr, 1e-3);
  assert.equal(trace.params[0].grad, 0.23);
  assert.equal(trace.params[0].before, 0.5);
  assert.equal(trace.params[0].after, w.data);
});

Deno.test("step({ trace: false }) moves the parameters identically, without equations", () => {
  const a = new Value(1, "a"), b = new Value(1, "b");
  const traced = new NAdam([a], { weightDecay: 0.1 }), quiet = new NAdam([b], { weightDecay: 0.1 });
  for (let t = 0; t < 10; t++) {
    a.grad = 2 * a.data;
    b.grad = 2 * b.data;
    traced.step();
    assert.equal(quiet.step({ trace: false }).params[0].equations.length, 0);
    assert.equal(a.data, b.data);
  }
});
