/**
 * Every optimizer, over a spread of options from the PyTorch fixtures (tests/fixtures/optim, made
 * by torch.optim in float64): diagnose names the optimizer and recovers the options the learner did
 * not give (lr, momentum, betas, α, ρ, and the flags) to 1e-9 relative. The options that only
 * shape the edges of a run (ε, weight decay, lr decay, the initial accumulator, dampening, the
 * momentum decay) are given, as a learner who wrote them down would; one test leaves ε out.
 */
import assert from "node:assert/strict";
import { diagnose } from "../../lib/diagnose/diagnose.ts";
import type { LearnerRun } from "../../lib/diagnose/input.ts";

interface Fixture {
  optimizer: string;
  start: Record<string, number>;
  cases: {
    options: Record<string, number | boolean | number[]>;
    steps: { grads: Record<string, number>; params: Record<string, number> }[];
  }[];
}

const DIR = new URL("../fixtures/optim/", import.meta.url);
const load = (name: string): Fixture =>
  JSON.parse(Deno.readTextFileSync(new URL(`${name}.json`, DIR)));

const GIVEN = [
  "eps",
  "weightDecay",
  "lrDecay",
  "initialAccumulatorValue",
  "dampening",
  "momentumDecay",
  "decoupledWeightDecay",
  "maximize",
];
const FLAGS = ["nesterov", "centered", "amsgrad"];

function runOf(fx: Fixture, c: Fixture["cases"][number], steps = c.steps.length): LearnerRun {
  const names = Object.keys(fx.start);
  const known: LearnerRun["known"] = {};
  for (const k of GIVEN) {
    const v = c.options[k];
    if (v !== undefined) known[k] = v as number | boolean;
  }
  return {
    names,
    start: names.map((n) => fx.start[n]),
    steps: c.steps.slice(0, steps).map((s) => ({
      grads: names.map((n) => s.grads[n]),
      params: names.map((n) => s.params[n]),
    })),
    known,
  };
}

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.abs(b);
}

// Every k-th case: about four per optimizer, across the fixture's option grid.
const SPREAD: Record<string, number> = {
  sgd: 5,
  rmsprop: 17,
  adagrad: 17,
  adadelta: 9,
  adam: 17,
  adamw: 13,
  adamax: 9,
  nadam: 13,
  radam: 13,
};

for (const [file, stride] of Object.entries(SPREAD)) {
  Deno.test(`diagnose names ${file} from PyTorch's runs and recovers its options to 1e-9`, () => {
    const fx = load(file);
    let tried = 0;
    for (let i = 0; i < fx.cases.length; i += stride) {
      const c = fx.cases[i];
      const run = runOf(fx, c);
      // AdamW with no weight decay is Adam: the learner says which one they meant.
      if (fx.optimizer === "AdamW" && c.options.weightDecay === 0) run.intended = "AdamW";
      const d = diagnose(run);
      const where = `${file} case ${i} ${JSON.stringify(c.options)}`;
      assert.equal(d.match, fx.optimizer, `${where}: matched ${d.match}`);
      assert.equal(d.kind, "optimizer", where);
      assert.equal(d.firstDeparture, null, where);
      for (const [k, want] of Object.entries(c.options)) {
        if (FLAGS.includes(k)) {
          // A flag the run cannot see (AMSGrad while v only grows) leaves equal candidates:
          // the fixture's value is the match or listed with it as fitting equally.
          const same = d.candidates.filter((x) => x.id === fx.optimizer && x.fits);
          assert.ok(
            same.some((x) => x.options[k] === want),
            `${where}: ${k} ${want} not among the fits`,
          );
          continue;
        }
        const got = d.options[k];
        if (Array.isArray(want)) {
          assert.ok(Array.isArray(got), `${where}: ${k}`);
          want.forEach((w, j) =>
            assert.ok(close((got as number[])[j], w), `${where}: ${k} ${got}`)
          );
        } else if (typeof want === "number") {
          assert.ok(typeof got === "number" && close(got, want), `${where}: ${k} = ${got}`);
        } else assert.equal(got, want, `${where}: ${k}`);
      }
      assert.equal(d.precision.digits, 17);
      tried++;
    }
    assert.ok(tried >= 3);
  });
}

Deno.test("lr from the first step of SGD; and one step cannot tell SGD from momentum", () => {
  const fx = load("sgd");
  const c = fx.cases.find((c) =>
    c.options.momentum === 0.9 && c.options.weightDecay === 0 && !c.options.nesterov &&
    c.options.dampening === 0 && !c.options.maximize
  )!;
  const run = runOf(fx, c, 1);
  const d = diagnose(run);
  assert.equal(d.match, "SGD");
  assert.ok(close(d.options.lr as number, 0.001));
  // On one step, plain SGD and SGD with momentum take the same step: both are listed, with what
  // would separate them.
  const momentum = d.candidates.find((x) =>
    x.id === "SGD" && x.fits && (x.options.momentum as number) > 0
  );
  assert.ok(momentum, "SGD with momentum is listed as fitting equally");
  assert.match(momentum!.separate ?? "", /more steps/);
  assert.ok(
    d.candidates.find((x) => x.id === "SGD" && x === d.candidates[0])?.undetermined.includes(
      "momentum",
    ),
  );
  // Two more steps separate them: momentum 0.9 is recovered.
  const d3 = diagnose(runOf(fx, c, 3));
  assert.equal(d3.match, "SGD");
  assert.ok(close(d3.options.momentum as number, 0.9));
  assert.ok(close(d3.options.lr as number, 0.001));
});

Deno.test("betas from a few Adam steps", () => {
  const fx = load("adam");
  const c = fx.cases.find((c) =>
    (c.options.betas as number[])[0] === 0.5 && !c.options.amsgrad && c.options.weightDecay === 0 &&
    c.options.eps === 1e-8 && !c.options.maximize
  )!;
  const d = diagnose(runOf(fx, c, 6));
  assert.equal(d.match, "Adam");
  assert.deepEqual(d.options.betas, [0.5, 0.9]);
  assert.ok(close(d.options.lr as number, c.options.lr as number));
  // One step of Adam is lr·sign(g) whatever the betas: they are reported as not determined.
  const d1 = diagnose(runOf(fx, c, 1));
  assert.ok(
    d1.candidates.some((x) => x.id === "Adam" && x.fits && x.undetermined.includes("beta1")),
  );
});

Deno.test("ε is searched when the run does not fit with PyTorch's default", () => {
  const fx = load("adam");
  const c = fx.cases.find((c) =>
    c.options.eps === 1e-3 && !c.options.amsgrad && c.options.weightDecay === 0 &&
    !c.options.maximize && (c.options.betas as number[])[0] === 0.9 && c.options.lr === 0.001
  )!;
  const run = runOf(fx, c);
  delete run.known.eps;
  const d = diagnose(run);
  assert.equal(d.match, "Adam");
  assert.ok(close(d.options.eps as number, 1e-3), `eps ${d.options.eps}`);
  assert.deepEqual(d.options.betas, [0.9, 0.999]);
});
