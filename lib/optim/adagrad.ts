/**
 * Adagrad, with learning-rate decay and an initial accumulator value, as PyTorch 2.x.
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { add, div, eq, k, mul, pow, q, sqrt, sub } from "./notation.ts";
import { atLeastZero, Optimizer, type ParamContext } from "./optimizer.ts";
import type { Equation } from "./trace.ts";

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
  /** "Adagrad". */
  readonly name = "Adagrad";
  private readonly sums: number[];
  private clr = 0;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<AdagradOptions> = {}) {
    super("Adagrad", params, { ...ADAGRAD_DEFAULTS }, options);
    const o = this.options;
    atLeastZero("Adagrad", "lrDecay", o.lrDecay);
    atLeastZero("Adagrad", "weightDecay", o.weightDecay);
    atLeastZero("Adagrad", "initialAccumulatorValue", o.initialAccumulatorValue);
    atLeastZero("Adagrad", "eps", o.eps);
    this.sums = this.params.map(() => o.initialAccumulatorValue);
  }

  /** The decayed learning rate αₜ. */
  protected override beginStep(t: number, lr: number, shared: Equation[] | undefined): void {
    const decay = this.options.lrDecay;
    this.clr = lr / (1 + (t - 1) * decay);
    if (shared && decay !== 0) {
      const rule = div(
        this.alpha(lr),
        add(k(1), mul(sub(q("t", "t", t), k(1)), q("\\eta", "η", decay))),
      );
      shared.push(eq("state", { tex: "\\alpha_t", text: "αₜ" }, rule, this.clr));
    }
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options;
    const i = ctx.index;
    const { g, term: gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    const prev = this.sums[i];
    const s = prev + 1 * g * g;
    this.sums[i] = s;
    const S = { tex: "s_t", text: "sₜ" };
    ctx.lines?.push(eq("state", S, add(q("s_{t-1}", "sₜ₋₁", prev), pow(gt, k(2))), s));
    const std = Math.sqrt(s) + o.eps;
    const after = p.data + (-this.clr * g) / std;
    const rate = o.lrDecay !== 0 ? q("\\alpha_t", "αₜ", this.clr) : this.alpha(ctx.lr);
    const den = add(sqrt(q(S.tex, S.text, s)), q("\\varepsilon", "ε", o.eps));
    this.updateLine(ctx, p.data, mul(rate, div(gt, den)), after);
    return after;
  }
}
