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
  defineLesson,
  Doc,
  type ExplorePanel,
  formatNumber as n,
  formula,
  type Sink,
} from "../mod.ts";
import { type Probe, probe, XS, YS } from "./01-the-update-rule.ts";

/** The learning rates compared, with what each shows. */
export const RATES: readonly { lr: number; verdict: string }[] = [
  { lr: 0.01, verdict: "too small: crawls" },
  { lr: 0.1, verdict: "about right" },
  { lr: 0.17, verdict: "near the edge: zigzags" },
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

/** The loss as text for stepgrad's parser: (1/n)·Σ(w·xᵢ + b − yᵢ)², the same graph as `probe`. */
export const LOSS_TEXT: string = `(${
  XS.map((x, i) => `(w*${x} + b - ${YS[i]})^2`).join(" + ")
}) * (1/${XS.length})`;

/** The live panel of `handout 2 --interactive`: move α on this bowl and watch every step. */
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
}];

function lossAt(run: Descent, k: number): number | string {
  if (run.divergedAt !== undefined && k >= run.divergedAt) return "diverged";
  return run.probes[k].loss;
}

function intro(doc: Doc): void {
  doc.say(
    "Lesson 01 settled the rule: ",
    formula`w \leftarrow w - \alpha\,dW`,
    ". It left one number open, the learning rate α. Take the same three points, the same ",
    "model ŷ = w·x + b, the same start (w = 0.5, b = 0), and run 100 steps with four values of α.",
  );
}

function fourRates(doc: Doc, runs: readonly Descent[]): void {
  doc.heading("Four learning rates, one loss");
  const checkpoints = [1, 10, 50, 100];
  doc.table(
    [
      "α",
      ...checkpoints.map((k) => ({ header: `step ${k}`, align: "right" as const })),
      "what happens",
    ],
    runs.map((r, i) => [
      r.lr,
      ...checkpoints.map((k) => {
        const v = lossAt(r, k);
        return typeof v === "number" ? n(v) : v;
      }),
      RATES[i].verdict,
    ]),
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

function crawling(doc: Doc, small: Descent): void {
  doc.heading(`α = ${n(small.lr)}: crawling`);
  doc.say(
    `Every step goes downhill, but a small one: after 10 steps the loss is still `,
    `${n(small.probes[10].loss)}, after 100 steps ${n(small.probes[100].loss)}. Nothing is `,
    "wrong, only slow; with a real network each step costs a pass over the data.",
  );
}

function aboutRight(doc: Doc, right: Descent): void {
  doc.heading(`α = ${n(right.lr)}: about right`);
  doc.say(
    `The first step alone takes the loss from ${n(right.probes[0].loss)} to `,
    `${n(right.probes[1].loss)}; after 100 steps it is ${n(right.probes[100].loss)}.`,
  );
}

function firstSteps(run: Descent): (string | number)[][] {
  return [0, 1, 2, 3, 4, 5].map((k) => {
    const p = run.probes[k];
    return [k, p.w, p.b, p.loss, p.dW, p.db];
  });
}

function nearTheEdge(doc: Doc, edge: Descent, right: Descent): void {
  doc.heading(`α = ${n(edge.lr)}: near the edge`);
  doc.say(
    "Now the weight overshoots: look at the sign of dW, which flips at every step, so w swings ",
    "from one side of its best value to the other.",
  );
  doc.table(["step", "w", "b", "loss", "dW", "db"], firstSteps(edge), `α = ${n(edge.lr)}`);
  doc.say(
    `The swings shrink, and the larger steps pay off later: after 100 steps the loss is `,
    `${n(edge.probes[100].loss)}, lower than with α = ${n(right.lr)}.`,
  );
}

function divergence(doc: Doc, large: Descent): void {
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
}

function whereTheEdgeIs(doc: Doc, runs: readonly Descent[]): void {
  const [small, , , large] = runs;
  doc.heading("Where the edge is");
  const { max, min } = curvatures();
  doc.say(
    "This loss is a bowl (it is quadratic in w and b). Along its steepest direction its ",
    "curvature, the largest eigenvalue of the Hessian, is ",
    formula`\lambda_{\max} = ${max}`,
    "; along its flattest, ",
    formula`\lambda_{\min} = ${min}`,
    ". One step of gradient descent multiplies the distance from the minimum along each ",
    "direction by a fixed factor:",
  );
  doc.math(
    formula`d \leftarrow (1 - \alpha\,\lambda)\, d`,
    formula`|1 - \alpha\,\lambda_{\max}| < 1 \iff \alpha < 2/\lambda_{\max} = ${2 / max}`,
  );
  doc.table(
    ["α", "1 − α·λ_max", "1 − α·λ_min", "steep direction", "flat direction"],
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
  doc.note(
    "key",
    "The learning rate is limited by the steepest curvature (",
    formula`\alpha < 2/\lambda_{\max}`,
    ") and progress by the flattest. When the two differ a lot (here by a factor of ",
    `${n(max / min, { digits: 3 })}), no single α is fast in every direction: that is what `,
    "momentum and Adam (lesson 04) are for.",
  );
}

function run(sink: Sink): void {
  const doc = new Doc(sink);
  intro(doc);
  const runs = RATES.map((r) => descend(r.lr));
  const [small, right, edge, large] = runs;
  fourRates(doc, runs);
  crawling(doc, small);
  aboutRight(doc, right);
  nearTheEdge(doc, edge, right);
  divergence(doc, large);
  whereTheEdgeIs(doc, runs);
}

export default defineLesson(import.meta, {
  number: 2,
  title: "The learning rate",
  summary: "The same loss with α too small, about right, near the edge and too large: " +
    "a crawl, a descent, a zigzag and a divergence, and the curvature that separates them.",
  run,
});
