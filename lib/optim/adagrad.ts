/**
 * Adagrad, with learning-rate decay and an initial accumulator value, as PyTorch 2.x.
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { NOTATION as N, prev } from "../text/notation.ts";
import { add, div, k, mul, pow, q, sqrt, sub } from "./notation.ts";
import { Optimizer, type ParamContext, type TraceLines } from "./optimizer.ts";

/** Adagrad's options (PyTorch's names in camelCase). */
export interface AdagradOptions {
  /** Learning rate α (default 1e-2). */
  lr: number;
  /** Learning-rate decay η: αₜ = α / (1 + (t − 1)η) (default 0). */
  lrDecay: number;
  /** L2 penalty λ, added to the gradient (default 0). */
  weightDecay: number;
  /** The accumulator's starting value s₀ (default 0). */
  initialAccumulatorValue: number;
  /** ε added to the denominator, outside the root (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** PyTorch's defaults. */
export const ADAGRAD_DEFAULTS: Readonly<AdagradOptions> = Object.freeze({
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
});

/**
 * Adagrad: s ← s + g², θ ← θ − αₜ·g/(√s + ε).
 *
 * @example
 * ```ts
 * import { Adagrad, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new Adagrad([w], { lr: 0.5 });
 * w.grad = 2;
 * opt.step(); // s = 4, w = 1 − 0.5 · 2 / (2 + 1e−10)
 * assert.equal(w.data, 1 - (0.5 * 2) / (2 + 1e-10));
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  private readonly sums = this.perParam(this.options.initialAccumulatorValue);
  private clr = 0;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<AdagradOptions> = {}) {
    super("Adagrad", params, ADAGRAD_DEFAULTS, options);
    this.atLeastZero("lrDecay", "weightDecay", "initialAccumulatorValue", "eps");
  }

  /** The decayed learning rate αₜ. */
  protected override beginStep(t: number, lr: number, shared: TraceLines): void {
    const decay = this.options.lrDecay;
    this.clr = lr / (1 + (t - 1) * decay);
    if (decay === 0) return;
    const rule = () => div(q(N.lr, lr), add(k(1), mul(sub(q(N.t, t), k(1)), q(N.lrDecay, decay))));
    shared.state(N.lrAt, rule, this.clr);
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options, i = ctx.index;
    const { g, gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    const prevS = this.sums[i];
    const s = this.sums[i] = prevS + 1 * g * g;
    ctx.state(N.s, () => add(q(prev(N.s), prevS), pow(gt, k(2))), s);
    const after = p.data + (-this.clr * g) / (Math.sqrt(s) + o.eps);
    const rate = () => o.lrDecay !== 0 ? q(N.lrAt, this.clr) : q(N.lr, ctx.lr);
    ctx.update(p.data, () => mul(rate(), div(gt, add(sqrt(q(N.s, s)), q(N.eps, o.eps)))), after);
    return after;
  }
}
