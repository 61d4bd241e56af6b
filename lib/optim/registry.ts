/**
 * The optimizers by name, for the command line and for lessons that pick one from a string.
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { SGD, SGD_DEFAULTS } from "./sgd.ts";
import { RMSprop, RMSPROP_DEFAULTS } from "./rmsprop.ts";
import { Adagrad, ADAGRAD_DEFAULTS } from "./adagrad.ts";
import { Adadelta, ADADELTA_DEFAULTS } from "./adadelta.ts";
import { Adam, ADAM_DEFAULTS } from "./adam.ts";
import { AdamW, ADAMW_DEFAULTS } from "./adamw.ts";
import { Adamax, ADAMAX_DEFAULTS } from "./adamax.ts";
import { NAdam, NADAM_DEFAULTS } from "./nadam.ts";
import { RAdam, RADAM_DEFAULTS } from "./radam.ts";
import type { OptionValue } from "./optimizer.ts";
import type { Steppable } from "./run.ts";

/** An optimizer's name, as PyTorch spells it. */
export type OptimizerName =
  | "SGD"
  | "RMSprop"
  | "Adagrad"
  | "Adadelta"
  | "Adam"
  | "AdamW"
  | "Adamax"
  | "NAdam"
  | "RAdam";

/** An optimizer class, as the registry holds it. */
export type OptimizerConstructor = new (
  params: Value[],
  options?: Record<string, OptionValue>,
) => Steppable;

/** Every optimizer: its constructor and PyTorch's defaults (which also list its options). */
export const OPTIMIZERS: Readonly<
  Record<
    OptimizerName,
    { create: OptimizerConstructor; defaults: Readonly<Record<string, OptionValue>> }
  >
> = Object.freeze({
  SGD: { create: SGD as unknown as OptimizerConstructor, defaults: SGD_DEFAULTS },
  RMSprop: { create: RMSprop as unknown as OptimizerConstructor, defaults: RMSPROP_DEFAULTS },
  Adagrad: { create: Adagrad as unknown as OptimizerConstructor, defaults: ADAGRAD_DEFAULTS },
  Adadelta: { create: Adadelta as unknown as OptimizerConstructor, defaults: ADADELTA_DEFAULTS },
  Adam: { create: Adam as unknown as OptimizerConstructor, defaults: ADAM_DEFAULTS },
  AdamW: { create: AdamW as unknown as OptimizerConstructor, defaults: ADAMW_DEFAULTS },
  Adamax: { create: Adamax as unknown as OptimizerConstructor, defaults: ADAMAX_DEFAULTS },
  NAdam: { create: NAdam as unknown as OptimizerConstructor, defaults: NADAM_DEFAULTS },
  RAdam: { create: RAdam as unknown as OptimizerConstructor, defaults: RADAM_DEFAULTS },
});

/** Finds an optimizer by name, ignoring case; a `RangeError` listing the names otherwise. */
export function optimizerName(name: string): OptimizerName {
  const found = (Object.keys(OPTIMIZERS) as OptimizerName[]).find(
    (n) => n.toLowerCase() === String(name).toLowerCase(),
  );
  if (!found) {
    throw new RangeError(
      `unknown optimizer "${name}"; expected one of ${Object.keys(OPTIMIZERS).join(", ")}`,
    );
  }
  return found;
}

/**
 * Creates an optimizer by name (case-insensitive) with options checked as its constructor checks
 * them.
 *
 * @example
 * ```ts
 * import { createOptimizer, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = createOptimizer("adam", [w], { lr: 0.1 });
 * assert.equal(opt.name, "Adam");
 * assert.throws(() => createOptimizer("adam", [w], { lr: -1 }), /Adam: invalid lr -1: must be ≥ 0/);
 * ```
 */
export function createOptimizer(
  name: string,
  params: Value[],
  options: Record<string, OptionValue> = {},
): Steppable {
  return new OPTIMIZERS[optimizerName(name)].create(params, options);
}
