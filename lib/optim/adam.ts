/**
 * Adam and AMSGrad, as PyTorch 2.x (ε added after the bias correction of √v).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { type MathSymbol, NOTATION as N, prev } from "../text/notation.ts";
import { add, div, k, max, mul, type NotationTerm, pow, q, sqrt, sub } from "./notation.ts";
import { checkBetas, lerp, Optimizer, type ParamContext, type TraceLines } from "./optimizer.ts";

/** Adam's options (PyTorch's names in camelCase). */
export interface AdamOptions {
  /** Learning rate α (default 1e-3). */
  lr: number;
  /** Decay rates [β₁, β₂] of the first and second moments (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** ε added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty λ, added to the gradient (default 0; AdamW decouples it). */
  weightDecay: number;
  /** Use the running maximum of v (AMSGrad) (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** PyTorch's defaults. */
export const ADAM_DEFAULTS: Readonly<AdamOptions> = Object.freeze({
  lr: 1e-3,
  betas: [0.9, 0.999] as const,
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
});

/** Pushes `bc = 1 − βᵗ` (β₁ for `which` 1, β₂ for 2) and returns it, computed as PyTorch does. */
export function biasCorrection(
  shared: TraceLines,
  which: 1 | 2,
  betas: readonly [number, number],
  t: number,
): number {
  const beta = betas[which - 1];
  const value = 1 - beta ** t;
  const [B, BC] = which === 1 ? [N.beta1, N.bc1] : [N.beta2, N.bc2];
  shared.state(BC, () => sub(k(1), pow(q(B, beta), q(N.t, t))), value);
  return value;
}

/**
 * m ← β₁m + (1 − β₁)g (PyTorch's lerp) and v ← β₂v + (1 − β₂)g², with their lines; the new
 * moments are stored in `expAvg` and `expAvgSq` at the parameter's index.
 */
export function moments(
  ctx: ParamContext,
  betas: readonly [number, number],
  g: number,
  gt: NotationTerm,
  expAvg: number[],
  expAvgSq: number[],
): { m: number; v: number } {
  const [b1, b2] = betas;
  const prevM = expAvg[ctx.index], prevV = expAvgSq[ctx.index];
  const m = expAvg[ctx.index] = lerp(prevM, g, 1 - b1);
  const v = expAvgSq[ctx.index] = prevV * b2 + (1 - b2) * g * g;
  const B1 = q(N.beta1, b1), B2 = q(N.beta2, b2);
  ctx.state(N.m, () => add(mul(B1, q(prev(N.m), prevM)), mul(sub(k(1), B1), gt)), m);
  ctx.state(N.v, () => add(mul(B2, q(prev(N.v), prevV)), mul(sub(k(1), B2), pow(gt, k(2)))), v);
  return { m, v };
}

/**
 * Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − α·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ),
 * v̂ = v/(1 − β₂ᵗ). With `amsgrad`, the running maximum of v replaces v.
 *
 * @example
 * ```ts
 * import { Adam, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new Adam([w]);
 * w.grad = 2; // f(w) = w², reference/optimizers.md's table
 * opt.step();
 * assert.equal(w.data, 0.999000000005);
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  /** Weight decay decoupled from the gradient (AdamW). */
  protected readonly decoupled: boolean = false;
  private readonly expAvg = this.perParam(0);
  private readonly expAvgSq = this.perParam(0);
  private readonly maxExpAvgSq = this.perParam(0);
  private bc1 = 1;
  private bc2 = 1;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<AdamOptions> = {}, defaults = ADAM_DEFAULTS) {
    super(defaults === ADAM_DEFAULTS ? "Adam" : "AdamW", params, defaults, options);
    this.atLeastZero("eps", "weightDecay");
    checkBetas(this.name, this.options.betas);
  }

  /** The bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ. */
  protected override beginStep(t: number, _lr: number, shared: TraceLines): void {
    this.bc1 = biasCorrection(shared, 1, this.options.betas, t);
    this.bc2 = biasCorrection(shared, 2, this.options.betas, t);
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options, i = ctx.index, { bc1, bc2 } = this;
    const { theta, g, gt } = this.decayedGradient(
      p,
      grad,
      ctx,
      o.maximize,
      o.weightDecay,
      this.decoupled,
    );
    const { m, v } = moments(ctx, o.betas, g, gt, this.expAvg, this.expAvgSq);
    let V: MathSymbol = N.v, vUsed = v;
    if (o.amsgrad) {
      const prevMax = this.maxExpAvgSq[i];
      V = N.vMax;
      vUsed = this.maxExpAvgSq[i] = Math.max(prevMax, v);
      ctx.state(V, () => max(q(prev(V), prevMax), q(N.v, v)), vUsed);
    }
    const mHat = m / bc1, vHat = vUsed / bc2;
    ctx.state(N.mHat, () => div(q(N.m, m), q(N.bc1, bc1)), mHat);
    ctx.state(N.vHat, () => div(q(V, vUsed), q(N.bc2, bc2)), vHat);
    const after = theta + (-(ctx.lr / bc1) * m) / (Math.sqrt(vUsed) / Math.sqrt(bc2) + o.eps);
    const step = () =>
      mul(q(N.lr, ctx.lr), div(q(N.mHat, mHat), add(sqrt(q(N.vHat, vHat)), q(N.eps, o.eps))));
    ctx.update(theta, step, after);
    return after;
  }
}
