/**
 * SGD, with momentum, dampening, Nesterov momentum, weight decay and maximize, as PyTorch 2.x.
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { add, eq, k, mul, q, sub } from "./notation.ts";
import { atLeastZero, invalid, Optimizer, type ParamContext } from "./optimizer.ts";

/** SGD's options (PyTorch's names in camelCase). */
export interface SGDOptions {
  /** Learning rate α (default 1e-3). */
  lr: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Dampening τ of the momentum (default 0). */
  dampening: number;
  /** L2 penalty λ, added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false); needs momentum > 0 and dampening 0. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** PyTorch's defaults. */
export const SGD_DEFAULTS: Readonly<SGDOptions> = Object.freeze({
  lr: 1e-3,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
});

/**
 * Stochastic gradient descent: θ ← θ − α·g, with PyTorch's momentum buffer (b = g on the first
 * step, then b ← μb + (1 − τ)g).
 *
 * @example
 * ```ts
 * import { SGD, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w");
 * const opt = new SGD([w], { lr: 0.1 });
 * w.grad = 2; // d(w²)/dw at w = 1
 * const trace = opt.step();
 * assert.equal(w.data, 0.8);
 * assert.equal(trace.params[0].after, 0.8);
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  /** "SGD". */
  readonly name = "SGD";
  private readonly buffers: (number | undefined)[];

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<SGDOptions> = {}) {
    super("SGD", params, { ...SGD_DEFAULTS }, options);
    const o = this.options;
    atLeastZero("SGD", "momentum", o.momentum);
    atLeastZero("SGD", "weightDecay", o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      invalid(
        "SGD",
        "nesterov",
        true,
        `Nesterov momentum requires momentum > 0 and dampening 0 (momentum ${o.momentum}, dampening ${o.dampening})`,
      );
    }
    this.buffers = this.params.map(() => undefined);
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options;
    const { g, term: gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    let d = g;
    let dt = gt;
    if (o.momentum !== 0) {
      const prev = this.buffers[ctx.index];
      const B = { tex: "b_t", text: "bₜ" };
      let buf: number;
      if (prev === undefined) {
        buf = g;
        ctx.lines?.push({
          ...eq("state", B, gt, buf),
          note: {
            tex: "\\text{the buffer starts as the gradient}",
            text: "the buffer starts as the gradient",
          },
        });
      } else {
        buf = prev * o.momentum + (1 - o.dampening) * g;
        if (ctx.lines) {
          const mu = q("\\mu", "μ", o.momentum);
          const decay = o.dampening === 0 ? gt : mul(sub(k(1), q("\\tau", "τ", o.dampening)), gt);
          ctx.lines.push(eq("state", B, add(mul(mu, q("b_{t-1}", "bₜ₋₁", prev)), decay), buf));
        }
      }
      this.buffers[ctx.index] = buf;
      if (o.nesterov) {
        d = g + o.momentum * buf;
        const D = { tex: "d_t", text: "dₜ" };
        if (ctx.lines) {
          const rule = add(gt, mul(q("\\mu", "μ", o.momentum), q(B.tex, B.text, buf)));
          ctx.lines.push(eq("state", D, rule, d));
        }
        dt = q(D.tex, D.text, d);
      } else {
        d = buf;
        dt = q(B.tex, B.text, buf);
      }
    }
    const after = p.data + -ctx.lr * d;
    this.updateLine(ctx, p.data, mul(this.alpha(ctx.lr), dt), after);
    return after;
  }
}
