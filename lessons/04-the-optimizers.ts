/**
 * Lesson 04: the optimizers. Plain gradient descent, momentum, Nesterov, RMSprop, Adam, Adamax,
 * Adagrad and Adadelta on one ill-conditioned valley (Rosenbrock's), each exactly as PyTorch
 * does it: the first steps written out with their state and explained under their traces, weight
 * decay in Adam and AdamW, the same rules in the notations of other courses, then a race at each
 * optimizer's best learning rate (from a sweep), their paths, and what each is good for.
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
  type MathSymbol,
  NOTATION,
  type OptimizationRun,
  type OptimizerName,
  type OptionValue,
  runOptimizer,
  SGD,
  type Sink,
  type StepTrace,
  Value,
} from "../mod.ts";

/** One contestant: a name for people, the optimizer and its options, and what it is good for. */
export interface Contestant {
  /** The name shown (Nesterov is SGD with `nesterov: true`). */
  name: string;
  /** The optimizer's name in the registry. */
  optimizer: string;
  /** Its options for the first steps traced (the rest are PyTorch's defaults); the race uses
   * the best rate of a sweep instead of this `lr`. */
  options: Record<string, OptionValue>;
  /** What it is good for, in a line. */
  goodFor: string;
}

/** The eight, each with the learning rate its first two steps are traced at. */
export const CONTESTANTS: readonly Contestant[] = [
  {
    name: "SGD",
    optimizer: "SGD",
    options: { lr: 0.001 },
    goodFor: "the baseline; its rate is capped by the steepest direction",
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
    goodFor: "momentum with the gradient counted twice; here it overshoots more, not less",
  },
  {
    name: "RMSprop",
    optimizer: "RMSprop",
    options: { lr: 0.01 },
    goodFor: "gradients of very different sizes per parameter",
  },
  {
    name: "Adam",
    optimizer: "Adam",
    options: { lr: 0.05 },
    goodFor: "momentum and per-parameter scaling together; first steps of size α",
  },
  {
    name: "Adamax",
    optimizer: "Adamax",
    options: { lr: 0.05 },
    goodFor: "Adam scaled by the largest recent gradient instead of a mean square",
  },
  {
    name: "Adagrad",
    optimizer: "Adagrad",
    options: { lr: 0.5 },
    goodFor: "steps that shrink with the gradients seen: rarely moved parameters keep large ones",
  },
  {
    name: "Adadelta",
    optimizer: "Adadelta",
    options: { lr: 1 },
    goodFor: "step sizes in the parameter's own units, learned from its past steps",
  },
];

/** The start, as in most textbooks: (−1.2, 1). */
export const START: readonly [number, number] = [-1.2, 1];
/** The most steps a race run (and a sweep run) takes. */
export const STEPS = 1000;
/** Steps of the weight-decay runs (Adam with L2 settles on its minimum within them). */
export const WEIGHT_DECAY_STEPS = 3000;
/** A contestant has arrived when the loss is below this. */
export const TOLERANCE = 1e-3;
/** A run has diverged when f grows past its start by this factor (runOptimizer's bound). */
const GROWTH = 1e6;

/** Rosenbrock's valley f(x, y) = (1 − x)² + 100·(y − x²)² as a graph, at (x, y). */
export function rosenbrock(x0: number, y0: number): { x: Value; y: Value; loss: Value } {
  const x = new Value(x0, "x"), y = new Value(y0, "y");
  const loss = new Value(1).sub(x).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100));
  return { x, y, loss };
}

/** f at a point, in plain arithmetic (for the contour grid and the fast runs). */
export function f(x: number, y: number): number {
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
}

/** ∇f at a point, by hand: (−2(1 − x) − 400x(y − x²), 200(y − x²)). */
export function gradient(x: number, y: number): [number, number] {
  const r = y - x * x;
  return [-2 * (1 - x) - 400 * x * r, 200 * r];
}

/** Runs one contestant from the start for `steps` steps on the graph (the traced first steps). */
export function race(c: Contestant, steps = STEPS, trace = false): OptimizationRun {
  const { x, y, loss } = rosenbrock(START[0], START[1]);
  return runOptimizer(loss, createOptimizer(c.optimizer, [x, y], c.options), { steps, trace });
}

/** The first step at which the loss after the step is below the tolerance, if any. */
export function arrival(run: OptimizationRun, tolerance = TOLERANCE): number | undefined {
  const i = run.steps.findIndex((s) => (s.lossAfter ?? Infinity) < tolerance);
  return i < 0 ? undefined : i + 1;
}

/** One run on the valley with the gradient by hand (no graph): fast enough to sweep. */
export interface ValleyRun {
  /** The learning rate. */
  lr: number;
  /** The steps taken (untraced), with the loss before and after each. */
  run: OptimizationRun;
  /** The step at which f fell below the tolerance (the run stops there). */
  arrived?: number;
  /** The step at which f grew past a million times its start or stopped being finite. */
  diverged?: number;
  /** f where the run stopped. */
  final: number;
}

/**
 * Runs a contestant at `lr` (its other options kept) from the start, with ∇f by hand, until it
 * arrives (f below the tolerance), diverges, or has taken `steps` steps. A run that is still
 * out after `giveUpAfter` steps stops there (in a sweep it can no longer win).
 */
export function valleyRun(
  c: Contestant,
  lr: number,
  steps = STEPS,
  giveUpAfter = Infinity,
): ValleyRun {
  const x = new Value(START[0], "x"), y = new Value(START[1], "y");
  const opt = createOptimizer(c.optimizer, [x, y], { ...c.options, lr });
  const initialLoss = f(START[0], START[1]);
  const run: OptimizationRun = {
    optimizer: opt.name,
    initialLoss,
    initialParams: { x: START[0], y: START[1] },
    steps: [],
  };
  let current = initialLoss;
  for (let t = 1; t <= steps; t++) {
    [x.grad, y.grad] = gradient(x.data, y.data);
    const step: StepTrace = opt.step({ trace: false });
    step.loss = current;
    current = f(x.data, y.data);
    step.lossAfter = current;
    run.steps.push(step);
    if (!Number.isFinite(current) || current - initialLoss > GROWTH * initialLoss) {
      return { lr, run, diverged: t, final: current };
    }
    if (current < TOLERANCE) return { lr, run, arrived: t, final: current };
    if (t >= giveUpAfter) break;
  }
  return { lr, run, final: current };
}

/** The learning rates a sweep tries: 1 and 3 times each power of ten from 10⁻⁴ to 1. */
export const RATES: readonly number[] = [-4, -3, -2, -1, 0].flatMap((e) => [
  10 ** e,
  3 * 10 ** e,
]);

/**
 * f where a run ended up: the arrival value if it arrived, else the highest f over its last
 * tenth of steps (a run that rattles across the floor is judged by its swings, not by a lucky
 * last step).
 */
export function settled(r: ValleyRun): number {
  if (r.arrived !== undefined || r.diverged !== undefined) return r.final;
  const tail = r.run.steps.slice(-Math.max(1, Math.floor(r.run.steps.length / 10)));
  return Math.max(...tail.map((s) => s.lossAfter!));
}

/** Whether run a is better than run b: arrived sooner, else settled lower; diverged is worst. */
function better(a: ValleyRun, b: ValleyRun): boolean {
  if (a.diverged !== undefined || b.diverged !== undefined) {
    return a.diverged === undefined && b.diverged !== undefined;
  }
  if (a.arrived !== undefined || b.arrived !== undefined) {
    return a.arrived !== undefined && (b.arrived === undefined || a.arrived < b.arrived);
  }
  return settled(a) < settled(b);
}

/** One rate of a sweep, summarised. */
export interface Tried {
  /** The learning rate. */
  lr: number;
  /** The step it arrived at, if it did. */
  arrived?: number;
  /** The step it diverged at, if it did. */
  diverged?: number;
  /** Whether it was stopped because it could no longer win. */
  gaveUp: boolean;
  /** Its settled f ({@linkcode settled}). */
  settled: number;
}

/** A contestant's sweep: every rate tried, largest first, and the best run. */
export interface Sweep {
  /** The rates tried and how each did. */
  tried: Tried[];
  /** The best run, with its steps. */
  best: ValleyRun;
}

/**
 * A learning-rate sweep over {@linkcode RATES}, from the largest down. Each run stops when it
 * arrives, diverges, or is still out at the best arrival step so far (it can no longer win);
 * the best run arrives first, or, if none arrives, settles lowest ({@linkcode settled}). Once a
 * rate has done better than diverging, the sweep ends after two rates in a row that do worse
 * than the best: smaller rates only crawl more slowly.
 */
export function sweep(c: Contestant): Sweep {
  const tried: Tried[] = [];
  let best: ValleyRun | undefined;
  let worse = 0;
  for (const lr of [...RATES].reverse()) {
    if (worse === 2) break;
    const giveUp = best?.arrived ?? Infinity;
    const r = valleyRun(c, lr, STEPS, giveUp);
    tried.push({
      lr,
      arrived: r.arrived,
      diverged: r.diverged,
      gaveUp: r.arrived === undefined && r.diverged === undefined && r.run.steps.length < STEPS,
      settled: settled(r),
    });
    if (best === undefined || better(r, best)) {
      best = r;
      worse = 0;
    } else if (best.diverged === undefined) worse++;
  }
  return { tried, best: best! };
}

/** The rate each contestant races at: the best of its sweep (the one place the rates come from). */
export function raceRates(): Sweep[] {
  return CONTESTANTS.map(sweep);
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
    after: "The race, each at its best rate",
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

/** x's and y's values after each step of a run: [x, y] at step t is `at(run, t)`. */
function at(run: OptimizationRun, t: number): [number, number] {
  if (t === 0) return [START[0], START[1]];
  const s = run.steps[t - 1];
  return [s.params[0].after, s.params[1].after];
}

const index = (name: string) => CONTESTANTS.findIndex((c) => c.name === name);

/** Everything the lesson computes, once, before it writes. */
export interface Computed {
  /** Each contestant's first two steps on the graph, traced. */
  firstSteps: OptimizationRun[];
  /** Momentum and Nesterov at their traced rate, until they arrive. */
  atTracedRate: { momentum: ValleyRun; nesterov: ValleyRun };
  /** Each contestant's sweep; the race is each sweep's best run. */
  sweeps: Sweep[];
  /** The letters the traces write: the momentum buffer, Adadelta's mean of squared steps. */
  symbols: { buffer: Letter; squaredSteps: Letter };
}

/** A state variable's letter, as a trace writes it (`m` of `mₜ`), in both spellings. */
export interface Letter {
  /** LaTeX (`m`). */
  tex: string;
  /** Text (`m`). */
  text: string;
}

/** The letter of the k-th state equation of x at step 1 of a traced run (`mₜ` gives `m`). */
export function stateLetter(run: OptimizationRun, k: number): Letter {
  const lhs = run.steps[0].params[0].equations.filter((e) => e.role === "state")[k].lhs;
  return { tex: lhs.tex.replace(/_\{?t\}?$/, ""), text: lhs.text.replace(/ₜ$/, "") };
}

/** A letter with a subscript, for formula slots: `m` and 2 give m₂. */
function indexed(l: Letter, i: number): { tex: string; text: string } {
  return { tex: `${l.tex}_${i}`, text: `${l.text}${"₀₁₂₃₄₅₆₇₈₉"[i]}` };
}

/** Runs everything the lesson shows. */
export function compute(): Computed {
  const firstSteps = CONTESTANTS.map((c) => race(c, 2, true));
  return {
    firstSteps,
    symbols: {
      buffer: stateLetter(firstSteps[index("SGD + momentum")], 0),
      squaredSteps: stateLetter(firstSteps[index("Adadelta")], 2),
    },
    atTracedRate: {
      momentum: valleyRun(named("SGD + momentum"), named("SGD + momentum").options.lr as number),
      nesterov: valleyRun(named("Nesterov"), named("Nesterov").options.lr as number),
    },
    sweeps: raceRates(),
  };
}

/** The valley, the start and its gradient. */
function introduction(doc: Doc): void {
  doc.say(
    "Lesson 02 ended on a problem: when a loss is steep in one direction and flat in another, no ",
    "single learning rate suits both. Rosenbrock's valley is the classic case: a curved, narrow ",
    "valley with a nearly flat floor, and its minimum at (1, 1).",
  );
  doc.math(formula`f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2`);
  const [gx, gy] = gradient(START[0], START[1]);
  doc.say(
    `From the usual start (${n(START[0])}, ${n(START[1])}), where f = `,
    `${n(f(START[0], START[1]))}, the gradient is (${n(gx)}, ${n(gy)}): steep across the `,
    "valley, and nearly nothing along it once the floor is reached. Eight optimizers, each ",
    "exactly as PyTorch 2 implements it, set off from there. Below, g is the gradient a rule ",
    "uses (∂L/∂x or ∂L/∂y in the traces), α the learning rate and t the step number.",
  );
}

/** Step t's (before, grad, after) of parameter i (0 for x, 1 for y). */
function param(run: OptimizationRun, t: number, i: number) {
  return run.steps[t - 1].params[i];
}

/** Momentum's second step climbs the valley wall: the buffer still carries step 1's gradient. */
function explainMomentum(doc: Doc, c: Computed): void {
  const mu = named("SGD + momentum").options.momentum as number;
  const lr = named("SGD + momentum").options.lr as number;
  const run = c.firstSteps[index("SGD + momentum")];
  const plain = c.firstSteps[index("SGD")];
  const g1 = param(run, 1, 0).grad, g2 = param(run, 2, 0).grad;
  const carried = mu * g1, m2 = carried + g2;
  const M = c.symbols.buffer;
  const [x1, y1] = at(run, 1), [x2, y2] = at(run, 2);
  doc.say(
    `Momentum's second step raises f from ${n(run.steps[0].lossAfter!)} to `,
    `${n(run.steps[1].lossAfter!)}. At step 2 the gradient has turned round: ∂L/∂x = ${n(g2)} `,
    `says x should go back, and plain SGD's second step does (to ${n(at(plain, 2)[0])}). But `,
    `the buffer ${M.text} still holds the first step's huge gradient:`,
  );
  doc.math(
    formula`${indexed(M, 2)} = \mu\,${
      indexed(M, 1)
    } + g_2 = ${mu} \cdot ${g1} + ${g2} = ${carried} + ${g2} = ${m2}`,
    formula`x_2 = x_1 - \alpha\,${indexed(M, 2)} = ${x1} - ${lr} \cdot ${m2} = ${x2}`,
  );
  doc.say(
    `The carried part μ·${indexed(M, 1).text} = ${n(carried)} is ${
      n(Math.abs(carried / g2), { digits: 2 })
    } `,
    "times the new gradient, so x keeps going right, up the valley's curved wall. How far the ",
    "point is above the floor y = x² shows it: y − x² grows from ",
    `${n(y1 - x1 * x1)} to ${n(y2 - x2 * x2)}, and the wall term 100·(y − x²)² from `,
    `${n(100 * (y1 - x1 * x1) ** 2)} to ${n(100 * (y2 - x2 * x2) ** 2)}, while (1 − x)² only `,
    `falls from ${n((1 - x1) ** 2)} to ${n((1 - x2) ** 2)}. So momentum pays for its `,
    "speed along the floor with swings across it.",
  );
}

/** Nesterov: what the valley's numbers show (lesson 02 derives it). */
function explainNesterov(doc: Doc, c: Computed): void {
  const nest = named("Nesterov");
  const mu = nest.options.momentum as number, lr = nest.options.lr as number;
  const run = c.firstSteps[index("Nesterov")];
  const momentum = c.firstSteps[index("SGD + momentum")];
  const g1 = param(run, 1, 0).grad;
  const d1 = g1 + mu * g1;
  const M = c.symbols.buffer;
  const { momentum: mAt, nesterov: nAt } = c.atTracedRate;
  const sm = c.sweeps[index("SGD + momentum")], sn = c.sweeps[index("Nesterov")];
  const tooFast = sn.tried.find((r) => r.diverged !== undefined && r.lr === sm.best.lr);
  doc.say(
    "Lesson 02 derives Nesterov's rule as a look-ahead (the gradient taken where momentum is ",
    "about to carry the point) and shows PyTorch's form, which never evaluates there. Its ",
    'often-repeated summary, "it looks ahead, so it overshoots less", is not what this ',
    `valley shows. PyTorch's Nesterov steps along g + μ·${M.text}, so its first step counts the `,
    "gradient twice:",
  );
  doc.math(
    formula`g_1 + \mu\,${indexed(M, 1)} = (1 + \mu)\,g_1 = ${1 + mu} \cdot ${g1} = ${d1}`,
    formula`x_1 = ${START[0]} - ${lr} \cdot ${d1} = ${at(run, 1)[0]}`,
  );
  doc.say(
    `That is ${n(1 + mu)} times plain SGD's first step, and it overshoots the valley: f rises `,
    `from ${n(run.initialLoss)} to ${n(run.steps[0].lossAfter!)}, where momentum's first step `,
    `lowers it to ${n(momentum.steps[0].lossAfter!)}. At α = ${n(lr)} Nesterov reaches `,
    `f < ${n(TOLERANCE)} at step ${n(nAt.arrived ?? NaN)}, momentum at step `,
    `${n(mAt.arrived ?? NaN)}. In the race below, at their best rates, momentum arrives at step `,
    `${n(sm.best.arrived ?? NaN)} with α = ${n(sm.best.lr)}`,
    tooFast
      ? `, a rate at which Nesterov diverges (step ${n(tooFast.diverged!)}); Nesterov's best, ` +
        `α = ${n(sn.best.lr)}, arrives at step ${n(sn.best.arrived ?? NaN)}.`
      : `; Nesterov's best, α = ${n(sn.best.lr)}, arrives at step ${n(sn.best.arrived ?? NaN)}.`,
  );
}

/** RMSprop: a per-parameter step size from a running mean of g². */
function explainRMSprop(doc: Doc, c: Computed): void {
  const o = named("RMSprop").options;
  const lr = o.lr as number, rho = 0.99;
  const run = c.firstSteps[index("RMSprop")];
  const [gx, gy] = [param(run, 1, 0).grad, param(run, 1, 1).grad];
  const vx = (1 - rho) * gx * gx, vy = (1 - rho) * gy * gy;
  doc.say(
    "RMSprop keeps v, a running mean of g² for each parameter (ρ = ",
    `${n(rho)}, PyTorch's alpha), and divides the step by √v: each parameter gets its own `,
    "step size α/(√v + ε). After one step v₁ = (1 − ρ)·g², so √v₁ = √(1 − ρ)·|g| and every ",
    "parameter moves by α/√(1 − ρ), whatever its gradient:",
  );
  doc.math(
    formula`x_1 = x_0 - \alpha\,\frac{g}{\sqrt{v_x} + \varepsilon} = ${
      START[0]
    } - ${lr} \cdot \frac{${gx}}{${Math.sqrt(vx)}} = ${at(run, 1)[0]}`,
  );
  doc.say(
    `The steep x (g = ${n(gx)}) gets the smaller step size, α/√v = ${n(lr / Math.sqrt(vx))}, `,
    `the flatter y (g = ${n(gy)}) the larger, ${n(lr / Math.sqrt(vy))}, and both move `,
    `the same distance (y goes to ${n(at(run, 1)[1])}): the division evens out lesson 02's `,
    "problem. As ",
    "v forgets old gradients (its memory is about 1/(1 − ρ) steps), the step sizes follow the ",
    "gradients' recent size, up or down.",
  );
}

/** Adam: m and v, bias correction, the first step of size α, and ε. */
function explainAdam(doc: Doc, c: Computed): void {
  const lr = named("Adam").options.lr as number, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const run = c.firstSteps[index("Adam")];
  const g = param(run, 1, 0).grad, gy = param(run, 1, 1).grad;
  const m1 = (1 - b1) * g, v1 = (1 - b2) * g * g;
  const uncorrected = (lr * m1) / (Math.sqrt(v1) + eps);
  doc.say(
    "Adam keeps two running means per parameter: m estimates the mean gradient (a momentum ",
    "buffer with dampening, β₁ = ",
    `${n(b1)}) and v the mean squared gradient (as RMSprop, β₂ = ${n(b2)}). Both start at `,
    "zero, so early on they are too small. After one step:",
  );
  doc.math(
    formula`m_1 = (1 - \beta_1)\,g = ${1 - b1} \cdot ${g} = ${m1}`,
    formula`v_1 = (1 - \beta_2)\,g^2 = ${1 - b2} \cdot ${g * g} = ${v1}`,
  );
  doc.say(
    `m₁ is ${n(1 / (1 - b1))} times too small as an estimate of the gradient, and √v₁ is `,
    `${n(1 / Math.sqrt(1 - b2), { digits: 3 })} times too small. Bias correction divides each `,
    "by the weight its running mean has gathered so far, 1 − βᵗ, so that m̂₁ = g and v̂₁ = g²:",
  );
  doc.math(
    formula`\hat{m}_1 = \frac{m_1}{1 - \beta_1} = ${
      m1 / (1 - b1)
    }, \quad \hat{v}_1 = \frac{v_1}{1 - \beta_2} = ${v1 / (1 - b2)}`,
    formula`x_1 = x_0 - \alpha\,\frac{\hat{m}_1}{\sqrt{\hat{v}_1} + \varepsilon} = ${
      START[0]
    } - ${lr} \cdot \frac{${g}}{${Math.abs(g)} + ${eps}} = ${at(run, 1)[0]}`,
  );
  doc.say(
    "So the first step moves every parameter by almost exactly α, whatever its gradient: x ",
    `(g = ${n(g)}) goes from ${n(START[0])} to ${n(at(run, 1)[0])} and y (g = ${n(gy)}) from `,
    `${n(START[1])} to ${n(at(run, 1)[1])}; check both in the trace above. Without the `,
    `correction the first step would be α·m₁/(√v₁ + ε) = ${n(uncorrected)}, `,
    `${n(Math.abs(uncorrected) / lr, { digits: 3 })} times α, set by β₁ and β₂ rather than by α.`,
  );
  const tiny = 1e-8;
  const w = new Value(0, "w");
  const adam = createOptimizer("Adam", [w], { lr });
  w.grad = tiny;
  adam.step({ trace: false });
  doc.say(
    "ε sits outside the root, after the correction (PyTorch's order): √v̂ + ε. It keeps the ",
    "division finite when a gradient is near zero, and it is negligible otherwise: at ",
    `|g| = ${n(Math.abs(g))} it shortens the step by ${n(lr * eps / (Math.abs(g) + eps))}, `,
    `a fraction ${n(eps / (Math.abs(g) + eps), { digits: 2 })} of it. `,
    `It matters only when |g| is near ε itself: a parameter whose first gradient is ${n(tiny)} `,
    `moves by ${n(-w.data)}, not α = ${n(lr)}, because √v̂ + ε = ${n(tiny)} + ${n(eps)} `,
    "doubles the denominator.",
  );
}

/** Adamax: the infinity norm instead of v. */
function explainAdamax(doc: Doc, c: Computed): void {
  const b2 = 0.999, eps = 1e-8;
  const run = c.firstSteps[index("Adamax")], adam = c.firstSteps[index("Adam")];
  const g1 = param(run, 1, 0).grad, g2 = param(run, 2, 0).grad;
  const u2 = Math.max(b2 * (Math.abs(g1) + eps), Math.abs(g2) + eps);
  const v2hat = (b2 * (1 - b2) * g1 * g1 + (1 - b2) * g2 * g2) / (1 - b2 * b2);
  doc.say(
    "Adamax replaces √v by u, a running maximum of |g| that decays by β₂ each step: ",
    "u ← max(β₂·u, |g| + ε), the infinity norm where Adam uses a mean square. Its first step ",
    `is Adam's (m̂₁/u₁ = g/|g|): x goes to ${n(at(run, 1)[0])} in both. At step 2 x's gradient `,
    `has shrunk from ${n(g1)} to ${n(g2)}; Adam's √v̂₂ = ${n(Math.sqrt(v2hat))} follows it `,
    `part of the way, Adamax's u₂ = max(${n(b2)} · ${n(Math.abs(g1))}, ${n(Math.abs(g2))}) = `,
    `${n(u2)} remembers the largest. So Adamax's second step is shorter: `,
    `${n(at(run, 2)[0] - at(run, 1)[0])} against Adam's ${n(at(adam, 2)[0] - at(adam, 1)[0])}.`,
  );
}

/** Adagrad: a growing sum, steps that only shrink. */
function explainAdagrad(doc: Doc, c: Computed): void {
  const s = c.sweeps[index("Adagrad")].best;
  const eps = 1e-10;
  const first = c.firstSteps[index("Adagrad")];
  let sum = 0;
  const rows: (string | number)[][] = [];
  const marks = new Set([1, 2, 10, 100, 1000, 2000, 3000]);
  s.run.steps.forEach((step, k) => {
    sum += step.params[0].grad ** 2;
    if (marks.has(k + 1) || k + 1 === s.run.steps.length) {
      rows.push([k + 1, step.params[0].grad, Math.sqrt(sum), s.lr / (Math.sqrt(sum) + eps)]);
    }
  });
  doc.say(
    "Adagrad divides by the square root of s, the sum of every squared gradient so far. A sum ",
    "never decreases, so each parameter's step size α/(√s + ε) only shrinks. Its first step is ",
    `again α in every direction (√s₁ = |g|): with α = ${n(named("Adagrad").options.lr as number)} `,
    `x jumps to ${n(at(first, 1)[0])} and f rises from ${n(first.initialLoss)} to `,
    `${n(first.steps[0].lossAfter!)}. In the race (α = ${n(s.lr)}) x's step size falls like this:`,
  );
  doc.table(
    [
      { header: "step t", align: "right" },
      "∂L/∂x",
      { header: "√s for x", align: "right" },
      { header: "α/(√s + ε)", align: "right" },
    ],
    rows,
    "Adagrad's step size for x in the race: it falls whether the gradient is large or small.",
  );
}

/** Adadelta: no learning rate; units that match. */
function explainAdadelta(doc: Doc, c: Computed): void {
  const rho = 0.9, eps = 1e-6;
  const q = c.symbols.squaredSteps.text;
  const sw = c.sweeps[index("Adadelta")].best;
  const first = c.firstSteps[index("Adadelta")];
  const dx = at(first, 1)[0] - START[0];
  const ratio = (t: number) => {
    const p = sw.run.steps[t - 1].params[0];
    return (p.before - p.after) / (sw.lr * p.grad);
  };
  const last = sw.run.steps.length;
  const marks = [1, 10, 100, 1000].filter((t) => t < last).concat([last]);
  doc.say(
    `Adadelta has no learning rate in Zeiler's paper. Its step is Δ = √(${q} + ε)/√(v + ε)·g, `,
    `where v is RMSprop's running mean of g² and ${q} a running mean of the squared steps Δ² it `,
    "has taken. The units match: if θ is measured in metres and L in joules, g is in joules ",
    `per metre, √${q} is in metres and √v in joules per metre, so Δ comes out in metres. (SGD's `,
    `α·g is in joules per metre times whatever α is; Adam's step is in α's units.) With ${q} = 0 `,
    "at the start, ε sets the first step: √ε/√(1 − ρ) whatever the gradient, ",
    `${n(Math.sqrt(eps / (1 - rho)))} for ε = ${n(eps)} and ρ = ${n(rho)}; x moves `,
    `${n(dx)}. The ratio √(${q} + ε)/√(v + ε) then plays the learning rate, learned from the `,
    `steps themselves; in the race it grows: `,
    marks.map((t) => `${n(ratio(t), { digits: 3 })} at step ${n(t)}`).join(", "),
    ". PyTorch still multiplies Δ by its lr: lr = 1 is Zeiler's method",
    sw.lr === 1
      ? ", and the sweep below finds no better rate on this valley."
      : `, and the sweep below finds lr = ${n(sw.lr)} better on this valley.`,
  );
}

/** Each optimizer's first two steps, traced with their state, each explained under its trace. */
function firstSteps(doc: Doc, c: Computed): void {
  doc.heading("The first two steps of each, with their state");
  doc.say(
    "Every line is one equation of the optimizer: the rule, the rule with this step's numbers, ",
    "the result. State (momentum buffers, moment estimates, accumulators) starts at zero and is ",
    "carried from step to step.",
  );
  const explain: Record<string, (doc: Doc, c: Computed) => void> = {
    "SGD + momentum": explainMomentum,
    Nesterov: explainNesterov,
    RMSprop: explainRMSprop,
    Adam: explainAdam,
    Adamax: explainAdamax,
    Adagrad: explainAdagrad,
    Adadelta: explainAdadelta,
  };
  CONTESTANTS.forEach((contestant, i) => {
    doc.trace(c.firstSteps[i], contestant.name);
    explain[contestant.name]?.(doc, c);
  });
}

/** Weight decay in Adam (L2, inside the gradient) and AdamW (decoupled), with a run of each. */
export function weightDecayRuns(steps = WEIGHT_DECAY_STEPS): {
  lr: number;
  decay: number;
  adam: OptimizationRun;
  adamw: OptimizationRun;
  l2Minimum: [number, number];
} {
  const lr = named("Adam").options.lr as number, decay = 0.1;
  const adam = valleyRun({ ...named("Adam"), options: { weightDecay: decay } }, lr, steps, steps);
  const adamw = valleyRun(
    { ...named("Adam"), optimizer: "AdamW", options: { weightDecay: decay } },
    lr,
    steps,
    steps,
  );
  // The minimum of f + (λ/2)(x² + y²), by Newton's method from (1, 1).
  let [x, y] = [1, 1];
  for (let i = 0; i < 30; i++) {
    const [gx, gy] = gradient(x, y);
    const r = y - x * x;
    const a = 2 - 400 * r + 800 * x * x + decay, b = -400 * x, d = 200 + decay;
    const ex = gx + decay * x, ey = gy + decay * y, det = a * d - b * b;
    x -= (d * ex - b * ey) / det;
    y -= (a * ey - b * ex) / det;
  }
  return { lr, decay, adam: adam.run, adamw: adamw.run, l2Minimum: [x, y] };
}

function weightDecay(doc: Doc): void {
  doc.heading("Weight decay: Adam's L2 or AdamW's decoupled decay");
  const { lr, decay, adam, adamw, l2Minimum } = weightDecayRuns();
  const [ax, ay] = at(adam, 1), [wx, wy] = at(adamw, 1);
  const shrunk = START[0] * (1 - lr * decay);
  doc.say(
    `Weight decay pulls every parameter towards 0. Adam's weight_decay λ adds λ·θ to the `,
    "gradient, as the gradient of an L2 penalty (λ/2)·θ² would; the sum then goes through m, v ",
    "and the division by √v̂ like any gradient. AdamW (Loshchilov and Hutter's decoupled weight ",
    "decay) leaves the gradient alone and shrinks the parameter directly, θ ← θ − α·λ·θ, before ",
    `Adam's step. With λ = ${n(decay)} and α = ${n(lr)}, the first steps differ at once:`,
  );
  doc.math(
    formula`\text{Adam: } g = ${gradient(START[0], START[1])[0]} + ${decay} \cdot ${START[0]} = ${
      gradient(START[0], START[1])[0] + decay * START[0]
    }, \quad x_1 = ${ax}`,
    formula`\text{AdamW: } x \leftarrow ${
      START[0]
    } \cdot (1 - ${lr} \cdot ${decay}) = ${shrunk}, \quad x_1 = ${wx}`,
  );
  const aEnd = at(adam, adam.steps.length), wEnd = at(adamw, adamw.steps.length);
  const half = Math.floor(adamw.steps.length / 2), wHalf = at(adamw, half);
  doc.say(
    "In Adam the decay term is lost in a gradient of that size: the step is still α, and x ",
    `lands where it does without decay (${n(ax)}, y ${n(ay)}). AdamW's decay acts on its own `,
    `(x ${n(wx)}, y ${n(wy)}). After ${n(adam.steps.length)} steps Adam with L2 is at `,
    `(${n(aEnd[0])}, ${n(aEnd[1])}): the minimum of f + (λ/2)(x² + y²), which Newton's `,
    `method puts at (${n(l2Minimum[0])}, ${n(l2Minimum[1])}). AdamW is at `,
    `(${n(wEnd[0])}, ${n(wEnd[1])}), f = ${n(f(wEnd[0], wEnd[1]))}, and still moving (it was `,
    `at (${n(wHalf[0])}, ${n(wHalf[1])}) after ${n(half)} steps): its decay `,
    "is not divided by √v̂, so it does not weaken where gradients are large or grow where they ",
    "are small. That is what AdamW is for: a decay whose strength is α·λ for every parameter, ",
    "the same whatever the scale of that parameter's gradients.",
  );
}

/** The momentum update in the v-form (CS231n, Keras): v ← μv − αₜg, θ ← θ + v. */
export function velocityForm(rates: readonly number[], mu: number): [number, number][] {
  let [x, y] = START;
  let vx = 0, vy = 0;
  const out: [number, number][] = [];
  for (const a of rates) {
    const [gx, gy] = gradient(x, y);
    vx = mu * vx - a * gx;
    vy = mu * vy - a * gy;
    x += vx;
    y += vy;
    out.push([x, y]);
  }
  return out;
}

/** Ng's course: v ← βv + (1 − β)g, θ ← θ − α·v, v starting at 0. */
export function averagedForm(rate: number, beta: number, steps: number): [number, number][] {
  let [x, y] = START;
  let vx = 0, vy = 0;
  const out: [number, number][] = [];
  for (let t = 0; t < steps; t++) {
    const [gx, gy] = gradient(x, y);
    vx = beta * vx + (1 - beta) * gx;
    vy = beta * vy + (1 - beta) * gy;
    x -= rate * vx;
    y -= rate * vy;
    out.push([x, y]);
  }
  return out;
}

/** PyTorch's SGD with momentum, rate `rates[t]` at step t. */
export function pytorchMomentum(rates: readonly number[], mu: number): [number, number][] {
  const x = new Value(START[0], "x"), y = new Value(START[1], "y");
  const opt = new SGD([x, y], { lr: rates[0], momentum: mu });
  return rates.map((a) => {
    [x.grad, y.grad] = gradient(x.data, y.data);
    opt.lr = a;
    opt.step({ trace: false });
    return [x.data, y.data];
  });
}

/** How two ε conventions scale one step: outside √v (PyTorch) against inside √(v + ε) (d2l). */
export function epsilonPlacement(g: number, eps: number): { outside: number; inside: number } {
  // One RMSprop-style step from v = 0 with ρ = 0.9 (d2l's γ), as a multiple of α.
  const v = (1 - 0.9) * g * g;
  return { outside: g / (Math.sqrt(v) + eps), inside: g / Math.sqrt(v + eps) };
}

function otherNotations(doc: Doc, c: Computed): void {
  const M = c.symbols.buffer.text;
  doc.heading("The same rules in other notations");
  // Sources, read for this table (each convention checked in its own text):
  // - PyTorch: torch.optim docs and lib/optim (reference/optimizers.md).
  // - CS231n: cs231n.github.io neural-networks-3.md, "v = mu * v - learning_rate * dx; x += v";
  //   Adagrad/RMSprop "x += - learning_rate * dx / (np.sqrt(cache) + eps)"; Adam
  //   "x += - learning_rate * mt / (np.sqrt(vt) + eps)".
  // - d2l (d2l-ai/d2l-en chapter_optimization): momentum.md "v_t ← β v_{t-1} + g_{t,t-1},
  //   x_t ← x_{t-1} − η_t v_t"; rmsprop.md and adagrad.md "η/√(s_t + ε)" (ε inside);
  //   adam.md "η v̂_t/(√ŝ_t + ε)" (outside).
  // - Andrew Ng's Deep Learning Specialization, course 2 (its programming assignment as copied
  //   in DeepakSridhar/Deep-Learning-Coursera, Course-2/Optimization/update_momentum.py and
  //   update_adam.py): "v = beta*v + (1 - beta)*dW; W = W - learning_rate*v", v from zeros;
  //   Adam "W - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)".
  // - Keras (tf.keras.optimizers.SGD docs r2.7–r2.9): "velocity = momentum * velocity -
  //   learning_rate * g; w = w + velocity"; Adam's epsilon "is 'epsilon hat' in the Kingma and
  //   Ba paper (in the formula just before Section 2.1), not the epsilon in Algorithm 1".
  doc.say(
    "Courses write these rules differently. Some differences are only names; some change the ",
    `numbers. The momentum buffer ${M} here is PyTorch's (${M} ← μ${M} + g, θ ← θ − α·${M}).`,
  );
  doc.table(
    ["source", "momentum", "ε in RMSprop / Adam"],
    [
      ["PyTorch", `${M} ← μ${M} + (1 − τ)g (${M}₁ = g), θ ← θ − αₜ·${M}`, "√v + ε, √v̂ + ε"],
      ["CS231n notes", "v ← μv − α·g, θ ← θ + v", "√v + ε, √v̂ + ε"],
      ["Keras (tf.keras)", "v ← μv − α·g, θ ← θ + v", "Adam: the paper's ε̂, added to √v"],
      ["d2l", "v ← βv + g, θ ← θ − ηₜ·v", "√(s + ε) (RMSprop, Adagrad); √ŝ + ε (Adam)"],
      ["Ng's course", "v ← βv + (1 − β)·dW, W ← W − α·v", "√ŝ + ε (Adam)"],
    ],
    `v, s, β, γ, η are those sources' own letters; this lesson writes ${M}, v, μ, ρ, α.`,
  );
  const mu = 0.9, a = 0.001;
  const constant = [a, a, a];
  const torch = pytorchMomentum(constant, mu), vel = velocityForm(constant, mu);
  const halved = [a, a / 2, a / 2];
  const torchH = pytorchMomentum(halved, mu), velH = velocityForm(halved, mu);
  doc.say(
    `The v-form stores v = −α·${M}. With a constant α the two are the same rule: after three `,
    `steps at α = ${n(a)}, μ = ${n(mu)}, PyTorch's form puts x at ${n(torch[2][0])} and the `,
    `v-form at ${
      n(vel[2][0])
    }. They part once α changes, because PyTorch applies the new α to the `,
    "whole buffer while the v-form applies it to the new gradient only. Halve α after the ",
    `first step: PyTorch (and d2l) put x at ${n(torchH[2][0])} after three steps, CS231n's and `,
    `Keras' form at ${n(velH[2][0])}.`,
  );
  const ng = averagedForm(a / (1 - mu), mu, 3);
  const damp = (() => {
    const x = new Value(START[0], "x"), y = new Value(START[1], "y");
    const opt = new SGD([x, y], { lr: a / (1 - mu), momentum: mu, dampening: mu });
    [x.grad, y.grad] = gradient(x.data, y.data);
    opt.step({ trace: false });
    return x.data;
  })();
  doc.say(
    `Ng's v is a running mean, (1 − β) times PyTorch's ${M}, so it is PyTorch's rule with α `,
    `multiplied by 1 − β: at α = ${n(a / (1 - mu))}, β = ${n(mu)} it puts x at ${n(ng[2][0])} `,
    `after three steps, where PyTorch at α = ${n(a)} has ${n(torch[2][0])}. PyTorch's `,
    "dampening τ = β is not the same rule: its first buffer is g itself, not (1 − β)·g, so at ",
    `the same α = ${n(a / (1 - mu))} its first step moves x by ${n(damp - START[0])}, `,
    `${n((damp - START[0]) / (ng[0][0] - START[0]))} times the running mean's `,
    `${n(ng[0][0] - START[0])}.`,
  );
  const big = epsilonPlacement(215.6, 1e-8), small = epsilonPlacement(1e-4, 1e-8);
  const b2 = 0.999, epsHat = 1e-7;
  doc.say(
    "Where ε sits matters only for small gradients. A first RMSprop-style step (ρ = 0.9) moves ",
    `${n(big.outside)}·α with ε outside the root and ${n(big.inside)}·α inside it when `,
    `g = ${n(215.6)}, but ${n(small.outside)}·α against ${n(small.inside)}·α when `,
    `g = ${n(1e-4)} (ε = ${n(1e-8)}). Keras' Adam adds its ε̂ to √v before bias correction, `,
    "which is PyTorch's rule with ε = ε̂/√(1 − β₂ᵗ): Keras' default ε̂ = ",
    `${n(epsHat)} acts like PyTorch's ε = ${n(epsHat / Math.sqrt(1 - b2))} at step 1 and `,
    `${n(epsHat / Math.sqrt(1 - b2 ** 1000), { digits: 3 })} at step 1000.`,
  );
}

/** The contour grid the panels share: x from −2 to 2, y from −1 to 3, 41 points each way. */
export const PANEL_XS: readonly number[] = Array.from({ length: 41 }, (_, i) => -2 + i / 10);
/** See {@linkcode PANEL_XS}. */
export const PANEL_YS: readonly number[] = Array.from({ length: 41 }, (_, j) => -1 + j / 10);

/** The race: the sweep, a table, the loss curves and one panel per optimizer. */
function theRace(doc: Doc, c: Computed): void {
  doc.heading("The race, each at its best rate");
  const best = c.sweeps.map((s) => s.best);
  const byRate = best.map((r, i) => ({ lr: r.lr, name: CONTESTANTS[i].name }))
    .sort((a, b) => a.lr - b.lr);
  const { lr: lowest, name: lowestName } = byRate[0];
  const { lr: highest, name: highestName } = byRate.at(-1)!;
  const sgdDiverges = Math.min(
    ...c.sweeps[index("SGD")].tried.filter((t) => t.diverged !== undefined).map((t) => t.lr),
  );
  doc.say(
    "A race at one learning rate would measure the rate more than the optimizer: the best ",
    `rates below run from ${n(lowest)} (${lowestName}) to ${n(highest)} (${highestName}), and `,
    `SGD diverges at every rate from ${n(sgdDiverges)} up. So each optimizer races at its own `,
    "best rate, ",
    `found by a sweep over ${listed(RATES.map((r) => n(r)))}. Each run goes until `,
    `f < ${n(TOLERANCE)}, or for ${n(STEPS)} steps; the run that arrives first wins, and if `,
    "none arrives, the one that settles lowest (judged by the highest f over its last tenth of ",
    "steps, so that a run rattling across the floor is not judged by one lucky step).",
  );
  doc.table(
    [
      "optimizer",
      { header: "best α", align: "right" },
      { header: `f < ${n(TOLERANCE)} at`, align: "right" },
      "f settled at",
      { header: "diverges at α ≥", align: "right" },
    ],
    c.sweeps.map((s, i) => {
      const r = s.best;
      const diverging = s.tried.filter((t) => t.diverged !== undefined).map((t) => t.lr);
      return [
        CONTESTANTS[i].name,
        r.lr,
        r.arrived === undefined ? "not reached" : `step ${r.arrived}`,
        settled(r),
        diverging.length ? Math.min(...diverging) : `none ≤ ${n(RATES.at(-1)!)}`,
      ];
    }),
    `All from (${n(START[0])}, ${n(START[1])}); the minimum is f(1, 1) = 0. Momentum 0.9 for ` +
      "SGD + momentum and Nesterov; every other option is PyTorch's default.",
  );
  doc.block({
    kind: "chart",
    title: "f along the way, each at its best rate",
    xLabel: "step",
    yLabel: "f",
    logY: true,
    series: best.map((r, i) => ({
      name: CONTESTANTS[i].name,
      points: [
        [0, r.run.initialLoss] as [number, number],
        ...r.run.steps.map((s, k): [number, number] => [k + 1, s.lossAfter ?? NaN]),
      ],
    })),
  });
  const xs = [...PANEL_XS], ys = [...PANEL_YS];
  const z = ys.map((y) => xs.map((x) => f(x, y)));
  doc.say(
    "Their paths, one panel each on the same contours. Each path starts at ",
    `(${n(START[0])}, ${n(START[1])}) (a ring in the handout); the minimum (1, 1) is marked `,
    "with a cross (@ in the terminal).",
  );
  best.forEach((r, i) => {
    doc.block({
      kind: "contour",
      title: `${CONTESTANTS[i].name}, α = ${n(r.lr)}`,
      xs,
      ys,
      z,
      paths: [{ name: CONTESTANTS[i].name, points: path(r.run) }],
      marks: [{ name: "the minimum", point: [1, 1] }],
      xLabel: "x",
      yLabel: "y",
    });
  });
}

/** What the race shows, and what each optimizer is good for. */
function whatTheRaceShows(doc: Doc, c: Computed): void {
  doc.heading("What the race shows");
  const best = c.sweeps.map((s) => s.best);
  const arrived = (pick: (r: ValleyRun) => boolean) =>
    listed(CONTESTANTS.filter((_, i) => pick(best[i])).map((c) => c.name));
  const order = best.map((r, i) => ({ r, i })).filter(({ r }) => r.arrived !== undefined)
    .sort((a, b) => a.r.arrived! - b.r.arrived!);
  const sgd = best[index("SGD")];
  doc.say(
    `Each at its best rate, ${arrived((r) => r.arrived !== undefined)} reach f < `,
    `${n(TOLERANCE)}, in this order: `,
    order.map(({ r, i }) => `${CONTESTANTS[i].name} (step ${n(r.arrived!)})`).join(", "),
    `. ${arrived((r) => r.arrived === undefined)} do not within ${n(STEPS)} steps. Plain SGD `,
    `crawls along the floor (it ends at (${n(at(sgd.run, sgd.run.steps.length)[0])}, `,
    `${n(at(sgd.run, sgd.run.steps.length)[1])})), because the next rate tried diverges `,
    "across the valley, as lesson 02 predicts. Momentum adds up the small, agreeing gradients ",
    "along the floor. Adam, whose first steps are α whatever the gradient, can take a rate ",
    `${n(best[index("Adam")].lr / sgd.lr, { digits: 3 })} times SGD's.`,
  );
  doc.table(
    ["optimizer", "good for"],
    CONTESTANTS.map((c) => [c.name, c.goodFor]),
  );
  const rates = best.map((r) => r.lr);
  const lowest = Math.min(...rates), highest = Math.max(...rates), spread = highest / lowest;
  doc.note(
    "key",
    "Each optimizer is a different answer to lesson 02's problem. Compare them fairly, each ",
    `at its best learning rate: here the best rates span a factor of ${n(spread)} `,
    `(${n(lowest)} to ${n(highest)}), so any one rate is far from most of them.`,
  );
}

/** The course's notation table, generated from lib/text/notation.ts. */
function notationTable(doc: Doc): void {
  doc.heading("Notation used in this course");
  doc.say(
    "One symbol, one meaning, across the lessons. Where a symbol writes one of PyTorch's ",
    "options, the option's name is given.",
  );
  doc.table(
    ["symbol", "meaning", "PyTorch option"],
    (Object.values(NOTATION) as MathSymbol[]).map((sym) => [
      sym.text,
      sym.meaning,
      (sym.options ?? []).map((o) =>
        o.optimizers ? `${o.pytorch} (${o.optimizers.join(", ")})` : o.pytorch
      ).join(", "),
    ]),
  );
}

/** The lesson's exercises, answered by the lesson's own numbers. */
function exercises(doc: Doc, c: Computed): void {
  const adam = c.firstSteps[index("Adam")], rms = c.firstSteps[index("RMSprop")];
  const mom = c.firstSteps[index("SGD + momentum")];
  const adamLr = named("Adam").options.lr as number, rmsLr = named("RMSprop").options.lr as number;
  const momLr = named("SGD + momentum").options.lr as number;
  const mu = named("SGD + momentum").options.momentum as number;
  const M = c.symbols.buffer.text;
  const cmd = (opts: string, steps: number) =>
    `stepgrad optimize "${ROSENBROCK_TEXT}" --start x=${START[0]},y=${START[1]} ${opts} ` +
    `--steps ${steps}`;
  const [ax, ay] = at(adam, 1), [rx, ry] = at(rms, 1);
  const h = steepestCurvature(1, 1);
  const sgdSweep = c.sweeps[index("SGD")], sgd = sgdSweep.best;
  const next = RATES[RATES.indexOf(sgd.lr) + 1];
  const nextRun = sgdSweep.tried.find((t) => t.lr === next);
  doc.exercises(
    {
      question: [
        `Without running anything: where does Adam's first step from (${n(START[0])}, `,
        `${n(START[1])}) land at α = ${n(adamLr)}? Then check.`,
      ],
      command: cmd(`--optimizer adam --lr ${adamLr}`, 1),
      answer: [
        `At (${n(ax)}, ${n(ay)}): bias correction makes m̂₁/√v̂₁ = g/|g|, so each parameter `,
        `moves α = ${n(adamLr)} against its gradient's sign (up to ε).`,
      ],
    },
    {
      question: [
        `RMSprop's first step at α = ${n(rmsLr)} with ρ = 0.99: how far does each parameter `,
        "move, and why is it the same for both?",
      ],
      command: cmd(`--optimizer rmsprop --lr ${rmsLr}`, 1),
      answer: [
        `α/√(1 − ρ) = ${n(rmsLr / Math.sqrt(1 - 0.99))} each, to (${n(rx)}, ${n(ry)}): `,
        "v₁ = (1 − ρ)·g², so g/√v₁ = ±1/√(1 − ρ) whatever g is.",
      ],
    },
    {
      question: [
        `With momentum μ = ${n(mu)} and α = ${n(momLr)}, compute x's buffer ${M}₂ after two `,
        `steps from the gradients ${n(param(mom, 1, 0).grad)} and ${n(param(mom, 2, 0).grad)}. `,
        "Is the second step towards the minimum?",
      ],
      command: cmd(`--optimizer sgd --lr ${momLr} --momentum ${mu}`, 2),
      answer: [
        `${M}₂ = ${n(mu)} · (${n(param(mom, 1, 0).grad)}) + ${n(param(mom, 2, 0).grad)} = `,
        `${n(mu * param(mom, 1, 0).grad + param(mom, 2, 0).grad)}; x moves on to `,
        `${n(at(mom, 2)[0])} and f rises to ${n(mom.steps[1].lossAfter!)}: up the valley's `,
        "wall, not towards (1, 1).",
      ],
    },
    {
      question: [
        `Near the minimum (1, 1) the valley's steepest curvature is ${NOTATION.hMax.text} = `,
        `${n(h)} (the Hessian's larger eigenvalue there). By lesson 02, above which α can plain `,
        `SGD not settle at the minimum? What does the race's SGD at α = ${n(sgd.lr)} do, and `,
        `what happens at the sweep's next rate, α = ${n(next)}?`,
      ],
      command: cmd(`--optimizer sgd --lr ${next}`, 10),
      answer: [
        `2/${NOTATION.hMax.text} = ${n(2 / h)}. At α = ${n(sgd.lr)} SGD cannot settle: it `,
        `hovers at f ≈ ${n(settled(sgd), { digits: 3 })} without arriving. At α = ${n(next)} `,
        `it diverges at step ${n(nextRun?.diverged ?? NaN)}: α is `,
        `${n(next * h / 2, { digits: 2 })} times the edge 2/${NOTATION.hMax.text}.`,
      ],
    },
  );
}

/** The Hessian of f at (x, y): [[2 − 400y + 1200x², −400x], [−400x, 200]]. */
export function hessian(x: number, y: number): [[number, number], [number, number]] {
  return [[2 - 400 * y + 1200 * x * x, -400 * x], [-400 * x, 200]];
}

/** The larger eigenvalue of the Hessian at (x, y) (a symmetric 2 × 2: a closed form). */
export function steepestCurvature(x: number, y: number): number {
  const [[a, b], [, d]] = hessian(x, y);
  return (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b);
}

function run(sink: Sink): void {
  const doc = new Doc(sink);
  const c = compute();
  introduction(doc);
  firstSteps(doc, c);
  weightDecay(doc);
  otherNotations(doc, c);
  theRace(doc, c);
  whatTheRaceShows(doc, c);
  notationTable(doc);
  exercises(doc, c);
}

export default defineLesson(import.meta, {
  number: 4,
  title: "The optimizers",
  summary: "SGD, momentum, Nesterov, RMSprop, Adam, Adamax, Adagrad and Adadelta on Rosenbrock's " +
    "valley: their first steps with all their state and why each moves as it does, weight decay " +
    "in Adam and AdamW, other courses' notations, and a race at each one's best rate.",
  run,
});
