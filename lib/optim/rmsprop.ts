/**
 * RMSprop, plain or centered, with momentum, as PyTorch 2.x (ε outside the square root, no bias
 * correction).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { add, div, eq, k, mul, pow, q, sqrt, sub } from "./notation.ts";
import {
  atLeastZero,
  lerp,
  Optimizer,
  type ParamContext,
  squareAverage,
  V_T,
} from "./optimizer.ts";

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
 * RMSprop: v ← ρv + (1 − ρ)g², θ ← θ − α·g/(√v + ε).
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
  /** "RMSprop". */
  readonly name = "RMSprop";
  private readonly squareAvg: number[];
  private readonly gradAvg: number[];
  private readonly buffers: number[];

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<RMSpropOptions> = {}) {
    super("RMSprop", params, { ...RMSPROP_DEFAULTS }, options);
    const o = this.options;
    atLeastZero("RMSprop", "eps", o.eps);
    atLeastZero("RMSprop", "momentum", o.momentum);
    atLeastZero("RMSprop", "weightDecay", o.weightDecay);
    atLeastZero("RMSprop", "alpha", o.alpha);
    this.squareAvg = this.params.map(() => 0);
    this.gradAvg = this.params.map(() => 0);
    this.buffers = this.params.map(() => 0);
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options;
    const i = ctx.index;
    const { g, term: gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    const rho = q("\\rho", "ρ", o.alpha);
    const v = squareAverage(ctx, rho, o.alpha, this.squareAvg[i], g, gt);
    this.squareAvg[i] = v;
    const V = V_T;
    const D = { tex: "d_t", text: "dₜ" };
    const eps = q("\\varepsilon", "ε", o.eps);
    let avg: number;
    if (o.centered) {
      const prevG = this.gradAvg[i];
      const gbar = lerp(prevG, g, 1 - o.alpha);
      this.gradAvg[i] = gbar;
      avg = Math.sqrt(v + -1 * gbar * gbar) + o.eps;
      if (ctx.lines) {
        const Gb = { tex: "\\bar{g}_t", text: "ḡₜ" };
        const rule = add(mul(rho, q("\\bar{g}_{t-1}", "ḡₜ₋₁", prevG)), mul(sub(k(1), rho), gt));
        ctx.lines.push(eq("state", Gb, rule, gbar));
        const vt = q(V.tex, V.text, v);
        const den = add(sqrt(sub(vt, pow(q(Gb.tex, Gb.text, gbar), k(2)))), eps);
        ctx.lines.push(eq("state", D, den, avg));
      }
    } else {
      avg = Math.sqrt(v) + o.eps;
      ctx.lines?.push(eq("state", D, add(sqrt(q(V.tex, V.text, v)), eps), avg));
    }
    const dt = q(D.tex, D.text, avg);
    let after: number;
    if (o.momentum > 0) {
      const prevB = this.buffers[i];
      const buf = prevB * o.momentum + g / avg;
      this.buffers[i] = buf;
      const B = { tex: "b_t", text: "bₜ" };
      const mu = q("\\mu", "μ", o.momentum);
      ctx.lines?.push(eq("state", B, add(mul(mu, q("b_{t-1}", "bₜ₋₁", prevB)), div(gt, dt)), buf));
      after = p.data + -ctx.lr * buf;
      this.updateLine(ctx, p.data, mul(this.alpha(ctx.lr), q(B.tex, B.text, buf)), after);
    } else {
      after = p.data + (-ctx.lr * g) / avg;
      this.updateLine(ctx, p.data, mul(this.alpha(ctx.lr), div(gt, dt)), after);
    }
    return after;
  }
}
