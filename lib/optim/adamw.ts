/**
 * AdamW: Adam with decoupled weight decay, as PyTorch 2.x.
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { Adam, ADAM_DEFAULTS, type AdamOptions } from "./adam.ts";

/** AdamW's options: Adam's, with weightDecay 1e-2 by default and decoupled. */
export type AdamWOptions = AdamOptions;

/** PyTorch's defaults. */
export const ADAMW_DEFAULTS: Readonly<AdamWOptions> = Object.freeze({
  ...ADAM_DEFAULTS,
  weightDecay: 1e-2,
});

/**
 * AdamW: θ ← θ·(1 − αλ) first (with the old θ), then the Adam step with no λ in the gradient.
 *
 * @example
 * ```ts
 * import { AdamW, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new AdamW([w], { lr: 0.1, weightDecay: 0.5 });
 * w.grad = 0; // no gradient: only the decay moves w
 * opt.step();
 * assert.equal(w.data, 1 * (1 - 0.1 * 0.5));
 * ```
 */
export class AdamW extends Adam {
  /** Always decoupled. */
  protected override readonly decoupled: boolean = true;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<AdamWOptions> = {}) {
    super(params, options, ADAMW_DEFAULTS);
  }
}
