/**
 * NAdam: Adam with Nesterov momentum and a momentum schedule, as PyTorch 2.x (μ_t multiplied in
 * once, the 2.x fix).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { add, div, eq, k, mul, pow, q, sqrt, sub } from "./notation.ts";
import { atLeastZero, checkBetas, Optimizer, type ParamContext } from "./optimizer.ts";
import { betaTerms, biasCorrection, moments, SYM } from "./adam.ts";
import type { Equation } from "./trace.ts";

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

const MU = { tex: "\\mu_t", text: "μₜ" };
const MU_NEXT = { tex: "\\mu_{t+1}", text: "μₜ₊₁" };
const PI = { tex: "\\Pi_t", text: "Πₜ" };

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
  /** "NAdam". */
  readonly name = "NAdam";
  private readonly expAvg: number[];
  private readonly expAvgSq: number[];
  private muProduct = 1;
  private mu = 0;
  private muNext = 0;
  private bc2 = 1;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<NAdamOptions> = {}) {
    super("NAdam", params, { ...NADAM_DEFAULTS }, options);
    const o = this.options;
    atLeastZero("NAdam", "eps", o.eps);
    checkBetas("NAdam", o.betas);
    atLeastZero("NAdam", "weightDecay", o.weightDecay);
    atLeastZero("NAdam", "momentumDecay", o.momentumDecay);
    this.expAvg = this.params.map(() => 0);
    this.expAvgSq = this.params.map(() => 0);
  }

  /** β₂'s bias correction, the momentum schedule μₜ, μₜ₊₁ and the product Πₜ. */
  protected override beginStep(t: number, _lr: number, shared: Equation[] | undefined): void {
    const [b1, b2] = this.options.betas;
    const psi = this.options.momentumDecay;
    const [B1, B2] = betaTerms(this.options.betas);
    this.bc2 = biasCorrection(shared, 2, B2, b2, t);
    this.mu = b1 * (1.0 - 0.5 * 0.96 ** (t * psi));
    this.muNext = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi));
    const prev = this.muProduct;
    this.muProduct *= this.mu;
    if (shared) {
      const Psi = q("\\psi", "ψ", psi);
      const sched = (tt: ReturnType<typeof q>) =>
        mul(B1, sub(k(1), mul(k(0.5), pow(k(0.96), mul(tt, Psi)))));
      shared.push(
        eq("state", MU, sched(q("t", "t", t)), this.mu),
        eq("state", MU_NEXT, sched(add(q("t", "t", t), k(1))), this.muNext),
        eq(
          "state",
          PI,
          mul(q("\\Pi_{t-1}", "Πₜ₋₁", prev), q(MU.tex, MU.text, this.mu)),
          this.muProduct,
        ),
      );
    }
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options;
    const { theta, g, term: gt } = this.decayedGradient(
      p,
      grad,
      ctx,
      o.maximize,
      o.weightDecay,
      o.decoupledWeightDecay,
    );
    const { m, v } = moments(ctx, o.betas, g, gt, this.expAvg, this.expAvgSq);
    const denom = Math.sqrt(v / this.bc2) + o.eps;
    const D = { tex: "d_t", text: "dₜ" };
    const muProductNext = this.muProduct * this.muNext;
    const mid = theta + ((-ctx.lr * (1.0 - this.mu)) / (1.0 - this.muProduct) * g) / denom;
    const after = mid + ((-ctx.lr * this.muNext) / (1.0 - muProductNext) * m) / denom;
    if (ctx.lines) {
      const den = add(
        sqrt(div(q(SYM.v.tex, SYM.v.text, v), q(SYM.bc2.tex, SYM.bc2.text, this.bc2))),
        q("\\varepsilon", "ε", o.eps),
      );
      ctx.lines.push(eq("state", D, den, denom));
      const a = this.alpha(ctx.lr);
      const mu = q(MU.tex, MU.text, this.mu);
      const muN = q(MU_NEXT.tex, MU_NEXT.text, this.muNext);
      const pi = q(PI.tex, PI.text, this.muProduct);
      const d = q(D.tex, D.text, denom);
      const first = mul(div(mul(a, sub(k(1), mu)), sub(k(1), pi)), div(gt, d));
      const second = mul(
        div(mul(a, muN), sub(k(1), mul(pi, muN))),
        div(q(SYM.m.tex, SYM.m.text, m), d),
      );
      // Two lines, as PyTorch's two addcdiv_ calls: the gradient's part, then the momentum's.
      this.updateLine(ctx, theta, first, mid);
      this.updateLine(ctx, mid, second, after);
    }
    return after;
  }
}
