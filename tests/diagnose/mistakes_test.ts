/**
 * Every catalogued mistake, produced by a deliberately wrong learner's update written in the test
 * (tests/diagnose/learners.ts), on a few functions and option sets: diagnose names that mistake,
 * as a mistake, and no correct optimizer fits.
 */
import assert from "node:assert/strict";
import { diagnose } from "../../lib/diagnose/diagnose.ts";
import { MISTAKE_IDS } from "../../lib/diagnose/catalogue.ts";
import type { KnownValue } from "../../lib/diagnose/input.ts";
import { FUNCTIONS, type O, record, WRONG } from "./learners.ts";

interface Case {
  fn: keyof typeof FUNCTIONS;
  o: O;
  /** The hyperparameters the learner tells diagnose. */
  known: (o: O) => Record<string, KnownValue>;
  steps?: number;
  intended?: string;
}

const lr = (o: O) => ({ lr: o.lr });
const adamKnown = (o: O) => ({
  lr: o.lr,
  betas: [o.b1!, o.b2!] as const,
  eps: o.eps!,
  weightDecay: o.wd ?? 0,
});
const adamLrEps = (o: O) => ({ lr: o.lr, eps: o.eps!, weightDecay: o.wd ?? 0 }); // betas recovered
const ADAM_A: O = { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8 };
const ADAM_B: O = { lr: 0.05, b1: 0.8, b2: 0.99, eps: 1e-8 };

const CASES: Record<string, Case[]> = {
  "gradient-added": [
    { fn: "bowl", o: { lr: 0.1 }, known: lr },
    { fn: "rosen", o: { lr: 1e-4 }, known: lr },
    { fn: "line", o: { lr: 0.05 }, known: lr },
  ],
  "gradient-multiplied": [
    { fn: "bowl", o: { lr: 0.1 }, known: lr },
    { fn: "line", o: { lr: 0.05 }, known: lr, steps: 4 },
  ],
  "bias-updated-with-dw": [
    { fn: "bowl", o: { lr: 0.1 }, known: lr },
    { fn: "line", o: { lr: 0.05 }, known: lr },
    { fn: "line", o: { lr: 0.02 }, known: () => ({}) }, // lr recovered too
  ],
  "lr-applied-twice": [
    { fn: "bowl", o: { lr: 0.3 }, known: lr },
    { fn: "rosen", o: { lr: 0.01 }, known: lr },
  ],
  "grads-not-zeroed": [
    { fn: "bowl", o: { lr: 0.01 }, known: lr },
    { fn: "line", o: { lr: 0.01 }, known: lr },
    { fn: "rosen", o: { lr: 1e-4 }, known: lr },
  ],
  "momentum-buffer-zero-start": [
    { fn: "bowl", o: { lr: 0.1, momentum: 0.9, dampening: 0.9 }, known: lr },
    {
      fn: "line",
      o: { lr: 0.05, momentum: 0.9, dampening: 0.5 },
      known: (o) => ({ lr: o.lr, momentum: o.momentum! }),
    },
  ],
  "nesterov-wrong-lookahead": [
    {
      fn: "bowl",
      o: { lr: 0.05, momentum: 0.9 },
      known: (o) => ({ lr: o.lr, momentum: o.momentum!, nesterov: true }),
    },
    { fn: "rosen", o: { lr: 1e-4, momentum: 0.8 }, known: lr },
  ],
  "rmsprop-no-sqrt": [
    {
      fn: "bowl",
      o: { lr: 0.01, rho: 0.99, eps: 1e-8 },
      known: (o) => ({ lr: o.lr, alpha: o.rho!, eps: o.eps! }),
    },
    {
      fn: "rosen",
      o: { lr: 0.01, rho: 0.9, eps: 1e-8 },
      known: (o) => ({ lr: o.lr, eps: o.eps! }),
    },
  ],
  "eps-inside-sqrt": [
    { fn: "bowl", o: { ...ADAM_A, eps: 0.1 }, known: adamKnown },
    { fn: "line", o: { ...ADAM_B, eps: 0.01 }, known: adamLrEps },
  ],
  "adam-no-bias-correction": [
    { fn: "bowl", o: ADAM_A, known: adamKnown },
    { fn: "rosen", o: ADAM_B, known: adamLrEps },
  ],
  "adam-bias-correction-multiplied": [
    { fn: "bowl", o: ADAM_A, known: adamKnown },
    { fn: "line", o: ADAM_B, known: adamLrEps },
  ],
  "adam-step-from-zero": [
    { fn: "bowl", o: ADAM_A, known: adamKnown, steps: 1 },
    { fn: "rosen", o: ADAM_B, known: adamLrEps, steps: 1 },
  ],
  "adam-bias-correction-on-one-moment": [
    { fn: "bowl", o: ADAM_A, known: adamKnown },
    { fn: "rosen", o: ADAM_B, known: adamLrEps },
  ],
  "adamw-as-l2": [
    { fn: "bowl", o: { ...ADAM_A, wd: 0.1 }, known: adamKnown, intended: "AdamW" },
    { fn: "line", o: { ...ADAM_B, wd: 0.5 }, known: adamLrEps, intended: "AdamW" },
  ],
  "weight-decay-after-step": [
    { fn: "bowl", o: { ...ADAM_A, lr: 0.1, wd: 0.1 }, known: adamKnown },
    { fn: "line", o: { ...ADAM_B, lr: 0.1, wd: 0.5 }, known: adamKnown },
  ],
  "adamw-no-bias-correction": [
    { fn: "bowl", o: { ...ADAM_A, wd: 0.1 }, known: adamKnown },
    { fn: "rosen", o: { ...ADAM_B, wd: 0.01 }, known: adamLrEps },
  ],
  "adagrad-no-accumulation": [
    // (lr 0.7 on the bowl makes w zigzag; with steadily shrinking gradients Adamax with β₁ = 0 takes
    // the very same steps, and diagnose rightly lists it as equal.)
    { fn: "bowl", o: { lr: 0.7, eps: 1e-10 }, known: (o) => ({ lr: o.lr, eps: o.eps! }) },
    { fn: "rosen", o: { lr: 0.01, eps: 1e-10 }, known: lr },
  ],
  "adadelta-swapped-accumulators": [
    {
      fn: "bowl",
      o: { lr: 1, rho: 0.9, eps: 1e-6 },
      known: (o) => ({ lr: o.lr, rho: o.rho!, eps: o.eps! }),
      steps: 4,
    },
    {
      fn: "line",
      o: { lr: 0.5, rho: 0.95, eps: 1e-6 },
      known: (o) => ({ lr: o.lr, eps: o.eps! }),
      steps: 4,
    },
  ],
  "nadam-momentum-product-twice": [
    { fn: "bowl", o: { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8 }, known: adamKnown },
    { fn: "rosen", o: { lr: 0.002, b1: 0.9, b2: 0.999, eps: 1e-8 }, known: adamLrEps },
  ],
};

Deno.test("the test covers every catalogued mistake", () => {
  assert.deepEqual(Object.keys(CASES).sort(), [...MISTAKE_IDS].sort());
  assert.deepEqual(Object.keys(WRONG).sort(), [...MISTAKE_IDS].sort());
  assert.ok(MISTAKE_IDS.length >= 17);
});

for (const [id, cases] of Object.entries(CASES)) {
  Deno.test(`diagnose names ${id}, and no correct optimizer, from a learner's wrong code`, () => {
    for (const c of cases) {
      const run = record(FUNCTIONS[c.fn], WRONG[id](c.o), c.steps ?? 8, c.known(c.o), c.intended);
      const where = `${c.fn} ${JSON.stringify(c.o)}`;
      const d = diagnose(run);
      assert.equal(d.match, id, `${where}: matched ${d.match}`);
      assert.equal(d.kind, "mistake", where);
      // AdamW written as L2 is, by definition, Adam with weight decay: that optimizer fits too
      // and is listed as equal; the one the learner meant (AdamW) does not fit.
      const allowed = id === "adamw-as-l2" ? ["Adam"] : [];
      assert.ok(
        !d.candidates.some((x) => x.kind === "optimizer" && x.fits && !allowed.includes(x.id)),
        `${where}: a correct optimizer fits too`,
      );
      // The departure is real: the correct rule's value differs from the learner's there.
      assert.ok(d.firstDeparture, where);
      const f = d.firstDeparture!;
      const k = run.steps[f.step - 1].params[run.names.indexOf(f.param)];
      assert.ok(Object.is(f.observed, k), where);
      assert.notEqual(f.expected, f.observed, where);
      assert.ok(d.traces, where);
      assert.equal(d.traces!.correct.step, f.step);
    }
  });
}
