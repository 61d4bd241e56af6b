/**
 * Lesson 04: the optimizers. Plain gradient descent, momentum, Nesterov, RMSprop, Adam, Adamax,
 * Adagrad and Adadelta on one ill-conditioned valley (Rosenbrock's), each exactly as PyTorch
 * does it: the first steps written out with their state, then a race to the minimum, the paths
 * over the contour plot, and what each is good for.
 *
 * Run: deno run lessons/04-the-optimizers.ts
 *
 * @module
 */
import {
  createOptimizer,
  defineLesson,
  Doc,
  type ExplorePanel,
  formatNumber as n,
  formula,
  type OptimizationRun,
  type OptimizerName,
  type OptionValue,
  runOptimizer,
  type Sink,
  Value,
} from "../mod.ts";

/** One contestant: a name for people, the optimizer and its options, and what it is good for. */
export interface Contestant {
  /** The name shown (Nesterov is SGD with `nesterov: true`). */
  name: string;
  /** The optimizer's name in the registry. */
  optimizer: string;
  /** Its options (the rest are PyTorch's defaults). */
  options: Record<string, OptionValue>;
  /** What it is good for, in a line. */
  goodFor: string;
}

/** The eight, with a learning rate each that suits this valley (found by a few trial runs). */
export const CONTESTANTS: readonly Contestant[] = [
  {
    name: "SGD",
    optimizer: "SGD",
    options: { lr: 0.001 },
    goodFor: "the baseline; with a schedule, still hard to beat on well-scaled problems",
  },
  {
    name: "SGD + momentum",
    optimizer: "SGD",
    options: { lr: 0.001, momentum: 0.9 },
    goodFor: "long, gently sloping valleys: speed builds up along the floor",
  },
  {
    name: "Nesterov",
    optimizer: "SGD",
    options: { lr: 0.001, momentum: 0.9, nesterov: true },
    goodFor: "momentum that looks ahead, so it overshoots less",
  },
  {
    name: "RMSprop",
    optimizer: "RMSprop",
    options: { lr: 0.01 },
    goodFor: "gradients of very different sizes per parameter; non-stationary problems",
  },
  {
    name: "Adam",
    optimizer: "Adam",
    options: { lr: 0.05 },
    goodFor: "the default for deep networks: momentum and per-parameter scaling together",
  },
  {
    name: "Adamax",
    optimizer: "Adamax",
    options: { lr: 0.05 },
    goodFor: "Adam with a max-norm scale: robust to rare, huge gradients",
  },
  {
    name: "Adagrad",
    optimizer: "Adagrad",
    options: { lr: 0.5 },
    goodFor: "sparse features: rare parameters keep large steps; steps shrink forever",
  },
  {
    name: "Adadelta",
    optimizer: "Adadelta",
    options: { lr: 1 },
    goodFor: "no learning rate to pick (lr 1 is Zeiler's method), but it starts slowly",
  },
];

/** The start, as in most textbooks: (−1.2, 1). */
export const START: readonly [number, number] = [-1.2, 1];
/** Steps in the race. */
export const STEPS = 3000;
/** A contestant has arrived when the loss is below this. */
export const TOLERANCE = 1e-3;

/** Rosenbrock's valley f(x, y) = (1 − x)² + 100·(y − x²)² as a graph, at (x, y). */
export function rosenbrock(x0: number, y0: number): { x: Value; y: Value; loss: Value } {
  const x = new Value(x0, "x"), y = new Value(y0, "y");
  const loss = new Value(1).sub(x).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100));
  return { x, y, loss };
}

/** f at a point, in plain arithmetic (for the contour grid). */
export function f(x: number, y: number): number {
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
}

/** Runs one contestant from the start for `steps` steps. */
export function race(c: Contestant, steps = STEPS, trace = false): OptimizationRun {
  const { x, y, loss } = rosenbrock(START[0], START[1]);
  return runOptimizer(loss, createOptimizer(c.optimizer, [x, y], c.options), { steps, trace });
}

/** The first step at which the loss after the step is below the tolerance, if any. */
export function arrival(run: OptimizationRun, tolerance = TOLERANCE): number | undefined {
  const i = run.steps.findIndex((s) => (s.lossAfter ?? Infinity) < tolerance);
  return i < 0 ? undefined : i + 1;
}

/** The valley as text for stepgrad's parser: the same graph as `rosenbrock`. */
export const ROSENBROCK_TEXT = "(1 - x)^2 + 100 * (y - x^2)^2";

/** Steps a live panel runs (the race's 3000 are too many to redraw as a slider moves). */
export const PANEL_STEPS = 500;

function panelState(c: Contestant) {
  return {
    optimizer: c.optimizer as OptimizerName,
    options: { ...c.options },
    steps: PANEL_STEPS,
    step: 1,
  };
}

const named = (name: string) => CONTESTANTS.find((c) => c.name === name)!;

/**
 * The live panels of `handout 4 --interactive`: momentum (plain, heavy ball, Nesterov) after the
 * first steps, and every contestant after the race, each with the lesson's settings to start from.
 */
export const EXPLORE: readonly ExplorePanel[] = [
  {
    after: "The first two steps of each, with their state",
    title: "Try it: momentum on the valley (move μ)",
    expression: ROSENBROCK_TEXT,
    start: { x: START[0], y: START[1] },
    state: panelState(named("SGD + momentum")),
    presets: CONTESTANTS.filter((c) => c.optimizer === "SGD").map((c) => ({
      name: c.name,
      state: panelState(c),
    })),
  },
  {
    after: `The race: ${n(STEPS)} steps each`,
    title: "Try it: each optimizer on the valley",
    expression: ROSENBROCK_TEXT,
    start: { x: START[0], y: START[1] },
    state: panelState(named("Adam")),
    presets: CONTESTANTS.map((c) => ({ name: c.name, state: panelState(c) })),
  },
];

/** The path (x, y) after each step, starting at the start; thinned after the first 100 steps. */
export function path(run: OptimizationRun): [number, number][] {
  const points: [number, number][] = [[START[0], START[1]]];
  run.steps.forEach((s, i) => {
    if (i < 100 || i % 10 === 9 || i === run.steps.length - 1) {
      points.push([s.params[0].after, s.params[1].after]);
    }
  });
  return points;
}

/** "a", "a and b", "a, b and c". */
function listed(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "none";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The valley, the start and its gradient. */
function introduction(doc: Doc): void {
  doc.say(
    "Lesson 02 ended on a problem: when a loss is steep in one direction and flat in another, no ",
    "single learning rate suits both. Rosenbrock's valley is the classic case: a curved, narrow ",
    "valley with a nearly flat floor, and its minimum at (1, 1).",
  );
  doc.math(formula`f(x, y) &= (1 - x)^2 + 100\,(y - x^2)^2`);
  const start = rosenbrock(START[0], START[1]);
  start.loss.backward();
  doc.say(
    `From the usual start (${n(START[0])}, ${n(START[1])}), where f = ${n(start.loss.data)}, `,
    `the gradient is (${n(start.x.grad)}, ${n(start.y.grad)}): steep across the valley, `,
    "and nearly nothing along it once the floor is reached. Eight optimizers, each exactly as ",
    "PyTorch 2 implements it, set off from there.",
  );
}

/** Each optimizer's first two steps, traced with their state. */
function firstSteps(doc: Doc): void {
  doc.heading("The first two steps of each, with their state");
  doc.say(
    "Every line is one equation of the optimizer: the rule, the rule with this step's numbers, ",
    "the result. State (momentum buffers, moment estimates, accumulators) starts at zero and is ",
    "carried from step to step.",
  );
  for (const c of CONTESTANTS) {
    doc.trace(race(c, 2, true), c.name);
  }
}

/** The race: a table, the loss curves and the paths; returns the runs. */
function theRace(doc: Doc): OptimizationRun[] {
  doc.heading(`The race: ${n(STEPS)} steps each`);
  const runs = CONTESTANTS.map((c) => race(c));
  doc.table(
    [
      "optimizer",
      "lr",
      { header: `f < ${n(TOLERANCE)} at`, align: "right" },
      "f at the end",
      "x",
      "y",
    ],
    runs.map((r, i) => {
      const last = r.steps.at(-1);
      const at = arrival(r);
      return [
        CONTESTANTS[i].name,
        CONTESTANTS[i].options.lr as number,
        at === undefined ? "not reached" : `step ${at}`,
        r.divergence ? "diverged" : last?.lossAfter ?? r.initialLoss,
        last?.params[0].after ?? START[0],
        last?.params[1].after ?? START[1],
      ];
    }),
    `All from (${n(START[0])}, ${n(START[1])}); the minimum is f(1, 1) = 0. Momentum 0.9 for ` +
      "SGD + momentum and Nesterov; every other option is PyTorch's default.",
  );
  doc.block({
    kind: "chart",
    title: "f along the way",
    xLabel: "step",
    yLabel: "f",
    logY: true,
    series: runs.map((r, i) => ({
      name: CONTESTANTS[i].name,
      points: [
        [0, r.initialLoss] as [number, number],
        ...r.steps.map((s, k): [number, number] => [k + 1, s.lossAfter ?? NaN]),
      ],
    })),
  });

  const xs = Array.from({ length: 81 }, (_, i) => -2 + (4 * i) / 80);
  const ys = Array.from({ length: 81 }, (_, j) => -1 + (4 * j) / 80);
  doc.block({
    kind: "contour",
    title: "Their paths over the valley",
    xs,
    ys,
    z: ys.map((y) => xs.map((x) => f(x, y))),
    paths: runs.map((r, i) => ({ name: CONTESTANTS[i].name, points: path(r) })),
    xLabel: "x",
    yLabel: "y",
  });
  return runs;
}

/** What the race shows, and what each optimizer is good for. */
function whatTheRaceShows(doc: Doc, runs: readonly OptimizationRun[]): void {
  doc.heading("What the race shows");
  const byName = (name: string) => runs[CONTESTANTS.findIndex((c) => c.name === name)];
  const sgdEnd = byName("SGD").steps.at(-1)!;
  const momentumAt = arrival(byName("SGD + momentum"));
  doc.say(
    `Plain SGD takes the first steps across the valley and then crawls along its floor: after `,
    `${n(STEPS)} steps it is at (${n(sgdEnd.params[0].after)}, ${n(sgdEnd.params[1].after)}). `,
    "Its learning rate cannot grow, or the steep direction diverges (lesson 02). Momentum ",
    "remembers the direction of past steps, so along the floor, where successive gradients ",
    `agree, its steps add up${
      momentumAt ? `: it reaches f < ${n(TOLERANCE)} at step ${momentumAt}` : ""
    }.`,
  );
  doc.say(
    "RMSprop, Adam and Adamax divide each step by a running size of that parameter's gradient, so ",
    "a steep direction and a flat one take steps of similar size. Without momentum (RMSprop) the ",
    "steps stay near α in size and rattle across the floor; Adam's first moment smooths them. ",
    "Adagrad divides by the sum of all past squared gradients, so its steps only shrink; Adadelta ",
    "replaces α by a running size of its own past steps, which starts tiny (√ε).",
  );
  doc.table(
    ["optimizer", "good for"],
    CONTESTANTS.map((c) => [c.name, c.goodFor]),
  );
  const names = (pick: (r: OptimizationRun) => boolean) =>
    listed(CONTESTANTS.filter((_, i) => pick(runs[i])).map((c) => c.name));
  doc.note(
    "key",
    "Each optimizer is a different answer to lesson 02's problem, and none wins everywhere. On ",
    `this valley ${names((r) => arrival(r) !== undefined)} reach f < ${n(TOLERANCE)} within `,
    `${n(STEPS)} steps; ${names((r) => arrival(r) === undefined)} do not. The learning rates `,
    "were chosen by a few trial runs, as you would in practice; other rates rank them differently.",
  );
}

function run(sink: Sink): void {
  const doc = new Doc(sink);
  introduction(doc);
  firstSteps(doc);
  const runs = theRace(doc);
  whatTheRaceShows(doc, runs);
}

export default defineLesson(import.meta, {
  number: 4,
  title: "The optimizers",
  summary: "SGD, momentum, Nesterov, RMSprop, Adam, Adamax, Adagrad and Adadelta on Rosenbrock's " +
    "valley: their first steps with all their state, a race, their paths, and what each is for.",
  run,
});
