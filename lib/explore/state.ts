/**
 * The state of an explore page, and its spellings: the URL fragment in the command line's own flag
 * names (`#optimizer=adam&lr=0.05&betas=0.9,0.999&steps=50&step=3`), and the `stepgrad optimize …`
 * command that reproduces the page's run. Pure data and text, shared by the `explore` command
 * (which writes the first state into the page) and the page's own script (which reads and writes
 * the fragment as the controls move).
 *
 * @module
 */
import { type OptimizerName, optimizerName, OPTIMIZERS } from "../optim/registry.ts";
import type { OptionValue } from "../optim/optimizer.ts";
import { schedulerFor } from "../optim/schedulers.ts";

/** Reads an lr schedule as `optimize --scheduler` does and creates it (one parser, in optim/). */
export { schedulerFor };

/** The most steps the page runs (the number field refuses more; the CLI allows 100,000). */
export const PAGE_MAX_STEPS = 2000;

/** What the page shows: the optimizer, its options, the steps run, and the step whose trace shows. */
export interface ExploreState {
  /** The optimizer, as PyTorch spells it. */
  optimizer: OptimizerName;
  /** Its options (PyTorch's names in camelCase); missing ones take PyTorch's defaults. */
  options: Record<string, OptionValue>;
  /** Steps to run, 1 to {@linkcode PAGE_MAX_STEPS}. */
  steps: number;
  /** The step whose trace is shown, 1 to `steps`. */
  step: number;
  /** The lr schedule as `--scheduler` takes it (`step:10,0.5`), if any. */
  scheduler?: string;
}

/** How a control moves an option. */
export interface ControlSpec {
  /** The option's name (camelCase, as the optimizers take it). */
  name: string;
  /** The command line's flag, without `--`. */
  flag: string;
  /** A number on a log scale, on a linear scale, a flag, or a pair of numbers (betas). */
  kind: "log" | "linear" | "boolean" | "pair";
  /** The slider's range (numbers typed in the field may go beyond it). */
  min: number;
  /** The slider's range. */
  max: number;
  /** The slider's step on a linear scale; slider positions per decade on a log scale. */
  step: number;
  /** What a screen reader and a learner read. */
  label: string;
}

/** Every option of every optimizer, as a control. */
export const CONTROLS: Readonly<Record<string, ControlSpec>> = Object.freeze({
  lr: {
    name: "lr",
    flag: "lr",
    kind: "log",
    min: 1e-5,
    max: 10,
    step: 20,
    label: "learning rate α",
  },
  momentum: {
    name: "momentum",
    flag: "momentum",
    kind: "linear",
    min: 0,
    max: 0.99,
    step: 0.01,
    label: "momentum μ",
  },
  dampening: {
    name: "dampening",
    flag: "dampening",
    kind: "linear",
    min: 0,
    max: 1,
    step: 0.01,
    label: "dampening τ",
  },
  weightDecay: {
    name: "weightDecay",
    flag: "weight-decay",
    kind: "linear",
    min: 0,
    max: 1,
    step: 0.01,
    label: "weight decay λ",
  },
  alpha: {
    name: "alpha",
    flag: "alpha",
    kind: "linear",
    min: 0,
    max: 0.999,
    step: 0.001,
    label: "smoothing α (RMSprop)",
  },
  eps: { name: "eps", flag: "eps", kind: "log", min: 1e-12, max: 1, step: 4, label: "epsilon ε" },
  lrDecay: {
    name: "lrDecay",
    flag: "lr-decay",
    kind: "linear",
    min: 0,
    max: 0.1,
    step: 0.001,
    label: "lr decay",
  },
  initialAccumulatorValue: {
    name: "initialAccumulatorValue",
    flag: "initial-accumulator-value",
    kind: "linear",
    min: 0,
    max: 1,
    step: 0.01,
    label: "initial accumulator value",
  },
  rho: {
    name: "rho",
    flag: "rho",
    kind: "linear",
    min: 0,
    max: 0.999,
    step: 0.001,
    label: "rho ρ",
  },
  betas: {
    name: "betas",
    flag: "betas",
    kind: "pair",
    min: 0,
    max: 0.9999,
    step: 0.0001,
    label: "betas β₁, β₂",
  },
  momentumDecay: {
    name: "momentumDecay",
    flag: "momentum-decay",
    kind: "linear",
    min: 0,
    max: 0.02,
    step: 0.0005,
    label: "momentum decay ψ",
  },
  nesterov: {
    name: "nesterov",
    flag: "nesterov",
    kind: "boolean",
    min: 0,
    max: 1,
    step: 1,
    label: "Nesterov momentum",
  },
  maximize: {
    name: "maximize",
    flag: "maximize",
    kind: "boolean",
    min: 0,
    max: 1,
    step: 1,
    label: "maximize",
  },
  centered: {
    name: "centered",
    flag: "centered",
    kind: "boolean",
    min: 0,
    max: 1,
    step: 1,
    label: "centered",
  },
  amsgrad: {
    name: "amsgrad",
    flag: "amsgrad",
    kind: "boolean",
    min: 0,
    max: 1,
    step: 1,
    label: "AMSGrad",
  },
  decoupledWeightDecay: {
    name: "decoupledWeightDecay",
    flag: "decoupled-weight-decay",
    kind: "boolean",
    min: 0,
    max: 1,
    step: 1,
    label: "decoupled weight decay",
  },
});

/** The controls of one optimizer, in the order PyTorch lists its options. */
export function controlsOf(optimizer: OptimizerName): ControlSpec[] {
  return Object.keys(OPTIMIZERS[optimizer].defaults).map((name) => {
    const spec = CONTROLS[name];
    if (!spec) throw new Error(`internal: no control for ${optimizer}'s option ${name}`);
    return spec;
  });
}

/** Every option of the optimizer: the given ones, PyTorch's defaults for the rest. */
export function fullOptions(
  optimizer: OptimizerName,
  options: Readonly<Record<string, OptionValue>>,
): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [name, value] of Object.entries(OPTIMIZERS[optimizer].defaults)) {
    const given = Object.hasOwn(options, name) ? options[name] : value;
    out[name] = Array.isArray(given) ? [given[0], given[1]] as [number, number] : given;
  }
  return out;
}

/** A number as the command line and the fragment write it: the shortest text that reads back exactly. */
export function numberText(x: number): string {
  return String(x);
}

function optionText(value: OptionValue): string {
  return Array.isArray(value) ? value.map(numberText).join(",") : numberText(value as number);
}

/**
 * The fragment (without `#`) for a state: the optimizer (lower case), each of its numeric options,
 * the flags that are on, the steps and the step shown. Opening the page with it restores the state.
 *
 * @example
 * ```ts
 * import { stateToFragment } from "./state.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   stateToFragment({ optimizer: "Adam", options: { lr: 0.05 }, steps: 50, step: 3 }),
 *   "optimizer=adam&lr=0.05&betas=0.9,0.999&eps=1e-8&weight-decay=0&steps=50&step=3",
 * );
 * ```
 */
export function stateToFragment(state: ExploreState): string {
  const parts = [`optimizer=${state.optimizer.toLowerCase()}`];
  for (const [name, value] of Object.entries(fullOptions(state.optimizer, state.options))) {
    const flag = CONTROLS[name].flag;
    if (typeof value === "boolean") {
      if (value) parts.push(flag);
    } else parts.push(`${flag}=${optionText(value)}`);
  }
  if (state.scheduler !== undefined) {
    parts.push(
      `scheduler=${
        encodeURIComponent(state.scheduler).replaceAll("%2C", ",").replaceAll("%3A", ":")
      }`,
    );
  }
  parts.push(`steps=${state.steps}`, `step=${state.step}`);
  return parts.join("&");
}

const FLAG_TO_NAME: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.values(CONTROLS).map((c) => [c.flag, c.name])),
);

function readNumber(key: string, text: string): number {
  const t = text.trim().replace("−", "-");
  const x = Number(t);
  if (t === "" || !Number.isFinite(x)) {
    throw new RangeError(`${key} expects a finite number, got "${text}"`);
  }
  return x;
}

/**
 * Reads a fragment over a base state (the page's first state). A fragment that names the
 * optimizer gives its options as the command line does: those it does not name take PyTorch's
 * defaults, and a flag it does not name is off. Without `optimizer=` it changes only what it
 * names. `steps` and `step` not named stay as in the base. Settings it cannot use are skipped,
 * each with a one-line reason in `errors` (for the page to show as text).
 *
 * @example
 * ```ts
 * import { parseFragment } from "./state.ts";
 * import assert from "node:assert/strict";
 * const base = { optimizer: "SGD" as const, options: { lr: 0.001 }, steps: 10, step: 1 };
 * const { state, errors } = parseFragment("#optimizer=adam&lr=0.05&betas=0.8,0.99&step=3", base);
 * assert.deepEqual(state, { optimizer: "Adam", options: { lr: 0.05, betas: [0.8, 0.99] }, steps: 10, step: 3 });
 * assert.deepEqual(errors, []);
 * assert.match(parseFragment("momentum=x", base).errors[0], /momentum expects a finite number/);
 * ```
 */
export function parseFragment(
  fragment: string,
  base: ExploreState,
): { state: ExploreState; errors: string[] } {
  const errors: string[] = [];
  const pairs: [string, string | undefined][] = [];
  for (const part of fragment.replace(/^#/, "").split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    let key: string, value: string | undefined;
    try {
      key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      value = eq < 0 ? undefined : decodeURIComponent(part.slice(eq + 1));
    } catch {
      errors.push(`the link has a setting that is not valid text: "${part}"`);
      continue;
    }
    pairs.push([key.replace(/^--/, ""), value]);
  }
  let optimizer = base.optimizer;
  let options: Record<string, OptionValue> = { ...base.options };
  let scheduler = base.scheduler;
  const chosen = pairs.find(([k]) => k === "optimizer");
  if (chosen) {
    try {
      optimizer = optimizerName(chosen[1] ?? "");
      options = {}; // as on the command line: what is not named takes PyTorch's default
      scheduler = undefined;
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const own = OPTIMIZERS[optimizer].defaults;
  let steps = base.steps;
  let step = base.step;
  let stepGiven = false;
  for (const [key, value] of pairs) {
    try {
      if (key === "optimizer") continue;
      if (key === "scheduler") {
        const text = (value ?? "").trim();
        if (text === "" || text === "none") scheduler = undefined;
        else {
          schedulerFor(text, { lr: 1 }); // its own message when it cannot be used
          scheduler = text;
        }
        continue;
      }
      if (key === "steps" || key === "step") {
        const n = readNumber(key, value ?? "");
        if (!Number.isInteger(n) || n < 1 || (key === "steps" && n > PAGE_MAX_STEPS)) {
          throw new RangeError(
            key === "steps"
              ? `steps expects a whole number from 1 to ${PAGE_MAX_STEPS}, got "${value}"`
              : `step expects a whole number from 1, got "${value}"`,
          );
        }
        if (key === "steps") steps = n;
        else (step = n, stepGiven = true);
        continue;
      }
      const name = FLAG_TO_NAME[key];
      if (name === undefined) throw new RangeError(`the link names an unknown setting "${key}"`);
      if (!Object.hasOwn(own, name)) {
        throw new RangeError(`${key} is not an option of ${optimizer}`);
      }
      const spec = CONTROLS[name];
      if (spec.kind === "boolean") {
        const v = (value ?? "true").trim().toLowerCase();
        if (!["true", "1", "", "false", "0"].includes(v)) {
          throw new RangeError(`${key} expects true or false, got "${value}"`);
        }
        options[name] = v === "true" || v === "1" || v === "";
      } else if (spec.kind === "pair") {
        const parts = (value ?? "").split(",");
        if (parts.length !== 2) {
          throw new RangeError(`${key} expects two numbers b1,b2, got "${value ?? ""}"`);
        }
        options[name] = [readNumber(key, parts[0]), readNumber(key, parts[1])];
      } else options[name] = readNumber(key, value ?? "");
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (!stepGiven && step > steps) step = steps;
  return {
    state: { optimizer, options, steps, step, ...(scheduler === undefined ? {} : { scheduler }) },
    errors,
  };
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_.,=:+\-\/]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The `stepgrad optimize …` command that reproduces the page's run (`--format json` prints the
 * page's `#stepgrad-run`); options equal to PyTorch's defaults are left out, the lr never is.
 *
 * @example
 * ```ts
 * import { commandLine } from "./state.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   commandLine("x^2 + 3*y^2", { x: 1, y: -2 }, {
 *     optimizer: "SGD", options: { lr: 0.1, momentum: 0.9, nesterov: true }, steps: 20, step: 1,
 *   }),
 *   "deno task stepgrad optimize 'x^2 + 3*y^2' --start x=1,y=-2 --optimizer sgd --lr 0.1 --momentum 0.9 --nesterov --steps 20",
 * );
 * ```
 */
export function commandLine(
  expression: string,
  start: Readonly<Record<string, number>>,
  state: ExploreState,
  format?: string,
): string {
  const defaults = OPTIMIZERS[state.optimizer].defaults;
  const parts = [
    "deno task stepgrad optimize",
    shellQuote(expression),
    "--start",
    shellQuote(Object.entries(start).map(([k, v]) => `${k}=${numberText(v)}`).join(",")),
    "--optimizer",
    state.optimizer.toLowerCase(),
  ];
  for (const [name, value] of Object.entries(fullOptions(state.optimizer, state.options))) {
    const flag = `--${CONTROLS[name].flag}`;
    const same = JSON.stringify(value) === JSON.stringify(defaults[name]);
    if (typeof value === "boolean") {
      if (value) parts.push(flag);
    } else if (name === "lr" || !same) parts.push(flag, optionText(value));
  }
  if (state.scheduler !== undefined) parts.push("--scheduler", shellQuote(state.scheduler));
  parts.push("--steps", String(state.steps));
  if (format) parts.push("--format", format);
  return parts.join(" ");
}
