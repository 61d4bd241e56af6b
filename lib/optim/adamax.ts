/**
 * Adamax: Adam with the infinity norm, as PyTorch 2.x (ε inside the max).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { NOTATION as N, prev } from "../text/notation.ts";
import { abs, add, div, k, max, mul, q, sub } from "./notation.ts";
import { checkBetas, lerp, Optimizer, type ParamContext, type TraceLines } from "./optimizer.ts";
import { biasCorrection } from "./adam.ts";

/** Adamax's options (PyTorch's names in camelCase). */
export interface AdamaxOptions {
  /** Learning rate α (default 2e-3). */
  lr: number;
  /** Decay rates [β₁, β₂] (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** ε inside the max (default 1e-8). */
  eps: number;
  /** L2 penalty λ, added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** PyTorch's defaults. */
export const ADAMAX_DEFAULTS: Readonly<AdamaxOptions> = Object.freeze({
  lr: 2e-3,
  betas: [0.9, 0.999] as const,
  eps: 1e-8,
  weightDecay: 0,
  maximize: false,
});

/**
 * Adamax: m as Adam, u ← max(β₂u, |g| + ε), θ ← θ − (α/(1 − β₁ᵗ))·m/u.
 *
 * @example
 * ```ts
 * import { Adamax, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new Adamax([w]);
 * w.grad = 2;
 * opt.step(); // m = 0.2, u = 2 + 1e−8, w = 1 − (0.002 / 0.1) · 0.2 / u
 * assert.ok(Math.abs(w.data - (1 - 0.002 * 2 / (2 + 1e-8))) < 1e-15);
 * ```
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  private readonly expAvg = this.perParam(0);
  private readonly expInf = this.perParam(0);
  private bc1 = 1;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<AdamaxOptions> = {}) {
    super("Adamax", params, ADAMAX_DEFAULTS, options);
    this.atLeastZero("eps", "weightDecay");
    checkBetas(this.name, this.options.betas);
  }

  /** The bias correction 1 − β₁ᵗ. */
  protected override beginStep(t: number, _lr: number, shared: TraceLines): void {
    this.bc1 = biasCorrection(shared, 1, this.options.betas, t);
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options, i = ctx.index, [b1, b2] = o.betas;
    const B1 = q(N.beta1, b1), B2 = q(N.beta2, b2);
    const { g, gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    const prevM = this.expAvg[i], prevU = this.expInf[i];
    const m = this.expAvg[i] = lerp(prevM, g, 1 - b1);
    const u = this.expInf[i] = Math.max(prevU * b2, Math.abs(g) + o.eps);
    ctx.state(N.m, () => add(mul(B1, q(prev(N.m), prevM)), mul(sub(k(1), B1), gt)), m);
    ctx.state(N.u, () => max(mul(B2, q(prev(N.u), prevU)), add(abs(gt), q(N.eps, o.eps))), u);
    const after = p.data + (-(ctx.lr / this.bc1) * m) / u;
    ctx.update(
      p.data,
      () => mul(div(q(N.lr, ctx.lr), q(N.bc1, this.bc1)), div(q(N.m, m), q(N.u, u))),
      after,
    );
    return after;
  }
}
