/**
 * Lesson 10: choosing an optimizer, backed by numbers. A learning-rate sweep for each optimizer
 * on lesson 04's valley and on lesson 06's moons network: each at its best rate and at PyTorch's
 * default, the final loss and the steps to a tolerance, the loss against the rate; then what the
 * numbers say about Adam as a default, about momentum and schedules, and about AdamW.
 *
 * Run: deno run lessons/10-choosing-an-optimizer.ts [--seed N]
 *
 * @module
 */
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  createOptimizer,
  defineLesson,
  Doc,
  formatNumber as n,
  formula,
  logRates,
  NOTATION,
  type OptimizerName,
  OPTIMIZERS,
  type OptionValue,
  rateBand,
  runAt,
  type Series,
  type Sink,
  type Sweep,
  sweep,
  type SweepProblem,
  sweepProblem,
  type SweepRun,
  Value,
} from "../mod.ts";
import { rosenbrock, ROSENBROCK_TEXT, START } from "./04-the-optimizers.ts";
import { ADAM_LR, DEFAULT_SEED, setup, STEPS as MOONS_STEPS } from "./06-training-an-mlp.ts";

/** The valley's largest curvature, in the course's notation. */
const H_MAX = NOTATION.hMax;
/** Lesson 02's edge for plain gradient descent, 2/h_max. */
const EDGE = { tex: `2/${H_MAX.tex}`, text: `2/${H_MAX.text}` };

/** One contestant: a name for people, the optimizer and the options it keeps at every rate. */
export interface Contestant {
  /** The name shown. */
  name: string;
  /** The optimizer in the registry. */
  optimizer: OptimizerName;
  /** Its options besides lr (the rest are PyTorch's defaults). */
  options: Record<string, OptionValue>;
  /** Swept on the moons network too (each run there costs a full training). */
  moons: boolean;
}

/** Every optimizer on the valley; the seven most used on the moons network. */
export const CONTESTANTS: readonly Contestant[] = [
  { name: "SGD", optimizer: "SGD", options: {}, moons: true },
  { name: "SGD + momentum", optimizer: "SGD", options: { momentum: 0.9 }, moons: true },
  { name: "Nesterov", optimizer: "SGD", options: { momentum: 0.9, nesterov: true }, moons: false },
  { name: "RMSprop", optimizer: "RMSprop", options: {}, moons: true },
  { name: "Adagrad", optimizer: "Adagrad", options: {}, moons: true },
  { name: "Adadelta", optimizer: "Adadelta", options: {}, moons: true },
  { name: "Adam", optimizer: "Adam", options: {}, moons: true },
  { name: "AdamW", optimizer: "AdamW", options: {}, moons: true },
  { name: "Adamax", optimizer: "Adamax", options: {}, moons: false },
  { name: "NAdam", optimizer: "NAdam", options: {}, moons: false },
  { name: "RAdam", optimizer: "RAdam", options: {}, moons: false },
];

/** A problem to sweep on: its steps, tolerance and rates. */
export interface Setting {
  /** Its name in the prose. */
  name: string;
  /** Steps per run. */
  steps: number;
  /** Arrived: the loss stays below this. */
  tolerance: number;
  /** The learning rates tried. */
  rates: readonly number[];
}

/** Lesson 04's valley: 3000 steps a run, f < 10⁻³, rates 10⁻⁴ to about 3, four a decade. */
export const VALLEY: Setting = {
  name: "the valley",
  steps: 3000,
  tolerance: 1e-3,
  rates: logRates(1e-4, 3.2, 4),
};

/** Lesson 06's network: micrograd's 100 steps, rates 10⁻³ to 10, two a decade. */
export const MOONS: Setting = {
  name: "the moons network",
  steps: MOONS_STEPS,
  tolerance: 0.05,
  rates: logRates(1e-3, 10, 2),
};

/** Rosenbrock's valley from lesson 04's start, compiled. */
export function valleyProblem(): SweepProblem {
  return sweepProblem(rosenbrock(START[0], START[1]).loss);
}

/** Lesson 06's network and loss (micrograd's demo) for a seed, compiled. */
export function moonsProblem(seed: number): SweepProblem {
  const { model, loss } = setup(seed);
  return sweepProblem(loss().total, model.parameters());
}

/** PyTorch's default learning rate for an optimizer. */
export function defaultRate(c: Contestant): number {
  return OPTIMIZERS[c.optimizer].defaults.lr as number;
}

/** One contestant's sweep, its run at PyTorch's default rate, and its band below tolerance. */
export interface Row {
  /** Who. */
  contestant: Contestant;
  /** The sweep. */
  sweep: Sweep;
  /** The run at PyTorch's default rate (the sweep's own run when the rate is on the grid). */
  atDefault: SweepRun;
  /** The unbroken band of rates whose final loss is below the tolerance. */
  band: ReturnType<typeof rateBand>;
}

/** The row of the optimizer named so (every name the lesson asks for is in the sweep). */
function get(rows: Row[], name: string): Row {
  return rows.find((r) => r.contestant.name === name)!;
}

/** Sweeps each contestant on a problem; `onRun` reports runs done of the total. */
export function sweepAll(
  problem: SweepProblem,
  setting: Setting,
  contestants: readonly Contestant[],
  onRun?: (done: number, total: number) => void,
): Row[] {
  const off = contestants.filter((c) => !setting.rates.includes(defaultRate(c))).length;
  const total = contestants.length * setting.rates.length + off;
  let done = 0;
  const tick = () => onRun?.(++done, total);
  return contestants.map((c) => {
    const options = { steps: setting.steps, tolerance: setting.tolerance, options: c.options };
    const s = sweep(problem, c.optimizer, setting.rates, { ...options, onRun: tick });
    const lr = defaultRate(c);
    let atDefault = s.runs.find((r) => r.lr === lr);
    if (atDefault === undefined) {
      atDefault = runAt(problem, c.optimizer, lr, options);
      tick();
    }
    return {
      contestant: c,
      sweep: s,
      atDefault,
      band: rateBand(s.runs, { below: setting.tolerance }),
    };
  });
}

/** "a", "a and b", "a, b and c". */
function listed(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "none";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const steps = (r: SweepRun | undefined) =>
  r === undefined || r.divergence
    ? "—"
    : r.stepsToTolerance === undefined
    ? "never"
    : String(r.stepsToTolerance); // a count, shown whole (a table's digits would round it)
const loss = (r: SweepRun | undefined) =>
  r === undefined ? "—" : r.divergence ? `diverged (step ${r.divergence.step})` : r.finalLoss;
const r3 = (x: number) => n(x, { digits: 3 });
const bandText = (b: Row["band"]) =>
  b === undefined ? "none" : b.count === 1 ? `${r3(b.low)} only` : `${r3(b.low)} to ${r3(b.high)}`;
const decades = (b: Row["band"]) => b === undefined ? 0 : b.decades;

function tables(doc: Doc, rows: Row[], setting: Setting): void {
  doc.table(
    [
      "optimizer",
      { header: "best α", align: "right" },
      { header: "loss at the end", align: "right" },
      { header: "steps", align: "right" },
      "rates that end below tol",
    ],
    rows.map((r) => [
      r.contestant.name,
      r.sweep.best?.lr ?? "—",
      loss(r.sweep.best),
      steps(r.sweep.best),
      bandText(r.band),
    ]),
    `Each at its best rate (the one that gets below tol = ${n(setting.tolerance)} and stays ` +
      `there soonest; if none does, the one that ends lowest). "steps": from which step on the ` +
      `loss stays below tol ("never": not within ${setting.steps}).`,
    3,
  );
  doc.table(
    [
      "optimizer",
      { header: "PyTorch's α", align: "right" },
      { header: "loss at the end", align: "right" },
      { header: "steps", align: "right" },
    ],
    rows.map((r) => [r.contestant.name, r.atDefault.lr, loss(r.atDefault), steps(r.atDefault)]),
    "Each at PyTorch's default rate.",
    3,
  );
}

function chart(doc: Doc, rows: Row[], title: string, y: string): void {
  const shown = rows.filter((r) => r.contestant.moons).slice(0, 8);
  doc.block({
    kind: "chart",
    title,
    xLabel: "learning rate α",
    yLabel: y,
    logX: true,
    logY: true,
    series: shown.map((r): Series => ({
      name: r.contestant.name,
      points: r.sweep.runs.map((run) => [run.lr, run.divergence ? NaN : run.finalLoss]),
    })),
  });
}

function introduction(doc: Doc): void {
  doc.say(
    "Lesson 04 raced the optimizers on the valley, each at the best rate a sweep found, and ",
    `lesson 06 gave Adam α = ${n(ADAM_LR)} because it worked. Which optimizer, then, and which `,
    "rate, on a problem you have not swept yet? This lesson measures: every optimizer runs from ",
    "the same start at a ladder of learning rates a fixed factor apart, on the valley and on ",
    "lesson 06's network, and we keep two numbers from each run, the loss at the end and the ",
    "step from which on the loss stays below a tolerance.",
  );
  doc.math(
    formula`\alpha_k = 10^{k/m}, \qquad k = \ldots, -2, -1, 0 \qquad (m \text{ rates a decade})`,
  );
  doc.say(
    "The rate that reaches the tolerance soonest is the optimizer's best; PyTorch's default ",
    "rate is what you get without choosing; and the band of rates that all reach the tolerance ",
    "says how much the choice matters. Each loss is recorded once as a compiled graph and ",
    "replayed for every run.",
  );
}

function valleySection(doc: Doc, rows: Row[]): void {
  doc.section("The valley: a sweep per optimizer");
  doc.say(
    `Rosenbrock's valley from lesson 04's start (${n(START[0])}, ${n(START[1])}), `,
    `${n(VALLEY.steps)} steps a run, tolerance f < ${n(VALLEY.tolerance)}, `,
    `${VALLEY.rates.length} rates from ${n(VALLEY.rates[0])} to ${n(VALLEY.rates.at(-1)!)}:`,
  );
  tables(doc, rows, VALLEY);
  chart(doc, rows, `The valley: f after ${n(VALLEY.steps)} steps against the rate`, "f");
  const diverge = (name: string) => {
    const r = rows.find((x) => x.contestant.name === name)!;
    return r.sweep.runs.find((run) => run.divergence)?.lr;
  };
  const sgdEdge = diverge("SGD");
  const best = (name: string) => rows.find((x) => x.contestant.name === name)!.sweep.best!.lr;
  doc.say(
    "Read the chart from the left: too small a rate and nothing gets far in the steps given; ",
    "then the loss falls; then, past a point, it rises again or the run diverges (the line ",
    `ends). Plain SGD's best rate, ${n(best("SGD"))}, sits just below the edge lesson 02 `,
    "derived for a bowl, ",
    formula`${EDGE} = ${2 / floorCurvature().hMax}`,
    ", with the curvature at the valley's minimum (lesson 04); above it the runs cannot ",
    `settle, and from α = ${sgdEdge === undefined ? "—" : n(sgdEdge)} on they diverge. Adam's `,
    `best rate is ${n(best("Adam") / best("SGD"), { digits: 3 })} times SGD's: its steps are `,
    "about α in size whatever the gradient (lesson 04), so α no longer has to be small enough ",
    "for the steepest gradient.",
  );
}

function moonsSection(doc: Doc, rows: Row[], seed: number, count: number): void {
  doc.section("The moons network: the same sweep");
  doc.say(
    `Lesson 06's network (two moons, ${count} parameters, seed ${seed}), `,
    `${MOONS.steps} full-batch steps a run, tolerance L < ${n(MOONS.tolerance)}, `,
    `${MOONS.rates.length} rates from ${n(MOONS.rates[0])} to ${n(MOONS.rates.at(-1)!)}, `,
    `for the ${rows.length} optimizers most used:`,
  );
  tables(doc, rows, MOONS);
  chart(doc, rows, `The moons network: L after ${MOONS.steps} steps against the rate`, "L");
}

/** What the two sweeps say about Adam's band, as numbers the prose and tests share. */
export function bandFacts(rows: Row[]): {
  widest: string[];
  widestDecades: number;
  adam: number;
  sgd: number;
  momentum: number;
  defaultInside: boolean;
} {
  const width = (r: Row) => decades(r.band) + (r.band ? 1e-9 : -1);
  const widestDecades = Math.max(...rows.map(width));
  const byName = (name: string) => rows.find((r) => r.contestant.name === name)!;
  const adam = byName("Adam");
  const lr = adam.atDefault.lr;
  return {
    widest: rows.filter((r) => width(r) === widestDecades).map((r) => r.contestant.name),
    widestDecades: Math.max(0, widestDecades),
    adam: decades(adam.band),
    sgd: decades(byName("SGD").band),
    momentum: decades(byName("SGD + momentum").band),
    defaultInside: adam.band !== undefined && lr >= adam.band.low && lr <= adam.band.high,
  };
}

/** The size of the gradient at the start, √(Σ (∂L/∂θ)²). */
export function startGradient(problem: SweepProblem): number {
  const { graph, params, start } = problem;
  params.forEach((p, i) => (p.data = start[i], p.grad = 0));
  graph.forward();
  graph.backward();
  const size = Math.sqrt(params.reduce((s, p) => s + p.grad * p.grad, 0));
  params.forEach((p) => (p.grad = 0));
  return size;
}

function whyAdam(
  doc: Doc,
  valley: Row[],
  moons: Row[],
  valleyProblem: SweepProblem,
  moonsProblem: SweepProblem,
): void {
  doc.section("Why Adam is a common default");
  const v = bandFacts(valley), m = bandFacts(moons);
  const d3 = (x: number) => n(x, { digits: 3 });
  doc.say(
    "The last column of the first table is the band of rates that all end below the ",
    "tolerance: how far from the best rate a guess may land and still work. On the valley the ",
    `widest band is ${listed(v.widest)}'s, ${d3(v.widestDecades)} decades (a factor of `,
    `${d3(10 ** v.widestDecades)}); Adam's spans ${d3(v.adam)} decades, SGD + momentum's `,
    `${d3(v.momentum)}, plain SGD's ${get(valley, "SGD").band ? d3(v.sgd) : "nothing"}. On the `,
    `moons the widest is ${listed(m.widest)}'s, ${d3(m.widestDecades)} decades; Adam's spans `,
    `${d3(m.adam)}, SGD + momentum's ${d3(m.momentum)}, plain SGD's `,
    `${get(moons, "SGD").band ? d3(m.sgd) : "nothing"}.`,
  );
  const gv = startGradient(valleyProblem), gm = startGradient(moonsProblem);
  const both = moons.map((r) => r.contestant.name);
  doc.table(
    [
      "optimizer",
      { header: "best α, valley", align: "right" },
      { header: "best α, moons", align: "right" },
      { header: "ratio", align: "right" },
    ],
    both.map((name) => {
      const a = get(valley, name).sweep.best?.lr, b = get(moons, name).sweep.best?.lr;
      return [name, a ?? "—", b ?? "—", a && b ? Math.max(a, b) / Math.min(a, b) : "—"];
    }),
    "The best rate on each problem, and how far apart the two are (larger over smaller).",
    3,
  );
  const ratio = (name: string) => {
    const a = get(valley, name).sweep.best!.lr, b = get(moons, name).sweep.best!.lr;
    return Math.max(a, b) / Math.min(a, b);
  };
  doc.say(
    `The gradient at the start is ${d3(gv)} long on the valley and ${d3(gm)} on the moons `,
    `network. Plain SGD's step is α times the gradient, so its best rates are ${d3(ratio("SGD"))} `,
    `times apart; Adam divides each step by the size of its own gradients, and its best rates `,
    `are ${d3(ratio("Adam"))} times apart. That is what makes Adam a sensible first choice: a `,
    "rate that works on one problem is close to one that works on another, and a wide band ",
    "around it works too.",
  );
  const adamV = get(valley, "Adam"), adamM = get(moons, "Adam");
  doc.say(
    "It is not the same as Adam winning (the next section), and PyTorch's default ",
    `α = ${n(adamV.atDefault.lr)} is not a good rate here: it is `,
    `${v.defaultInside ? "inside" : "outside"} Adam's band on the valley (f = `,
    `${d3(adamV.atDefault.finalLoss)} after ${n(VALLEY.steps)} steps) and `,
    `${m.defaultInside ? "inside" : "outside"} it on the moons (L = `,
    `${d3(adamM.atDefault.finalLoss)} after ${MOONS.steps}). A default rate is where a sweep `,
    "starts, not a substitute for one.",
  );
}

/** One run with cosine annealing over the whole run (PyTorch's CosineAnnealingLR). */
export function cosineRun(
  problem: SweepProblem,
  setting: Setting,
  c: Contestant,
  lr: number,
  record = false,
): SweepRun {
  return runAt(problem, c.optimizer, lr, {
    steps: setting.steps,
    tolerance: setting.tolerance,
    options: c.options,
    record,
    scheduler: (o) => new CosineAnnealingLR(o, { tMax: setting.steps }),
  });
}

/** The same optimizer and rate, constant and with cosine annealing, losses recorded. */
export function scheduleRuns(
  problem: SweepProblem,
  setting: Setting,
  c: Contestant,
  lr: number,
): { constant: SweepRun; cosine: SweepRun } {
  const options = {
    steps: setting.steps,
    tolerance: setting.tolerance,
    options: c.options,
    record: true,
  };
  return {
    constant: runAt(problem, c.optimizer, lr, options),
    cosine: cosineRun(problem, setting, c, lr, true),
  };
}

/** The rate two grid steps above a contestant's best (half a decade on the valley's grid). */
export function aboveBest(row: Row): number {
  const rates = row.sweep.runs.map((r) => r.lr);
  return rates[Math.min(rates.length - 1, rates.indexOf(row.sweep.best!.lr) + 2)];
}

/** The contestants that reach the tolerance soonest at their best rate. */
export function fastest(rows: Row[]): { names: string[]; steps: number | undefined } {
  const at = (r: Row) => r.sweep.best?.stepsToTolerance ?? Infinity;
  const min = Math.min(...rows.map(at));
  return {
    names: rows.filter((r) => at(r) === min).map((r) => r.contestant.name),
    steps: Number.isFinite(min) ? min : undefined,
  };
}

function momentumAndSchedules(
  doc: Doc,
  valley: Row[],
  moons: Row[],
  valleyProblem: SweepProblem,
  moonsProblem: SweepProblem,
): void {
  doc.section("SGD with momentum, and schedules");
  const momV = get(valley, "SGD + momentum"), adamV = get(valley, "Adam");
  const mb = momV.sweep.best!, ab = adamV.sweep.best!;
  const momFirst = (mb.stepsToTolerance ?? Infinity) < (ab.stepsToTolerance ?? Infinity);
  const quickV = fastest(valley), quickM = fastest(moons);
  doc.say(
    `On the valley, SGD + momentum at its best rate α = ${n(mb.lr)} stays below f = `,
    `${n(VALLEY.tolerance)} from step ${steps(mb)} on and ends at f = ${n(mb.finalLoss)}; Adam `,
    `at its best, α = ${n(ab.lr)}, from step ${steps(ab)} on, ending at ${n(ab.finalLoss)}. `,
    momFirst
      ? "Tuned, momentum gets there first"
      : "Adam gets there first, even against tuned momentum",
    `, but only inside its band, ${bandText(momV.band)}, against Adam's `,
    `${bandText(adamV.band)}. The soonest of all on the valley is ${listed(quickV.names)} `,
    `(step ${quickV.steps ?? "—"}); on the moons, ${listed(quickM.names)} (step `,
    `${quickM.steps ?? "—"}).`,
  );
  doc.say(
    "A schedule lowers the rate as the run goes on (lesson 06's micrograd loop does it by ",
    "hand). Cosine annealing, as PyTorch's CosineAnnealingLR computes it, takes α to 0 over the ",
    "T steps of the run:",
  );
  doc.math(
    formula`\alpha_t = \tfrac{1}{2}\,\alpha\,\left(1 + \cos(\pi t/T)\right)`,
  );
  const high = aboveBest(adamV);
  const momNext = momV.sweep.runs[momV.sweep.runs.indexOf(mb) + 1];
  const momNextDiverges = momNext?.divergence !== undefined;
  const mom = scheduleRuns(valleyProblem, VALLEY, momV.contestant, mb.lr);
  const adam = scheduleRuns(valleyProblem, VALLEY, adamV.contestant, high);
  const momM = get(moons, "SGD + momentum"), adamM = get(moons, "Adam");
  const cosine = (problem: SweepProblem, r: Row) => ({
    constant: r.sweep.best!,
    cosine: cosineRun(problem, MOONS, r.contestant, r.sweep.best!.lr),
  });
  const momMoons = cosine(moonsProblem, momM), adamMoons = cosine(moonsProblem, adamM);
  const row = (
    on: string,
    what: string,
    lr: number,
    p: { constant: SweepRun; cosine: SweepRun },
  ) => [
    on,
    what,
    lr,
    loss(p.constant),
    steps(p.constant),
    loss(p.cosine),
    steps(p.cosine),
  ];
  doc.table(
    [
      "problem",
      "optimizer",
      { header: "α", align: "right" },
      { header: "constant: loss", align: "right" },
      { header: "steps", align: "right" },
      { header: "cosine: loss", align: "right" },
      { header: "steps", align: "right" },
    ],
    [
      row("valley", "momentum", mb.lr, mom),
      row("valley", "Adam", high, adam),
      row("moons", "momentum", momM.sweep.best!.lr, momMoons),
      row("moons", "Adam", adamM.sweep.best!.lr, adamMoons),
    ],
    `Each at its best rate, except Adam on the valley at ${n(high / ab.lr, { digits: 3 })} times ` +
      `its best. "steps": from which on the loss stays below the tolerance ` +
      `(${n(VALLEY.tolerance)} on the valley, ${n(MOONS.tolerance)} on the moons).`,
    3,
  );
  const curve = (name: string, r: SweepRun): Series => ({
    name,
    points: (r.losses ?? []).map((l, t) => [t, l]),
  });
  doc.block({
    kind: "chart",
    title: "The valley: f step by step, constant rate and cosine schedule",
    xLabel: "step",
    yLabel: "f",
    logY: true,
    series: [
      curve(`momentum, α = ${n(mb.lr, { digits: 3 })}`, mom.constant),
      curve("momentum, cosine", mom.cosine),
      curve(`Adam, α = ${n(high, { digits: 3 })}`, adam.constant),
      curve("Adam, cosine", adam.cosine),
    ],
  });
  const helps = (p: { constant: SweepRun; cosine: SweepRun }) =>
    p.cosine.divergence === undefined && p.cosine.finalLoss < p.constant.finalLoss;
  const change = (p: { constant: SweepRun; cosine: SweepRun }) =>
    `${n(p.constant.finalLoss, { digits: 3 })} → ${n(p.cosine.finalLoss, { digits: 3 })}`;
  doc.say(
    `Adam at α = ${n(high, { digits: 3 })}, above its best, ends at f = `,
    `${n(adam.constant.finalLoss, { digits: 3 })} with a constant rate and at `,
    `${n(adam.cosine.finalLoss, { digits: 3 })} with the schedule`,
    helps(adam)
      ? ": its steps stay about α in size however small the gradient gets, so at a constant " +
        "rate it rattles around the minimum; a falling α lets it settle. "
      : ". ",
    helps(mom)
      ? `Momentum at its best rate gains from the schedule too (${change(mom)}). `
      : `Momentum at its best rate does not (${change(mom)})` +
        (momNextDiverges
          ? ": the next rate of the sweep diverges, so its rate was already as large as the " +
            "valley allows, and lowering it only slows the run. "
          : ". "),
    `On the moons, the schedule ${helps(momMoons) ? "lowers" : "does not lower"} momentum's `,
    `final loss (${change(momMoons)}) and ${helps(adamMoons) ? "lowers" : "does not lower"} `,
    `Adam's (${change(adamMoons)}).`,
  );
  const momWinsMoons = momMoons.cosine.finalLoss < adamMoons.constant.finalLoss &&
    momMoons.cosine.finalLoss < adamMoons.cosine.finalLoss;
  doc.note(
    "key",
    "What these numbers show: SGD with momentum ",
    momFirst
      ? `beats Adam where its rate is tuned to the problem (the valley: step ${steps(mb)} ` +
        `against ${steps(ab)}), and only inside its band; `
      : "does not beat Adam here even when tuned; ",
    "a schedule is what lets a rate that is too ",
    "large for the end of a run be used anyway. With a schedule, momentum ",
    `${momWinsMoons ? "beats" : "does not beat"} Adam `,
    `on the moons network (${n(momMoons.cosine.finalLoss, { digits: 3 })} against `,
    `${n(Math.min(adamMoons.constant.finalLoss, adamMoons.cosine.finalLoss), { digits: 3 })}).`,
  );
}

/** An unused weight (its loss gradient is 0) under Adam with L2 and under AdamW. */
export function unusedWeight(
  kind: "Adam" | "AdamW",
  lr: number,
  weightDecay: number,
  start: number,
  at: readonly number[],
): number[] {
  const w = new Value(start, "w");
  const opt = kind === "Adam"
    ? new Adam([w], { lr, weightDecay })
    : new AdamW([w], { lr, weightDecay });
  const out: number[] = [];
  for (let t = 1; t <= Math.max(...at); t++) {
    w.grad = 0;
    opt.step({ trace: false });
    if (at.includes(t)) out.push(w.data);
  }
  return out;
}

/** The moons network trained with weight decay `λ` by Adam (L2) or AdamW; loss and Σθ². */
export function decayRun(
  problem: SweepProblem,
  kind: "Adam" | "AdamW",
  lr: number,
  weightDecay: number,
): { loss: number; squares: number } {
  const { graph, params, start } = problem;
  params.forEach((p, i) => (p.data = start[i]));
  const opt = createOptimizer(kind, [...params], { lr, weightDecay });
  for (let t = 0; t < MOONS.steps; t++) {
    graph.forward();
    opt.zeroGrad();
    graph.backward();
    opt.step({ trace: false });
  }
  const loss = graph.forward();
  const squares = params.reduce((s, p) => s + p.data * p.data, 0);
  params.forEach((p, i) => (p.data = start[i]));
  return { loss, squares };
}

/** Settings of the AdamW section. */
export const DECAY = {
  lr: 0.01,
  small: 1e-4,
  large: 1e-2,
  start: 0.5,
  at: [1, 10, 100],
  lambdas: [0, 0.01, 0.1],
} as const;

function whatAdamWIsFor(doc: Doc, moons: Row[], moonsProblem: SweepProblem): void {
  doc.section("What AdamW is for");
  doc.say(
    "Weight decay pulls every weight toward 0 a little on each step, so the network keeps only ",
    "the weights the data asks for. In plain SGD, adding λθ to the gradient (L2) and shrinking ",
    "θ by a factor are the same thing. In Adam they are not: Adam's weightDecay adds λθ to the ",
    "gradient, and then divides it, with the rest of the gradient, by √v̂. AdamW shrinks θ ",
    "first, then takes Adam's step with the loss's gradient alone:",
  );
  doc.math(
    formula`\text{Adam (L2):}\quad g_t = \frac{\partial L}{\partial \theta} + \lambda\,\theta, \quad \theta \leftarrow \theta - \alpha\,\frac{\hat{m}_t}{\sqrt{\hat{v}_t} + \varepsilon}`,
    formula`\text{AdamW:}\quad \theta \leftarrow \theta\,(1 - \alpha\lambda), \quad \theta \leftarrow \theta - \alpha\,\frac{\hat{m}_t}{\sqrt{\hat{v}_t} + \varepsilon} \;\text{with}\; g_t = \frac{\partial L}{\partial \theta}`,
  );
  const { lr, small, large, start, at } = DECAY;
  const runs = [
    unusedWeight("Adam", lr, small, start, at),
    unusedWeight("Adam", lr, large, start, at),
    unusedWeight("AdamW", lr, small, start, at),
    unusedWeight("AdamW", lr, large, start, at),
  ];
  doc.say(
    `The clearest case is a weight the loss does not depend on (a weight into a ReLU that never `,
    `fires): its loss gradient is 0. Start it at θ = ${n(start)}, with α = ${n(lr)} and two `,
    `decays ${n(large / small)} times apart, λ = ${n(small)} and λ = ${n(large)}:`,
  );
  doc.table(
    [
      { header: "step t", align: "right" },
      { header: `Adam, λ = ${n(small)}`, align: "right" },
      { header: `Adam, λ = ${n(large)}`, align: "right" },
      { header: `AdamW, λ = ${n(small)}`, align: "right" },
      { header: `AdamW, λ = ${n(large)}`, align: "right" },
    ],
    at.map((t, k) => [t, runs[0][k], runs[1][k], runs[2][k], runs[3][k]]),
    "θ after t steps, for a weight whose loss gradient is 0.",
  );
  const stepOne = start - runs[0][0];
  doc.say(
    `With L2, Adam's gradient is λθ alone, and m̂/√v̂ divides its size away: the first step `,
    `moves θ by ${n(stepOne)}, almost exactly α (ε still counts next to a gradient as small as `,
    `λθ = ${n(small * start)}), and with λ ${n(large / small)} times larger the columns `,
    "hardly differ: ",
    `both fall by about α a step, to ${n(runs[0][1], { digits: 3 })} after ${at[1]} steps and `,
    `near 0 after ${at[2]} (${n(runs[0][2], { digits: 3 })} and `,
    `${n(runs[1][2], { digits: 3 })}). λ no longer says how strong the decay is. With AdamW `,
    "the weight shrinks by the factor 1 − αλ a step, as λ intends:",
  );
  const T = at.at(-1)!;
  doc.math(
    formula`\theta_t = \theta_0\,(1 - \alpha\lambda)^t, \qquad ${start} \cdot (1 - ${lr} \cdot ${large})^{${T}} = ${
      start * (1 - lr * large) ** T
    }`,
  );
  const adamBest = moons.find((r) => r.contestant.name === "Adam")!.sweep.best!.lr;
  const rowsDecay = DECAY.lambdas.map((lambda) => {
    const a = decayRun(moonsProblem, "Adam", adamBest, lambda);
    // With λ = 0 the two rules are the same rule: one run serves both columns.
    const w = lambda === 0 ? a : decayRun(moonsProblem, "AdamW", adamBest, lambda);
    return { lambda, a, w };
  });
  doc.say(
    `On the moons network, at Adam's best rate α = ${n(adamBest)}, the same λ in each:`,
  );
  doc.table(
    [
      { header: "λ", align: "right" },
      { header: "Adam (L2): L", align: "right" },
      { header: "Σθ²", align: "right" },
      { header: "AdamW: L", align: "right" },
      { header: "Σθ²", align: "right" },
    ],
    rowsDecay.map((r) => [r.lambda, r.a.loss, r.a.squares, r.w.loss, r.w.squares]),
    `After ${MOONS.steps} steps; L includes micrograd's own small L2 term, and Σθ² is the ` +
      `sum of the squares of all ${moonsProblem.params.length} parameters.`,
    3,
  );
  const top = rowsDecay.at(-1)!;
  doc.say(
    `At λ = ${n(top.lambda)}, L2 in Adam shrinks the weights to Σθ² = `,
    `${n(top.a.squares, { digits: 3 })} and the loss ends at ${n(top.a.loss, { digits: 3 })}; `,
    `AdamW with the same λ keeps Σθ² = ${n(top.w.squares, { digits: 3 })} and ends at `,
    `${n(top.w.loss, { digits: 3 })}. The table of the unused weight shows why: where a `,
    "weight's loss gradient is small, L2's pull is divided by its own size and becomes a step ",
    "of about α toward 0, however small λ is. AdamW's decay is the same fraction αλ for every ",
    "weight, so λ can be tuned on its own, ",
    "separately from α and from the gradients' sizes: that is what AdamW is for.",
  );
}

/** The Hessian of the valley at its minimum (1, 1), and its eigenvalues. */
export function floorCurvature(): { hessian: number[][]; hMax: number; hMin: number } {
  // f = (1 − x)² + 100(y − x²)²: f_xx = 2 − 400(y − 3x²), f_xy = −400x, f_yy = 200.
  const [x, y] = [1, 1];
  const a = 2 - 400 * (y - 3 * x * x), b = -400 * x, c = 200;
  const mean = (a + c) / 2, radius = Math.hypot((a - c) / 2, b);
  return { hessian: [[a, b], [b, c]], hMax: mean + radius, hMin: mean - radius };
}

function exercises(doc: Doc, valley: Row[], valleyProblem: SweepProblem): void {
  const adam = valley.find((r) => r.contestant.name === "Adam")!;
  const mom = valley.find((r) => r.contestant.name === "SGD + momentum")!;
  // The rate as the command line shows it, and the runs the commands make.
  const typed = Number(aboveBest(adam).toPrecision(6));
  const half = VALLEY.steps / 2;
  const withCosine = cosineRun(valleyProblem, VALLEY, adam.contestant, typed);
  const constant = runAt(valleyProblem, "Adam", typed, {
    steps: VALLEY.steps,
    tolerance: VALLEY.tolerance,
  });
  // The sweep's own runs at the exact rate, to compare with the typed one.
  const exact = adam.sweep.runs.find((r) => r.lr === aboveBest(adam))!;
  const exactCosine = cosineRun(valleyProblem, VALLEY, adam.contestant, exact.lr);
  const ratio = (a: number, b: number) => Math.max(a, b) / Math.min(a, b);
  const chaotic = ratio(exact.finalLoss, constant.finalLoss) > 10 &&
    ratio(exactCosine.finalLoss, withCosine.finalLoss) < 1.01;
  const target = { lr: typed };
  const schedule = new CosineAnnealingLR(target, { tMax: VALLEY.steps });
  for (let t = 0; t < half; t++) schedule.step();
  const { lr, large, start } = DECAY;
  const t = 3;
  const [adamAfter] = unusedWeight("Adam", lr, large, start, [t]);
  const [adamWAfter] = unusedWeight("AdamW", lr, large, start, [t]);
  const d3 = (x: number) => n(x, { digits: 3 });
  doc.exercises(
    {
      question: [
        `Adam at α = ${n(typed)} on the valley, with cosine annealing over T = `,
        `${n(VALLEY.steps)} steps: with pencil, what is the rate at step ${n(half)}? Then run it `,
        "with and without the schedule (drop --scheduler) and compare the last lines:",
      ],
      command: `stepgrad optimize "${ROSENBROCK_TEXT}" --start x=${START[0]},y=${START[1]} ` +
        `--optimizer adam --lr ${typed} --steps ${VALLEY.steps} --scheduler ` +
        `cosine:${VALLEY.steps} | tail -1`,
      answer: [
        `cos(π/2) = 0, so the rate at step ${n(half)} is `,
        formula`\alpha/2 = ${target.lr}`,
        `. With the schedule the run ends at f = ${d3(withCosine.finalLoss)}; without it, at `,
        `f = ${d3(constant.finalLoss)}.`,
        ...(chaotic
          ? [
            ` The table's constant run, at α = ${n(exact.lr, { digits: 10 })}, ended at `,
            `f = ${d3(exact.finalLoss)}: a change in the seventh digit of α moves where a `,
            "constant-rate run ends by a factor of ",
            `${
              d3(
                Math.max(exact.finalLoss, constant.finalLoss) /
                  Math.min(exact.finalLoss, constant.finalLoss),
              )
            }`,
            `, while the scheduled run ends at ${d3(exactCosine.finalLoss)} either way. `,
            "That is how sensitive the end of a rattling run is; the schedule ends the rattling.",
          ]
          : []),
      ],
    },
    {
      question: [
        "From the valley's table: by what factor may Adam's rate be off and still end below ",
        `f = ${n(VALLEY.tolerance)}, and by what factor SGD + momentum's (the ratio of each `,
        "band's ends)?",
      ],
      answer: [
        `Adam: ${d3(10 ** decades(adam.band))} (${bandText(adam.band)}); `,
        `SGD + momentum: ${d3(10 ** decades(mom.band))} (${bandText(mom.band)}).`,
      ],
    },
    {
      question: [
        `A weight the loss ignores starts at ${n(start)}. With pencil: where is it after ${t} `,
        `steps of AdamW (α = ${n(lr)}, λ = ${n(large)}), and about where after ${t} steps of `,
        "Adam with the same weight decay? Check Adam (0·w has gradient 0), then AdamW with ",
        "--optimizer adamw:",
      ],
      command: `stepgrad optimize "0 * w" --start w=${start} --optimizer adam --lr ${lr} ` +
        `--weight-decay ${large} --steps ${t} | tail -1`,
      answer: [
        "AdamW: ",
        formula`${start} \cdot (1 - ${lr} \cdot ${large})^{${t}} = ${adamWAfter}`,
        ". Adam: each ",
        `step moves it by about α, so about ${n(start)} − ${t}·${n(lr)} = `,
        `${n(start - t * lr)}; the run gives ${n(adamAfter)}.`,
      ],
    },
  );
}

async function run(sink: Sink, options: { seed?: number } = {}): Promise<void> {
  const seed = options.seed ?? DEFAULT_SEED;
  const doc = new Doc(sink);
  introduction(doc);
  const valleyP = valleyProblem();
  const valley = sweepAll(
    valleyP,
    VALLEY,
    CONTESTANTS,
    (d, t) => doc.progress("sweeping the valley", d, t),
  );
  valleySection(doc, valley);
  const moonsP = moonsProblem(seed);
  const moons = sweepAll(
    moonsP,
    MOONS,
    CONTESTANTS.filter((c) => c.moons),
    (d, t) => doc.progress("sweeping the moons network", d, t),
  );
  moonsSection(doc, moons, seed, moonsP.params.length);
  whyAdam(doc, valley, moons, valleyP, moonsP);
  momentumAndSchedules(doc, valley, moons, valleyP, moonsP);
  whatAdamWIsFor(doc, moons, moonsP);
  exercises(doc, valley, valleyP);
  await Promise.resolve();
}

export default defineLesson(import.meta, {
  number: 10,
  title: "Choosing an optimizer",
  summary: "A learning-rate sweep per optimizer on the valley and on the moons network: best " +
    "rate, PyTorch's default, how wide a band of rates works; then Adam as a default, momentum " +
    "and schedules, and what AdamW is for, each from the numbers.",
  defaultSeed: DEFAULT_SEED,
  run,
});
