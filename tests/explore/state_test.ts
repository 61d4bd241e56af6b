/**
 * The explore page's state in its two spellings, checked against the command line's own parser:
 * every control's flag is a flag `optimize` takes for that option; a fragment reads back as the
 * state it was written from (random states of every optimizer); the copied command, read by
 * `optimize`'s parser, asks for the same run; links the page cannot use say why, as text.
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { parseOptimizeArgs } from "../../lib/cli/optimize.ts";
import { type OptimizerName, OPTIMIZERS } from "../../lib/optim/registry.ts";
import type { OptionValue } from "../../lib/optim/optimizer.ts";
import {
  commandLine,
  CONTROLS,
  controlsOf,
  type ExploreState,
  fullOptions,
  PAGE_MAX_STEPS,
  parseFragment,
  schedulerFor,
  stateToFragment,
} from "../../lib/explore/state.ts";
import { runs, seed } from "../trust/arbitraries.ts";

const NAMES = Object.keys(OPTIMIZERS) as OptimizerName[];

/** Reads a command line as a POSIX shell would split it (single quotes only, as commandLine writes). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "", quoted = false, any = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === "'") quoted = false;
      else word += c;
    } else if (c === "'") (quoted = true, any = true);
    else if (c === "\\") (word += line[++i], any = true);
    else if (c === " ") {
      if (word !== "" || any) words.push(word);
      word = "", any = false;
    } else word += c;
  }
  if (word !== "" || any) words.push(word);
  return words;
}

Deno.test("every control's flag is the flag optimize takes for that option", () => {
  for (const name of NAMES) {
    for (const spec of controlsOf(name)) {
      const value: OptionValue = spec.kind === "boolean"
        ? true
        : spec.kind === "pair"
        ? [0.5, 0.75]
        : 0.25;
      const flag = spec.kind === "boolean"
        ? [`--${spec.flag}`]
        : [`--${spec.flag}`, Array.isArray(value) ? value.join(",") : String(value)];
      const req = parseOptimizeArgs(["x^2", "--start", "x=1", "--optimizer", name, ...flag])!;
      assert.deepEqual(req.options, { [spec.name]: value }, `${name} ${flag.join(" ")}`);
    }
  }
  // and every option of every optimizer has a control
  for (const name of NAMES) {
    assert.deepEqual(controlsOf(name).map((c) => c.name), Object.keys(OPTIMIZERS[name].defaults));
  }
  assert.equal(Object.keys(CONTROLS).length, 16);
});

/** A random state of a random optimizer, with values the controls can take and beyond. */
const stateArb: fc.Arbitrary<ExploreState> = fc.constantFrom(...NAMES).chain((optimizer) => {
  const parts: Record<string, fc.Arbitrary<OptionValue>> = {};
  for (const spec of controlsOf(optimizer)) {
    const num = spec.kind === "log"
      ? fc.double({ min: -12, max: 1, noNaN: true }).map((e) => 10 ** e)
      : fc.double({ min: spec.min, max: spec.max, noNaN: true });
    parts[spec.name] = spec.kind === "boolean"
      ? fc.boolean()
      : spec.kind === "pair"
      ? fc.tuple(num, num)
      : num;
  }
  const scheduler = fc.constantFrom(
    "step:10,0.5",
    "exponential:0.99",
    "cosine:30",
    "linear",
    "linear:0.5,1,4",
  );
  return fc.record({
    optimizer: fc.constant(optimizer),
    options: fc.record(parts, { requiredKeys: [] }),
    steps: fc.integer({ min: 1, max: PAGE_MAX_STEPS }),
    scheduler,
  }, { requiredKeys: ["optimizer", "options", "steps"] }).chain((s) =>
    fc.integer({ min: 1, max: s.steps }).map((step) => ({ ...s, step } as ExploreState))
  );
});

Deno.test("a fragment reads back as the state it was written from (random states)", () => {
  const base: ExploreState = {
    optimizer: "RMSprop",
    options: { lr: 0.5, centered: true },
    steps: 7,
    step: 7,
  };
  fc.assert(
    fc.property(stateArb, (state) => {
      const fragment = stateToFragment(state);
      const { state: back, errors } = parseFragment(`#${fragment}`, base);
      assert.deepEqual(errors, []);
      assert.equal(back.optimizer, state.optimizer);
      assert.deepEqual(
        fullOptions(back.optimizer, back.options),
        fullOptions(state.optimizer, state.options),
      );
      assert.equal(back.steps, state.steps);
      assert.equal(back.step, state.step);
      assert.equal(back.scheduler, state.scheduler);
      assert.equal(stateToFragment(back), fragment);
    }),
    { numRuns: runs(300), seed: seed() },
  );
});

Deno.test("the copied command, read by optimize's parser, asks for the page's run", () => {
  fc.assert(
    fc.property(stateArb, (state) => {
      const expression = "(1 - x)^2 + 100 * (y - x^2)^2";
      const start = { x: -1.2, y: 1 };
      const words = shellWords(commandLine(expression, start, state));
      assert.deepEqual(words.slice(0, 4), ["deno", "task", "stepgrad", "optimize"]);
      const req = parseOptimizeArgs(words.slice(4))!;
      assert.equal(req.expression, expression);
      assert.deepEqual({ ...req.start }, start);
      assert.equal(req.optimizer, state.optimizer);
      assert.deepEqual(
        fullOptions(state.optimizer, req.options),
        fullOptions(state.optimizer, state.options),
      );
      assert.equal(req.steps, state.steps);
      const want = state.scheduler?.split(/:(.*)/s);
      assert.deepEqual(
        req.scheduler,
        want && { kind: want[0], args: want[1] ? want[1].split(",").map(Number) : [] },
      );
    }),
    { numRuns: runs(200), seed: seed() },
  );
  // a quote inside the expression survives the shell
  const tricky = commandLine("x'^2", { x: 1 }, {
    optimizer: "SGD",
    options: {},
    steps: 1,
    step: 1,
  });
  assert.equal(shellWords(tricky)[4], "x'^2");
});

Deno.test("a fragment without the optimizer changes only what it names; with it, it reads like the command line", () => {
  const base: ExploreState = {
    optimizer: "SGD",
    options: { lr: 0.01, momentum: 0.9, nesterov: true },
    steps: 40,
    step: 5,
  };
  assert.deepEqual(parseFragment("#step=9", base).state, { ...base, step: 9 });
  assert.deepEqual(parseFragment("#lr=0.02", base).state.options, {
    lr: 0.02,
    momentum: 0.9,
    nesterov: true,
  });
  // naming the optimizer: what is not named takes PyTorch's default, flags not named are off
  assert.deepEqual(parseFragment("#optimizer=SGD&lr=0.02", base).state.options, { lr: 0.02 });
  assert.deepEqual(parseFragment("#optimizer=adam&steps=3", base).state, {
    optimizer: "Adam",
    options: {},
    steps: 3,
    step: 3,
  });
  // `--flag=value` spelling and URL escapes are read too
  assert.deepEqual(
    parseFragment("#--optimizer=adamw&betas=0.8%2C0.9&amsgrad=false", base).state.options,
    { betas: [0.8, 0.9], amsgrad: false },
  );
});

Deno.test("an lr schedule is read as optimize reads it: the same forms, the same messages", async () => {
  const { parseScheduler } = await import("../../lib/cli/optimize.ts");
  for (
    const text of [
      "step:3",
      "step:3,0.5",
      "exponential:0.9",
      "cosine:10",
      "cosine:10,0.001",
      "linear",
      "linear:0.5,1,4",
      "LINEAR:0.5",
    ]
  ) {
    const spec = parseScheduler(text);
    const a = { lr: 0.1 }, b = { lr: 0.1 };
    const mine = schedulerFor(text, a);
    const { createScheduler } = await import("../../lib/cli/optimize.ts");
    const theirs = createScheduler(spec, b as never);
    for (let i = 0; i < 12; i++) {
      mine.step(), theirs.step();
      assert.equal(a.lr, b.lr, `${text} after ${i + 1} steps`);
    }
  }
  for (const text of ["weekly:3", "step", "step:1,2,3", "exponential:x", "cosine:"]) {
    let theirs = "";
    try {
      parseScheduler(text);
    } catch (e) {
      theirs = (e as Error).message;
    }
    assert.throws(() => schedulerFor(text, { lr: 1 }), (e: Error) => e.message === theirs, text);
  }
});

Deno.test("settings a link cannot use are skipped, each with a reason (kept as text)", () => {
  const base: ExploreState = { optimizer: "Adam", options: {}, steps: 10, step: 1 };
  const { state, errors } = parseFragment(
    "#optimizer=<img src=x>&lr=abc&momentum=0.9&betas=0.9&colour=red&steps=99999&step=0&amsgrad=maybe&lr=%E0%A4%A",
    base,
  );
  assert.deepEqual(state, base);
  assert.deepEqual(errors, [
    'the link has a setting that is not valid text: "lr=%E0%A4%A"',
    'unknown optimizer "<img src=x>"; expected one of SGD, RMSprop, Adagrad, Adadelta, Adam, AdamW, Adamax, NAdam, RAdam',
    'lr expects a finite number, got "abc"',
    "momentum is not an option of Adam",
    'betas expects two numbers b1,b2, got "0.9"',
    'the link names an unknown setting "colour"',
    `steps expects a whole number from 1 to ${PAGE_MAX_STEPS}, got "99999"`,
    'step expects a whole number from 1, got "0"',
    'amsgrad expects true or false, got "maybe"',
  ]);
});
