/**
 * Update rules as `diagnose` fits them: each correct rule IS one of stepgrad's optimizers (driven
 * through lib/optim, never re-derived here), each mistake a deliberately wrong rule from the
 * catalogue. A rule says which hyperparameters it has, which of them the data can pin down, and
 * how to step a learner's parameters from the values they observed.
 *
 * @module
 */
import { Value } from "../graph/value.ts";
import { type OptimizerName, OPTIMIZERS } from "../optim/registry.ts";
import type { OptionValue } from "../optim/optimizer.ts";
import type { StepTrace } from "../optim/trace.ts";

/** Options with `betas` split into `beta1`, `beta2`, so each is one number to fit. */
export type FlatOptions = Record<string, number | boolean>;

/** One step of a rule, from the learner's observed parameters. */
export interface Stepper {
  /** Steps from `before` with the gradients `grads`; the trace when asked for. */
  step(before: readonly number[], grads: readonly number[], trace: boolean): {
    after: number[];
    trace?: StepTrace;
  };
}

/** How a hyperparameter is searched. */
export interface FitParam {
  /** The flat option name (`lr`, `beta1`, `eps`, …). */
  key: string;
  /**
   * `scale`: any positive number (searched on a log scale); `decay`: a rate in [lo, hi)
   * (searched as log(1 − x)).
   */
  kind: "scale" | "decay";
  /** Where searches start. */
  starts: readonly number[];
  /**
   * Secondary options (ε, weight decay, …) keep their default unless the run cannot be fitted
   * without freeing them.
   */
  secondary?: boolean;
  /** 0 is tried first as a fixed value (momentum off, β₁ = 0). */
  zero?: boolean;
  /** The smallest value searched. */
  lo?: number;
  /** Bounds of a decay rate. */
  hi?: number;
}

/** A rule: a correct optimizer or a catalogued mistake. */
export interface Rule {
  /** The optimizer's name (`"Adam"`) or the mistake's id (`"eps-inside-sqrt"`). */
  id: string;
  /** What the rule is. */
  kind: "optimizer" | "mistake";
  /** The correct optimizer the rule is (or should have been). */
  base: OptimizerName;
  /** One line: what the rule does. */
  title: string;
  /** Why it is wrong (mistakes). */
  why: string;
  /** What it does to training (mistakes). */
  effect: string;
  /** The update as the rule computes it, in Unicode text. */
  formula: string;
  /** Every option, with its default (flat). */
  defaults: FlatOptions;
  /** The options the data can be fitted over. */
  fit: readonly FitParam[];
  /** Boolean options tried both ways unless the learner gave them. */
  flags: readonly string[];
  /** Why the rule cannot apply to these parameter names, or undefined. */
  inapplicable?(names: readonly string[]): string | undefined;
  /** Why these options are impossible for the rule (PyTorch would refuse), or undefined. */
  invalid?(o: FlatOptions): string | undefined;
  /** A fresh stepper for these parameters and options. */
  create(names: readonly string[], o: FlatOptions): Stepper;
}

/** Flat options → the optimizer's options (`beta1`, `beta2` → `betas`). */
export function unflatten(o: FlatOptions): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === "beta1" || k === "beta2") continue;
    out[k] = v;
  }
  if ("beta1" in o) out.betas = [o.beta1 as number, o.beta2 as number];
  return out;
}

/** An optimizer's options → flat options. */
export function flatten(o: Readonly<Record<string, OptionValue>>): FlatOptions {
  const out: FlatOptions = {};
  for (const [k, v] of Object.entries(o)) {
    if (Array.isArray(v)) {
      out.beta1 = v[0];
      out.beta2 = v[1];
    } else out[k] = v as number | boolean;
  }
  return out;
}

/** A stepper driving one of stepgrad's optimizers from the learner's observed values. */
export function optimizerStepper(
  base: OptimizerName,
  names: readonly string[],
  o: FlatOptions,
): Stepper {
  const values = names.map((n) => new Value(0, n));
  const opt = new OPTIMIZERS[base].create(values, unflatten(o));
  return {
    step(before, grads, trace) {
      for (let i = 0; i < values.length; i++) {
        values[i].data = before[i];
        values[i].grad = grads[i];
      }
      const t = opt.step({ trace });
      return { after: values.map((v) => v.data), trace: trace ? t : undefined };
    },
  };
}

const LR: FitParam = { key: "lr", kind: "scale", starts: [1e-3], lo: 1e-12, hi: 1e4 };
const EPS: FitParam = {
  key: "eps",
  kind: "scale",
  starts: [1e-3, 1e-7],
  secondary: true,
  lo: 1e-12,
  hi: 1,
};
const WD: FitParam = {
  key: "weightDecay",
  kind: "scale",
  starts: [0.01, 0.1],
  secondary: true,
  lo: 1e-6,
  hi: 10,
};
const BETA1: FitParam = {
  key: "beta1",
  kind: "decay",
  starts: [0.9, 0.8, 0.5],
  zero: true,
  lo: 0,
  hi: 0.9999,
};
const BETA2: FitParam = {
  key: "beta2",
  kind: "decay",
  starts: [0.999, 0.99, 0.9],
  lo: 0.8,
  hi: 0.99999,
};
const BETAS: FitParam[] = [BETA1, BETA2];

/** The fit ranges the optimizers' options share with the mistakes built on them. */
export const FIT: Readonly<Record<"LR" | "EPS" | "WD" | "BETA1" | "BETA2", FitParam>> = {
  LR,
  EPS,
  WD,
  BETA1,
  BETA2,
};

/** The fit space of each optimizer (shared by the mistakes built on it). */
export const SPACES: Readonly<Record<OptimizerName, { fit: FitParam[]; flags: string[] }>> = {
  SGD: {
    fit: [
      LR,
      { key: "momentum", kind: "decay", starts: [0.9, 0.8, 0.5], zero: true, lo: 0, hi: 0.9999 },
      { key: "dampening", kind: "decay", starts: [0.1, 0.9], secondary: true, lo: 0, hi: 1 },
      WD,
    ],
    flags: ["nesterov"],
  },
  RMSprop: {
    fit: [
      LR,
      { key: "alpha", kind: "decay", starts: [0.99, 0.9], lo: 0.5, hi: 0.99999 },
      { key: "momentum", kind: "decay", starts: [0.9], zero: true, lo: 0, hi: 0.9999 },
      EPS,
      WD,
    ],
    flags: ["centered"],
  },
  Adagrad: {
    fit: [
      LR,
      EPS,
      WD,
      { key: "lrDecay", kind: "scale", starts: [0.01], secondary: true, lo: 1e-6, hi: 10 },
      {
        key: "initialAccumulatorValue",
        kind: "scale",
        starts: [0.1],
        secondary: true,
        lo: 1e-6,
        hi: 100,
      },
    ],
    flags: [],
  },
  Adadelta: {
    fit: [
      LR,
      { key: "rho", kind: "decay", starts: [0.9, 0.95], lo: 0.5, hi: 0.99999 },
      EPS,
      WD,
    ],
    flags: [],
  },
  Adam: { fit: [LR, ...BETAS, EPS, WD], flags: ["amsgrad"] },
  AdamW: { fit: [LR, ...BETAS, EPS, WD], flags: ["amsgrad"] },
  Adamax: { fit: [LR, ...BETAS, EPS, WD], flags: [] },
  NAdam: {
    fit: [
      LR,
      ...BETAS,
      EPS,
      WD,
      { key: "momentumDecay", kind: "scale", starts: [4e-3], secondary: true, lo: 1e-6, hi: 1 },
    ],
    flags: ["decoupledWeightDecay"],
  },
  RAdam: { fit: [LR, ...BETAS, EPS, WD], flags: ["decoupledWeightDecay"] },
};

const SUMMARY: Record<OptimizerName, { title: string; formula: string }> = {
  SGD: {
    title: "stochastic gradient descent",
    formula: "θ ← θ − α·g (momentum: m ← μm + (1 − τ)g)",
  },
  RMSprop: { title: "RMSprop", formula: "v ← ρv + (1 − ρ)g², θ ← θ − α·g/(√v + ε)" },
  Adagrad: { title: "Adagrad", formula: "s ← s + g², θ ← θ − α·g/(√s + ε)" },
  Adadelta: {
    title: "Adadelta",
    formula: "v ← ρv + (1 − ρ)g², Δ = √(q + ε)/√(v + ε)·g, q ← ρq + (1 − ρ)Δ², θ ← θ − αΔ",
  },
  Adam: { title: "Adam", formula: "θ ← θ − α·m̂/(√v̂ + ε), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)" },
  AdamW: { title: "AdamW (decoupled weight decay)", formula: "θ ← θ(1 − αλ), then Adam's step" },
  Adamax: { title: "Adamax", formula: "u ← max(β₂u, |g| + ε), θ ← θ − α/(1 − β₁ᵗ)·m/u" },
  NAdam: { title: "NAdam (Nesterov-accelerated Adam)", formula: "Adam with μₜ-scheduled momentum" },
  RAdam: { title: "RAdam (rectified Adam)", formula: "Adam with the variance rectified by rₜ" },
};

/** The nine correct rules: stepgrad's optimizers, PyTorch-exact. */
export const OPTIMIZER_RULES: readonly Rule[] = (Object.keys(OPTIMIZERS) as OptimizerName[]).map(
  (name): Rule => ({
    id: name,
    kind: "optimizer",
    base: name,
    title: SUMMARY[name].title,
    why: "",
    effect: "",
    formula: SUMMARY[name].formula,
    defaults: flatten(OPTIMIZERS[name].defaults),
    fit: SPACES[name].fit,
    flags: SPACES[name].flags,
    invalid: (o) =>
      name === "SGD" && o.nesterov === true && (o.momentum === 0 || o.dampening !== 0)
        ? "Nesterov momentum needs momentum > 0 and dampening 0"
        : undefined,
    create: (names, o) => optimizerStepper(name, names, o),
  }),
);
