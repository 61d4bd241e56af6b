/**
 * A learner's run, as `stepgrad diagnose` reads it: the starting parameters, and for each step
 * the gradients their code used and the parameters after the step, plus whatever
 * hyperparameters they know. Read from JSON or CSV, checked value by value; anything unusable is
 * a `RangeError`/`TypeError`/`SyntaxError` with a one-line message naming what is wrong.
 *
 * @module
 */

/** A hyperparameter value: a number, a flag, or the pair `betas`. */
export type KnownValue = number | boolean | readonly [number, number];

/** A learner's run. */
export interface LearnerRun {
  /** The parameters' names, in the order they were first given. */
  names: string[];
  /** The parameters before the first step. */
  start: number[];
  /** The steps, in order: the gradients used and the parameters after the step. */
  steps: { grads: number[]; params: number[] }[];
  /** The hyperparameters the learner knows (PyTorch's names in camelCase). */
  known: Record<string, KnownValue>;
  /** The optimizer the learner meant to write, when they said (`"AdamW"`). */
  intended?: string;
}

/** The largest input read, in characters. */
export const MAX_INPUT_CHARS = 4_000_000;
/** The most steps a run may have. */
export const MAX_STEPS = 50_000;
/** The most parameters a run may have. */
export const MAX_PARAMS = 1_000;
/** The most numbers (steps × parameters) a run may have. */
export const MAX_VALUES = 50_000;

/** Every hyperparameter name any optimizer takes, with its kind. */
export const HYPERPARAMETERS: Readonly<Record<string, "number" | "boolean" | "pair">> = Object
  .freeze({
    lr: "number",
    momentum: "number",
    dampening: "number",
    weightDecay: "number",
    nesterov: "boolean",
    maximize: "boolean",
    alpha: "number",
    eps: "number",
    centered: "boolean",
    lrDecay: "number",
    initialAccumulatorValue: "number",
    rho: "number",
    betas: "pair",
    amsgrad: "boolean",
    momentumDecay: "number",
    decoupledWeightDecay: "boolean",
  });

/** snake_case and other common spellings → PyTorch's camelCase name. */
const ALIASES: Record<string, string> = {
  learning_rate: "lr",
  learningRate: "lr",
  weight_decay: "weightDecay",
  lr_decay: "lrDecay",
  initial_accumulator_value: "initialAccumulatorValue",
  momentum_decay: "momentumDecay",
  decoupled_weight_decay: "decoupledWeightDecay",
  epsilon: "eps",
};

/** Keys of the JSON object that are not hyperparameters. */
const STRUCTURE = new Set(["start", "steps", "optimizer"]);

const NAN = "\u0000NaN", INF = "\u0000Infinity", NINF = "\u0000-Infinity";

function describe(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x.length > 40 ? x.slice(0, 40) + "…" : x);
  if (x === null) return "null";
  if (Array.isArray(x)) return "a list";
  if (typeof x === "object") return "an object";
  return String(x);
}

function number(x: unknown, where: string, finite: boolean): number {
  let v: number | undefined;
  if (typeof x === "number") v = x;
  else if (x === NAN) v = NaN;
  else if (x === INF) v = Infinity;
  else if (x === NINF) v = -Infinity;
  if (v === undefined) throw new TypeError(`${where} must be a number, got ${describe(x)}`);
  if (finite && !Number.isFinite(v)) {
    throw new RangeError(`${where} is ${v}; it must be a finite number`);
  }
  return v;
}

/** Checks a hyperparameter the learner gave and returns it in its canonical name and kind. */
export function knownValue(rawName: string, value: unknown): [string, KnownValue] {
  const name = ALIASES[rawName] ?? rawName;
  const kind = HYPERPARAMETERS[name];
  if (!kind) {
    throw new RangeError(
      `unknown hyperparameter "${rawName.slice(0, 40)}"; expected one of ${
        Object.keys(HYPERPARAMETERS).join(", ")
      }`,
    );
  }
  if (kind === "boolean") {
    if (typeof value !== "boolean") {
      throw new TypeError(`${name} must be true or false, got ${describe(value)}`);
    }
    return [name, value];
  }
  if (kind === "pair") {
    if (!Array.isArray(value) || value.length !== 2) {
      throw new TypeError(`betas must be a pair of numbers [b1, b2], got ${describe(value)}`);
    }
    const pair = [number(value[0], "betas[0]", true), number(value[1], "betas[1]", true)] as const;
    pair.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new RangeError(`betas[${i}] is ${b}; it must be in [0, 1)`);
    });
    return [name, pair];
  }
  const v = number(value, name, true);
  if (v < 0) throw new RangeError(`${name} is ${v}; it must be ≥ 0`);
  return [name, v];
}

function checkSize(steps: number, params: number): void {
  if (params > MAX_PARAMS) {
    throw new RangeError(`the run has ${params} parameters; at most ${MAX_PARAMS} are read`);
  }
  if (steps > MAX_STEPS || steps * params > MAX_VALUES) {
    throw new RangeError(
      `the run has ${steps} steps of ${params} parameters; at most ${MAX_VALUES} values are read (give the first steps only)`,
    );
  }
}

function checkName(name: string, where: string): string {
  if (name.length === 0 || name.length > 64 || [...name].some((c) => c.charCodeAt(0) < 32)) {
    throw new RangeError(`${where}: parameter names must be 1 to 64 printable characters`);
  }
  return name;
}

/**
 * Reads a run from JSON: `{"lr": 0.01, "start": {"w": 0.5, "b": 0}, "steps": [{"grads": {…},
 * "params": {…}}, …]}`. Python's `NaN` and `Infinity` are accepted in `params` (a run that blew
 * up is still a run); gradients and the start must be finite.
 *
 * @example
 * ```ts
 * import { parseRunJson } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const run = parseRunJson(
 *   '{"lr": 0.01, "start": {"w": 0.5}, "steps": [{"grads": {"w": -18}, "params": {"w": 0.68}}]}',
 * );
 * assert.deepEqual(run.names, ["w"]);
 * assert.equal(run.steps[0].params[0], 0.68);
 * assert.equal(run.known.lr, 0.01);
 * ```
 */
export function parseRunJson(text: string): LearnerRun {
  if (text.length > MAX_INPUT_CHARS) {
    throw new RangeError(`the input is ${text.length} characters; at most ${MAX_INPUT_CHARS}`);
  }
  // Python's json.dumps writes NaN and Infinity: turn them (outside strings) into markers.
  const safe = text.replace(
    /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g,
    (m, bare: string | undefined) =>
      bare === undefined
        ? m
        : JSON.stringify(bare === "NaN" ? NAN : bare === "Infinity" ? INF : NINF),
  );
  let data: unknown;
  try {
    data = JSON.parse(safe);
  } catch (e) {
    throw new SyntaxError(`the input is not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new TypeError(`the input must be a JSON object with "start" and "steps"`);
  }
  const obj = data as Record<string, unknown>;
  const start = obj.start;
  if (typeof start !== "object" || start === null || Array.isArray(start)) {
    throw new TypeError(`"start" must be an object of parameter values, like {"w": 0.5, "b": 0}`);
  }
  const names = Object.keys(start).map((n) => checkName(n, '"start"'));
  if (names.length === 0) throw new RangeError(`"start" names no parameters`);
  const steps = obj.steps;
  if (!Array.isArray(steps)) throw new TypeError(`"steps" must be a list of steps`);
  if (steps.length === 0) throw new RangeError(`"steps" is empty: give at least one step`);
  checkSize(steps.length, names.length);
  const startValues = names.map((n) =>
    number((start as Record<string, unknown>)[n], `start.${n}`, true)
  );
  const read = (s: unknown, k: number, field: "grads" | "params"): number[] => {
    if (typeof s !== "object" || s === null || Array.isArray(s)) {
      throw new TypeError(`step ${k} must be an object with "grads" and "params"`);
    }
    const rec = (s as Record<string, unknown>)[field];
    if (typeof rec !== "object" || rec === null || Array.isArray(rec)) {
      throw new TypeError(`step ${k} has no "${field}" object`);
    }
    const r = rec as Record<string, unknown>;
    const extra = Object.keys(r).find((n) => !names.includes(n));
    if (extra !== undefined) {
      throw new RangeError(
        `step ${k} ${field} names "${extra.slice(0, 40)}", which "start" does not (${
          names.slice(0, 8).join(", ")
        })`,
      );
    }
    return names.map((n) => {
      if (!(n in r)) throw new RangeError(`step ${k} ${field} is missing "${n}"`);
      return number(r[n], `step ${k} ${field}.${n}`, field === "grads");
    });
  };
  const known: Record<string, KnownValue> = {};
  let intended: string | undefined;
  for (const [key, value] of Object.entries(obj)) {
    if (STRUCTURE.has(key)) continue;
    const [name, v] = knownValue(key, value);
    known[name] = v;
  }
  if (obj.optimizer !== undefined) {
    if (typeof obj.optimizer !== "string") throw new TypeError(`"optimizer" must be a name`);
    intended = obj.optimizer;
  }
  return {
    names,
    start: startValues,
    steps: steps.map((s, i) => ({
      grads: read(s, i + 1, "grads"),
      params: read(s, i + 1, "params"),
    })),
    known,
    intended,
  };
}

function csvNumber(text: string, where: string, finite: boolean): number {
  const t = text.trim();
  const low = t.toLowerCase();
  let v: number;
  if (low === "nan") v = NaN;
  else if (low === "inf" || low === "infinity" || low === "+inf") v = Infinity;
  else if (low === "-inf" || low === "-infinity") v = -Infinity;
  else if (t === "" || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    throw new TypeError(`${where} must be a number, got ${describe(t)}`);
  } else v = Number(t);
  if (finite && !Number.isFinite(v)) {
    throw new RangeError(`${where} is ${v}; it must be a finite number`);
  }
  return v;
}

/**
 * Reads a run from CSV with the header `step,name,grad,value`: one row per step and parameter.
 * Step 0 rows give the start (their grad may be empty); a row of step k ≥ 1 gives the gradient
 * the step used and the value after it. Hyperparameters come from the command line.
 *
 * @example
 * ```ts
 * import { parseRunCsv } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const run = parseRunCsv("step,name,grad,value\n0,w,,0.5\n1,w,-18,0.68\n");
 * assert.deepEqual(run.start, [0.5]);
 * assert.deepEqual(run.steps[0], { grads: [-18], params: [0.68] });
 * ```
 */
export function parseRunCsv(text: string): LearnerRun {
  if (text.length > MAX_INPUT_CHARS) {
    throw new RangeError(`the input is ${text.length} characters; at most ${MAX_INPUT_CHARS}`);
  }
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = lines[0].split(",").map((c) => c.trim().toLowerCase());
  const want = ["step", "name", "grad", "value"];
  const col = want.map((w) => header.indexOf(w));
  if (col.some((c) => c < 0)) {
    throw new SyntaxError(
      `the CSV header must name the columns step,name,grad,value; got "${lines[0].slice(0, 60)}"`,
    );
  }
  const byStep = new Map<number, Map<string, { grad: string; value: string; line: number }>>();
  const names: string[] = [];
  const seen = new Set<string>();
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    if (++rows > MAX_VALUES + MAX_PARAMS) {
      throw new RangeError(
        `the CSV has more than ${MAX_VALUES + MAX_PARAMS} rows; give the first steps only`,
      );
    }
    const cells = line.split(",");
    if (cells.length !== header.length) {
      throw new SyntaxError(
        `CSV line ${i + 1} has ${cells.length} cells; the header has ${header.length}`,
      );
    }
    const stepText = cells[col[0]].trim();
    if (!/^\d+$/.test(stepText) || stepText.length > 7) {
      throw new TypeError(
        `CSV line ${i + 1}: step must be a whole number ≥ 0, got ${describe(stepText)}`,
      );
    }
    const step = Number(stepText);
    const name = checkName(cells[col[1]].trim(), `CSV line ${i + 1}`);
    let m = byStep.get(step);
    if (!m) byStep.set(step, m = new Map());
    if (m.has(name)) throw new RangeError(`CSV line ${i + 1}: step ${step} gives ${name} twice`);
    m.set(name, { grad: cells[col[2]], value: cells[col[3]], line: i + 1 });
    if (step === 0 && !seen.has(name)) {
      seen.add(name);
      names.push(name);
    }
  }
  const start = byStep.get(0);
  if (!start || start.size === 0) {
    throw new RangeError("the CSV has no step 0 rows: give each parameter's starting value");
  }
  const last = Math.max(...byStep.keys());
  if (last === 0) throw new RangeError("the CSV has only step 0: give at least one step");
  checkSize(last, names.length);
  const startValues = names.map((n) => {
    const r = start.get(n)!;
    return csvNumber(r.value, `CSV line ${r.line}: the start of ${n}`, true);
  });
  const steps: LearnerRun["steps"] = [];
  for (let k = 1; k <= last; k++) {
    const m = byStep.get(k);
    if (!m) throw new RangeError(`the CSV has no rows for step ${k} (steps run 0 to ${last})`);
    const extra = [...m.keys()].find((n) => !seen.has(n));
    if (extra !== undefined) {
      throw new RangeError(`step ${k} names "${extra}", which step 0 does not`);
    }
    const grads: number[] = [], params: number[] = [];
    for (const n of names) {
      const r = m.get(n);
      if (!r) throw new RangeError(`step ${k} is missing "${n}"`);
      grads.push(csvNumber(r.grad, `CSV line ${r.line}: the grad of ${n}`, true));
      params.push(csvNumber(r.value, `CSV line ${r.line}: the value of ${n}`, false));
    }
    steps.push({ grads, params });
  }
  return { names, start: startValues, steps, known: {} };
}

/**
 * The significant digits the run's numbers carry: the most any value needs to be written
 * exactly (17 for float64 printed in full, 7 for float32 rounded to 7 digits).
 *
 * @example
 * ```ts
 * import { dataDigits, parseRunJson } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const run = parseRunJson('{"start": {"w": 0.5}, "steps": [{"grads": {"w": 2}, "params": {"w": 0.4812345}}]}');
 * assert.equal(dataDigits(run), 7);
 * ```
 */
export function dataDigits(run: LearnerRun): number {
  let most = 1;
  const look = (x: number) => {
    if (!Number.isFinite(x) || x === 0 || most >= 17) return;
    for (let d = most; d <= 17; d++) {
      if (Number(x.toPrecision(d)) === x) {
        most = Math.max(most, d);
        return;
      }
    }
  };
  run.start.forEach(look);
  for (const s of run.steps) {
    s.params.forEach(look);
    s.grads.forEach(look);
  }
  return most;
}
