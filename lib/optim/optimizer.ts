/**
 * The shared base of every optimizer: options checked as PyTorch checks them, per-parameter
 * state, `zeroGrad`, and the step loop that builds the trace.
 *
 * @module
 */
import { Value } from "../graph/value.ts";
import { digitsToDistinguish } from "../text/format.ts";
import { NOTATION as N, prev } from "../text/notation.ts";
import {
  add,
  eq,
  given,
  k,
  mul,
  neg,
  type NotationTerm,
  paramName,
  partial,
  pow,
  q,
  sub,
} from "./notation.ts";
import type { Equation, ParamStep, StepTrace, TraceFormula } from "./trace.ts";
import { withDisplay } from "../graph/display.ts";

/** An option value: a number, a flag, or a pair such as `betas`. */
export type OptionValue = number | boolean | readonly [number, number];

/** Options for {@linkcode Optimizer.step}. */
export interface StepOptions {
  /** Build the equations (default true); false keeps long runs fast (the numbers stay exact). */
  trace?: boolean;
}

/**
 * Where a step writes its equations: a list when tracing, nowhere when not. Rules are passed as
 * functions, built only when tracing, so long untraced runs stay fast.
 */
export class TraceLines {
  /** The equations so far, or `undefined` when tracing is off. */
  readonly lines: Equation[] | undefined;

  /** Writes into `lines` (none when `undefined`). */
  constructor(lines: Equation[] | undefined) {
    this.lines = lines;
  }

  /** `sym = rule = substituted = value`, a quantity the step computes (with an optional note). */
  state(sym: TraceFormula, rule: () => NotationTerm, value: number, note?: TraceFormula): void {
    if (!this.lines) return;
    const line = eq("state", sym, rule(), value);
    this.lines.push(note ? { ...line, note: { tex: note.tex, text: note.text } } : line);
  }
}

/** What an optimizer's update sees for one parameter on one step, and where it writes. */
export class ParamContext extends TraceLines {
  /** Index of the parameter. */
  readonly index: number;
  /** The step number t (1 on the first step). */
  readonly t: number;
  /** The learning rate for this step. */
  readonly lr: number;
  /** The parameter's name in both spellings. */
  readonly name: TraceFormula;

  /** One parameter's context. */
  constructor(
    index: number,
    t: number,
    lr: number,
    name: TraceFormula,
    lines: Equation[] | undefined,
  ) {
    super(lines);
    this.index = index;
    this.t = t;
    this.lr = lr;
    this.name = name;
  }

  /** The parameter as a term (its name, substituted by `value`). */
  theta(value: number, digits = 6): NotationTerm {
    return q(this.name, value, digits);
  }

  /** Writes `θ ← θ − step = … = after`, showing enough digits to see the change. */
  update(before: number, step: () => NotationTerm, after: number): void {
    if (!this.lines) return;
    const digits = digitsToDistinguish(before, after);
    this.lines.push(
      eq("update", this.name, sub(this.theta(before, digits), step()), after, { op: "←", digits }),
    );
  }
}

/** Rejects an option value with a message naming the option, the value and what was expected. */
export function invalid(optimizer: string, name: string, value: unknown, expected: string): never {
  const shown = Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
  throw new RangeError(`${optimizer}: invalid ${name} ${shown}: ${expected}`);
}

/**
 * Merges user options into defaults, rejecting unknown names and values of the wrong kind
 * (`TypeError`). Range checks are each optimizer's own.
 */
export function mergeOptions<O extends object>(
  optimizer: string,
  defaults: O,
  given: Partial<O> | undefined,
): O {
  const out = { ...defaults } as Record<string, OptionValue>;
  const base = defaults as Record<string, OptionValue>;
  if (given === undefined) return out as O;
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new TypeError(`${optimizer}: options must be an object, got ${String(given)}`);
  }
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!(key in defaults)) {
      throw new TypeError(
        `${optimizer}: unknown option "${key}"; expected one of ${
          Object.keys(defaults).join(", ")
        }`,
      );
    }
    const want = base[key];
    if (typeof want === "boolean") {
      if (typeof value !== "boolean") {
        throw new TypeError(`${optimizer}: option ${key} must be true or false, got ${value}`);
      }
    } else if (typeof want === "number") {
      if (typeof value !== "number") {
        throw new TypeError(`${optimizer}: option ${key} must be a number, got ${typeof value}`);
      }
      if (!Number.isFinite(value)) invalid(optimizer, key, value, "expected a finite number");
    } else {
      if (
        !Array.isArray(value) || value.length !== 2 ||
        value.some((v) => typeof v !== "number")
      ) {
        throw new TypeError(`${optimizer}: option ${key} must be a pair of numbers [b1, b2]`);
      }
      if (value.some((v) => !Number.isFinite(v))) {
        invalid(optimizer, key, value, "expected finite numbers");
      }
      out[key] = [value[0], value[1]] as const;
      continue;
    }
    out[key] = value;
  }
  return out as O;
}

/** Checks `value ≥ 0`, as PyTorch does for lr, eps, weightDecay, momentum, … */
export function atLeastZero(optimizer: string, name: string, value: number): void {
  if (!(value >= 0)) invalid(optimizer, name, value, "must be ≥ 0");
}

/** Checks both betas are in [0, 1), as PyTorch does. */
export function checkBetas(optimizer: string, betas: readonly [number, number]): void {
  betas.forEach((b, i) => {
    if (!(b >= 0 && b < 1)) {
      invalid(
        optimizer,
        `betas[${i}]`,
        b,
        `each beta must be in [0, 1) (betas [${betas.join(", ")}])`,
      );
    }
  });
}

/** PyTorch's `lerp_` on CPU: `a + w·(b − a)` for |w| < 0.5, else `b − (b − a)·(1 − w)`. */
export function lerp(a: number, b: number, w: number): number {
  return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}

/**
 * The running mean of squared gradients shared by RMSprop and Adadelta,
 * `vₜ = ρ·vₜ₋₁ + (1 − ρ)·gₜ²`, computed in PyTorch's order and written to the trace.
 */
export function squareAverage(
  ctx: ParamContext,
  rho: number,
  prevV: number,
  g: number,
  gt: NotationTerm,
): number {
  const v = prevV * rho + (1 - rho) * g * g;
  const R = q(N.rho, rho);
  ctx.state(N.v, () => add(mul(R, q(prev(N.v), prevV)), mul(sub(k(1), R), pow(gt, k(2)))), v);
  return v;
}

/**
 * The base of every optimizer. Subclasses implement {@linkcode Optimizer.update} for one
 * parameter, in PyTorch's order of floating-point operations, and write their equations through
 * the {@linkcode ParamContext}.
 */
export abstract class Optimizer<O extends { lr: number }> {
  /** The optimizer's name, as PyTorch spells it (`"Adam"`). */
  readonly name: string;
  /** The parameters, in order. */
  readonly params: readonly Value[];
  /** The labels the trace uses (`p1`, `p2`, … for unlabelled parameters). */
  readonly labels: readonly string[];
  /** The options in effect (defaults filled in). */
  readonly options: Readonly<O>;
  /** The learning rate the next step uses; schedulers change it. */
  lr: number;
  /** The learning rate given at construction (a scheduler's base). */
  readonly initialLr: number;
  /** Steps taken so far. */
  stepCount = 0;
  private readonly names: readonly TraceFormula[];

  /** Checks the parameters and merges the options (subclasses then check ranges). */
  constructor(name: string, params: Value[], defaults: O, options: Partial<O> | undefined) {
    this.name = name;
    if (!Array.isArray(params)) {
      throw new TypeError(`${name}: params must be an array of Value, got ${typeof params}`);
    }
    if (params.length === 0) throw new RangeError(`${name}: got an empty parameter list`);
    params.forEach((p, i) => {
      if (!(p instanceof Value)) {
        throw new TypeError(`${name}: params[${i}] is not a Value`);
      }
    });
    if (new Set(params).size !== params.length) {
      throw new RangeError(`${name}: a parameter appears more than once in the list`);
    }
    this.params = [...params];
    this.labels = params.map((p, i) => p.label || `p${i + 1}`);
    this.names = this.labels.map(paramName);
    this.options = Object.freeze(mergeOptions(name, defaults, options));
    const lr = this.options.lr;
    atLeastZero(name, "lr", lr);
    this.lr = lr;
    this.initialLr = lr;
  }

  /** Checks that each named option is ≥ 0, as PyTorch does. */
  protected atLeastZero(...names: (keyof O & string)[]): void {
    for (const key of names) atLeastZero(this.name, key, this.options[key] as number);
  }

  /** Rejects an option's value (see {@linkcode invalid}). */
  protected invalid(name: keyof O & string, value: unknown, expected: string): never {
    return invalid(this.name, name, value, expected);
  }

  /** Per-parameter state: one number per parameter, each starting at `initial`. */
  protected perParam<T = number>(initial: T): T[] {
    return this.params.map(() => initial);
  }

  /** Sets every parameter's `.grad` to 0. */
  zeroGrad(): void {
    for (const p of this.params) p.grad = 0;
  }

  /**
   * One step: reads each parameter's `.grad`, updates its `.data`, and returns what it did.
   */
  step(options: StepOptions = {}): StepTrace {
    const tracing = options.trace ?? true;
    const t = ++this.stepCount;
    const lr = this.lr;
    const shared: Equation[] = [];
    this.beginStep(t, lr, new TraceLines(tracing ? shared : undefined));
    const params: ParamStep[] = this.params.map((p, index) => {
      const before = p.data;
      const grad = p.grad;
      const lines = tracing ? [] as Equation[] : undefined;
      const ctx = new ParamContext(index, t, lr, this.names[index], lines);
      const after = this.update(p, grad, ctx);
      p.data = after;
      return { label: this.labels[index], before, grad, after, equations: lines ?? [] };
    });
    // In a notebook the trace displays as typeset KaTeX (lib/jupyter/display.ts).
    return withDisplay(
      { optimizer: this.name, step: t, lr, options: this.traceOptions(), shared, params },
      "trace",
      (s) => `${s.optimizer} step ${s.step} (${s.params.length} parameters)`,
    );
  }

  /** Step-level work shared by all parameters (bias corrections, …); none by default. */
  protected beginStep(_t: number, _lr: number, _shared: TraceLines): void {}

  /** Updates one parameter; returns its new value and writes its equations to `ctx`. */
  protected abstract update(p: Value, grad: number, ctx: ParamContext): number;

  /** The options for the trace (the lr shown is the step's own). */
  private traceOptions(): Record<string, number | boolean | number[]> {
    const out: Record<string, number | boolean | number[]> = {};
    for (const [key, v] of Object.entries(this.options)) {
      out[key] = Array.isArray(v) ? [...v] : v as number | boolean;
    }
    out.lr = this.lr;
    return out;
  }

  /**
   * The gradient a step uses: `−∂L/∂θ` when maximizing, plus `λθ` with (coupled) weight decay,
   * in PyTorch's order. Returns the value and the term to write it with.
   */
  protected gradient(
    p: Value,
    grad: number,
    ctx: ParamContext,
    maximize: boolean,
    weightDecay: number,
  ): { g: number; gt: NotationTerm } {
    const d = partial(ctx.name);
    ctx.lines?.push(given("gradient", d, grad));
    let g = maximize ? -grad : grad;
    if (weightDecay !== 0) g = g + weightDecay * p.data;
    if (!maximize && weightDecay === 0) return { g, gt: q(d, g) };
    if (ctx.lines) {
      let rule: NotationTerm = q(d, grad);
      if (maximize) rule = neg(rule);
      if (weightDecay !== 0) {
        rule = add(rule, mul(q(N.weightDecay, weightDecay), ctx.theta(p.data)));
      }
      ctx.lines.push(eq("gradient", N.g, rule, g));
    }
    return { g, gt: q(N.g, g) };
  }

  /**
   * The gradient after maximize and weight decay, with the decay either added to the gradient (L2,
   * as Adam does) or decoupled (θ ← θ·(1 − αλ) first, as AdamW does). Returns the value the rule
   * continues from, with the gradient and its term.
   */
  protected decayedGradient(
    p: Value,
    grad: number,
    ctx: ParamContext,
    maximize: boolean,
    weightDecay: number,
    decoupled: boolean,
  ): { theta: number; g: number; gt: NotationTerm } {
    if (!decoupled) return { theta: p.data, ...this.gradient(p, grad, ctx, maximize, weightDecay) };
    const gradient = this.gradient(p, grad, ctx, maximize, 0);
    const theta = weightDecay !== 0 ? decoupledDecay(ctx, p.data, weightDecay) : p.data;
    return { theta, ...gradient };
  }
}

/** AdamW-style decoupled decay: `θ ← θ − α·λ·θ`, computed as PyTorch's `θ·(1 − αλ)`. */
function decoupledDecay(ctx: ParamContext, theta: number, weightDecay: number): number {
  const after = theta * (1 - ctx.lr * weightDecay);
  if (ctx.lines) {
    const digits = digitsToDistinguish(theta, after);
    const term = mul(
      ctx.theta(theta, digits),
      sub(k(1), mul(q(N.lr, ctx.lr), q(N.weightDecay, weightDecay))),
    );
    ctx.lines.push(eq("decay", ctx.name, term, after, { op: "←", digits }));
  }
  return after;
}
