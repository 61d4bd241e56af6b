/**
 * The optimizers' options as command-line flags: PyTorch's option names in camelCase, written in
 * kebab case (`--weight-decay` for `weightDecay`). One table for every command that takes them
 * (`optimize`, `diagnose`).
 *
 * @module
 */

/** Numeric options: flag → option name. */
export const NUMBER_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  "lr": "lr",
  "momentum": "momentum",
  "dampening": "dampening",
  "weight-decay": "weightDecay",
  "alpha": "alpha",
  "eps": "eps",
  "lr-decay": "lrDecay",
  "initial-accumulator-value": "initialAccumulatorValue",
  "rho": "rho",
  "momentum-decay": "momentumDecay",
});

/** Flags: flag → option name. */
export const BOOLEAN_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  "nesterov": "nesterov",
  "maximize": "maximize",
  "centered": "centered",
  "amsgrad": "amsgrad",
  "decoupled-weight-decay": "decoupledWeightDecay",
});
