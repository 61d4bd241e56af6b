/**
 * Adadelta, as PyTorch 2.x (ε inside both roots; with lr 1 it is Zeiler's method).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { NOTATION as N, prev } from "../text/notation.ts";
import { add, div, k, mul, pow, q, sqrt, sub } from "./notation.ts";
import { Optimizer, type ParamContext, squareAverage } from "./optimizer.ts";

/** Adadelta's options (PyTorch's names in camelCase). */
export interface AdadeltaOptions {
  /** Learning rate α, scaling the update (default 1.0). */
  lr: number;
  /** Decay ρ of the running averages (default 0.9). */
  rho: number;
  /** ε inside both square roots (default 1e-6). */
  eps: number;
  /** L2 penalty λ, added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** PyTorch's defaults. */
export const ADADELTA_DEFAULTS: Readonly<AdadeltaOptions> = Object.freeze({
  lr: 1.0,
  rho: 0.9,
  eps: 1e-6,
  weightDecay: 0,
  maximize: false,
});

/**
 * Adadelta: v ← ρv + (1 − ρ)g², Δ = √(q + ε)/√(v + ε)·g, q ← ρq + (1 − ρ)Δ², θ ← θ − αΔ.
 *
 * @example
 * ```ts
 * import { Adadelta, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new Adadelta([w]);
 * w.grad = 2;
 * opt.step(); // v = 0.4, Δ = √1e−6 / √(0.4 + 1e−6) · 2
 * assert.ok(Math.abs(w.data - (1 - (Math.sqrt(1e-6) / Math.sqrt(0.4 + 1e-6)) * 2)) < 1e-15);
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  private readonly squareAvg = this.perParam(0);
  private readonly accDelta = this.perParam(0);

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<AdadeltaOptions> = {}) {
    super("Adadelta", params, ADADELTA_DEFAULTS, options);
    const rho = this.options.rho;
    if (!(rho >= 0 && rho <= 1)) this.invalid("rho", rho, "must be in [0, 1]");
    this.atLeastZero("eps", "weightDecay");
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options, i = ctx.index;
    const rho = q(N.rho, o.rho), eps = q(N.eps, o.eps);
    const { g, gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    const v = this.squareAvg[i] = squareAverage(ctx, o.rho, this.squareAvg[i], g, gt);
    const prevQ = this.accDelta[i];
    const delta = (Math.sqrt(prevQ + o.eps) / Math.sqrt(v + o.eps)) * g;
    const qPrev = () => q(prev(N.q), prevQ);
    ctx.state(
      N.delta,
      () => mul(div(sqrt(add(qPrev(), eps)), sqrt(add(q(N.v, v), eps))), gt),
      delta,
    );
    const qt = this.accDelta[i] = prevQ * o.rho + (1 - o.rho) * delta * delta;
    ctx.state(
      N.q,
      () => add(mul(rho, qPrev()), mul(sub(k(1), rho), pow(q(N.delta, delta), k(2)))),
      qt,
    );
    const after = p.data + -ctx.lr * delta;
    ctx.update(p.data, () => mul(q(N.lr, ctx.lr), q(N.delta, delta)), after);
    return after;
  }
}
