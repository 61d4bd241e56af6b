/**
 * RMSprop, plain or centered, with momentum, as PyTorch 2.x (ε outside the square root, no bias
 * correction).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { NOTATION as N, prev } from "../text/notation.ts";
import { add, div, k, mul, pow, q, sqrt, sub } from "./notation.ts";
import { lerp, Optimizer, type ParamContext, squareAverage } from "./optimizer.ts";

/** RMSprop's options (PyTorch's names in camelCase). */
export interface RMSpropOptions {
  /** Learning rate α (default 1e-2). */
  lr: number;
  /** Smoothing constant ρ of the squared-gradient average (default 0.99). */
  alpha: number;
  /** ε added to the denominator, outside the root (default 1e-8). */
  eps: number;
  /** L2 penalty λ, added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Normalize by the estimated variance instead of the second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** PyTorch's defaults. */
export const RMSPROP_DEFAULTS: Readonly<RMSpropOptions> = Object.freeze({
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
});

/**
 * RMSprop: v ← ρv + (1 − ρ)g², d = √v + ε, θ ← θ − α·g/d; with momentum, m ← μm + g/d and
 * θ ← θ − α·m. (PyTorch's option `alpha` is ρ here: α is the learning rate.)
 *
 * @example
 * ```ts
 * import { RMSprop, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new RMSprop([w]);
 * w.grad = 2;
 * opt.step();
 * // v = 0.01 · 4 = 0.04, w = 1 − 0.01 · 2 / (0.2 + 1e−8)
 * assert.ok(Math.abs(w.data - (1 - 0.01 * 2 / (0.2 + 1e-8))) < 1e-15);
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  private readonly squareAvg = this.perParam(0);
  private readonly gradAvg = this.perParam(0);
  private readonly buffers = this.perParam(0);

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<RMSpropOptions> = {}) {
    super("RMSprop", params, RMSPROP_DEFAULTS, options);
    this.atLeastZero("eps", "momentum", "weightDecay", "alpha");
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options, i = ctx.index;
    const rho = q(N.rho, o.alpha), eps = q(N.eps, o.eps);
    const { g, gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    const v = this.squareAvg[i] = squareAverage(ctx, o.alpha, this.squareAvg[i], g, gt);
    let d: number;
    if (o.centered) {
      const prevG = this.gradAvg[i];
      const gBar = this.gradAvg[i] = lerp(prevG, g, 1 - o.alpha);
      d = Math.sqrt(v + -1 * gBar * gBar) + o.eps;
      ctx.state(N.gBar, () => add(mul(rho, q(prev(N.gBar), prevG)), mul(sub(k(1), rho), gt)), gBar);
      ctx.state(N.d, () => add(sqrt(sub(q(N.v, v), pow(q(N.gBar, gBar), k(2)))), eps), d);
    } else {
      d = Math.sqrt(v) + o.eps;
      ctx.state(N.d, () => add(sqrt(q(N.v, v)), eps), d);
    }
    const dt = q(N.d, d);
    if (o.momentum > 0) {
      const prevM = this.buffers[i];
      const m = this.buffers[i] = prevM * o.momentum + g / d;
      ctx.state(
        N.m,
        () => add(mul(q(N.momentum, o.momentum), q(prev(N.m), prevM)), div(gt, dt)),
        m,
      );
      const after = p.data + -ctx.lr * m;
      ctx.update(p.data, () => mul(q(N.lr, ctx.lr), q(N.m, m)), after);
      return after;
    }
    const after = p.data + (-ctx.lr * g) / d;
    ctx.update(p.data, () => mul(q(N.lr, ctx.lr), div(gt, dt)), after);
    return after;
  }
}
