/**
 * Learning-rate schedulers with PyTorch's semantics: StepLR, ExponentialLR, CosineAnnealingLR,
 * LinearLR. Use them as in PyTorch: create the scheduler after the optimizer (which may set the
 * first lr, as LinearLR does), then call `optimizer.step()` and `scheduler.step()` once per step.
 * Each computes the new lr from the current one (PyTorch's recursive form), so the numbers match
 * PyTorch's to the last digit.
 *
 * @module
 */

/** What a scheduler drives: anything with a mutable `lr` (an optimizer). */
export interface LrTarget {
  /** The learning rate the next step uses. */
  lr: number;
}

function check(scheduler: string, name: string, value: number, ok: boolean, expected: string) {
  if (typeof value !== "number") {
    throw new TypeError(`${scheduler}: ${name} must be a number, got ${typeof value}`);
  }
  if (!ok || !Number.isFinite(value)) {
    throw new RangeError(`${scheduler}: invalid ${name} ${value}: ${expected}`);
  }
}

/** The base: counts epochs (`lastEpoch`) and applies `nextLr` on each `step()`. */
export abstract class LRScheduler {
  /** Steps taken (0 right after construction, as PyTorch's `last_epoch`). */
  lastEpoch = 0;
  /** The optimizer's lr when the scheduler was created (PyTorch's `initial_lr`). */
  readonly baseLr: number;

  /** Binds to an optimizer. */
  constructor(readonly optimizer: LrTarget) {
    this.baseLr = optimizer.lr;
  }

  /** The lr the optimizer will use next. */
  get lr(): number {
    return this.optimizer.lr;
  }

  /** Advances one step and sets the optimizer's lr. */
  step(): void {
    this.lastEpoch++;
    this.optimizer.lr = this.nextLr(this.optimizer.lr);
  }

  /** The lr after this epoch, from the current one (PyTorch's `get_lr`). */
  protected abstract nextLr(current: number): number;
}

/**
 * Multiplies the lr by `gamma` every `stepSize` steps.
 *
 * @example
 * ```ts
 * import { SGD, StepLR, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const opt = new SGD([new Value(0, "w")], { lr: 1 });
 * const s = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
 * const lrs = [];
 * for (let i = 0; i < 5; i++) { lrs.push(opt.lr); s.step(); }
 * assert.deepEqual(lrs, [1, 1, 0.5, 0.5, 0.25]);
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period in steps. */
  readonly stepSize: number;
  /** Factor (default 0.1). */
  readonly gamma: number;
  /** Checks the options. */
  constructor(optimizer: LrTarget, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    check(
      "StepLR",
      "stepSize",
      this.stepSize,
      Number.isInteger(this.stepSize) && this.stepSize >= 1,
      "must be a whole number ≥ 1",
    );
    check("StepLR", "gamma", this.gamma, this.gamma >= 0, "must be ≥ 0");
  }
  /** PyTorch: unchanged unless lastEpoch is a multiple of stepSize. */
  protected nextLr(current: number): number {
    return this.lastEpoch % this.stepSize !== 0 ? current : current * this.gamma;
  }
}

/**
 * Multiplies the lr by `gamma` every step.
 *
 * @example
 * ```ts
 * import { ExponentialLR, SGD, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const opt = new SGD([new Value(0, "w")], { lr: 1 });
 * const s = new ExponentialLR(opt, { gamma: 0.5 });
 * s.step();
 * s.step();
 * assert.equal(opt.lr, 0.25);
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Factor per step. */
  readonly gamma: number;
  /** Checks the options. */
  constructor(optimizer: LrTarget, options: { gamma: number }) {
    super(optimizer);
    this.gamma = options.gamma;
    check("ExponentialLR", "gamma", this.gamma, this.gamma >= 0, "must be ≥ 0");
  }
  /** lr·γ. */
  protected nextLr(current: number): number {
    return current * this.gamma;
  }
}

/**
 * Cosine annealing from the initial lr down to `etaMin` over `tMax` steps (and back up, as
 * PyTorch's recursive form does past tMax).
 *
 * @example
 * ```ts
 * import { CosineAnnealingLR, SGD, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const opt = new SGD([new Value(0, "w")], { lr: 1 });
 * const s = new CosineAnnealingLR(opt, { tMax: 2 });
 * s.step();
 * assert.ok(Math.abs(opt.lr - 0.5) < 1e-15); // halfway: (1 + cos(π/2))/2
 * s.step();
 * assert.ok(Math.abs(opt.lr) < 1e-15);
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half period in steps. */
  readonly tMax: number;
  /** Lowest lr (default 0). */
  readonly etaMin: number;
  /** Checks the options. */
  constructor(optimizer: LrTarget, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    check(
      "CosineAnnealingLR",
      "tMax",
      this.tMax,
      Number.isInteger(this.tMax) && this.tMax >= 1,
      "must be a whole number ≥ 1",
    );
    check("CosineAnnealingLR", "etaMin", this.etaMin, this.etaMin >= 0, "must be ≥ 0");
  }
  /** PyTorch's recursive cosine step. */
  protected nextLr(current: number): number {
    const e = this.lastEpoch, T = this.tMax, min = this.etaMin;
    if ((e - 1 - T) % (2 * T) === 0) {
      return current + (this.baseLr - min) * (1 - Math.cos(Math.PI / T)) / 2;
    }
    return (1 + Math.cos(Math.PI * e / T)) / (1 + Math.cos(Math.PI * (e - 1) / T)) *
        (current - min) + min;
  }
}

/**
 * Scales the lr linearly from `startFactor`·lr to `endFactor`·lr over `totalIters` steps. Like
 * PyTorch, it sets the first lr (startFactor·lr) when created.
 *
 * @example
 * ```ts
 * import { LinearLR, SGD, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const opt = new SGD([new Value(0, "w")], { lr: 0.3 });
 * const s = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
 * assert.equal(opt.lr, 0.15);
 * s.step();
 * s.step();
 * assert.ok(Math.abs(opt.lr - 0.3) < 1e-15);
 * ```
 */
export class LinearLR extends LRScheduler {
  /** Factor at the start (default 1/3). */
  readonly startFactor: number;
  /** Factor at the end (default 1). */
  readonly endFactor: number;
  /** Steps to go from start to end (default 5). */
  readonly totalIters: number;
  /** Checks the options and sets the first lr. */
  constructor(
    optimizer: LrTarget,
    options: { startFactor?: number; endFactor?: number; totalIters?: number } = {},
  ) {
    super(optimizer);
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1.0;
    this.totalIters = options.totalIters ?? 5;
    const s = this.startFactor, e = this.endFactor;
    check("LinearLR", "startFactor", s, s > 0 && s <= 1, "must be in (0, 1]");
    check("LinearLR", "endFactor", e, e >= 0 && e <= 1, "must be in [0, 1]");
    check(
      "LinearLR",
      "totalIters",
      this.totalIters,
      Number.isInteger(this.totalIters) && this.totalIters >= 1,
      "must be a whole number ≥ 1",
    );
    optimizer.lr = optimizer.lr * s;
  }
  /** PyTorch's recursive linear step. */
  protected nextLr(current: number): number {
    const e = this.lastEpoch, s = this.startFactor, f = this.endFactor;
    if (e > this.totalIters) return current;
    return current * (1.0 + (f - s) / (this.totalIters * s + (e - 1) * (f - s)));
  }
}

/** The schedules a scheduler string names (`optimize --scheduler`, the explore page's field). */
export type SchedulerKind = "step" | "exponential" | "cosine" | "linear";

/** A schedule read from text: its kind and its numbers, in the order the text gives them. */
export interface SchedulerSpec {
  /** Which scheduler. */
  kind: SchedulerKind;
  /** Its numbers (`step:3,0.5` → [3, 0.5]). */
  args: number[];
}

/** Each schedule's numbers (at least, at most) and how it is written. */
export const SCHEDULER_FORMS: Readonly<
  Record<SchedulerKind, readonly [min: number, max: number, form: string]>
> = Object.freeze({
  step: [1, 2, "step:SIZE[,GAMMA]"],
  exponential: [1, 1, "exponential:GAMMA"],
  cosine: [1, 2, "cosine:TMAX[,ETAMIN]"],
  linear: [0, 3, "linear[:START,END,ITERS]"],
});

/**
 * Reads a schedule written `KIND[:A,B,…]` (`step:3,0.5`, `exponential:0.9`, `cosine:100`,
 * `linear`), the one reader behind `optimize --scheduler` and the explore page. The kind is
 * case-insensitive, numbers may use `−`; anything else is a `RangeError` whose message names
 * `flag` (`--scheduler`) and says what was expected. Only the text is checked here: a value the
 * scheduler refuses (a step size of 0) is refused when it is created.
 *
 * @example
 * ```ts
 * import { parseScheduler } from "./schedulers.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseScheduler("Step:3, 0.5"), { kind: "step", args: [3, 0.5] });
 * assert.deepEqual(parseScheduler("linear"), { kind: "linear", args: [] });
 * assert.throws(() => parseScheduler("step"), /--scheduler step takes step:SIZE\[,GAMMA\]/);
 * ```
 */
export function parseScheduler(text: string, flag = "--scheduler"): SchedulerSpec {
  const [name, rest] = text.split(/:(.*)/s);
  const kind = name.trim().toLowerCase() as SchedulerKind;
  if (!Object.hasOwn(SCHEDULER_FORMS, kind)) {
    const forms = Object.values(SCHEDULER_FORMS).map((a) => a[2]).join(", ");
    throw new RangeError(`${flag} expects one of ${forms}, got "${text}"`);
  }
  const args = rest === undefined || rest.trim() === ""
    ? []
    : rest.split(",").map((a) => schedulerNumber(`${flag} ${kind}`, a));
  const [min, max, form] = SCHEDULER_FORMS[kind];
  if (args.length < min || args.length > max) {
    throw new RangeError(`${flag} ${kind} takes ${form}, got "${text}"`);
  }
  return { kind, args };
}

function schedulerNumber(what: string, text: string): number {
  const t = text.trim().replace("−", "-");
  const x = Number(t);
  if (t === "" || !Number.isFinite(x)) {
    throw new RangeError(`${what} expects a finite number, got "${text}"`);
  }
  return x;
}

/** Creates the scheduler a spec names, bound to `optimizer` (create it after the optimizer). */
export function createScheduler(spec: SchedulerSpec, optimizer: LrTarget): LRScheduler {
  const [a, b, c] = spec.args;
  switch (spec.kind) {
    case "step":
      return new StepLR(optimizer, { stepSize: a, gamma: b });
    case "exponential":
      return new ExponentialLR(optimizer, { gamma: a });
    case "cosine":
      return new CosineAnnealingLR(optimizer, { tMax: a, etaMin: b });
    case "linear":
      return new LinearLR(optimizer, { startFactor: a, endFactor: b, totalIters: c });
  }
}

/** Reads a schedule and creates it: `createScheduler(parseScheduler(text), optimizer)`. */
export function schedulerFor(text: string, optimizer: LrTarget): LRScheduler {
  return createScheduler(parseScheduler(text), optimizer);
}
