/**
 * Lesson 06: training an MLP. micrograd's demo, number for number: two moons, MLP(2, [16, 16, 1]),
 * the max-margin loss with L2, the learning rate 1.0 − 0.9·t/100, 100 steps of W ← W − α·dW;
 * the loss and accuracy as it learns, the decision boundary it finds and what its creases are.
 *
 * Run: deno run lessons/06-training-an-mlp.ts [--seed N]
 *
 * Lesson 10 (and anyone) can train the same network from here: {@linkcode moonsData},
 * {@linkcode moonsModel} and {@linkcode moonsLoss} are micrograd's data, model and loss, and
 * {@linkcode trainMoons} runs any update rule on them with the loss graph compiled once.
 *
 * @module
 */
import {
  Adam,
  ADAM_DEFAULTS,
  compile,
  defineLesson,
  Doc,
  formatNumber as n,
  formatShape,
  formula,
  type FormulaText,
  layerGroups,
  makeMoons,
  matrixFormula,
  type MatrixStep,
  matrixSteps,
  maxMarginLoss,
  MLP,
  SGD,
  type Sink,
  texToText,
  Value,
} from "../mod.ts";

/** micrograd's seed. */
export const DEFAULT_SEED = 1337;
/** Training steps. */
export const STEPS = 100;
/** The weight of the L2 term in micrograd's loss. */
export const L2 = 1e-4;

/** One step's numbers. */
export interface StepRecord {
  /** t: the number of updates made before this record, from 0. */
  step: number;
  /** The learning rate of update t + 1 (made after this record); NaN for the last record. */
  lr: number;
  /** The loss after t updates (before update t + 1). */
  loss: number;
  /** The fraction of points classified right after t updates. */
  accuracy: number;
}

/** A training run on the moons: the trained model, the data, and one record per step. */
export interface MoonsRun {
  /** The network after the last update. */
  model: MLP;
  /** The points. */
  X: number[][];
  /** Their labels, ±1. */
  y: number[];
  /** Records t = 0 … steps: record t is the network after t updates, the last the trained one. */
  records: StepRecord[];
}

/** micrograd's data: 100 points in two interleaving half moons (noise 0.1), labelled ±1. */
export function moonsData(seed: number = DEFAULT_SEED): { X: number[][]; y: number[] } {
  return makeMoons(100, { noise: 0.1, seed });
}

/**
 * micrograd's network: MLP(2, [16, 16, 1]), ReLU hidden layers, a linear output, 337
 * parameters, weights uniform in [−1, 1] drawn from `seed` (the same seed as the data's).
 */
export function moonsModel(seed: number = DEFAULT_SEED): MLP {
  return new MLP(2, [16, 16, 1], { seed });
}

/**
 * micrograd's loss as a graph: the mean max-margin loss (1/n)·Σᵢ max(0, 1 − yᵢ·scoreᵢ) plus
 * 10⁻⁴·Σ θ² over every parameter θ, and the scores it was built from.
 */
export function moonsLoss(
  model: MLP,
  X: readonly number[][],
  y: readonly number[],
): { total: Value; scores: Value[] } {
  const scores = X.map((x) => model.forwardScalar(x));
  return { total: maxMarginLoss(scores, y, { params: model.parameters(), alpha: L2 }), scores };
}

/** The data, the model and its loss, as micrograd's demo builds them. */
export function setup(seed: number): {
  X: number[][];
  y: number[];
  model: MLP;
  loss: () => { total: Value; accuracy: number };
} {
  const { X, y } = moonsData(seed);
  const model = moonsModel(seed);
  const loss = () => {
    const { total, scores } = moonsLoss(model, X, y);
    return { total, accuracy: accuracyOf(scores.map((s) => s.data), y) };
  };
  return { X, y, model, loss };
}

/** The fraction of scores on their label's side of 0 (as lib/nn's `accuracy`, on numbers). */
function accuracyOf(scores: readonly number[], y: readonly number[]): number {
  let right = 0;
  for (let i = 0; i < scores.length; i++) if ((y[i] > 0) === (scores[i] > 0)) right++;
  return right / scores.length;
}

/**
 * The model's score as a function of a point, its graph compiled once: bit for bit
 * `model.forwardScalar(x).data`, without building a graph per point.
 */
export function scorer(model: MLP): (x: readonly number[]) => number {
  const x1 = new Value(0, "x1"), x2 = new Value(0, "x2");
  const graph = compile(model.forwardScalar([x1, x2]));
  return (x) => {
    x1.data = x[0];
    x2.data = x[1];
    return graph.forward();
  };
}

/**
 * Trains micrograd's network on micrograd's moons (data and weights from `seed`) for `steps`
 * updates. The loss graph is built once and compiled (`compile`): each step replays it forward
 * and backward, bit for bit what rebuilding it and calling `backward()` would give. After each
 * backward pass the parameters hold their gradients in `.grad`, and `update(t)` (made by
 * `makeUpdate` from the parameters) applies update t + 1 and returns the learning rate it used.
 * A rate too large shows as a loss that grows to Infinity or NaN in the records; nothing throws.
 *
 * @example
 * ```ts
 * import { createOptimizer } from "../mod.ts";
 * import { trainMoons } from "./06-training-an-mlp.ts";
 * import assert from "node:assert/strict";
 * const run = trainMoons(1337, (params) => {
 *   const opt = createOptimizer("rmsprop", params, { lr: 0.01 });
 *   return () => (opt.step({ trace: false }), 0.01);
 * }, 10);
 * assert.equal(run.records.length, 11); // t = 0 … 10: the start, then after each update
 * assert.ok(run.records[10].loss < run.records[0].loss);
 * ```
 */
export function trainMoons(
  seed: number,
  makeUpdate: (params: Value[]) => (t: number) => number,
  steps: number = STEPS,
  onStep?: (done: number) => void,
): MoonsRun {
  const { X, y } = moonsData(seed);
  const model = moonsModel(seed);
  const params = model.parameters();
  const graph = compile(moonsLoss(model, X, y).total);
  const score = scorer(model);
  const update = makeUpdate(params);
  const records: StepRecord[] = [];
  for (let k = 0; k <= steps; k++) {
    const loss = graph.forward();
    const acc = accuracyOf(X.map(score), y);
    if (k === steps) {
      records.push({ step: k, lr: NaN, loss, accuracy: acc });
      break;
    }
    for (const p of params) p.grad = 0;
    graph.backward();
    records.push({ step: k, lr: update(k), loss, accuracy: acc });
    onStep?.(k + 1);
  }
  return { model, X, y, records };
}

/** micrograd's schedule: update t + 1 uses αₜ = 1.0 − 0.9·t/100. */
export function schedule(t: number): number {
  return 1.0 - (0.9 * t) / 100;
}

/** micrograd's loop: 100 steps of plain gradient descent, θ ← θ − αₜ·∂L/∂θ. */
export function trainSGD(seed: number, onStep?: (k: number) => void): MoonsRun {
  return trainMoons(
    seed,
    (params) => (k) => {
      const lr = schedule(k);
      for (const p of params) p.data -= lr * p.grad;
      return lr;
    },
    STEPS,
    onStep,
  );
}

/** Adam's learning rate in the comparison (picked by hand; lesson 10 sweeps it). */
export const ADAM_LR = 0.05;

/**
 * The same data, the same initial weights and loss, 100 steps of Adam at a constant rate; and
 * its first update: each parameter's gradient and how far it moved (|Δθ|).
 */
export function trainAdam(
  seed: number,
  onStep?: (k: number) => void,
  lr: number = ADAM_LR,
): MoonsRun & { first: { grad: number[]; moved: number[] } } {
  const first = { grad: [] as number[], moved: [] as number[] };
  const run = trainMoons(
    seed,
    (params) => {
      const adam = new Adam(params, { lr });
      return (k) => {
        const before = params.map((p) => p.data);
        if (k === 0) first.grad = params.map((p) => p.grad);
        adam.step({ trace: false });
        if (k === 0) first.moved = params.map((p, i) => Math.abs(p.data - before[i]));
        return lr;
      };
    },
    STEPS,
    onStep,
  );
  return { ...run, first };
}

/** The output layer's first SGD update (micrograd's α₀ = 1.0) as a matrix step. */
export function firstStep(seed: number): MatrixStep {
  const { model, loss } = setup(seed);
  model.zeroGrad();
  loss().total.backward();
  const groups = layerGroups(model).filter((g) => g.name.text === "W₃");
  return matrixSteps(new SGD(model.parameters(), { lr: 1.0 }).step(), groups)[0];
}

/** The first record whose accuracy is 100%: the number of updates it took, if any. */
export function firstPerfect(records: readonly StepRecord[]): number | undefined {
  return records.find((r) => r.accuracy === 1)?.step;
}

/** The window the boundary is drawn in: the data's range and 0.5 more on each side. */
function windowOf(X: readonly number[][]): { x: [number, number]; y: [number, number] } {
  const range = (i: number): [number, number] => {
    const v = X.map((p) => p[i]);
    return [Math.min(...v) - 0.5, Math.max(...v) + 0.5];
  };
  return { x: range(0), y: range(1) };
}

/** `cells` numbers from a to b, evenly spaced. */
function spaced([a, b]: [number, number], cells: number): number[] {
  return Array.from({ length: cells }, (_, i) => a + ((b - a) * i) / (cells - 1));
}

/** The model's score on a grid around the data, for the decision boundary. */
export function scoreGrid(
  model: MLP,
  X: readonly number[][],
  cells = 48,
): { xs: number[]; ys: number[]; score: number[][] } {
  const win = windowOf(X);
  const xs = spaced(win.x, cells), ys = spaced(win.y, cells);
  const score = scorer(model);
  return { xs, ys, score: ys.map((y) => xs.map((x) => score([x, y]))) };
}

/** What the trained network's ReLUs do to the plane, in the boundary's window. */
export interface Creases {
  /** Grid points per side the counts were sampled on. */
  cells: number;
  /** First-layer ReLUs whose crease (a straight line w·x + b = 0) crosses the window. */
  firstCrossing: number;
  /**
   * For each second-layer ReLU whose crease crosses the window: the straight pieces found along
   * it (the first layer's regions it passes through).
   */
  secondPieces: number[];
  /** Regions of the window where a different set of ReLUs is on (the score is linear in each). */
  regions: number;
  /** The straight pieces found along the boundary score = 0. */
  boundaryPieces: number;
}

/**
 * The trained network's creases, sampled on a `cells`×`cells` grid over the boundary's window:
 * at each point, which hidden ReLUs are on (layer by layer, z = W·a + b as lesson 09 writes
 * it). A crease or the boundary passes between two neighbouring points where its function
 * changes sign; a piece is counted once per region (set of ReLUs on) it is found in, and only
 * when both neighbours lie in the same region, so the counts are lower bounds.
 */
export function creases(model: MLP, X: readonly number[][], cells = 160): Creases {
  const [l1, l2, l3] = model.layers;
  const W1 = l1.weightMatrix(), b1 = l1.biasVector();
  const W2 = l2.weightMatrix(), b2 = l2.biasVector();
  const W3 = l3.weightMatrix()[0], b3 = l3.biasVector()[0];
  const h1 = W1.length, h2 = W2.length;
  const win = windowOf(X);
  const corners = [win.x[0], win.x[1]].flatMap((x) => [win.y[0], win.y[1]].map((y) => [x, y]));
  const firstCrossing = W1.filter((w, j) => {
    const signs = new Set(corners.map(([x, y]) => Math.sign(w[0] * x + w[1] * y + b1[j])));
    return signs.has(1) && signs.has(-1);
  }).length;
  const xs = spaced(win.x, cells), ys = spaced(win.y, cells);
  // Per point: the first layer's on/off bits, the second's, the second layer's z, the score.
  const n = cells * cells;
  const on1 = new Uint32Array(n), on2 = new Uint32Array(n);
  const z2 = new Float64Array(n * h2), score = new Float64Array(n);
  const a1 = new Float64Array(h1);
  for (let jy = 0; jy < cells; jy++) {
    for (let ix = 0; ix < cells; ix++) {
      const p = jy * cells + ix, x = xs[ix], y = ys[jy];
      let bits1 = 0, bits2 = 0, s = b3;
      for (let j = 0; j < h1; j++) {
        const z = W1[j][0] * x + W1[j][1] * y + b1[j];
        a1[j] = z > 0 ? z : 0;
        if (z > 0) bits1 |= 1 << j;
      }
      for (let j = 0; j < h2; j++) {
        let z = b2[j];
        for (let i = 0; i < h1; i++) z += W2[j][i] * a1[i];
        z2[p * h2 + j] = z;
        if (z > 0) {
          bits2 |= 1 << j;
          s += W3[j] * z;
        }
      }
      on1[p] = bits1 >>> 0;
      on2[p] = bits2 >>> 0;
      score[p] = s;
    }
  }
  const region = (p: number) => on1[p] * 2 ** h2 + on2[p];
  const neighbours: [number, number][] = [];
  for (let jy = 0; jy < cells; jy++) {
    for (let ix = 0; ix < cells; ix++) {
      const p = jy * cells + ix;
      if (ix + 1 < cells) neighbours.push([p, p + 1]);
      if (jy + 1 < cells) neighbours.push([p, p + cells]);
    }
  }
  const secondPieces: number[] = [];
  for (let j = 0; j < h2; j++) {
    const pieces = new Set<number>();
    let crosses = false;
    for (const [p, q] of neighbours) {
      if ((z2[p * h2 + j] > 0) === (z2[q * h2 + j] > 0)) continue;
      crosses = true;
      if (on1[p] === on1[q]) pieces.add(on1[p]);
    }
    if (crosses) secondPieces.push(pieces.size);
  }
  const boundary = new Set<number>();
  for (const [p, q] of neighbours) {
    if ((score[p] > 0) !== (score[q] > 0) && region(p) === region(q)) boundary.add(region(p));
  }
  const regions = new Set(Array.from({ length: n }, (_, p) => region(p))).size;
  return { cells, firstCrossing, secondPieces, regions, boundaryPieces: boundary.size };
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** 10ᵏ as a formula, for a number that is a power of ten. */
function powerOfTen(x: number): FormulaText {
  const k = Math.round(Math.log10(x));
  if (10 ** k !== x) throw new RangeError(`${x} is not a power of ten`);
  const latex = `10^{${k}}`;
  return { tex: latex, text: texToText(latex) };
}

function intro(doc: Doc, seed: number): void {
  const { X } = moonsData(seed);
  const model = moonsModel(seed);
  const hidden = model.shapes().slice(0, -1).map((s) => s.weight[0]);
  const hiddenWords = hidden.every((h) => h === hidden[0])
    ? `${hidden.length === 2 ? "two" : hidden.length} hidden layers of ${hidden[0]}`
    : `hidden layers of ${hidden.join(", ")}`;
  doc.say(
    "Everything so far, at the scale of a real (if small) network: micrograd's demo. Its data: ",
    `${X.length} points in two interleaving half moons, labelled +1 and −1; a network with two `,
    `inputs, ${hiddenWords} ReLU neurons and one output, `,
    `${model.parameters().length} parameters; and the update rule of lesson 01, applied to all `,
    "of them at once (θ stands for any one parameter):",
  );
  doc.math(
    formula`\text{score} = \mathrm{MLP}(x_1, x_2)`,
    formula`L = \tfrac{1}{n} \textstyle\sum_i \max(0,\, 1 - y_i \cdot \text{score}_i) + ${
      powerOfTen(L2)
    } \textstyle\sum \theta^2`,
    formula`\theta \leftarrow \theta - \alpha_t\, \frac{\partial L}{\partial \theta}, \qquad \alpha_t = 1.0 - 0.9\,t/100`,
  );
  doc.say(
    "The max-margin loss is 0 for a point on the right side with a margin of at least 1, and grows ",
    "linearly otherwise; the small L2 term keeps the weights from growing without need. The ",
    `learning rate starts at ${n(schedule(0))} and falls to ${n(schedule(STEPS - 1))} at the `,
    `last of the ${STEPS} updates (t = ${STEPS - 1}). The data and the initial weights come from `,
    `seed ${seed}.`,
  );
}

function asMatrices(doc: Doc, seed: number): void {
  doc.heading("The network as matrices");
  const model = moonsModel(seed);
  const shapes = model.shapes();
  const count = model.parameters().length;
  doc.table(
    ["layer", { header: "W", align: "right" }, { header: "b", align: "right" }, "parameters"],
    shapes.map((s, l) => [
      l + 1,
      formatShape(s.weight),
      formatShape([s.bias, 1]),
      s.weight[0] * s.weight[1] + s.bias,
    ]),
    `Each layer's W has a row per neuron and a column per input; ${count} parameters in all.`,
  );
  const first = firstStep(seed);
  const [rows, cols] = first.shape;
  doc.say(
    `The first update of the output layer, written as matrices (α₀ = ${n(first.lr)}; dW₃ means `,
    `∂L/∂W₃; the ${rows}×${cols} matrices show their first and last columns):`,
  );
  doc.math(
    matrixFormula(
      [
        formula`W_3 \leftarrow W_3 - \alpha_0\,\mathrm{d}W_3 =`,
        first.before,
        // A fragment that starts with a binary minus (the matrix before it is its left operand).
        formula`{} - ${first.lr} \cdot`,
        first.grad,
        formula`=`,
        first.after,
      ],
      { width: 56, maxCols: 4, digits: 4 },
    ),
  );
  doc.say(
    `dW₃ has W₃'s shape, ${formatShape(first.shape)}: one number for each weight, so the update `,
    `is one subtraction per entry, the same rule as lesson 01's, ${count} times at once.`,
  );
}

/** The records the tables show: the first steps, every tenth, the last update and the end. */
function shown(steps: number): number[] {
  const tens = Array.from({ length: Math.floor(steps / 10) }, (_, i) => 10 * (i + 1));
  return [...new Set([0, 1, 2, 5, ...tens.filter((k) => k < steps), steps - 1, steps])];
}

function training(doc: Doc, run: MoonsRun): void {
  doc.heading("Training");
  const { records } = run;
  doc.table(
    ["t", { header: "αₜ", align: "right" }, "loss", { header: "accuracy", align: "right" }],
    shown(STEPS).map((k) => [
      k,
      Number.isNaN(records[k].lr) ? "—" : records[k].lr,
      records[k].loss,
      percent(records[k].accuracy),
    ]),
    `Row t is the network after t updates; αₜ is the rate of the update made next. Row ${STEPS} ` +
      "is the trained network.",
  );
  doc.block({
    kind: "chart",
    title: "The loss, step by step (plain gradient descent)",
    xLabel: "t",
    yLabel: "loss",
    logY: true,
    series: [{ name: "loss", points: records.map((r) => [r.step, r.loss]) }],
  });
  const final = records[STEPS];
  doc.say(
    `After ${STEPS} updates the loss is ${n(final.loss)} and ${percent(final.accuracy)} of the `,
    "points are on the right side of the boundary.",
  );
}

function boundary(doc: Doc, run: MoonsRun): void {
  doc.heading("The decision boundary");
  const { model, X, y } = run;
  const grid = scoreGrid(model, X);
  doc.block({
    kind: "boundary",
    title: "Where the trained network says +1 (score > 0) and −1",
    ...grid,
    points: X.map((p) => [p[0], p[1]]),
    labels: y,
  });
  const c = creases(model, X);
  const [first, second] = model.shapes().map((s) => s.weight[0]);
  const pieces = c.secondPieces;
  doc.say(
    "A straight line cannot separate the moons; two layers of ReLUs bend the boundary around ",
    "them. Where do the bends come from? A first-layer ReLU switches on where its input ",
    `w·x + b crosses 0: a straight line in the plane, and ${
      c.firstCrossing === first ? `all ${first}` : `${c.firstCrossing} of the ${first}`
    } `,
    "cross this picture. A second-layer ReLU switches where its input z = W₂·a₁ + b₂ crosses 0, ",
    "and a₁ is a different linear function of x in each region the first layer's lines cut out: ",
    "this crease is straight only within one region, and bends at each first-layer line it ",
    `crosses. ${
      pieces.length === 0
        ? `None of the ${second} crosses this picture.`
        : `A ${c.cells}×${c.cells} grid finds, on each of the ${
          pieces.length === second ? `${second}` : `${pieces.length} (of ${second})`
        } second-layer creases that cross the picture, between ${Math.min(...pieces)} and ` +
          `${Math.max(...pieces)} straight pieces (a grid can miss short pieces, so the true ` +
          "counts are at least these)."
    } `,
    Math.max(0, ...pieces) > 1
      ? "One straight crease per ReLU holds only for the first layer."
      : "Here they happen to be straight; in general only the first layer's are.",
  );
  doc.say(
    "What holds for the whole network: where the same ReLUs are on, the score is a linear ",
    "function of x, so the boundary is straight within each such region and made of line ",
    `segments: at least ${c.boundaryPieces} of them here, and the picture holds at least `,
    `${c.regions} such regions.`,
  );
}

function adamComparison(doc: Doc, seed: number, sgd: MoonsRun): void {
  doc.heading("Adam for comparison");
  const adam = trainAdam(seed, (k) => doc.progress("training with Adam", k, STEPS));
  const { grad, moved } = adam.first;
  // Parameters that move by about α, and the rest (gradients of rounding size, or exactly 0).
  const near = moved.filter((m) => m >= ADAM_LR / 2);
  const rest = grad.filter((_, i) => moved[i] < ADAM_LR / 2).map(Math.abs);
  doc.say(
    "Same data, same initial weights, same loss, but Adam (lesson 04) with a constant learning ",
    `rate of ${ADAM_LR} instead of micrograd's falling schedule. Adam scales each parameter's `,
    "step by the running size of its own gradient, so its steps are about α in size whatever the ",
    `gradient's scale: its first update moves ${near.length} of the ${moved.length} parameters `,
    `by between ${n(Math.min(...near))} and ${n(Math.max(...near))}. (The other ${rest.length} `,
    `have gradients no larger than ${n(Math.max(...rest), { digits: 2 })}, rounding noise or `,
    `exactly 0, far below ε = ${n(ADAM_DEFAULTS.eps)}: α·g/(|g| + ε) moves them by almost `,
    `nothing.) So α = ${ADAM_LR} here plays the part that `,
    `α = ${n(schedule(0))} plays for plain gradient descent. ${ADAM_LR} was picked by hand, as `,
    "micrograd's schedule was; lesson 10 sweeps the rate for each optimizer on this network.",
  );
  const a = adam.records, s = sgd.records;
  doc.table(
    [
      "t",
      "SGD loss",
      { header: "SGD accuracy", align: "right" },
      "Adam loss",
      { header: "Adam accuracy", align: "right" },
    ],
    shown(STEPS).map((k) => [
      k,
      s[k].loss,
      percent(s[k].accuracy),
      a[k].loss,
      percent(a[k].accuracy),
    ]),
    `Row t is each network after t updates: SGD with the falling αₜ above, Adam with α = ${
      n(ADAM_LR)
    }.`,
  );
  doc.block({
    kind: "chart",
    title: "The loss, step by step: gradient descent and Adam",
    xLabel: "t",
    yLabel: "loss",
    logY: true,
    series: [
      {
        name: "gradient descent, α = 1.0 − 0.9·t/100",
        points: s.map((r) => [r.step, r.loss]),
      },
      { name: `Adam, α = ${ADAM_LR}`, points: a.map((r) => [r.step, r.loss]) },
    ],
  });
  const perfect = (r: StepRecord[]) => {
    const k = firstPerfect(r);
    return k === undefined
      ? `never classifies every point in these ${STEPS} updates`
      : `first classifies every point after ${k} updates`;
  };
  doc.say(
    `Gradient descent ${perfect(s)}; Adam ${perfect(a)}. After ${STEPS} updates their losses `,
    `are ${n(s[STEPS].loss)} and ${n(a[STEPS].loss)}. On a problem this small both get there; `,
    "Adam needed no schedule, but it did need its rate.",
  );
}

function exercises(doc: Doc, run: MoonsRun): void {
  const below = Array.from({ length: STEPS }, (_, k) => k).find((k) => schedule(k) < 0.5);
  const wider = new MLP(2, [32, 32, 1]);
  const neuron = run.model.layers[0].neurons[0];
  const [w1, w2] = neuron.w.map((w) => w.data), b = neuron.b.data;
  // One step is the command's default.
  const adamCommand = `deno task stepgrad optimize "(w - 3)^2" --start w=0 --optimizer adam ` +
    `--lr ${ADAM_LR}`;
  const oneStep = (() => {
    const w = new Value(0, "w");
    const adam = new Adam([w], { lr: ADAM_LR });
    w.sub(3).pow(2).backward();
    adam.step({ trace: false });
    return w.data;
  })();
  doc.exercises(
    {
      question: [
        `With αₜ = 1.0 − 0.9·t/100, at which t does the rate first fall below 0.5, and what `,
        `rate does the last update (t = ${STEPS - 1}) use?`,
      ],
      answer: [
        `1.0 − 0.9·t/100 < 0.5 when t > 500/9 ≈ ${n(500 / 9, { digits: 3 })}: first at t = `,
        `${below} (α = ${n(schedule(below!))}). The last update uses `,
        `α = ${n(schedule(STEPS - 1))}.`,
      ],
    },
    {
      question: [
        "How many parameters does MLP(2, [32, 32, 1]) have? Count W and b layer by layer.",
      ],
      answer: [
        wider.shapes().map((s) => `${s.weight[0]}·${s.weight[1]} + ${s.bias}`).join(" + "),
        ` = ${wider.parameters().length}.`,
      ],
    },
    {
      question: [
        `Neuron 1 of the trained network's first layer has weights w = (${n(w1)}, ${n(w2)}) `,
        `and bias b = ${n(b)}. Where does its crease w·x + b = 0 cross the x₁-axis (x₂ = 0)?`,
      ],
      answer: [`x₁ = −b/w₁ = ${n(-b / w1)}.`],
    },
    {
      question: [
        `Adam's first update moves a parameter by about α whatever its gradient. Predict w `,
        `after one Adam step at α = ${ADAM_LR} on (w − 3)² from w = 0, then check:`,
      ],
      command: adamCommand,
      answer: [
        "m̂₁ = g and v̂₁ = g², so the step is α·g/(|g| + ε): w moves by α toward 3, to ",
        `w = ${n(oneStep)}.`,
      ],
    },
  );
}

function run(sink: Sink, options: { seed?: number } = {}): void {
  const seed = options.seed ?? DEFAULT_SEED;
  const doc = new Doc(sink);
  intro(doc, seed);
  asMatrices(doc, seed);
  const sgd = trainSGD(seed, (k) => doc.progress("training", k, STEPS));
  training(doc, sgd);
  boundary(doc, sgd);
  adamComparison(doc, seed, sgd);
  exercises(doc, sgd);
}

export default defineLesson(import.meta, {
  number: 6,
  title: "Training an MLP",
  summary: "micrograd's demo: two moons, MLP(2, [16, 16, 1]), max-margin loss with L2, 100 steps " +
    "of gradient descent, the loss and accuracy as it learns, and the boundary it finds.",
  defaultSeed: DEFAULT_SEED,
  run,
});
