/**
 * NAdam: Adam with Nesterov momentum and a momentum schedule, as PyTorch 2.x (μ_t multiplied in
 * once, the 2.x fix).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { at, NOTATION as N, prev } from "../text/notation.ts";
import { add, div, k, mul, type NotationTerm, pow, q, sqrt, sub } from "./notation.ts";
import { checkBetas, Optimizer, type ParamContext, type TraceLines } from "./optimizer.ts";
import { biasCorrection, moments } from "./adam.ts";

/** NAdam's options (PyTorch's names in camelCase). */
export interface NAdamOptions {
  /** Learning rate α (default 2e-3). */
  lr: number;
  /** Decay rates [β₁, β₂] (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** ε added to the denominator (default 1e-8). */
  eps: number;
  /** Weight decay λ (default 0). */
  weightDecay: number;
  /** Momentum decay ψ of the schedule μₜ = β₁(1 − 0.5·0.96^(tψ)) (default 4e-3). */
  momentumDecay: number;
  /** Decouple the weight decay, as AdamW does (default false). */
  decoupledWeightDecay: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** PyTorch's defaults. */
export const NADAM_DEFAULTS: Readonly<NAdamOptions> = Object.freeze({
  lr: 2e-3,
  betas: [0.9, 0.999] as const,
  eps: 1e-8,
  weightDecay: 0,
  momentumDecay: 4e-3,
  decoupledWeightDecay: false,
  maximize: false,
});

const MU = N.muAt, MU_NEXT = at(N.muAt, "t+1"), PI = N.muProduct;

/**
 * NAdam: θ ← θ − α(1 − μₜ)/(1 − Πₜ)·g/d − α·μₜ₊₁/(1 − Πₜμₜ₊₁)·m/d, with d = √(v/(1 − β₂ᵗ)) + ε
 * and Πₜ the running product of the μ's.
 *
 * @example
 * ```ts
 * import { NAdam, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new NAdam([w]);
 * w.grad = 2;
 * const trace = opt.step();
 * assert.ok(w.data < 1 && w.data > 0.99);
 * assert.equal(trace.shared.find((e) => e.lhs.text === "μₜ")?.result, 0.9 * (1 - 0.5 * 0.96 ** 0.004));
 * ```
 */
export class NAdam extends Optimizer<NAdamOptions> {
  private readonly expAvg = this.perParam(0);
  private readonly expAvgSq = this.perParam(0);
  private muProduct = 1;
  private mu = 0;
  private muNext = 0;
  private bc2 = 1;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<NAdamOptions> = {}) {
    super("NAdam", params, NADAM_DEFAULTS, options);
    this.atLeastZero("eps", "weightDecay", "momentumDecay");
    checkBetas(this.name, this.options.betas);
  }

  /** β₂'s bias correction, the momentum schedule μₜ, μₜ₊₁ and the product Πₜ. */
  protected override beginStep(t: number, _lr: number, shared: TraceLines): void {
    const { betas, momentumDecay: psi } = this.options;
    this.bc2 = biasCorrection(shared, 2, betas, t);
    this.mu = betas[0] * (1.0 - 0.5 * 0.96 ** (t * psi));
    this.muNext = betas[0] * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi));
    const prevProduct = this.muProduct;
    this.muProduct *= this.mu;
    const schedule = (tt: NotationTerm) =>
      mul(
        q(N.beta1, betas[0]),
        sub(k(1), mul(k(0.5), pow(k(0.96), mul(tt, q(N.momentumDecay, psi))))),
      );
    shared.state(MU, () => schedule(q(N.t, t)), this.mu);
    shared.state(MU_NEXT, () => schedule(add(q(N.t, t), k(1))), this.muNext);
    shared.state(PI, () => mul(q(prev(PI), prevProduct), q(MU, this.mu)), this.muProduct);
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options, { mu, muNext, muProduct, bc2 } = this;
    const { theta, g, gt } = this.decayedGradient(
      p,
      grad,
      ctx,
      o.maximize,
      o.weightDecay,
      o.decoupledWeightDecay,
    );
    const { m, v } = moments(ctx, o.betas, g, gt, this.expAvg, this.expAvgSq);
    const d = Math.sqrt(v / bc2) + o.eps;
    ctx.state(N.d, () => add(sqrt(div(q(N.v, v), q(N.bc2, bc2))), q(N.eps, o.eps)), d);
    // Two lines, as PyTorch's two addcdiv_ calls: the gradient's part, then the momentum's.
    const mid = theta + ((-ctx.lr * (1.0 - mu)) / (1.0 - muProduct) * g) / d;
    const after = mid + ((-ctx.lr * muNext) / (1.0 - muProduct * muNext) * m) / d;
    const a = () => q(N.lr, ctx.lr), Mu = () => q(MU, mu), MuN = () => q(MU_NEXT, muNext);
    const Pi = () => q(PI, muProduct), D = () => q(N.d, d);
    ctx.update(
      theta,
      () => mul(div(mul(a(), sub(k(1), Mu())), sub(k(1), Pi())), div(gt, D())),
      mid,
    );
    ctx.update(
      mid,
      () => mul(div(mul(a(), MuN()), sub(k(1), mul(Pi(), MuN()))), div(q(N.m, m), D())),
      after,
    );
    return after;
  }
}
