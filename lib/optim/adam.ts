/**
 * Adam and AMSGrad, as PyTorch 2.x (ε added after the bias correction of √v).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { add, div, eq, k, max, mul, type NotationTerm, pow, q, sqrt, sub } from "./notation.ts";
import { atLeastZero, checkBetas, lerp, Optimizer, type ParamContext } from "./optimizer.ts";
import type { Equation, TraceFormula } from "./trace.ts";

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

/** Symbols shared by the Adam family. */
export const SYM = {
  m: { tex: "m_t", text: "mₜ" },
  mPrev: { tex: "m_{t-1}", text: "mₜ₋₁" },
  v: { tex: "v_t", text: "vₜ" },
  vPrev: { tex: "v_{t-1}", text: "vₜ₋₁" },
  mHat: { tex: "\\hat{m}_t", text: "m̂ₜ" },
  vHat: { tex: "\\hat{v}_t", text: "v̂ₜ" },
  bc1: { tex: "\\mathrm{bc}_1", text: "bc₁" },
  bc2: { tex: "\\mathrm{bc}_2", text: "bc₂" },
} as const satisfies Record<string, TraceFormula>;

/** β₁ and β₂ as terms. */
export function betaTerms(betas: readonly [number, number]): [NotationTerm, NotationTerm] {
  return [q("\\beta_1", "β₁", betas[0]), q("\\beta_2", "β₂", betas[1])];
}

/** Pushes `bc = 1 − βᵗ` and returns its value, computed as PyTorch does. */
export function biasCorrection(
  shared: Equation[] | undefined,
  which: 1 | 2,
  beta: NotationTerm,
  betaValue: number,
  t: number,
): number {
  const value = 1 - betaValue ** t;
  shared?.push(
    eq("state", which === 1 ? SYM.bc1 : SYM.bc2, sub(k(1), pow(beta, q("t", "t", t))), value),
  );
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
  const m = lerp(prevM, g, 1 - b1);
  const v = prevV * b2 + (1 - b2) * g * g;
  if (ctx.lines) {
    const [B1, B2] = betaTerms(betas);
    ctx.lines.push(
      eq(
        "state",
        SYM.m,
        add(mul(B1, q(SYM.mPrev.tex, SYM.mPrev.text, prevM)), mul(sub(k(1), B1), gt)),
        m,
      ),
      eq(
        "state",
        SYM.v,
        add(mul(B2, q(SYM.vPrev.tex, SYM.vPrev.text, prevV)), mul(sub(k(1), B2), pow(gt, k(2)))),
        v,
      ),
    );
  }
  expAvg[ctx.index] = m;
  expAvgSq[ctx.index] = v;
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
  /** "Adam". */
  readonly name: string = "Adam";
  /** Weight decay decoupled from the gradient (AdamW). */
  protected readonly decoupled: boolean = false;
  private readonly expAvg: number[];
  private readonly expAvgSq: number[];
  private readonly maxExpAvgSq: number[];
  private bc1 = 1;
  private bc2 = 1;

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<AdamOptions> = {}, defaults = ADAM_DEFAULTS) {
    const kind = defaults === ADAM_DEFAULTS ? "Adam" : "AdamW";
    super(kind, params, { ...defaults }, options);
    const o = this.options;
    atLeastZero(kind, "eps", o.eps);
    checkBetas(kind, o.betas);
    atLeastZero(kind, "weightDecay", o.weightDecay);
    this.expAvg = this.params.map(() => 0);
    this.expAvgSq = this.params.map(() => 0);
    this.maxExpAvgSq = this.params.map(() => 0);
  }

  /** The bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ. */
  protected override beginStep(t: number, _lr: number, shared: Equation[] | undefined): void {
    const [B1, B2] = betaTerms(this.options.betas);
    this.bc1 = biasCorrection(shared, 1, B1, this.options.betas[0], t);
    this.bc2 = biasCorrection(shared, 2, B2, this.options.betas[1], t);
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options;
    const i = ctx.index;
    const { theta, g, term: gt } = this.decayedGradient(
      p,
      grad,
      ctx,
      o.maximize,
      o.weightDecay,
      this.decoupled,
    );
    const { m, v } = moments(ctx, o.betas, g, gt, this.expAvg, this.expAvgSq);
    const stepSize = ctx.lr / this.bc1;
    const bc2Sqrt = Math.sqrt(this.bc2);
    let vUsed = v;
    let vSym: TraceFormula = SYM.v;
    if (o.amsgrad) {
      const prevMax = this.maxExpAvgSq[i];
      vUsed = Math.max(prevMax, v);
      this.maxExpAvgSq[i] = vUsed;
      vSym = { tex: "v^{\\max}_t", text: "vₜᵐᵃˣ" };
      ctx.lines?.push(
        eq(
          "state",
          vSym,
          max(q("v^{\\max}_{t-1}", "vₜ₋₁ᵐᵃˣ", prevMax), q(SYM.v.tex, SYM.v.text, v)),
          vUsed,
        ),
      );
    }
    const denom = Math.sqrt(vUsed) / bc2Sqrt + o.eps;
    const after = theta + (-stepSize * m) / denom;
    if (ctx.lines) {
      const mHat = m / this.bc1;
      const vHat = vUsed / this.bc2;
      ctx.lines.push(
        eq(
          "state",
          SYM.mHat,
          div(q(SYM.m.tex, SYM.m.text, m), q(SYM.bc1.tex, SYM.bc1.text, this.bc1)),
          mHat,
        ),
        eq(
          "state",
          SYM.vHat,
          div(q(vSym.tex, vSym.text, vUsed), q(SYM.bc2.tex, SYM.bc2.text, this.bc2)),
          vHat,
        ),
      );
      const step = mul(
        this.alpha(ctx.lr),
        div(
          q(SYM.mHat.tex, SYM.mHat.text, mHat),
          add(sqrt(q(SYM.vHat.tex, SYM.vHat.text, vHat)), q("\\varepsilon", "ε", o.eps)),
        ),
      );
      this.updateLine(ctx, theta, step, after);
    }
    return after;
  }
}
