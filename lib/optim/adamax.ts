/**
 * Adamax: Adam with the infinity norm, as PyTorch 2.x (ε inside the max).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { abs, add, div, eq, k, max, mul, q, sub } from "./notation.ts";
import { atLeastZero, checkBetas, lerp, Optimizer, type ParamContext } from "./optimizer.ts";
import { betaTerms, biasCorrection, SYM } from "./adam.ts";
import type { Equation } from "./trace.ts";

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
  /** "Adamax". */
  readonly name = "Adamax";
  private readonly expAvg: number[];
  private readonly expInf: number[];
  private bc1 = 1;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<AdamaxOptions> = {}) {
    super("Adamax", params, { ...ADAMAX_DEFAULTS }, options);
    const o = this.options;
    atLeastZero("Adamax", "eps", o.eps);
    checkBetas("Adamax", o.betas);
    atLeastZero("Adamax", "weightDecay", o.weightDecay);
    this.expAvg = this.params.map(() => 0);
    this.expInf = this.params.map(() => 0);
  }

  /** The bias correction 1 − β₁ᵗ. */
  protected override beginStep(t: number, _lr: number, shared: Equation[] | undefined): void {
    this.bc1 = biasCorrection(
      shared,
      1,
      betaTerms(this.options.betas)[0],
      this.options.betas[0],
      t,
    );
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options;
    const i = ctx.index;
    const [b1, b2] = o.betas;
    const [B1, B2] = betaTerms(o.betas);
    const { g, term: gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    const prevM = this.expAvg[i];
    const m = lerp(prevM, g, 1 - b1);
    this.expAvg[i] = m;
    const prevU = this.expInf[i];
    const u = Math.max(prevU * b2, Math.abs(g) + o.eps);
    this.expInf[i] = u;
    const U = { tex: "u_t", text: "uₜ" };
    const eps = q("\\varepsilon", "ε", o.eps);
    ctx.lines?.push(
      eq(
        "state",
        SYM.m,
        add(mul(B1, q(SYM.mPrev.tex, SYM.mPrev.text, prevM)), mul(sub(k(1), B1), gt)),
        m,
      ),
      eq("state", U, max(mul(B2, q("u_{t-1}", "uₜ₋₁", prevU)), add(abs(gt), eps)), u),
    );
    const clr = ctx.lr / this.bc1;
    const after = p.data + (-clr * m) / u;
    const step = mul(
      div(this.alpha(ctx.lr), q(SYM.bc1.tex, SYM.bc1.text, this.bc1)),
      div(q(SYM.m.tex, SYM.m.text, m), q(U.tex, U.text, u)),
    );
    this.updateLine(ctx, p.data, step, after);
    return after;
  }
}
