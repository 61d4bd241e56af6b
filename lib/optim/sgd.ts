/**
 * SGD, with momentum, dampening, Nesterov momentum, weight decay and maximize, as PyTorch 2.x.
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { NOTATION as N, prev } from "../text/notation.ts";
import { add, k, mul, q, sub } from "./notation.ts";
import { Optimizer, type ParamContext } from "./optimizer.ts";

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
 * Stochastic gradient descent: θ ← θ − α·g, with PyTorch's momentum buffer (m = g on the first
 * step, then m ← μm + (1 − τ)g; with Nesterov the step uses n = g + μm instead of m).
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
  private readonly buffers = this.perParam<number | undefined>(undefined);

  /** Checks the options as PyTorch does. */
  constructor(params: Value[], options: Partial<SGDOptions> = {}) {
    super("SGD", params, SGD_DEFAULTS, options);
    const o = this.options;
    this.atLeastZero("momentum", "weightDecay");
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      this.invalid(
        "nesterov",
        true,
        `Nesterov momentum requires momentum > 0 and dampening 0 (momentum ${o.momentum}, dampening ${o.dampening})`,
      );
    }
  }

  /** One parameter's update. */
  protected update(p: Value, grad: number, ctx: ParamContext): number {
    const o = this.options, mu = q(N.momentum, o.momentum);
    const { g, gt } = this.gradient(p, grad, ctx, o.maximize, o.weightDecay);
    let step = g, stepTerm = gt;
    if (o.momentum !== 0) {
      const prevM = this.buffers[ctx.index];
      let m: number;
      if (prevM === undefined) {
        m = g;
        ctx.state(N.m, () => gt, m, STARTS);
      } else {
        m = prevM * o.momentum + (1 - o.dampening) * g;
        const damped = () =>
          o.dampening === 0 ? gt : mul(sub(k(1), q(N.dampening, o.dampening)), gt);
        ctx.state(N.m, () => add(mul(mu, q(prev(N.m), prevM)), damped()), m);
      }
      this.buffers[ctx.index] = m;
      if (o.nesterov) {
        const n = step = g + o.momentum * m;
        ctx.state(N.n, () => add(gt, mul(mu, q(N.m, m))), n);
        stepTerm = q(N.n, n);
      } else {
        step = m;
        stepTerm = q(N.m, m);
      }
    }
    const after = p.data + -ctx.lr * step;
    ctx.update(p.data, () => mul(q(N.lr, ctx.lr), stepTerm), after);
    return after;
  }
}

const STARTS = {
  tex: "\\text{the buffer starts as the gradient}",
  text: "the buffer starts as the gradient",
};
