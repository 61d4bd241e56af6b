/**
 * Lesson 02: the learning rate. The same loss as lesson 01, descended with α too small (it
 * crawls), about right, near the edge, and too large (it oscillates, then diverges), and the
 * curvature that decides where the edge is.
 *
 * Run: deno run lessons/02-the-learning-rate.ts
 *
 * @module
 */
import {
  type Block,
  defineLesson,
  Doc,
  type ExplorePanel,
  formatNumber as n,
  formula,
  type FormulaText,
  NOTATION,
  runOptimizer,
  SGD,
  type Sink,
  texToText,
} from "../mod.ts";
import {
  bowl,
  commandLine,
  grid,
  inWindow,
  loss as bowlLoss,
  LOSS_TEXT,
  minimum,
  optimizeCommand,
  type Probe,
  probe,
  XS,
  YS,
} from "./01-the-update-rule.ts";

/** The bowl's curvatures, as the course writes them (lib/text/notation.ts). */
const { hMax, hMin } = NOTATION;

/** The learning rates compared, with what each shows. */
export const RATES: readonly { lr: number; verdict: string }[] = [
  { lr: 0.01, verdict: "too small: crawls" },
  { lr: 0.1, verdict: "steady, slower" },
  { lr: 0.17, verdict: "near the best" },
  { lr: 0.2, verdict: "too large: diverges" },
];

/** Steps per run. */
export const STEPS = 100;
/** A run has diverged when its loss exceeds the starting loss by this factor (or is not finite). */
export const BLOW_UP = 1e6;

/** One gradient-descent run: the probe before each step, and where it diverged, if it did. */
export interface Descent {
  /** The learning rate. */
  lr: number;
  /** Probes at steps 0, 1, … (ends at the divergence). */
  probes: Probe[];
  /** The step at which the loss passed the bound, if it did. */
  divergedAt?: number;
}

/** Where every run starts. */
export const START_POINT: Readonly<{ w: number; b: number }> = { w: 0.5, b: 0 };

/** Gradient descent from w = 0.5, b = 0 for `steps` steps, stopping at divergence. */
export function descend(lr: number, steps = STEPS): Descent {
  const probes = [probe(START_POINT.w, START_POINT.b)];
  const bound = BLOW_UP * probes[0].loss;
  for (let k = 1; k <= steps; k++) {
    const p = probes[k - 1];
    const next = probe(p.w - lr * p.dW, p.b - lr * p.db);
    probes.push(next);
    if (!(next.loss <= bound)) return { lr, probes, divergedAt: k };
  }
  return { lr, probes };
}

/** The eigenvalues of the loss's Hessian (it is constant: the loss is quadratic). */
export function curvatures(): { max: number; min: number } {
  // H = (2/n)·[[Σx², Σx], [Σx, n]]
  const k = 2 / XS.length;
  const a = k * XS.reduce((s, x) => s + x * x, 0);
  const b = k * XS.reduce((s, x) => s + x, 0);
  const d = k * XS.length;
  const mid = (a + d) / 2, r = Math.sqrt(((a - d) / 2) ** 2 + b * b);
  return { max: mid + r, min: mid - r };
}

/** The loss is "reached" when it is below this. */
export const TOLERANCE = 1e-6;
/** The longest run the searches try, in steps. */
export const MAX_STEPS = 3000;

/** The Hessian's eigenvectors (unit length): the steep direction and the flat one. */
export function directions(): { steep: [number, number]; flat: [number, number] } {
  const { max, min } = curvatures();
  const k = 2 / XS.length;
  const a = k * XS.reduce((s, x) => s + x * x, 0), c = k * XS.reduce((s, x) => s + x, 0);
  // (H − h·I)v = 0 with H = [[a, c], [c, ·]]: v = (c, h − a), normalised
  const unit = (h: number): [number, number] => {
    const v = [c, h - a], r = Math.hypot(v[0], v[1]);
    return [v[0] / r, v[1] / r];
  };
  return { steep: unit(max), flat: unit(min) };
}

/**
 * (w, b)'s distance from the minimum along the steep and the flat direction, and the loss each
 * carries: L = ½·h_max·s² + ½·h_min·f² (the loss is exactly this quadratic, with minimum 0).
 */
export function split(w: number, b: number): {
  steep: number;
  flat: number;
  steepLoss: number;
  flatLoss: number;
} {
  const best = minimum(), { steep, flat } = directions(), { max, min } = curvatures();
  const dw = w - best.w, db = b - best.b;
  const s = steep[0] * dw + steep[1] * db, f = flat[0] * dw + flat[1] * db;
  return { steep: s, flat: f, steepLoss: (max * s * s) / 2, flatLoss: (min * f * f) / 2 };
}

/** The gradient of the bowl in plain arithmetic (the same sums as lesson 01's graph). */
export function gradient(w: number, b: number): [number, number] {
  let gw = 0, gb = 0;
  for (let i = 0; i < XS.length; i++) {
    const r = w * XS[i] + b - YS[i];
    gw += r * XS[i];
    gb += r;
  }
  return [(2 / XS.length) * gw, (2 / XS.length) * gb];
}

/** SGD's options for a run with momentum: PyTorch's `lr`, `momentum` and `nesterov`. */
export interface MomentumOptions {
  /** The learning rate α. */
  lr: number;
  /** The momentum μ (0: plain descent). */
  momentum: number;
  /** Nesterov's form. */
  nesterov?: boolean;
}

/** A gradient function on a vector of parameters. */
export type GradientFn = (theta: readonly number[]) => number[];

/** One state of a momentum run: the parameters after a step and the buffer m it used. */
export interface MomentumState {
  /** The parameters. */
  theta: number[];
  /** The momentum buffer m (the velocity), one entry per parameter. */
  m: number[];
}

/**
 * SGD with momentum as PyTorch writes it (no dampening): g = ∇L(θ); m ← μ·m + g (m = g at the
 * first step); θ ← θ − α·m, or with Nesterov θ ← θ − α·(g + μ·m). Returns the start (m = 0) and
 * the state after each step. Works for any gradient; lesson 04 can use it on its valley.
 */
export function momentumRun(
  grad: GradientFn,
  start: readonly number[],
  options: MomentumOptions,
  steps: number,
): MomentumState[] {
  const { lr, momentum: mu, nesterov = false } = options;
  let theta = [...start], m = start.map(() => 0);
  const out: MomentumState[] = [{ theta, m }];
  for (let t = 1; t <= steps; t++) {
    const g = grad(theta);
    m = g.map((gi, i) => (t === 1 ? gi : mu * m[i] + gi));
    const step = nesterov ? g.map((gi, i) => gi + mu * m[i]) : m;
    theta = theta.map((x, i) => x - lr * step[i]);
    out.push({ theta, m });
  }
  return out;
}

/** One state of the look-ahead form of Nesterov's rule. */
export interface LookAheadState {
  /** The point u the look-ahead form carries. */
  u: number[];
  /** The look-ahead point u − α·μ·m, where the next gradient is taken. */
  ahead: number[];
  /** The buffer m. */
  m: number[];
}

/**
 * Nesterov's rule as a look-ahead, in PyTorch's signs: the gradient is taken at the point the
 * velocity is about to carry u to, u − α·μ·m, instead of at u:
 * g = ∇L(u − α·μ·m); m ← μ·m + g; u ← u − α·m. (Sutskever et al. write v = −α·m and take the
 * gradient at θ + μ·v: the same point.)
 */
export function lookAheadRun(
  grad: GradientFn,
  start: readonly number[],
  options: { lr: number; momentum: number },
  steps: number,
): LookAheadState[] {
  const { lr, momentum: mu } = options;
  let u = [...start], m = start.map(() => 0);
  const ahead = () => u.map((x, i) => x - lr * mu * m[i]);
  const out: LookAheadState[] = [{ u, ahead: ahead(), m }];
  for (let t = 1; t <= steps; t++) {
    const g = grad(ahead());
    m = g.map((gi, i) => mu * m[i] + gi);
    u = u.map((x, i) => x - lr * m[i]);
    out.push({ u, ahead: ahead(), m });
  }
  return out;
}

/** The bowl's gradient as a `GradientFn` of (w, b). */
export const bowlGradient: GradientFn = ([w, b]) => gradient(w, b);

/** When a run on the bowl first has a loss below the tolerance, and from when it stays below. */
export interface Arrival {
  /** The first step after which the loss is below the tolerance. */
  first?: number;
  /** The step from which the loss stays below it (checked until it is a million times lower). */
  stays?: number;
}

/**
 * Steps until the loss on the bowl is below `tolerance`, from (0.5, 0), iterated in plain
 * arithmetic (no graph: fast enough for a grid of thousands of runs). `first` is undefined when
 * the run diverges or has not arrived after `cap` steps; `stays` is counted by running on until
 * the loss is a million times below the tolerance. A search passes `enough`, the best counts so
 * far: a run that can no longer beat both is abandoned (and reports nothing).
 */
export function arrival(
  options: MomentumOptions,
  tolerance = TOLERANCE,
  cap = MAX_STEPS,
  enough: Required<Arrival> = { first: Infinity, stays: Infinity },
): Arrival {
  const { lr, momentum: mu, nesterov = false } = options;
  const n = XS.length;
  let w = START_POINT.w, b = START_POINT.b, mw = 0, mb = 0;
  let first: number | undefined, lastAbove = 0, bound = Infinity;
  for (let t = 0;; t++) {
    // the residuals at (w, b) give the loss after step t and the gradient for step t + 1
    let l = 0, gw = 0, gb = 0;
    for (let i = 0; i < n; i++) {
      const r = w * XS[i] + b - YS[i];
      l += r * r;
      gw += r * XS[i];
      gb += r;
    }
    l /= n;
    gw *= 2 / n;
    gb *= 2 / n;
    if (t === 0) bound = BLOW_UP * l;
    else if (!(l <= bound)) return {};
    else if (l < tolerance) {
      first ??= t;
      if (l < tolerance * 1e-6) return { first, stays: lastAbove + 1 };
    } else {
      lastAbove = t;
      if (t >= cap) return first === undefined ? {} : { first };
      if (t + 1 > enough.stays && (first ?? t + 1) >= enough.first) return {};
    }
    if (t === MAX_STEPS * 10) return { first };
    mw = t === 0 ? gw : mu * mw + gw;
    mb = t === 0 ? gb : mu * mb + gb;
    w -= lr * (nesterov ? gw + mu * mw : mw);
    b -= lr * (nesterov ? gb + mu * mb : mb);
  }
}

/** Values from a to b in steps of `step` (rounded to the step's digits, so 0.1 + 0.2 is 0.3). */
export function range(a: number, b: number, step: number): number[] {
  const digits = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)) + 1;
  const out: number[] = [];
  for (let k = 0; a + k * step <= b + step / 2; k++) {
    out.push(Number((a + k * step).toFixed(digits)));
  }
  return out;
}

/** A grid's best settings: the fewest steps to first arrive, and the fewest to stay. */
export function search(
  settings: readonly MomentumOptions[],
): Record<keyof Arrival, { options: MomentumOptions; arrival: Arrival }> {
  let first: { options: MomentumOptions; arrival: Arrival } | undefined;
  let stays: typeof first;
  for (const options of settings) {
    const enough = {
      first: first?.arrival.first ?? Infinity,
      stays: stays?.arrival.stays ?? Infinity,
    };
    const a = arrival(options, TOLERANCE, MAX_STEPS, enough);
    if (a.first !== undefined && a.first < enough.first) first = { options, arrival: a };
    if (a.stays !== undefined && a.stays < enough.stays) stays = { options, arrival: a };
  }
  if (!first || !stays) throw new RangeError("no setting of the grid reaches the tolerance");
  return { first, stays };
}

/** Polyak's heavy-ball pair for a quadratic: α = 4/(√h_max + √h_min)², μ = ((√κ − 1)/(√κ + 1))². */
export function heavyBallPair(): { lr: number; momentum: number } {
  const { max, min } = curvatures();
  const r = Math.sqrt(max / min);
  return { lr: 4 / (Math.sqrt(max) + Math.sqrt(min)) ** 2, momentum: ((r - 1) / (r + 1)) ** 2 };
}

/** The loss as text for stepgrad's parser (lesson 01's, the same graph as `probe`). */
export { LOSS_TEXT };

function lossAt(run: Descent, k: number): number | string {
  if (run.divergedAt !== undefined && k >= run.divergedAt) return "diverged";
  return run.probes[k].loss;
}

/** A window in (w, b) that holds every finite point of the paths, with a margin, clipped to `limit`. */
export function windowFor(
  paths: readonly (readonly [number, number])[][],
  limit = { w: [-4, 8], b: [-3, 5] },
): { w: [number, number]; b: [number, number] } {
  const best = minimum();
  const pts = [[best.w, best.b], ...paths.flat()].filter(([w, b]) =>
    w >= limit.w[0] && w <= limit.w[1] && b >= limit.b[0] && b <= limit.b[1]
  );
  const side = (i: 0 | 1, lim: number[]): [number, number] => {
    const lo = Math.min(...pts.map((p) => p[i])), hi = Math.max(...pts.map((p) => p[i]));
    const pad = 0.08 * (hi - lo) + 0.1;
    return [Math.max(lim[0], lo - pad), Math.min(lim[1], hi + pad)];
  };
  return { w: side(0, limit.w), b: side(1, limit.b) };
}

/** Paths over the bowl's contours, the minimum marked; each path drawn until it leaves the picture. */
export function bowlPicture(
  title: string,
  paths: readonly { name: string; points: [number, number][] }[],
  window = windowFor(paths.map((p) => p.points)),
): Extract<Block, { kind: "contour" }> {
  const best = minimum();
  const ws = grid(window.w[0], window.w[1], 61), bs = grid(window.b[0], window.b[1], 41);
  return {
    kind: "contour",
    title,
    xs: ws,
    ys: bs,
    z: bs.map((b) => ws.map((w) => bowlLoss(w, b))),
    paths: [
      ...paths.map((p) => ({ name: p.name, points: inWindow(p.points, window) })),
    ],
    marks: [{ name: `the minimum (${n(best.w)}, ${n(best.b)})`, point: [best.w, best.b] }],
    xLabel: "w",
    yLabel: "b",
  };
}

function pathOf(run: Descent): [number, number][] {
  return run.probes.map((p): [number, number] => [p.w, p.b]);
}

/**
 * The four rates' pictures share one window: it holds the runs that converge and the first
 * steps of the one that diverges.
 */
function ratePicture(doc: Doc, run: Descent, all: readonly Descent[], steps?: number): void {
  const window = windowFor(
    all.map((r) => pathOf(r).slice(0, r.divergedAt === undefined ? undefined : 5)),
  );
  const shown = steps ?? run.probes.length - 1;
  const name = run.divergedAt === undefined
    ? `α = ${n(run.lr)}, ${shown === STEPS ? "" : "the first "}${shown} steps`
    : `α = ${n(run.lr)}, until it leaves the picture (it diverges at step ${run.divergedAt})`;
  doc.block(
    bowlPicture(
      `α = ${n(run.lr)}: the path over the loss`,
      [{ name, points: pathOf(run).slice(0, shown + 1) }],
      window,
    ),
  );
}

function intro(doc: Doc): void {
  doc.say(
    "Lesson 01 settled the rule: ",
    formula`w \leftarrow w - \alpha\,dW`,
    ". It left one number open, the learning rate α. Take the same three points, the same ",
    `model ŷ = w·x + b, the same start (w = ${n(START_POINT.w)}, b = ${n(START_POINT.b)}), and `,
    `run ${STEPS} steps with ${RATES.length} values of α. Then give the rule a memory: momentum, `,
    "and Nesterov's variant of it.",
  );
}

function fourRates(doc: Doc, runs: readonly Descent[]): void {
  doc.section("The learning rate");
  doc.heading("Four learning rates, one loss");
  const checkpoints = [10, 50, 100];
  doc.table(
    [
      "α",
      ...checkpoints.map((k) => ({ header: `step ${k}`, align: "right" as const })),
      { header: "below 10⁻⁶", align: "right" as const },
      "what happens",
    ],
    runs.map((r, i) => {
      const first = arrival({ lr: r.lr, momentum: 0 }).first;
      return [
        r.lr,
        ...checkpoints.map((k) => {
          const v = lossAt(r, k);
          return typeof v === "number" ? n(v) : v;
        }),
        first === undefined ? "never" : `at step ${first}`,
        RATES[i].verdict,
      ];
    }),
    `The loss after k steps, from ${n(runs[0].probes[0].loss)} at the start.`,
  );
  doc.block({
    kind: "chart",
    title: "The loss, step by step",
    xLabel: "step",
    yLabel: "loss",
    logY: true,
    series: runs.map((r) => ({
      name: `α = ${n(r.lr)}`,
      points: r.probes.map((p, k): [number, number] => [k, p.loss]),
    })),
  });
}

/** The first step at which two runs' losses differ by more than `factor`. */
export function firstApart(a: Descent, b: Descent, factor = 1.5): number | undefined {
  const k = a.probes.findIndex((p, k) =>
    k < b.probes.length &&
    Math.max(p.loss, b.probes[k].loss) > factor * Math.min(p.loss, b.probes[k].loss)
  );
  return k < 0 ? undefined : k;
}

function crawling(doc: Doc, small: Descent, edge: Descent, runs: readonly Descent[]): void {
  const { max, min } = curvatures();
  doc.heading(`α = ${n(small.lr)}: crawling`);
  doc.say(
    `Every step goes downhill, but a small one: after 10 steps the loss is still `,
    `${n(small.probes[10].loss)}, after 100 steps ${n(small.probes[100].loss)}. Nothing is `,
    "wrong, only slow; with a real network each step costs a pass over the data.",
  );
  ratePicture(doc, small, runs);
  const apart = firstApart(small, edge);
  const start = split(START_POINT.w, START_POINT.b);
  const k = 20;
  const [a, b] = [
    split(small.probes[k].w, small.probes[k].b),
    split(edge.probes[k].w, edge.probes[k].b),
  ];
  doc.say(
    `On the chart the curves of α = ${n(small.lr)} and α = ${n(edge.lr)} lie on top of each `,
    `other for the first steps, and separate only at step ${apart} (where one loss is first 1.5 `,
    "times the other). Two things make it so. The loss at the start is almost all in the steep ",
    `direction of the bowl (${n(start.steepLoss)} of ${
      n(small.probes[0].loss)
    }; the flat direction holds `,
    `${
      n(start.flatLoss)
    }; “Where the edge is” below explains the two directions). Along the steep `,
    "direction each step multiplies the distance to the minimum by ",
    formula`1 - \alpha\,${hMax}`,
    `: ${n(1 - small.lr * max)} for α = ${n(small.lr)}, ${n(1 - edge.lr * max)} for `,
    `α = ${n(edge.lr)}. The sizes are almost equal, and the loss squares the distance, so the `,
    "sign does not show. Along the flat direction the factors differ, ",
    `${n(1 - small.lr * min)} against ${n(1 - edge.lr * min)}, but that part of the loss is small `,
    `until the steep part has shrunk to its size: at step ${k} the steep part is `,
    `${n(a.steepLoss)} and ${n(b.steepLoss)}, the flat part ${n(a.flatLoss)} and ${n(b.flatLoss)}.`,
  );
}

function slowerThanItCould(
  doc: Doc,
  right: Descent,
  edge: Descent,
  runs: readonly Descent[],
): void {
  doc.heading(`α = ${n(right.lr)}: steady, but slower than it could be`);
  doc.say(
    `The first step alone takes the loss from ${n(right.probes[0].loss)} to `,
    `${n(right.probes[1].loss)}; after 100 steps it is ${n(right.probes[100].loss)}, `,
    `${n(right.probes[100].loss / edge.probes[100].loss, { digits: 2 })} times the loss of `,
    `α = ${n(edge.lr)}. A safe rate, not the best one (the last section of this part finds `,
    "the best).",
  );
  ratePicture(doc, right, runs);
}

function firstSteps(run: Descent): (string | number)[][] {
  return [0, 1, 2, 3, 4, 5].map((k) => {
    const p = run.probes[k];
    return [k, p.w, p.b, p.loss, p.dW, p.db];
  });
}

function nearTheBest(doc: Doc, edge: Descent, right: Descent, runs: readonly Descent[]): void {
  doc.heading(`α = ${n(edge.lr)}: near the best, zigzagging in w`);
  doc.say(
    "Now the weight overshoots: look at the sign of dW, which flips at every step, so w swings ",
    "from one side of its best value to the other.",
  );
  doc.table(["step", "w", "b", "loss", "dW", "db"], firstSteps(edge), `α = ${n(edge.lr)}`);
  const falls = edge.probes.every((p, k) => k === 0 || p.loss < edge.probes[k - 1].loss);
  const best = minimum();
  doc.say(
    `The zigzag is in w and b, not in the loss: w goes ${
      [0, 1, 2, 3, 4].map((k) => n(edge.probes[k].w)).join(", ")
    }, across its best value ${n(best.w)} and back, while the loss `,
    falls ? "falls at every one of the 100 steps" : "does not fall at every step",
    ` (${[0, 1, 2, 3, 4].map((k) => n(edge.probes[k].loss)).join(", ")}, …). The loss squares `,
    "the distance to the minimum, so a swing to the other side at a shorter distance still ",
    `lowers it. After 100 steps the loss is ${n(edge.probes[100].loss)}, lower than with `,
    `α = ${n(right.lr)}.`,
  );
  ratePicture(doc, edge, runs, ZIGZAG_STEPS);
}

/** Steps of the α = 0.17 picture: enough to see the zigzag, few enough to tell its lines apart. */
const ZIGZAG_STEPS = 12;

function divergence(doc: Doc, large: Descent, runs: readonly Descent[]): void {
  doc.heading(`α = ${n(large.lr)}: oscillation, then divergence`);
  doc.table(["step", "w", "b", "loss", "dW", "db"], firstSteps(large), `α = ${n(large.lr)}`);
  const at = large.divergedAt;
  if (at === undefined) throw new RangeError(`α = ${large.lr} was expected to diverge`);
  doc.note(
    "warning",
    `Diverged at step ${at}: the loss reached ${n(large.probes[at].loss)}, more than a `,
    `million times its starting value, with w = ${n(large.probes[at].w)}. The run is `,
    "stopped there. Each step overshoots by more than the last, the swings grow, and a few ",
    "hundred steps later the numbers would overflow to ∞.",
  );
  ratePicture(doc, large, runs);
}

function whereTheEdgeIs(doc: Doc, runs: readonly Descent[]): void {
  const [small, , , large] = runs;
  doc.heading("Where the edge is");
  const { max, min } = curvatures();
  doc.say(
    "This loss is a bowl (it is quadratic in w and b). Along its steepest direction its ",
    "curvature, the largest eigenvalue of the Hessian, is ",
    formula`${hMax} = ${max}`,
    "; along its flattest, ",
    formula`${hMin} = ${min}`,
    ". One step of gradient descent multiplies the distance from the minimum along each ",
    "direction by a fixed factor:",
  );
  doc.math(
    formula`d \leftarrow (1 - \alpha\,h)\, d`,
    formula`|1 - \alpha\,${hMax}| < 1 \iff \alpha < 2/${hMax} = ${2 / max}`,
  );
  doc.table(
    [
      "α",
      formula`1 - \alpha\,${hMax}`.text,
      formula`1 - \alpha\,${hMin}`.text,
      "steep direction",
      "flat direction",
    ],
    runs.map((r) => {
      const steep = 1 - r.lr * max, flat = 1 - r.lr * min;
      const say = (f: number) =>
        Math.abs(f) >= 1 ? "grows: diverges" : f < 0 ? "shrinks, flipping sign" : "shrinks";
      return [r.lr, steep, flat, say(steep), say(flat)];
    }),
  );
  doc.say(
    `α = ${n(large.lr)} is above ${n(2 / max, { digits: 3 })}: the factor along the steep `,
    `direction is ${n(1 - large.lr * max)}, below −1, so every step flips the sign of the error `,
    "there and makes it larger. α = ",
    `${n(small.lr)} is safe but the flat direction shrinks by only ${n(1 - small.lr * min)} per `,
    "step.",
  );
}

function theBestRate(doc: Doc): void {
  const { max, min } = curvatures();
  const best = 2 / (max + min);
  const factor = 1 - best * min;
  doc.heading("The best rate");
  doc.say(
    "A larger α speeds up the flat direction and, past a point, slows down the steep one. The ",
    "slower of the two is fastest when both factors have the same size:",
  );
  doc.math(
    formula`1 - \alpha\,${hMin} = -(1 - \alpha\,${hMax}) \iff \alpha = \frac{2}{${hMax} + ${hMin}} = ${best}`,
    formula`1 - \alpha\,${hMin} = \frac{${hMax} - ${hMin}}{${hMax} + ${hMin}} = ${factor}`,
  );
  const plain = searchGrid("plain");
  const atBest = arrival({ lr: best, momentum: 0 });
  const p = plain.stays.options.lr;
  doc.say(
    `So α = ${n(RATES[2].lr)} is near the best rate, ${n(best)}, which is itself just below the `,
    `edge ${n(2 / max)}: when `,
    formula`${hMax}`,
    ` is ${n(max / min, { digits: 3 })} times `,
    formula`${hMin}`,
    `, the two are close. Counting steps gives a finer answer: trying every α from 0.001 to 0.18 in `,
    `steps of 0.001, the fewest steps to a loss below ${n(TOLERANCE)} is `,
    `${plain.stays.arrival.stays} at α = ${n(p)}, while α = ${n(best)} takes ${atBest.stays}. `,
    `At ${n(best)} the steep direction shrinks only as fast as the flat one (by `,
    `${n(Math.abs(1 - best * max))} per step), and it starts with almost all of the loss; at `,
    `${n(p)} it shrinks by ${n(Math.abs(1 - p * max))} while the flat factor barely changes `,
    `(${n(1 - p * min)}). The formula gives the fastest shrinking that holds from any start; `,
    "the count is for this one.",
  );
  doc.note(
    "key",
    "The learning rate is limited by the steepest curvature (",
    formula`\alpha < 2/${hMax}`,
    ") and progress by the flattest. When the two differ a lot (here by a factor of ",
    `${n(max / min, { digits: 3 })}), no single α is fast in every direction. Even the best `,
    `rate leaves the flat direction shrinking by only ${n(factor)} per step: that is what `,
    "momentum is for.",
  );
}

/** Polyak's heavy-ball pair for this bowl, rounded to three digits: the pair the walk-through uses. */
export function tunedPair(): MomentumOptions {
  const hb = heavyBallPair();
  return { lr: Number(hb.lr.toFixed(3)), momentum: Number(hb.momentum.toFixed(3)) };
}

/** The pair a finer search reported (issue 14): first below the tolerance at step 16. */
export const REPORTED_PAIR: MomentumOptions = { lr: 0.282, momentum: 0.603 };

/** The grids the lesson searches. */
export const GRIDS = {
  /** Plain descent: α from 0.001 to 0.18 in steps of 0.001. */
  plain: (): MomentumOptions[] => range(0.001, 0.18, 0.001).map((lr) => ({ lr, momentum: 0 })),
  /** α from 0.01 to 0.6 and μ from 0 to 0.98, in steps of 0.01. */
  coarse: (nesterov = false): MomentumOptions[] =>
    range(0.01, 0.6, 0.01).flatMap((lr) =>
      range(0, 0.98, 0.01).map((momentum) => ({ lr, momentum, nesterov }))
    ),
  /** α from 0.25 to 0.29 and μ from 0.55 to 0.65, in steps of 0.001. */
  fine: (): MomentumOptions[] =>
    range(0.25, 0.29, 0.001).flatMap((lr) =>
      range(0.55, 0.65, 0.001).map((momentum) => ({ lr, momentum }))
    ),
};

const searched = new Map<string, ReturnType<typeof search>>();

/** A search over one of the lesson's grids, done once per run of the lesson. */
export function searchGrid(
  name: "plain" | "coarse" | "nesterov" | "fine",
): ReturnType<typeof search> {
  let found = searched.get(name);
  if (!found) {
    const settings = name === "nesterov" ? GRIDS.coarse(true) : GRIDS[name]();
    searched.set(name, found = search(settings));
  }
  return found;
}

/** The largest stable α for momentum (heavy ball, 2(1 + μ)/h_max) and for Nesterov (2(1 + μ)/((1 + 2μ)·h_max)). */
export function edges(mu: number): { momentum: number; nesterov: number } {
  const { max } = curvatures();
  return { momentum: (2 * (1 + mu)) / max, nesterov: (2 * (1 + mu)) / ((1 + 2 * mu) * max) };
}

function pair(v: readonly number[]): FormulaText {
  return formula`(${v[0]}, ${v[1]})`;
}

/** A symbol with a step number as its subscript (g₁, m₂, (w, b)₃), written in LaTeX once. */
function at(symbol: string, t: number): FormulaText {
  const tex = `${symbol}_{${t}}`;
  return { tex, text: texToText(tex) };
}

function momentumRule(doc: Doc): void {
  const { lr, momentum: mu } = tunedPair();
  doc.section("Momentum: a step with memory");
  doc.say(
    "Plain descent forgets: each step uses only the gradient where it stands. Momentum keeps ",
    "a running sum of past gradients, the velocity m (PyTorch's momentum buffer), and steps ",
    "along it. With g = (dW, db) the gradient and both parameters at once:",
  );
  doc.math(formula`m \leftarrow \mu\,m + g`, formula`(w, b) \leftarrow (w, b) - \alpha\,m`);
  doc.say(
    "μ, between 0 and 1, is how much of the old velocity survives a step; μ = 0 is plain ",
    `descent. PyTorch starts m at the first gradient. Take α = ${n(lr)} and μ = ${n(mu)} `,
    "(where this pair comes from is below):",
  );
  const run = momentumRun(bowlGradient, [START_POINT.w, START_POINT.b], { lr, momentum: mu }, 8);
  const lines: FormulaText[] = [];
  for (let t = 1; t <= 3; t++) {
    const before = run[t - 1], after = run[t];
    const g = bowlGradient(before.theta);
    const [w, b] = before.theta;
    lines.push(formula`${at("g", t)} = \nabla L(${w}, ${b}) = ${pair(g)}`);
    lines.push(
      t === 1
        ? formula`${at("m", t)} = ${at("g", t)} = ${pair(after.m)}`
        : formula`${at("m", t)} = ${mu} \cdot ${pair(before.m)} + ${pair(g)} = ${pair(after.m)}`,
    );
    lines.push(
      formula`${at("(w, b)", t)} = ${pair(before.theta)} - ${lr} \cdot ${pair(after.m)} = ${
        pair(after.theta)
      }`,
    );
  }
  doc.math(...lines);
  doc.table(
    ["step", "w", "b", "loss", "m for w", "m for b"],
    run.map((
      s,
      t,
    ) => [t, s.theta[0], s.theta[1], bowlLoss(s.theta[0], s.theta[1]), s.m[0], s.m[1]]),
    `α = ${n(lr)}, μ = ${n(mu)}; m = 0 before the first step`,
  );
}

function whyFaster(doc: Doc): void {
  const { lr, momentum: mu } = tunedPair();
  const { max, min } = curvatures();
  const { steep, flat } = directions();
  doc.heading("Why momentum is faster along the flat direction");
  doc.say(
    "If the slope does not change, g is the same at every step and the velocity adds up: ",
    formula`m_t = g\,(1 + \mu + \mu^2 + \dots + \mu^{t-1}) \to \frac{g}{1 - \mu}`,
    `. Each step then moves α/(1 − μ)·g, here ${n(lr / (1 - mu))}·g: `,
    `${n(1 / (1 - mu))} times the plain step. Where the gradient flips sign at every step, as `,
    "across the steep direction, the sum alternates, ",
    formula`1 - \mu + \mu^2 - \dots \to \frac{1}{1 + \mu}`,
    `, and the step shrinks to α/(1 + μ) = ${n(lr / (1 + mu))}. The bowl's own velocity, split `,
    "into the two directions, does the same:",
  );
  const run = momentumRun(bowlGradient, [START_POINT.w, START_POINT.b], { lr, momentum: mu }, 12);
  const along = (v: readonly number[], d: readonly number[]) => v[0] * d[0] + v[1] * d[1];
  let constant = 0, alternating = 0;
  const rows: (string | number)[][] = [];
  let steepAt12 = NaN;
  for (let t = 1; t <= 12; t++) {
    constant = mu * constant + 1;
    alternating = mu * alternating + (t % 2 === 1 ? 1 : -1);
    const g = bowlGradient(run[t - 1].theta), m = run[t].m;
    if (t === 12) steepAt12 = along(m, steep) / along(g, steep);
    if (t <= 6 || t % 3 === 0) {
      rows.push([
        t,
        constant,
        alternating * (t % 2 === 1 ? 1 : -1),
        along(m, flat) / along(g, flat),
        along(m, steep) / along(g, steep),
      ]);
    }
  }
  doc.table(
    ["step", "m/g, constant g", "m/g, g flips", "m/g, flat", "m/g, steep"],
    rows,
    `The velocity over the gradient of the step: on a constant slope, on one that flips sign, and on the bowl along its two directions (α = ${
      n(lr)
    }, μ = ${n(mu)}).`,
  );
  doc.say(
    `Along the flat direction the ratio passes 1/(1 − μ) = ${n(1 / (1 - mu))} (it goes above: `,
    "the gradient there shrinks as w nears the minimum, and m remembers the larger ones). Along ",
    `the steep one it falls to 1/(1 + μ) = ${n(1 / (1 + mu))} and a little below `,
    `(${n(steepAt12)} at step 12: once the steep gradient shrinks, the older and larger ones `,
    "of the other sign cancel more). So this pair steps with ",
    `an effective rate of ${n(lr / (1 - mu))} along the flat direction, `,
    `${n(lr / (1 - mu) / (2 / (max + min)), { digits: 3 })} times the best plain rate, and `,
    `${n(lr / (1 + mu))} along the steep one, which is the best plain rate `,
    formula`2/(${hMax} + ${hMin}) = ${2 / (max + min)}`,
    " (for Polyak's pair this holds exactly). ",
    "Momentum takes the large step only where the gradient keeps its direction.",
  );
}

function whyOvershoot(doc: Doc): void {
  const { lr, momentum: mu } = tunedPair();
  const { max } = curvatures();
  doc.heading("Why it overshoots early");
  const run = momentumRun(bowlGradient, [START_POINT.w, START_POINT.b], { lr, momentum: mu }, 20);
  const losses = run.map((s) => bowlLoss(s.theta[0], s.theta[1]));
  const peak = losses.indexOf(Math.max(...losses));
  const plainBest = searchGrid("plain").stays.options.lr;
  const plainFlat = momentumRun(bowlGradient, [START_POINT.w, START_POINT.b], {
    lr: plainBest,
    momentum: 0,
  }, 3).map((s) => split(s.theta[0], s.theta[1]).flat);
  const parts = run.map((s) => split(s.theta[0], s.theta[1]));
  doc.table(
    ["step", "steep distance", "flat distance", "loss"],
    [0, 1, 2, 3, 4, 5, 6, 8, 10].map((t) => [t, parts[t].steep, parts[t].flat, losses[t]]),
    "The distance to the minimum along each direction of the bowl",
  );
  doc.say(
    "The first step has no history: m = g, so it is a plain step with ",
    `α = ${n(lr)}, above the plain edge `,
    formula`2/${hMax} = ${2 / max}`,
    ". Along the steep direction it multiplies the distance by ",
    formula`1 - \alpha\,${hMax} = ${1 - lr * max}`,
    `: from ${n(parts[0].steep)} `,
    `to ${n(parts[1].steep)}, and the loss goes from ${n(losses[0])} to ${n(losses[1])}. `,
    "The velocity needs a few steps of gradients that flip sign before it cancels to ",
    `α/(1 + μ) there; until then the steep distance grows, and the loss peaks at `,
    `${n(losses[peak])} at step ${peak} before it falls. The flat distance shrinks all along `,
    `(${[0, 1, 2, 3, 4].map((t) => n(parts[t].flat)).join(", ")}, …): by `,
    `${n(parts[2].flat - parts[3].flat)} at step 3, where plain descent at its best rate, `,
    `α = ${n(plainBest)}, moves it by ${n(plainFlat[2] - plainFlat[3])}.`,
  );
  const high = 0.9;
  const best = search(range(0.005, 0.6, 0.005).map((lr) => ({ lr, momentum: high }))).stays.options;
  const big = momentumRun(bowlGradient, [START_POINT.w, START_POINT.b], best, 200);
  const flat = big.map((s) => split(s.theta[0], s.theta[1]).flat);
  const cross = flat.findIndex((f, t) => t > 0 && f * flat[0] < 0);
  const far = flat.reduce((m, f) => (f * flat[0] < m * flat[0] ? f : m), flat[0]);
  doc.say(
    "With a larger μ the velocity also overshoots the flat direction, the ball rolling past the ",
    `bottom: at μ = ${n(high)} and its best α, ${n(best.lr)} (see “When Nesterov helps” below), `,
    `the flat distance ${n(flat[0])} crosses 0 at `,
    `step ${cross} and reaches ${n(far)} on the other side before it comes back.`,
  );
}

function pathsOverBowl(doc: Doc): void {
  const pair = tunedPair();
  const plainBest = searchGrid("plain").stays.options.lr;
  const steps = 25;
  const plain = momentumRun(bowlGradient, [START_POINT.w, START_POINT.b], {
    lr: plainBest,
    momentum: 0,
  }, steps);
  const mom = momentumRun(bowlGradient, [START_POINT.w, START_POINT.b], pair, steps);
  const end = (r: MomentumState[]) => bowlLoss(r[steps].theta[0], r[steps].theta[1]);
  doc.heading("Plain descent and momentum over the bowl");
  const paths = [
    {
      name: `plain descent, α = ${n(plainBest)}, ${steps} steps`,
      points: plain.map((s) => s.theta as [number, number]),
    },
    {
      name: `momentum, α = ${n(pair.lr)}, μ = ${n(pair.momentum)}, ${steps} steps`,
      points: mom.map((s) => s.theta as [number, number]),
    },
  ];
  const window = windowFor(paths.map((p) => p.points));
  doc.block(bowlPicture("Plain descent at its best rate", [paths[0]], window));
  doc.block(bowlPicture("Momentum with Polyak's pair", [paths[1]], window));
  doc.say(
    `Plain descent at its best rate, α = ${n(plainBest)}, zigzags across the valley and creeps `,
    `along it: after ${steps} steps the loss is ${n(end(plain))}. Momentum's first steps `,
    `swing far across, then the velocity runs along the floor: ${n(end(mom))} after `,
    `${steps} steps.`,
  );
}

function arrivalRow(name: string, o: MomentumOptions): (string | number)[] {
  const a = arrival(o);
  return [name, o.lr, o.momentum, a.first ?? "never", a.stays ?? "never"];
}

function neighbourhood(center: MomentumOptions, step: number): (string | number)[][] {
  const offsets = [-2, -1, 0, 1, 2];
  return offsets.map((i) => {
    const lr = Number((center.lr + i * step).toFixed(4));
    return [
      lr,
      ...offsets.map((j) => {
        const a = arrival({ lr, momentum: Number((center.momentum + j * step).toFixed(4)) });
        return a.first === undefined ? "—" : `${a.first} / ${a.stays ?? "—"}`;
      }),
    ];
  });
}

function tuning(doc: Doc): void {
  const { max, min } = curvatures();
  const hb = heavyBallPair(), tuned = tunedPair();
  const plain = searchGrid("plain");
  const coarse = searchGrid("coarse");
  const fine = searchGrid("fine");
  doc.heading("Tuning α and μ together");
  doc.say(
    "Which pair is best? For a quadratic bowl Polyak worked it out: with ",
    formula`\kappa = ${hMax}/${hMin}`,
    ",",
  );
  doc.math(
    formula`\alpha = \frac{4}{(\sqrt{${hMax}} + \sqrt{${hMin}})^2} = ${hb.lr}`,
    formula`\mu = \Big(\frac{\sqrt{\kappa} - 1}{\sqrt{\kappa} + 1}\Big)^2 = ${hb.momentum}`,
  );
  doc.say(
    `With it every direction shrinks by √μ = ${n(Math.sqrt(hb.momentum))} per step (in the long `,
    `run), against ${n((max - min) / (max + min))} for the best plain rate: the fastest `,
    "shrinking that holds from any start. For this start, the lesson also counts steps: every α from ",
    "0.01 to 0.6 with every μ from 0 to 0.98, in steps of 0.01 (",
    `${GRIDS.coarse().length} runs, each iterated in plain arithmetic, no graph), and a finer `,
    "grid near the best (steps of 0.001). Two counts: the first step with a loss below ",
    `${n(TOLERANCE)}, and the step from which it stays below.`,
  );
  const pick = (o: MomentumOptions) => ({ lr: o.lr, momentum: o.momentum });
  doc.table(
    ["run", "α", "μ", "first below", "stays below"],
    [
      arrivalRow("plain, the formula's best α", { lr: 2 / (max + min), momentum: 0 }),
      arrivalRow("plain, best α on the grid", pick(plain.stays.options)),
      arrivalRow("Polyak's pair", hb),
      arrivalRow("Polyak's pair, 3 digits", tuned),
      arrivalRow("grid's best, first below", pick(coarse.first.options)),
      arrivalRow("grid's best, stays below", pick(coarse.stays.options)),
      arrivalRow("fine grid's best, first", pick(fine.first.options)),
      arrivalRow("fine grid's best, stays", pick(fine.stays.options)),
      arrivalRow("a finer search's report", REPORTED_PAIR),
    ],
    `Steps until the loss is below ${n(TOLERANCE)}, from (0.5, 0)`,
  );
  const reported = arrival(REPORTED_PAIR);
  doc.say(
    `Tuned momentum stays below ${n(TOLERANCE)} after ${coarse.stays.arrival.stays} to `,
    `${arrival(hb).stays} steps, against ${plain.stays.arrival.stays} for the best plain rate. `,
    `A first arrival in ${fine.first.arrival.first} or ${reported.first} steps is a lucky `,
    "landing: the path spirals in, and the loss dips below the tolerance while the path is ",
    `passing near the minimum, then rises above it again until step ${(reported.stays ?? 1) - 1}. `,
    "Around the reported pair (rows α, columns μ, each cell first / stays; — diverges or takes ",
    `over ${MAX_STEPS} steps):`,
  );
  const head = (c: MomentumOptions, step: number) => [
    "α \\ μ",
    ...[-2, -1, 0, 1, 2].map((j) => ({
      header: n(Number((c.momentum + j * step).toFixed(4))),
      align: "right" as const,
    })),
  ];
  doc.table(head(REPORTED_PAIR, 0.005), neighbourhood(REPORTED_PAIR, 0.005));
  doc.say("and around Polyak's pair:");
  doc.table(head(tuned, 0.005), neighbourhood(tuned, 0.005));
  const e = edges(REPORTED_PAIR.momentum), eTuned = edges(tuned.momentum);
  doc.say(
    "The good pairs sit just below momentum's edge, ",
    formula`\alpha < 2(1 + \mu)/${hMax}`,
    ` (${n(e.momentum)} at `,
    `μ = ${n(REPORTED_PAIR.momentum)}, ${n(eTuned.momentum)} at μ = ${n(tuned.momentum)}): `,
    "a little more α and the steep direction stops shrinking; a little less costs a few steps. ",
    `So tuned momentum takes ${n(plain.stays.arrival.stays! / arrival(hb).stays!, { digits: 2 })} `,
    `to ${n(plain.stays.arrival.stays! / coarse.stays.arrival.stays!, { digits: 2 })} times `,
    "fewer steps than the best plain rate on this bowl, but it is sensitive upward in α: when ",
    "in doubt, err small.",
  );
}

/** The pair of the Nesterov walk-through: a common μ, and an α that is stable for it. */
export const NESTEROV_PAIR: MomentumOptions = { lr: 0.1, momentum: 0.9 };

/**
 * Nesterov both ways for `steps` steps: the look-ahead form, PyTorch's form in plain arithmetic,
 * and stepgrad's SGD (`nesterov: true`) on lesson 01's graph. Returns the three and the largest
 * difference between the look-ahead points and PyTorch's iterates (and between the buffers).
 */
export function nesterovBothWays(steps: number, options = NESTEROV_PAIR): {
  lookAhead: LookAheadState[];
  pytorch: MomentumState[];
  sgd: number[][];
  gap: number;
} {
  const start = [START_POINT.w, START_POINT.b];
  const lookAhead = lookAheadRun(bowlGradient, start, options, steps);
  const pytorch = momentumRun(bowlGradient, start, { ...options, nesterov: true }, steps);
  const { w, b, loss } = bowl(START_POINT.w, START_POINT.b);
  const opt = new SGD([w, b], { lr: options.lr, momentum: options.momentum, nesterov: true });
  const run = runOptimizer(loss, opt, { steps, trace: false });
  const sgd = [start, ...run.steps.map((s) => s.params.map((p) => p.after))];
  let gap = 0;
  for (let t = 0; t <= steps; t++) {
    for (let i = 0; i < 2; i++) {
      gap = Math.max(
        gap,
        Math.abs(lookAhead[t].ahead[i] - pytorch[t].theta[i]),
        Math.abs(lookAhead[t].m[i] - pytorch[t].m[i]),
      );
    }
  }
  return { lookAhead, pytorch, sgd, gap };
}

function nesterov(doc: Doc): void {
  doc.section("Nesterov: the gradient where the velocity is taking you");
  doc.say(
    "Momentum takes the gradient where the parameters are, then adds the velocity. But the ",
    "velocity will carry them to u − α·μ·m anyway; Nesterov's idea is to take the gradient ",
    "there, at the look-ahead point. Write the parameters (w, b) as u for this form:",
  );
  doc.math(
    formula`g = \nabla L(u - \alpha\,\mu\,m)`,
    formula`m \leftarrow \mu\,m + g`,
    formula`u \leftarrow u - \alpha\,m`,
  );
  doc.say(
    "(Sutskever et al. write the velocity as v = −α·m, and the look-ahead point as u + μ·v: ",
    "the same point.) This takes the gradient at a point the parameters never visit. PyTorch ",
    "rewrites it. Call the look-ahead point w = u − α·μ·m; with m′ the new buffer, ",
    "u = w + α·μ·m and μ·m = m′ − g:",
  );
  doc.math(
    formula`w' = u' - \alpha\,\mu\,m' = w + \alpha\,\mu\,m - \alpha\,m' - \alpha\,\mu\,m'`,
    formula`w' = w + \alpha\,(m' - g) - \alpha\,m' - \alpha\,\mu\,m' = w - \alpha\,(g + \mu\,m')`,
  );
  doc.say("so PyTorch's Nesterov takes the gradient at w itself, the point it holds:");
  doc.math(
    formula`g = \nabla L(w)`,
    formula`m \leftarrow \mu\,m + g`,
    formula`w \leftarrow w - \alpha\,(g + \mu\,m)`,
  );
  const steps = 6, { lookAhead, pytorch, sgd, gap } = nesterovBothWays(20);
  const { lr, momentum: mu } = NESTEROV_PAIR;
  doc.say(
    `Both forms from (0.5, 0) with α = ${n(lr)}, μ = ${n(mu)}; the PyTorch column is `,
    "stepgrad's SGD with nesterov on, run on lesson 01's graph:",
  );
  doc.table(
    ["step", "u (look-ahead form)", "u − α·μ·m", "w (PyTorch's form)", "m, both forms"],
    Array.from({ length: steps + 1 }, (_, t) => [
      t,
      lookAhead[t].u[0],
      lookAhead[t].ahead[0],
      sgd[t][0],
      pytorch[t].m[0],
    ]),
    "The weight w; the bias agrees the same way",
  );
  const sgdGap = Math.max(
    ...sgd.flatMap((p, t) => p.map((x, i) => Math.abs(x - pytorch[t].theta[i]))),
  );
  doc.say(
    "The look-ahead points are PyTorch's iterates, and the buffers are equal: over 20 steps, ",
    `in w and in b, the largest difference between the two forms is ${n(gap, { digits: 2 })}, `,
    `and between PyTorch's form and stepgrad's SGD ${n(sgdGap, { digits: 2 })}: rounding in `,
    "the last of 16 digits, where they differ at all.",
  );
}

function whenNesterovHelps(doc: Doc): void {
  doc.heading("When Nesterov helps, and when it does not");
  const lrs = range(0.005, 0.6, 0.005);
  const mus = [0.3, 0.5, 0.7, 0.9];
  const rows = mus.map((mu) => {
    const m = search(lrs.map((lr) => ({ lr, momentum: mu }))).stays;
    const v = search(lrs.map((lr) => ({ lr, momentum: mu, nesterov: true }))).stays;
    const e = edges(mu);
    return { mu, m, v, e };
  });
  doc.table(
    ["μ", "momentum: α", "steps", "edge", "Nesterov: α", "steps", "edge"],
    rows.map(({ mu, m, v, e }) => [
      mu,
      m.options.lr,
      m.arrival.stays!,
      e.momentum,
      v.options.lr,
      v.arrival.stays!,
      e.nesterov,
    ]),
    `Each at its best α (in steps of 0.005): steps until the loss stays below ${n(TOLERANCE)}`,
  );
  const both = searchGrid("nesterov").stays, plainBoth = searchGrid("coarse").stays;
  const at = (mu: number) => rows.find((r) => r.mu === mu)!;
  doc.say(
    "Along a direction of curvature h, momentum stays stable while ",
    formula`\alpha\,h < 2(1 + \mu)`,
    ", and Nesterov while ",
    formula`\alpha\,h < 2(1 + \mu)/(1 + 2\mu)`,
    ": the look-ahead gradient adds μ·g to every step, so ",
    `across the steep direction it overshoots sooner. At small μ that costs: at μ = ${n(0.5)} `,
    `Nesterov's edge is ${n(at(0.5).e.nesterov)} against momentum's ${n(at(0.5).e.momentum)}, `,
    `so its α must be smaller and the flat direction crawls (${at(0.5).v.arrival.stays} steps `,
    `against ${at(0.5).m.arrival.stays}). At large μ the velocity itself overshoots and swings; `,
    "the look-ahead gradient sees the swing a step early and brakes: at ",
    `μ = ${n(0.9)} Nesterov takes ${at(0.9).v.arrival.stays} steps, momentum `,
    `${at(0.9).m.arrival.stays}. Over the whole 0.01 grid, Nesterov's best is `,
    `${both.arrival.stays} steps (α = ${n(both.options.lr)}, μ = ${n(both.options.momentum)}), `,
    `momentum's ${plainBoth.arrival.stays}. So "Nesterov overshoots less" is true of the `,
    "velocity at large μ, not of every setting; tuned, the two are close on this bowl.",
  );
  doc.note(
    "key",
    "Momentum keeps a velocity m ← μ·m + g and steps along it: a constant slope is taken with ",
    "the rate α/(1 − μ), a slope that flips sign with α/(1 + μ). That is what a bowl much ",
    "steeper one way than the other needs. Nesterov takes the gradient at the look-ahead point; ",
    "PyTorch's form does the same without ever evaluating there.",
  );
}

/** The rate the first exercise checks, just above the edge 2/h_max. */
export const ABOVE_EDGE = 0.185;
/** The constant slope of the third exercise: L = g·w. */
export const SLOPE = { g: 3, lr: 0.1, momentum: 0.9, steps: 50 };

/** The exercises' commands (tests run each and check the answer the lesson states). */
export const EXERCISE_COMMANDS: Readonly<Record<"edge" | "slope" | "nesterov", string[]>> = {
  edge: optimizeCommand({ lr: ABOVE_EDGE, steps: 200 }),
  slope: optimizeCommand({
    loss: `${SLOPE.g}*w`,
    start: "w=0",
    lr: SLOPE.lr,
    momentum: SLOPE.momentum,
    steps: SLOPE.steps,
  }),
  nesterov: optimizeCommand({ ...NESTEROV_PAIR, nesterov: true, steps: 2 }),
};

function exercises(doc: Doc): void {
  const { max, min } = curvatures();
  const k = 2 / XS.length;
  const sx = XS.reduce((s, x) => s + x, 0), sxx = XS.reduce((s, x) => s + x * x, 0);
  const h = [[k * sxx, k * sx], [k * sx, k * XS.length]];
  const diverged = descend(ABOVE_EDGE, 200).divergedAt;
  let m = 0;
  for (let t = 0; t < SLOPE.steps; t++) m = SLOPE.momentum * m + SLOPE.g;
  const nest = momentumRun(bowlGradient, [START_POINT.w, START_POINT.b], {
    ...NESTEROV_PAIR,
    nesterov: true,
  }, 2);
  const g1 = bowlGradient(nest[0].theta), g2 = bowlGradient(nest[1].theta);
  const { lr, momentum: mu } = NESTEROV_PAIR;
  doc.exercises(
    {
      question: [
        "The Hessian of this loss is ",
        formula`H = \begin{bmatrix} ${h[0][0]} & ${h[0][1]} \\ ${h[1][0]} & ${
          h[1][1]
        } \end{bmatrix}`,
        ". From its eigenvalues, at what α does plain descent on this bowl start to diverge? ",
        "Check just above it:",
      ],
      command: commandLine(EXERCISE_COMMANDS.edge),
      answer: [
        formula`\alpha = 2/${hMax} = ${2 / max}`,
        `. At α = ${n(ABOVE_EDGE)} the steep factor is ${n(1 - ABOVE_EDGE * max)}, so the `,
        `steep error grows by ${n(Math.abs(1 - ABOVE_EDGE * max))} per step; the command stops `,
        `at step ${diverged}, where the loss has grown more than a million times.`,
      ],
    },
    {
      question: [
        "With pencil: the two eigenvalues add up to the trace of H. What is the best plain rate ",
        formula`2/(${hMax} + ${hMin})`,
        ", and by what factor does it shrink both directions per step?",
      ],
      answer: [
        formula`${hMax} + ${hMin} = ${h[0][0]} + ${h[1][1]} = ${max + min}`,
        ", so ",
        formula`\alpha = ${2 / (max + min)}`,
        ", and the factor is ",
        formula`(${hMax} - ${hMin})/(${hMax} + ${hMin}) = ${(max - min) / (max + min)}`,
        ".",
      ],
    },
    {
      question: [
        `On the constant slope L = ${n(SLOPE.g)}·w (g = ${n(SLOPE.g)} everywhere), what does m `,
        `approach with μ = ${n(SLOPE.momentum)}, and how far does w then move per step at `,
        `α = ${n(SLOPE.lr)}? What is m at step ${SLOPE.steps}?`,
      ],
      command: commandLine(EXERCISE_COMMANDS.slope),
      answer: [
        formula`m \to g/(1 - \mu) = ${SLOPE.g / (1 - SLOPE.momentum)}`,
        `, so w moves ${n((SLOPE.lr * SLOPE.g) / (1 - SLOPE.momentum))} per step, `,
        `${n(1 / (1 - SLOPE.momentum))} times the plain step ${n(SLOPE.lr * SLOPE.g)}. `,
        `At step ${SLOPE.steps}, `,
        formula`m = g\,(1 - \mu^t)/(1 - \mu) = ${m}`,
        " (the buffer on the command's last step).",
      ],
    },
    {
      question: [
        `Take two steps of Nesterov (PyTorch's form) by hand from (0.5, 0) with α = `,
        `${n(lr)}, μ = ${n(mu)}.`,
      ],
      command: commandLine(EXERCISE_COMMANDS.nesterov),
      answer: [
        formula`${at("m", 1)} = ${at("g", 1)} = ${pair(g1)}`,
        ", ",
        formula`${at("(w, b)", 1)} = ${pair(nest[0].theta)} - ${lr} \cdot \big(${
          pair(g1)
        } + ${mu} \cdot ${pair(nest[1].m)}\big) = ${pair(nest[1].theta)}`,
        "; then ",
        formula`${at("g", 2)} = ${pair(g2)}`,
        ", ",
        formula`${at("m", 2)} = ${mu} \cdot ${pair(nest[1].m)} + ${pair(g2)} = ${pair(nest[2].m)}`,
        ", ",
        formula`${at("(w, b)", 2)} = ${pair(nest[1].theta)} - ${lr} \cdot \big(${
          pair(g2)
        } + ${mu} \cdot ${pair(nest[2].m)}\big) = ${pair(nest[2].theta)}`,
        ".",
      ],
    },
  );
}

function run(sink: Sink): void {
  const doc = new Doc(sink);
  intro(doc);
  const runs = RATES.map((r) => descend(r.lr));
  const [small, right, edge, large] = runs;
  fourRates(doc, runs);
  crawling(doc, small, edge, runs);
  slowerThanItCould(doc, right, edge, runs);
  nearTheBest(doc, edge, right, runs);
  divergence(doc, large, runs);
  whereTheEdgeIs(doc, runs);
  theBestRate(doc);
  momentumRule(doc);
  whyFaster(doc);
  whyOvershoot(doc);
  pathsOverBowl(doc);
  tuning(doc);
  nesterov(doc);
  whenNesterovHelps(doc);
  exercises(doc);
}

/**
 * The live panels of `handout 2 --interactive`: move α on this bowl and watch every step; then
 * plain descent, momentum and Nesterov with the lesson's settings.
 */
export const EXPLORE: readonly ExplorePanel[] = [{
  after: "Four learning rates, one loss",
  title: "Try it: move α and watch every step",
  expression: LOSS_TEXT,
  start: { ...START_POINT },
  state: { optimizer: "SGD", options: { lr: RATES[1].lr }, steps: STEPS, step: 1 },
  presets: RATES.map((r) => ({
    name: `α = ${n(r.lr)}: ${r.verdict}`,
    state: { optimizer: "SGD", options: { lr: r.lr }, steps: STEPS, step: 1 },
  })),
}, {
  after: "Plain descent and momentum over the bowl",
  title: "Try it: plain descent, momentum and Nesterov on the bowl",
  expression: LOSS_TEXT,
  start: { ...START_POINT },
  state: momentumState(tunedPair()),
  presets: [
    { name: "plain descent, the best α", state: momentumState(searchGrid("plain").stays.options) },
    { name: "momentum, Polyak's pair", state: momentumState(tunedPair()) },
    {
      name: `Nesterov, α = ${n(NESTEROV_PAIR.lr)}, μ = ${n(NESTEROV_PAIR.momentum)}`,
      state: momentumState({ ...NESTEROV_PAIR, nesterov: true }),
    },
  ],
}];

function momentumState(o: MomentumOptions) {
  return {
    optimizer: "SGD" as const,
    options: { lr: o.lr, momentum: o.momentum, nesterov: o.nesterov ?? false },
    steps: STEPS,
    step: 1,
  };
}

export default defineLesson(import.meta, {
  number: 2,
  title: "The learning rate and momentum",
  summary: "The same loss with α too small, steady, near the best and too large, the curvature " +
    "that separates them, and momentum and Nesterov on the same bowl: why a velocity helps, " +
    "by how much when tuned, and how sensitive the tuning is.",
  run,
});
