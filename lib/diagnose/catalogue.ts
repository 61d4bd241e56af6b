/**
 * The catalogue of named mistakes: update rules that ship in real code, each deliberately wrong
 * in one place, with an id, a one-line name, why it is wrong and what it does to training. Each
 * is a rule `diagnose` can fit, and each writes its step out the way the learner's code computed
 * it, so the two traces can be read side by side.
 *
 * @module
 */
import {
  add,
  div,
  eq,
  given,
  k,
  mul,
  type NotationTerm,
  paramName,
  partial,
  pow,
  q,
  sqrt,
  sub,
} from "../optim/notation.ts";
import { at, NOTATION as N, prev as previous, symbol } from "../text/notation.ts";
import type { Equation, StepTrace, TraceFormula } from "../optim/trace.ts";
import type { OptimizerName } from "../optim/registry.ts";
import {
  FIT,
  type FitParam,
  type FlatOptions,
  flatten,
  optimizerStepper,
  type Rule,
  type Stepper,
  unflatten,
} from "./rules.ts";
import { OPTIMIZERS } from "../optim/registry.ts";

const { LR, EPS, WD, BETA1, BETA2 } = FIT;

const MOMENTUM: FitParam = {
  key: "momentum",
  kind: "decay",
  starts: [0.9, 0.5],
  lo: 0.01,
  hi: 0.9999,
};
const WD_PRIMARY: FitParam = {
  key: "weightDecay",
  kind: "scale",
  starts: [0.01, 0.1],
  lo: 1e-5,
  hi: 10,
};
const ADAM_FIT = [LR, BETA1, BETA2, EPS, WD];
const ALPHA: FitParam = { key: "alpha", kind: "decay", starts: [0.99, 0.9], lo: 0.5, hi: 0.99999 };
const RHO: FitParam = { key: "rho", kind: "decay", starts: [0.9, 0.95], lo: 0.5, hi: 0.99999 };

/** The base optimizer's defaults, keeping only `keys`. */
function defaultsOf(base: OptimizerName, keys: string[]): FlatOptions {
  const all = flatten(OPTIMIZERS[base].defaults);
  const out: FlatOptions = {};
  for (const key of keys) out[key] = all[key];
  return out;
}

/** A placeholder term where nothing is written (tracing off). */
const NONE: NotationTerm = k(0);
const alpha = (lr: number) => q(N.lr, lr);
const T_NEXT = symbol("t+1", "t+1", "the next step");
const MU = N.muAt, MUN = at(N.muAt, "t+1"), PI = N.muProduct;

/** One parameter's step as a learner's rule computes it. */
interface ParamCtx {
  i: number;
  theta: number;
  grad: number;
  name: TraceFormula;
  /** ∂L/∂θ as a term. */
  g: NotationTerm;
  lines: Equation[] | undefined;
}

/** Builds a stepper from a per-parameter rule (with per-step shared work and state). */
function learner(
  id: string,
  names: readonly string[],
  o: FlatOptions,
  each: (
    p: ParamCtx,
    t: number,
    shared: Equation[] | undefined,
    grads: readonly number[],
  ) => number,
  begin?: (t: number, shared: Equation[] | undefined) => void,
): Stepper {
  const labels = names.map(paramName);
  let t = 0;
  return {
    step(before, grads, trace) {
      t++;
      const shared: Equation[] | undefined = trace ? [] : undefined;
      begin?.(t, shared);
      const params = before.map((theta, i) => {
        const name = labels[i];
        const d = partial(name);
        const lines: Equation[] | undefined = trace ? [given("gradient", d, grads[i])] : undefined;
        const after = each(
          {
            i,
            theta,
            grad: grads[i],
            name,
            g: trace ? q(d, grads[i]) : NONE,
            lines,
          },
          t,
          shared,
          grads,
        );
        return { label: names[i], before: theta, grad: grads[i], after, equations: lines ?? [] };
      });
      if (!trace) return { after: params.map((p) => p.after) };
      const options: StepTrace["options"] = {};
      for (const [key, v] of Object.entries(unflatten(o))) {
        options[key] = Array.isArray(v) ? [...v] : v as number | boolean;
      }
      const tr: StepTrace = {
        optimizer: `your rule (${id})`,
        step: t,
        lr: o.lr as number,
        options,
        shared: shared ?? [],
        params,
      };
      return { after: params.map((p) => p.after), trace: tr };
    },
  };
}

function update(p: ParamCtx, term: () => NotationTerm, after: number): number {
  p.lines?.push(eq("update", p.name, term(), after, { op: "←", digits: 8 }));
  return after;
}

const theta = (p: ParamCtx) => q(p.name, p.theta);

/** Is `name` a bias (`b`, `b1`, `b_2`, `bias`, `fc1.bias`)? */
export function isBias(name: string): boolean {
  const last = name.split(".").at(-1) ?? name;
  return /^(b|bias)([_\[\d].*)?$/i.test(last);
}

/** The weight a bias belongs with: `b1` → `w1`/`W1`, `fc.bias` → `fc.weight`, else the first weight. */
export function weightFor(name: string, names: readonly string[]): string | undefined {
  const parts = name.split(".");
  const last = parts.pop() ?? name;
  const m = /^(b|bias)(.*)$/i.exec(last);
  if (m) {
    const tries = m[1].length === 1 ? ["w", "W"] : ["weight", "Weight"];
    for (const w of tries) {
      const n = [...parts, w + m[2]].join(".");
      if (names.includes(n)) return n;
    }
  }
  return names.find((n) => !isBias(n) && /^(w|weight)/i.test(n.split(".").at(-1) ?? n));
}

function sgdMistake(
  id: string,
  title: string,
  why: string,
  effect: string,
  formula: string,
  fit: FitParam[],
  keys: string[],
  make: (names: readonly string[], o: FlatOptions) => Stepper,
  extra: Partial<Rule> = {},
): Rule {
  return {
    id,
    kind: "mistake",
    base: "SGD",
    title,
    why,
    effect,
    formula,
    defaults: defaultsOf("SGD", keys),
    fit,
    flags: [],
    create: make,
    ...extra,
  };
}

/** How a learner's Adam differs from PyTorch's. */
interface AdamVariant {
  /** How the moments are bias-corrected. */
  bc: "divide" | "none" | "multiply" | "first-only" | "second-only";
  /** The step counter starts at 0 (1 − β⁰ = 0 on the first step). */
  t0?: boolean;
  /** ε inside the square root. */
  epsInside?: boolean;
  /** Weight decay added to the gradient (l2) or decoupled (AdamW). */
  decay: "l2" | "decoupled";
}

function learnerAdam(id: string, variant: AdamVariant) {
  return (names: readonly string[], o: FlatOptions): Stepper => {
    const m = names.map(() => 0), v = names.map(() => 0);
    const b1 = o.beta1 as number, b2 = o.beta2 as number, lr = o.lr as number;
    const eps = o.eps as number, wd = o.weightDecay as number;
    const B1 = q(N.beta1, b1), B2 = q(N.beta2, b2);
    let bc1 = 1, bc2 = 1;
    const begin = (t: number, shared: Equation[] | undefined) => {
      const te = variant.t0 ? t - 1 : t;
      bc1 = 1 - b1 ** te;
      bc2 = 1 - b2 ** te;
      if (shared && variant.bc !== "none") {
        const tt = q(N.t, te);
        shared.push(
          eq("state", N.bc1, sub(k(1), pow(B1, tt)), bc1),
          eq("state", N.bc2, sub(k(1), pow(B2, tt)), bc2),
        );
      }
    };
    return learner(id, names, o, (p) => {
      let th = p.theta;
      let g = p.grad;
      let gt = p.g;
      if (wd !== 0 && variant.decay === "l2") {
        g = g + wd * th;
        const rule = add(p.g, mul(q(N.weightDecay, wd), theta(p)));
        p.lines?.push(eq("gradient", N.g, rule, g));
        if (p.lines) gt = q(N.g, g);
      } else if (wd !== 0) {
        const after = th * (1 - lr * wd);
        p.lines?.push(
          eq(
            "decay",
            p.name,
            mul(theta(p), sub(k(1), mul(alpha(lr), q(N.weightDecay, wd)))),
            after,
            {
              op: "←",
              digits: 8,
            },
          ),
        );
        th = after;
      }
      const pm = m[p.i], pv = v[p.i];
      m[p.i] = b1 * pm + (1 - b1) * g;
      v[p.i] = b2 * pv + (1 - b2) * g * g;
      p.lines?.push(
        eq("state", N.m, add(mul(B1, q(previous(N.m), pm)), mul(sub(k(1), B1), gt)), m[p.i]),
        eq(
          "state",
          N.v,
          add(mul(B2, q(previous(N.v), pv)), mul(sub(k(1), B2), pow(gt, k(2)))),
          v[p.i],
        ),
      );
      let mh = m[p.i], vh = v[p.i];
      const T = p.lines !== undefined;
      let mT = T ? q(N.m, mh) : NONE, vT = T ? q(N.v, vh) : NONE;
      const fix = (which: "m" | "v", how: "divide" | "multiply") => {
        const raw = which === "m" ? m[p.i] : v[p.i];
        const bc = which === "m" ? bc1 : bc2;
        const value = how === "divide" ? raw / bc : raw * bc;
        const op = how === "divide" ? div : mul;
        const hat = which === "m" ? N.mHat : N.vHat;
        p.lines?.push(
          eq(
            "state",
            hat,
            op(q(which === "m" ? N.m : N.v, raw), q(which === "m" ? N.bc1 : N.bc2, bc)),
            value,
          ),
        );
        if (which === "m") {
          mh = value;
          if (T) mT = q(N.mHat, value);
        } else {
          vh = value;
          if (T) vT = q(N.vHat, value);
        }
      };
      if (variant.bc === "divide" || variant.bc === "first-only") fix("m", "divide");
      if (variant.bc === "divide" || variant.bc === "second-only") fix("v", "divide");
      if (variant.bc === "multiply") {
        fix("m", "multiply");
        fix("v", "multiply");
      }
      const denom = variant.epsInside ? Math.sqrt(vh + eps) : Math.sqrt(vh) + eps;
      const after = th - lr * mh / denom;
      return update(
        p,
        () => {
          const E = q(N.eps, eps);
          const before = q(p.name, th);
          return sub(
            before,
            mul(alpha(lr), div(mT, variant.epsInside ? sqrt(add(vT, E)) : add(sqrt(vT), E))),
          );
        },
        after,
      );
    }, begin);
  };
}

function adamMistake(
  id: string,
  base: OptimizerName,
  title: string,
  why: string,
  effect: string,
  formula: string,
  make: (names: readonly string[], o: FlatOptions) => Stepper,
  fit: FitParam[] = ADAM_FIT,
): Rule {
  return {
    id,
    kind: "mistake",
    base,
    title,
    why,
    effect,
    formula,
    defaults: defaultsOf(base, ["lr", "beta1", "beta2", "eps", "weightDecay"]),
    fit,
    flags: [],
    create: make,
  };
}

function squares(
  id: string,
  names: readonly string[],
  o: FlatOptions,
  noSqrt: boolean,
  epsInside: boolean,
) {
  const v = names.map(() => 0);
  const a = o.alpha as number, lr = o.lr as number, eps = o.eps as number;
  const R = q(N.rho, a), E = q(N.eps, eps);
  return learner(id, names, o, (p) => {
    const pv = v[p.i];
    v[p.i] = a * pv + (1 - a) * p.grad * p.grad;
    p.lines?.push(
      eq(
        "state",
        N.v,
        add(mul(R, q(previous(N.v), pv)), mul(sub(k(1), R), pow(p.g, k(2)))),
        v[p.i],
      ),
    );
    const denom = noSqrt
      ? v[p.i] + eps
      : epsInside
      ? Math.sqrt(v[p.i] + eps)
      : Math.sqrt(v[p.i]) + eps;
    return update(p, () => {
      const vt = q(N.v, v[p.i]);
      return sub(theta(p), mul(alpha(lr), div(p.g, noSqrt ? add(vt, E) : sqrt(add(vt, E)))));
    }, p.theta - lr * p.grad / denom);
  });
}

/** Every catalogued mistake, in the order `diagnose --list` prints them. */
export const MISTAKES: readonly Rule[] = [
  sgdMistake(
    "gradient-added",
    "the gradient is added instead of subtracted (θ ← θ + α·g)",
    "the gradient points uphill; descent subtracts it",
    "the loss grows at every step: gradient ascent",
    "θ ← θ + α·g",
    [LR],
    ["lr"],
    (names, o) =>
      learner(
        "gradient-added",
        names,
        o,
        (p) =>
          update(
            p,
            () => add(theta(p), mul(alpha(o.lr as number), p.g)),
            p.theta + (o.lr as number) * p.grad,
          ),
      ),
  ),
  sgdMistake(
    "gradient-multiplied",
    "the parameter is multiplied by the step (θ ← θ·α·g, *= where −= was meant)",
    "the update is a difference, θ − α·g; multiplying throws θ away and keeps only α·g·θ",
    "the parameters collapse towards 0 (or blow up) within a few steps",
    "θ ← θ·α·g",
    [LR],
    ["lr"],
    (names, o) =>
      learner(
        "gradient-multiplied",
        names,
        o,
        (p) =>
          update(
            p,
            () => mul(theta(p), mul(alpha(o.lr as number), p.g)),
            p.theta * ((o.lr as number) * p.grad),
          ),
      ),
  ),
  sgdMistake(
    "bias-updated-with-dw",
    "the bias is updated with the weight's gradient (b ← b − α·∂L/∂w)",
    "each parameter must move along its own partial derivative; db, not dW",
    "the bias drifts with the weight's slope and the loss stalls above its minimum",
    "b ← b − α·∂L/∂w",
    [LR],
    ["lr"],
    (names, o) => {
      const src = names.map((n, i) => isBias(n) ? names.indexOf(weightFor(n, names) ?? n) : i);
      const lr = o.lr as number;
      return learner("bias-updated-with-dw", names, o, (p, _t, _s, grads) => {
        const j = src[p.i];
        if (j === p.i) {
          return update(p, () => sub(theta(p), mul(alpha(lr), p.g)), p.theta - lr * p.grad);
        }
        const d = partial(paramName(names[j]));
        return update(
          p,
          () => sub(theta(p), mul(alpha(lr), q(d, grads[j]))),
          p.theta - lr * grads[j],
        );
      });
    },
    {
      inapplicable: (names) =>
        names.some((n) => isBias(n) && weightFor(n, names) !== undefined)
          ? undefined
          : "no parameter is named like a bias (b, b1, bias) next to a weight (w, w1, weight)",
    },
  ),
  sgdMistake(
    "lr-applied-twice",
    "the learning rate is applied twice (θ ← θ − α·α·g)",
    "the step is α·g; scaling the gradient by α and then the update by α again gives α²·g",
    "with α < 1 the steps are far too small and training crawls; a larger α cannot be found by tuning",
    "θ ← θ − α²·g",
    [LR],
    ["lr"],
    (names, o) => {
      const lr = o.lr as number;
      return learner(
        "lr-applied-twice",
        names,
        o,
        (p) =>
          update(
            p,
            () => sub(theta(p), mul(alpha(lr), mul(alpha(lr), p.g))),
            p.theta - lr * (lr * p.grad),
          ),
      );
    },
  ),
  sgdMistake(
    "grads-not-zeroed",
    "gradients are never zeroed, so they accumulate across steps (θ ← θ − α·Σg)",
    "backward() adds into .grad; without zero_grad() each step uses the sum of every gradient so far",
    "old gradients keep pushing: the run overshoots and oscillates like momentum 1 that never forgets",
    "Gₜ = Gₜ₋₁ + gₜ, θ ← θ − α·Gₜ",
    [LR],
    ["lr"],
    (names, o) => {
      const acc = names.map(() => 0);
      const lr = o.lr as number;
      return learner("grads-not-zeroed", names, o, (p) => {
        const prev = acc[p.i];
        acc[p.i] = prev + p.grad;
        p.lines?.push(eq("state", N.gradSum, add(q(previous(N.gradSum), prev), p.g), acc[p.i]));
        return update(
          p,
          () => sub(theta(p), mul(alpha(lr), q(N.gradSum, acc[p.i]))),
          p.theta - lr * acc[p.i],
        );
      });
    },
  ),
  sgdMistake(
    "momentum-buffer-zero-start",
    "the momentum buffer starts at 0, so the first step is damped (m₁ = (1 − τ)·g)",
    "PyTorch starts the buffer at the first gradient, m₁ = g; starting at 0 and damping shrinks the early steps",
    "the first steps are (1 − τ) times too short: with the average form m ← μm + (1 − μ)g, ten times too short at μ = 0.9",
    "m₀ = 0, m ← μm + (1 − τ)g, θ ← θ − α·m",
    [LR, MOMENTUM, { key: "dampening", kind: "decay", starts: [0.9, 0.5], lo: 0, hi: 1 }],
    ["lr", "momentum", "dampening"],
    (names, o) => {
      const buf = names.map(() => 0);
      const lr = o.lr as number, mu = o.momentum as number, tau = o.dampening as number;
      const M = q(N.momentum, mu), T = q(N.dampening, tau);
      return learner("momentum-buffer-zero-start", names, o, (p) => {
        const prev = buf[p.i];
        buf[p.i] = mu * prev + (1 - tau) * p.grad;
        p.lines?.push(
          eq(
            "state",
            N.m,
            add(mul(M, q(previous(N.m), prev)), mul(sub(k(1), T), p.g)),
            buf[p.i],
          ),
        );
        return update(
          p,
          () => sub(theta(p), mul(alpha(lr), q(N.m, buf[p.i]))),
          p.theta - lr * buf[p.i],
        );
      });
    },
  ),
  sgdMistake(
    "nesterov-wrong-lookahead",
    "Nesterov's look-ahead without the gradient (n = μ·mₜ instead of g + μ·mₜ)",
    "Nesterov steps along the gradient plus the look-ahead, g + μ·mₜ; μ·mₜ alone drops this step's gradient from the step",
    "every step is μ times a plain momentum step: shorter than Nesterov's by α·g, and it reacts one step late",
    "mₜ = μmₜ₋₁ + g, θ ← θ − α·μ·mₜ",
    [LR, MOMENTUM],
    ["lr", "momentum"],
    (names, o) => {
      const buf = names.map(() => 0);
      const lr = o.lr as number, mu = o.momentum as number;
      const M = q(N.momentum, mu);
      return learner("nesterov-wrong-lookahead", names, o, (p, t) => {
        const prev = buf[p.i];
        buf[p.i] = t === 1 ? p.grad : mu * prev + p.grad;
        p.lines?.push(
          t === 1
            ? eq("state", N.m, p.g, buf[p.i])
            : eq("state", N.m, add(mul(M, q(previous(N.m), prev)), p.g), buf[p.i]),
        );
        const d = mu * buf[p.i];
        p.lines?.push(eq("state", N.n, mul(M, q(N.m, buf[p.i])), d));
        return update(p, () => sub(theta(p), mul(alpha(lr), q(N.n, d))), p.theta - lr * d);
      });
    },
  ),
  {
    id: "rmsprop-no-sqrt",
    kind: "mistake",
    base: "RMSprop",
    title: "RMSprop divides by v instead of √v (θ ← θ − α·g/(v + ε))",
    why: "v averages g², so √v has the gradient's units; dividing by v leaves a step of 1/g",
    effect: "small gradients give huge steps and large ones tiny steps: the run stalls or explodes",
    formula: "θ ← θ − α·g/(v + ε)",
    defaults: defaultsOf("RMSprop", ["lr", "alpha", "eps"]),
    fit: [LR, ALPHA, EPS],
    flags: [],
    create: (names, o) => squares("rmsprop-no-sqrt", names, o, true, false),
  },
  {
    id: "eps-inside-sqrt",
    kind: "mistake",
    base: "RMSprop",
    title: "ε inside the square root (θ ← θ − α·g/√(v + ε))",
    why: "PyTorch adds ε after the root (√v + ε); inside it acts like √ε, a much larger floor",
    effect: "where gradients are small the steps are capped far below what PyTorch takes",
    formula: "θ ← θ − α·g/√(v + ε)",
    defaults: defaultsOf("RMSprop", ["lr", "alpha", "eps"]),
    fit: [LR, ALPHA, { ...EPS, secondary: false, lo: 1e-12 }],
    flags: [],
    create: (names, o) => squares("eps-inside-sqrt", names, o, false, true),
  },
  adamMistake(
    "eps-inside-sqrt",
    "Adam",
    "ε inside the square root (θ ← θ − α·m̂/√(v̂ + ε))",
    "PyTorch adds ε after the root (√v̂ + ε); inside it acts like √ε, a much larger floor",
    "where gradients are small the steps are capped far below what PyTorch takes",
    "θ ← θ − α·m̂/√(v̂ + ε)",
    learnerAdam("eps-inside-sqrt", { bc: "divide", epsInside: true, decay: "l2" }),
    [LR, BETA1, BETA2, { ...EPS, secondary: false, lo: 1e-12 }, WD],
  ),
  adamMistake(
    "adam-no-bias-correction",
    "Adam",
    "Adam without bias correction (θ ← θ − α·m/(√v + ε))",
    "m and v start at 0, so early on they are too small by 1 − βᵗ; Adam divides that out",
    "the first steps are the wrong size: with β₁ = 0.9, β₂ = 0.999 the first step is about 3 times the size Adam takes (0.1/√0.001)",
    "θ ← θ − α·m/(√v + ε)",
    learnerAdam("adam-no-bias-correction", { bc: "none", decay: "l2" }),
  ),
  adamMistake(
    "adam-bias-correction-multiplied",
    "Adam",
    "bias correction multiplied instead of divided (m̂ = m·(1 − β₁ᵗ))",
    "the correction undoes the zero start by dividing by 1 − βᵗ; multiplying shrinks m and v further instead, v far more than m",
    "the step is (1 − β₁ᵗ)²/(1 − β₂ᵗ) times Adam's: with the usual betas far too large for hundreds of steps, so training jumps about and Adam looks worse than it is (a browser library shipped this for years)",
    "m̂ = m·(1 − β₁ᵗ), v̂ = v·(1 − β₂ᵗ)",
    learnerAdam("adam-bias-correction-multiplied", { bc: "multiply", decay: "l2" }),
  ),
  adamMistake(
    "adam-step-from-zero",
    "Adam",
    "the step counter starts at 0 (1 − β⁰ = 0 on the first step)",
    "t counts steps taken, 1 on the first; with t = 0 the bias corrections are 1 − β⁰ = 0",
    "m̂ = m/0: the first step divides by zero and every parameter becomes NaN",
    "m̂ = m/(1 − β₁ᵗ⁻¹), v̂ = v/(1 − β₂ᵗ⁻¹)",
    learnerAdam("adam-step-from-zero", { bc: "divide", t0: true, decay: "l2" }),
  ),
  adamMistake(
    "adam-bias-correction-on-one-moment",
    "Adam",
    "only the first moment is bias-corrected (m̂ = m/(1 − β₁ᵗ), v̂ = v)",
    "both moments start at 0; correcting one and not the other mis-scales the step",
    "the early steps are far too large (v is tiny and uncorrected), then settle as 1 − β₂ᵗ → 1",
    "m̂ = m/(1 − β₁ᵗ), v̂ = v",
    learnerAdam("adam-bias-correction-on-one-moment", { bc: "first-only", decay: "l2" }),
  ),
  adamMistake(
    "adam-bias-correction-on-one-moment",
    "Adam",
    "only the second moment is bias-corrected (m̂ = m, v̂ = v/(1 − β₂ᵗ))",
    "both moments start at 0; correcting one and not the other mis-scales the step",
    "the early steps are too small by 1 − β₁ᵗ (ten times at the first step with β₁ = 0.9)",
    "m̂ = m, v̂ = v/(1 − β₂ᵗ)",
    learnerAdam("adam-bias-correction-on-one-moment", { bc: "second-only", decay: "l2" }),
  ),
  {
    ...adamMistake(
      "adamw-as-l2",
      "AdamW",
      "AdamW written as Adam with L2 (λθ added to the gradient)",
      "AdamW decouples the decay, θ ← θ(1 − αλ); added to g, the decay is rescaled by Adam's 1/√v̂",
      "parameters with large gradients are barely regularized: this is Adam with L2, not AdamW",
      "g ← g + λθ, then Adam",
      (names, o) => {
        const s = optimizerStepper("Adam", names, o);
        return {
          step(before, grads, trace) {
            const r = s.step(before, grads, trace);
            if (r.trace) r.trace.optimizer = "your rule (adamw-as-l2)";
            return r;
          },
        };
      },
      [LR, BETA1, BETA2, EPS, WD_PRIMARY],
    ),
    defaults: defaultsOf("AdamW", ["lr", "beta1", "beta2", "eps", "weightDecay"]),
  },
  {
    ...adamMistake(
      "weight-decay-after-step",
      "AdamW",
      "decoupled weight decay applied after the step, to the new θ",
      "AdamW decays the parameter as it was before the step: θ ← θ(1 − αλ) − α·m̂/(√v̂ + ε)",
      "an extra α²λ·step term each step; small, but it is not the published rule",
      "θ ← (θ − α·m̂/(√v̂ + ε))·(1 − αλ)",
      (names, o) => {
        const s = optimizerStepper("Adam", names, { ...o, weightDecay: 0 });
        const lr = o.lr as number, wd = o.weightDecay as number;
        const labels = names.map(paramName);
        return {
          step(before, grads, trace) {
            const r = s.step(before, grads, trace);
            const after = r.after.map((x) => x * (1 - lr * wd));
            if (r.trace) {
              r.trace.optimizer = "your rule (weight-decay-after-step)";
              r.trace.options.weightDecay = wd;
              r.trace.params.forEach((p, i) => {
                p.equations.push(
                  eq(
                    "decay",
                    labels[i],
                    mul(
                      q(labels[i], r.after[i]),
                      sub(k(1), mul(alpha(lr), q(N.weightDecay, wd))),
                    ),
                    after[i],
                    { op: "←", digits: 8 },
                  ),
                );
                p.after = after[i];
              });
            }
            return { after, trace: r.trace };
          },
        };
      },
      [LR, BETA1, BETA2, EPS, WD_PRIMARY],
    ),
    defaults: defaultsOf("AdamW", ["lr", "beta1", "beta2", "eps", "weightDecay"]),
  },
  adamMistake(
    "adamw-no-bias-correction",
    "AdamW",
    "AdamW without bias correction (θ ← θ(1 − αλ) − α·m/(√v + ε))",
    "m and v start at 0, so early on they are too small by 1 − βᵗ; AdamW divides that out as Adam does",
    "the first steps are the wrong size (a teaching autograd and a major array framework shipped this)",
    "θ ← θ(1 − αλ) − α·m/(√v + ε)",
    learnerAdam("adamw-no-bias-correction", { bc: "none", decay: "decoupled" }),
    [LR, BETA1, BETA2, EPS, WD_PRIMARY],
  ),
  {
    id: "adagrad-no-accumulation",
    kind: "mistake",
    base: "Adagrad",
    title: "Adagrad without accumulation (s = g² instead of s ← s + g²)",
    why:
      "Adagrad's denominator is the sum of every squared gradient so far; without the sum it is |g|",
    effect:
      "every step is α·sign(g): the step never shrinks, and the run rattles around the minimum",
    formula: "s = g², θ ← θ − α·g/(√s + ε)",
    defaults: defaultsOf("Adagrad", ["lr", "eps"]),
    fit: [LR, EPS],
    flags: [],
    create: (names, o) => {
      const lr = o.lr as number, eps = o.eps as number;
      return learner("adagrad-no-accumulation", names, o, (p) => {
        const s = p.grad * p.grad;
        p.lines?.push(eq("state", N.s, pow(p.g, k(2)), s));
        return update(
          p,
          () =>
            sub(
              theta(p),
              mul(alpha(lr), div(p.g, add(sqrt(q(N.s, s)), q(N.eps, eps)))),
            ),
          p.theta - lr * p.grad / (Math.sqrt(s) + eps),
        );
      });
    },
  },
  {
    id: "adadelta-swapped-accumulators",
    kind: "mistake",
    base: "Adadelta",
    title: "Adadelta with its accumulators swapped (Δ = √(v + ε)/√(q + ε)·g)",
    why:
      "the step is RMS of past updates over RMS of gradients, √(q + ε)/√(v + ε); swapped, it divides by ~√ε",
    effect: "the first step is about |g|/√ε times too large: the run explodes at once",
    formula: "Δ = √(v + ε)/√(q + ε)·g",
    defaults: defaultsOf("Adadelta", ["lr", "rho", "eps"]),
    fit: [LR, RHO, EPS],
    flags: [],
    create: (names, o) => {
      const v = names.map(() => 0), u = names.map(() => 0);
      const lr = o.lr as number, rho = o.rho as number, eps = o.eps as number;
      const R = q(N.rho, rho), E = q(N.eps, eps);
      return learner("adadelta-swapped-accumulators", names, o, (p) => {
        const pv = v[p.i], pu = u[p.i];
        v[p.i] = rho * pv + (1 - rho) * p.grad * p.grad;
        p.lines?.push(
          eq(
            "state",
            N.v,
            add(mul(R, q(previous(N.v), pv)), mul(sub(k(1), R), pow(p.g, k(2)))),
            v[p.i],
          ),
        );
        const delta = Math.sqrt(v[p.i] + eps) / Math.sqrt(pu + eps) * p.grad;
        p.lines?.push(
          eq(
            "state",
            N.delta,
            mul(div(sqrt(add(q(N.v, v[p.i]), E)), sqrt(add(q(previous(N.q), pu), E))), p.g),
            delta,
          ),
        );
        u[p.i] = rho * pu + (1 - rho) * delta * delta;
        p.lines?.push(
          eq(
            "state",
            N.q,
            add(mul(R, q(previous(N.q), pu)), mul(sub(k(1), R), pow(q(N.delta, delta), k(2)))),
            u[p.i],
          ),
        );
        return update(
          p,
          () => sub(theta(p), mul(alpha(lr), q(N.delta, delta))),
          p.theta - lr * delta,
        );
      });
    },
  },
  {
    id: "nadam-momentum-product-twice",
    kind: "mistake",
    base: "NAdam",
    title: "NAdam with μₜ multiplied into the second product twice (PyTorch 1.13)",
    why:
      "the momentum term's correction is 1 − Πₜ·μₜ₊₁ with Πₜ already holding μₜ; 1.13 multiplied μₜ in again",
    effect: "the momentum part of each step is slightly too large; PyTorch 2.0 fixed it",
    formula: "θ ← θ − α(1 − μₜ)/(1 − Πₜ)·g/d − α·μₜ₊₁/(1 − Πₜ·μₜ·μₜ₊₁)·m/d",
    defaults: defaultsOf("NAdam", ["lr", "beta1", "beta2", "eps", "weightDecay", "momentumDecay"]),
    fit: [LR, BETA1, BETA2, EPS, WD, {
      key: "momentumDecay",
      kind: "scale",
      starts: [4e-3],
      secondary: true,
      lo: 1e-6,
      hi: 1,
    }],
    flags: [],
    create: (names, o) => {
      const m = names.map(() => 0), v = names.map(() => 0);
      const b1 = o.beta1 as number, b2 = o.beta2 as number, lr = o.lr as number;
      const eps = o.eps as number, wd = o.weightDecay as number, psi = o.momentumDecay as number;
      let prod = 1, mu = 0, muNext = 0, bc2 = 1;
      const B1 = q(N.beta1, b1), B2 = q(N.beta2, b2);
      return learner("nadam-momentum-product-twice", names, o, (p) => {
        const g = p.grad + wd * p.theta;
        const pm = m[p.i], pv = v[p.i];
        m[p.i] = b1 * pm + (1 - b1) * g;
        v[p.i] = b2 * pv + (1 - b2) * g * g;
        const gt = wd === 0 || !p.lines ? p.g : q(N.g, g);
        p.lines?.push(
          eq("state", N.m, add(mul(B1, q(previous(N.m), pm)), mul(sub(k(1), B1), gt)), m[p.i]),
          eq(
            "state",
            N.v,
            add(mul(B2, q(previous(N.v), pv)), mul(sub(k(1), B2), pow(gt, k(2)))),
            v[p.i],
          ),
        );
        const denom = Math.sqrt(v[p.i] / bc2) + eps;
        const twice = prod * mu * muNext;
        const mid = p.theta - lr * (1 - mu) / (1 - prod) * g / denom;
        const after = mid - lr * muNext / (1 - twice) * m[p.i] / denom;
        const d = () => q(N.n, denom);
        const second = () =>
          mul(
            div(
              mul(alpha(lr), q(MUN, muNext)),
              sub(k(1), mul(mul(q(PI, prod), q(MU, mu)), q(MUN, muNext))),
            ),
            div(q(N.m, m[p.i]), d()),
          );
        const first = () =>
          mul(div(mul(alpha(lr), sub(k(1), q(MU, mu))), sub(k(1), q(PI, prod))), div(gt, d()));
        p.lines?.push(eq("update", p.name, sub(theta(p), first()), mid, { op: "←", digits: 8 }));
        return update(p, () => sub(q(p.name, mid), second()), after);
      }, (t, shared) => {
        bc2 = 1 - b2 ** t;
        mu = b1 * (1 - 0.5 * 0.96 ** (t * psi));
        muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
        prod *= mu;
        shared?.push(
          eq("state", N.bc2, sub(k(1), pow(B2, q(N.t, t))), bc2),
          {
            ...eq(
              "state",
              MU,
              mul(
                B1,
                sub(k(1), mul(k(0.5), pow(k(0.96), mul(q(N.t, t), q(N.momentumDecay, psi))))),
              ),
              mu,
            ),
          },
          eq(
            "state",
            MUN,
            mul(
              B1,
              sub(
                k(1),
                mul(k(0.5), pow(k(0.96), mul(q(T_NEXT, t + 1), q(N.momentumDecay, psi)))),
              ),
            ),
            muNext,
          ),
          eq("state", PI, mul(q(previous(PI), prod / mu), q(MU, mu)), prod),
        );
      });
    },
  },
];

/** The distinct mistake ids, in catalogue order. */
export const MISTAKE_IDS: readonly string[] = [...new Set(MISTAKES.map((m) => m.id))];

/** A catalogued mistake as a reader sees it. */
export interface MistakeInfo {
  /** Its id (`"bias-with-weight-grad"`). */
  id: string;
  /** One line: what the rule does. */
  title: string;
  /** Why it is wrong. */
  why: string;
  /** What it does to training. */
  effect: string;
  /** The update as the mistaken rule computes it, in Unicode text. */
  formula: string;
}

/**
 * What the catalogue says of a mistake; a `RangeError` naming the known ids for any other id.
 *
 * @example
 * ```ts
 * import { MISTAKE_IDS, mistakeInfo } from "./catalogue.ts";
 * import assert from "node:assert/strict";
 * const info = mistakeInfo(MISTAKE_IDS[0]);
 * assert.equal(info.id, MISTAKE_IDS[0]);
 * assert.throws(() => mistakeInfo("no-such-slip"), RangeError);
 * ```
 */
export function mistakeInfo(id: string): MistakeInfo {
  const m = MISTAKES.find((x) => x.id === id);
  if (!m) {
    throw new RangeError(`no catalogued mistake "${id}" (known: ${MISTAKE_IDS.join(", ")})`);
  }
  return { id: m.id, title: m.title, why: m.why, effect: m.effect, formula: m.formula };
}
