/**
 * RAdam: Adam with the variance rectified, as PyTorch 2.x (the adaptive step starts once
 * κₜ > 5, at step 6 with β₂ = 0.999). κₜ is the length of the approximated simple moving
 * average, written ρₜ in the RAdam paper and in PyTorch (ρ is the course's decay of a mean of
 * squares).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { NOTATION as N } from "../text/notation.ts";
import { add, div, k, mul, pow, q, sqrt, sub } from "./notation.ts";
import { checkBetas, Optimizer, type ParamContext, type TraceLines } from "./optimizer.ts";
import { biasCorrection, moments } from "./adam.ts";

/** RAdam's options (PyTorch's names in camelCase). */
export interface RAdamOptions {
  /** Learning rate α (default 1e-3). */
  lr: number;
  /** Decay rates [β₁, β₂] (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** ε added to √v, before the bias correction (default 1e-8). */
  eps: number;
  /** Weight decay λ (default 0). */
  weightDecay: number;
  /** Decouple the weight decay, as AdamW does (default false). */
  decoupledWeightDecay: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** PyTorch's defaults. */
export const RADAM_DEFAULTS: Readonly<RAdamOptions> = Object.freeze({
  lr: 1e-3,
  betas: [0.9, 0.999] as const,
  eps: 1e-8,
  weightDecay: 0,
  decoupledWeightDecay: false,
  maximize: false,
});

const K_INF = N.kappaInf, K = N.kappa;
const ADAPTS = {
  tex: "\\kappa_t > 5\\text{: the variance estimate is usable, so the step adapts}",
  text: "κₜ > 5: the variance estimate is usable, so the step adapts",
};
const WAITS = {
  tex:
    "\\kappa_t \\le 5\\text{: the variance estimate is not usable yet, so the step is plain momentum}",
  text: "κₜ ≤ 5: the variance estimate is not usable yet, so the step is plain momentum",
};

/**
 * RAdam: m̂ = m/(1 − β₁ᵗ); when κₜ > 5, θ ← θ − α·m̂·r·l with the rectification r and
 * l = √(1 − β₂ᵗ)/(√v + ε); otherwise θ ← θ − α·m̂.
 *
 * @example
 * ```ts
 * import { RAdam, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new RAdam([w]);
 * w.grad = 2; // reference/optimizers.md's table: 0.998 after one step
 * opt.step();
 * assert.equal(w.data, 0.998);
 * ```
 */
export class RAdam extends Optimizer<RAdamOptions> {
  private readonly expAvg = this.perParam(0);
  private readonly expAvgSq = this.perParam(0);
  private bc1 = 1;
  private bc2 = 1;
  private kT = 0;
  private rect = 0;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<RAdamOptions> = {}) {
    super("RAdam", params, RADAM_DEFAULTS, options);
    this.atLeastZero("eps", "weightDecay");
    checkBetas(this.name, this.options.betas);
  }

  /** Bias corrections, κ∞, κₜ and (when κₜ > 5) the rectification rₜ. */
  protected override beginStep(t: number, _lr: number, shared: TraceLines): void {
    const { betas } = this.options, b2 = betas[1];
    this.bc1 = biasCorrection(shared, 1, betas, t);
    const bc2 = this.bc2 = biasCorrection(shared, 2, betas, t);
    const kInf = 2 / (1 - b2) - 1;
    const kT = this.kT = kInf - 2 * t * b2 ** t / bc2;
    const rect = this.rect = kT > 5.0
      ? Math.sqrt((kT - 4) * (kT - 2) * kInf / ((kInf - 4) * (kInf - 2) * kT))
      : 0;
    const kInfTerm = () => q(K_INF, kInf), kTerm = () => q(K, kT), tt = () => q(N.t, t);
    shared.state(K_INF, () => sub(div(k(2), sub(k(1), q(N.beta2, b2))), k(1)), kInf);
    const kRule = () =>
      sub(kInfTerm(), div(mul(mul(k(2), tt()), pow(q(N.beta2, b2), tt())), q(N.bc2, bc2)));
    shared.state(K, kRule, kT, kT > 5 ? ADAPTS : WAITS);
    if (!(kT > 5)) return;
    const num = () => mul(mul(sub(kTerm(), k(4)), sub(kTerm(), k(2))), kInfTerm());
    const den = () => mul(mul(sub(kInfTerm(), k(4)), sub(kInfTerm(), k(2))), kTerm());
    shared.state(N.r, () => sqrt(div(num(), den())), rect);
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options, { bc1, bc2, rect } = this;
    const { theta, g, gt } = this.decayedGradient(
      p,
      grad,
      ctx,
      o.maximize,
      o.weightDecay,
      o.decoupledWeightDecay,
    );
    const { m, v } = moments(ctx, o.betas, g, gt, this.expAvg, this.expAvgSq);
    const mHat = m / bc1;
    ctx.state(N.mHat, () => div(q(N.m, m), q(N.bc1, bc1)), mHat);
    const step = () => mul(q(N.lr, ctx.lr), q(N.mHat, mHat));
    if (!(this.kT > 5.0)) {
      const after = theta + -1.0 * (mHat * ctx.lr);
      ctx.update(theta, step, after);
      return after;
    }
    const l = Math.sqrt(bc2) / (Math.sqrt(v) + o.eps);
    ctx.state(N.l, () => div(sqrt(q(N.bc2, bc2)), add(sqrt(q(N.v, v)), q(N.eps, o.eps))), l);
    const after = theta + -1.0 * (mHat * ctx.lr * l * rect);
    ctx.update(theta, () => mul(mul(step(), q(N.r, rect)), q(N.l, l)), after);
    return after;
  }
}
