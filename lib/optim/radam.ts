/**
 * RAdam: Adam with the variance rectified, as PyTorch 2.x (the adaptive step starts once
 * ρₜ > 5, at step 6 with β₂ = 0.999).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { add, div, eq, k, mul, pow, q, sqrt, sub } from "./notation.ts";
import { atLeastZero, checkBetas, Optimizer, type ParamContext } from "./optimizer.ts";
import { betaTerms, biasCorrection, moments, SYM } from "./adam.ts";
import type { Equation } from "./trace.ts";

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

const RHO_INF = { tex: "\\rho_\\infty", text: "ρ∞" };
const RHO_T = { tex: "\\rho_t", text: "ρₜ" };
const R_T = { tex: "r_t", text: "rₜ" };
const L_T = { tex: "l_t", text: "lₜ" };

/**
 * RAdam: m̂ = m/(1 − β₁ᵗ); when ρₜ > 5, θ ← θ − α·m̂·r·l with the rectification r and
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
  /** "RAdam". */
  readonly name = "RAdam";
  private readonly expAvg: number[];
  private readonly expAvgSq: number[];
  private bc1 = 1;
  private bc2 = 1;
  private rhoT = 0;
  private rect = 0;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<RAdamOptions> = {}) {
    super("RAdam", params, { ...RADAM_DEFAULTS }, options);
    const o = this.options;
    atLeastZero("RAdam", "eps", o.eps);
    checkBetas("RAdam", o.betas);
    atLeastZero("RAdam", "weightDecay", o.weightDecay);
    this.expAvg = this.params.map(() => 0);
    this.expAvgSq = this.params.map(() => 0);
  }

  /** Bias corrections, ρ∞, ρₜ and (when ρₜ > 5) the rectification rₜ. */
  protected override beginStep(t: number, _lr: number, shared: Equation[] | undefined): void {
    const [b1, b2] = this.options.betas;
    const [B1, B2] = betaTerms(this.options.betas);
    this.bc1 = biasCorrection(shared, 1, B1, b1, t);
    this.bc2 = biasCorrection(shared, 2, B2, b2, t);
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - 2 * t * b2 ** t / this.bc2;
    this.rhoT = rhoT;
    const rect = rhoT > 5.0
      ? Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
      : 0;
    this.rect = rect;
    if (!shared) return;
    const ri = q(RHO_INF.tex, RHO_INF.text, rhoInf);
    const rt = q(RHO_T.tex, RHO_T.text, rhoT);
    const tt = q("t", "t", t);
    shared.push(
      eq("state", RHO_INF, sub(div(k(2), sub(k(1), B2)), k(1)), rhoInf),
      {
        ...eq(
          "state",
          RHO_T,
          sub(ri, div(mul(mul(k(2), tt), pow(B2, tt)), q(SYM.bc2.tex, SYM.bc2.text, this.bc2))),
          rhoT,
        ),
        note: rhoT > 5
          ? {
            tex: "\\rho_t > 5\\text{: the variance estimate is usable, so the step adapts}",
            text: "ρₜ > 5: the variance estimate is usable, so the step adapts",
          }
          : {
            tex:
              "\\rho_t \\le 5\\text{: the variance estimate is not usable yet, so the step is plain momentum}",
            text: "ρₜ ≤ 5: the variance estimate is not usable yet, so the step is plain momentum",
          },
      },
    );
    if (rhoT > 5) {
      const num = mul(mul(sub(rt, k(4)), sub(rt, k(2))), ri);
      const den = mul(mul(sub(ri, k(4)), sub(ri, k(2))), rt);
      shared.push(eq("state", R_T, sqrt(div(num, den)), rect));
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
    const mHat = m / this.bc1;
    const mh = q(SYM.mHat.tex, SYM.mHat.text, mHat);
    ctx.lines?.push(
      eq(
        "state",
        SYM.mHat,
        div(q(SYM.m.tex, SYM.m.text, m), q(SYM.bc1.tex, SYM.bc1.text, this.bc1)),
        mHat,
      ),
    );
    const a = this.alpha(ctx.lr);
    let after: number;
    if (this.rhoT > 5.0) {
      const adaptive = Math.sqrt(this.bc2) / (Math.sqrt(v) + o.eps);
      after = theta + -1.0 * (mHat * ctx.lr * adaptive * this.rect);
      if (ctx.lines) {
        const l = div(
          sqrt(q(SYM.bc2.tex, SYM.bc2.text, this.bc2)),
          add(sqrt(q(SYM.v.tex, SYM.v.text, v)), q("\\varepsilon", "ε", o.eps)),
        );
        ctx.lines.push(eq("state", L_T, l, adaptive));
        const step = mul(
          mul(mul(a, mh), q(R_T.tex, R_T.text, this.rect)),
          q(L_T.tex, L_T.text, adaptive),
        );
        this.updateLine(ctx, theta, step, after);
      }
    } else {
      after = theta + -1.0 * (mHat * ctx.lr);
      this.updateLine(ctx, theta, mul(a, mh), after);
    }
    return after;
  }
}
