/**
 * Adadelta, as PyTorch 2.x (ε inside both roots; with lr 1 it is Zeiler's method).
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { add, div, eq, k, mul, pow, q, sqrt, sub } from "./notation.ts";
import {
  atLeastZero,
  invalid,
  Optimizer,
  type ParamContext,
  squareAverage,
  V_T,
} from "./optimizer.ts";

/** Adadelta's options (PyTorch's names in camelCase). */
export interface AdadeltaOptions {
  /** Learning rate α, scaling the update (default 1.0). */
  lr: number;
  /** Decay ρ of the running averages (default 0.9). */
  rho: number;
  /** ε inside both square roots (default 1e-6). */
  eps: number;
  /** L2 penalty λ, added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** PyTorch's defaults. */
export const ADADELTA_DEFAULTS: Readonly<AdadeltaOptions> = Object.freeze({
  lr: 1.0,
  rho: 0.9,
  eps: 1e-6,
  weightDecay: 0,
  maximize: false,
});

/**
 * Adadelta: v ← ρv + (1 − ρ)g², Δ = √(u + ε)/√(v + ε)·g, u ← ρu + (1 − ρ)Δ², θ ← θ − αΔ.
 *
 * @example
 * ```ts
 * import { Adadelta, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new Adadelta([w]);
 * w.grad = 2;
 * opt.step(); // v = 0.4, Δ = √1e−6 / √(0.4 + 1e−6) · 2
 * assert.ok(Math.abs(w.data - (1 - (Math.sqrt(1e-6) / Math.sqrt(0.4 + 1e-6)) * 2)) < 1e-15);
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  /** "Adadelta". */
  readonly name = "Adadelta";
  private readonly squareAvg: number[];
  private readonly accDelta: number[];

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<AdadeltaOptions> = {}) {
    super("Adadelta", params, { ...ADADELTA_DEFAULTS }, options);
    const o = this.options;
    if (!(o.rho >= 0 && o.rho <= 1)) invalid("Adadelta", "rho", o.rho, "must be in [0, 1]");
    atLeastZero("Adadelta", "eps", o.eps);
    atLeastZero("Adadelta", "weightDecay", o.weightDecay);
    this.squareAvg = this.params.map(() => 0);
    this.accDelta = this.params.map(() => 0);
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options;
    const i = ctx.index;
    const { g, term: gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    const rho = q("\\rho", "ρ", o.rho);
    const eps = q("\\varepsilon", "ε", o.eps);
    const v = squareAverage(ctx, rho, o.rho, this.squareAvg[i], g, gt);
    this.squareAvg[i] = v;
    const V = V_T;
    const u = this.accDelta[i];
    const std = Math.sqrt(v + o.eps);
    const delta = (Math.sqrt(u + o.eps) / std) * g;
    const Dl = { tex: "\\Delta_t", text: "Δₜ" };
    const U = { tex: "u_{t-1}", text: "uₜ₋₁" };
    if (ctx.lines) {
      const ratio = div(sqrt(add(q(U.tex, U.text, u), eps)), sqrt(add(q(V.tex, V.text, v), eps)));
      ctx.lines.push(eq("state", Dl, mul(ratio, gt), delta));
    }
    const nextU = u * o.rho + (1 - o.rho) * delta * delta;
    this.accDelta[i] = nextU;
    const dt = q(Dl.tex, Dl.text, delta);
    ctx.lines?.push(
      eq(
        "state",
        { tex: "u_t", text: "uₜ" },
        add(mul(rho, q(U.tex, U.text, u)), mul(sub(k(1), rho), pow(dt, k(2)))),
        nextU,
      ),
    );
    const after = p.data + -ctx.lr * delta;
    this.updateLine(ctx, p.data, mul(this.alpha(ctx.lr), dt), after);
    return after;
  }
}
