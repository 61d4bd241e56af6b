/**
 * Runs printed as float32 would print them (every number rounded to 7 significant digits) are
 * still named, with the data's precision and the match's agreement reported.
 */
import assert from "node:assert/strict";
import { diagnose } from "../../lib/diagnose/diagnose.ts";
import type { LearnerRun } from "../../lib/diagnose/input.ts";
import { FUNCTIONS, type O, record, WRONG } from "./learners.ts";

const f32 = (x: number) => Number(x.toPrecision(7));

function rounded(run: LearnerRun): LearnerRun {
  return {
    ...run,
    start: run.start.map(f32),
    steps: run.steps.map((s) => ({ grads: s.grads.map(f32), params: s.params.map(f32) })),
  };
}

function fixtureRun(file: string, pick: (o: Record<string, unknown>) => boolean, given: string[]) {
  const fx = JSON.parse(
    Deno.readTextFileSync(new URL(`../fixtures/optim/${file}.json`, import.meta.url)),
  );
  const c = fx.cases.find((c: { options: Record<string, unknown> }) => pick(c.options));
  const names = Object.keys(fx.start);
  const known: LearnerRun["known"] = {};
  for (const k of given) known[k] = c.options[k];
  const run: LearnerRun = {
    names,
    start: names.map((n) => fx.start[n]),
    steps: c.steps.map((s: { grads: Record<string, number>; params: Record<string, number> }) => ({
      grads: names.map((n) => s.grads[n]),
      params: names.map((n) => s.params[n]),
    })),
    known,
  };
  return { run: rounded(run), options: c.options, optimizer: fx.optimizer as string };
}

const CASES = [
  fixtureRun(
    "sgd",
    (o) =>
      o.momentum === 0.9 && o.dampening === 0 && o.weightDecay === 0 && !o.nesterov && !o.maximize,
    ["dampening", "weightDecay"],
  ),
  fixtureRun(
    "adam",
    (o) => o.lr === 0.02 && o.eps === 1e-8 && o.weightDecay === 0 && !o.amsgrad && !o.maximize,
    ["eps", "weightDecay"],
  ),
  fixtureRun(
    "rmsprop",
    (o) =>
      o.alpha === 0.9 && o.eps === 1e-8 && o.weightDecay === 0 && o.momentum === 0 && !o.centered &&
      !o.maximize,
    ["eps", "weightDecay"],
  ),
  fixtureRun(
    "adagrad",
    (o) =>
      o.lr === 0.5 && o.lrDecay === 0 && o.weightDecay === 0 && o.initialAccumulatorValue === 0 &&
      o.eps === 1e-10 && !o.maximize,
    ["eps", "weightDecay", "lrDecay", "initialAccumulatorValue"],
  ),
];

for (const c of CASES) {
  Deno.test(`float32-rounded ${c.optimizer} is still named ${c.optimizer}, with its precision`, () => {
    const d = diagnose(c.run);
    assert.equal(d.match, c.optimizer);
    assert.equal(d.kind, "optimizer");
    assert.equal(d.precision.digits, 7);
    const rel = d.precision.relativeError!;
    assert.ok(rel > 0 && rel < 1e-5, `relative error ${rel}`);
    assert.ok(d.precision.significantDigits! >= 5 && d.precision.significantDigits! <= 7);
    assert.ok(
      Math.abs((d.options.lr as number) - (c.options.lr as number)) <=
        1e-5 * (c.options.lr as number),
    );
  });
}

Deno.test("float32-rounded mistakes are still named", () => {
  const cases: [string, string, O, LearnerRun["known"]][] = [
    ["gradient-added", "bowl", { lr: 0.1 }, { lr: 0.1 }],
    ["grads-not-zeroed", "line", { lr: 0.01 }, { lr: 0.01 }],
    ["adam-no-bias-correction", "bowl", { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8 }, {
      lr: 0.01,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
    }],
    ["adam-bias-correction-multiplied", "rosen", { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8 }, {
      lr: 0.01,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
    }],
  ];
  for (const [id, fn, o, known] of cases) {
    const d = diagnose(rounded(record(FUNCTIONS[fn], WRONG[id](o), 8, known)));
    assert.equal(d.match, id, `${id}: matched ${d.match}`);
    assert.equal(d.precision.digits, 7);
    assert.ok(!d.candidates.some((c) => c.kind === "optimizer" && c.fits), id);
  }
});
