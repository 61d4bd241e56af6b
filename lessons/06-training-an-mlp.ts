/**
 * Lesson 06: training an MLP. micrograd's demo, number for number: two moons, MLP(2, [16, 16, 1]),
 * the max-margin loss with L2, the learning rate 1.0 − 0.9·k/100, 100 steps of W ← W − α·dW;
 * the loss and accuracy as it learns, the decision boundary it finds.
 *
 * Run: deno run lessons/06-training-an-mlp.ts [--seed N]
 *
 * @module
 */
import {
  accuracy,
  Adam,
  defineLesson,
  Doc,
  formatNumber as n,
  formatNumberLatex as t,
  formatShape,
  formula,
  layerGroups,
  makeMoons,
  matrixFormula,
  type MatrixStep,
  matrixSteps,
  maxMarginLoss,
  MLP,
  SGD,
  type Sink,
  tex,
  type Value,
} from "../mod.ts";

/** micrograd's seed. */
export const DEFAULT_SEED = 1337;
/** Training steps. */
export const STEPS = 100;

/** One step's numbers. */
export interface StepRecord {
  /** Step k, from 0. */
  step: number;
  /** The learning rate used at this step. */
  lr: number;
  /** The loss before the update. */
  loss: number;
  /** The fraction of points classified right before the update. */
  accuracy: number;
}

/** The data, the model and its loss, as micrograd's demo builds them. */
export function setup(seed: number): {
  X: number[][];
  y: number[];
  model: MLP;
  loss: () => { total: Value; accuracy: number };
} {
  const { X, y } = makeMoons(100, { noise: 0.1, seed });
  const model = new MLP(2, [16, 16, 1], { seed });
  const loss = () => {
    const scores = X.map((x) => model.forwardScalar(x));
    const total = maxMarginLoss(scores, y, { params: model.parameters(), alpha: 1e-4 });
    return { total, accuracy: accuracy(scores, y) };
  };
  return { X, y, model, loss };
}

/** micrograd's loop: 100 steps of plain gradient descent with lr = 1.0 − 0.9·k/100. */
export function trainSGD(seed: number, onStep?: (k: number) => void): {
  model: MLP;
  X: number[][];
  y: number[];
  records: StepRecord[];
} {
  const { X, y, model, loss } = setup(seed);
  const records: StepRecord[] = [];
  for (let k = 0; k < STEPS; k++) {
    const { total, accuracy } = loss();
    model.zeroGrad();
    total.backward();
    const lr = 1.0 - (0.9 * k) / 100;
    for (const p of model.parameters()) p.data -= lr * p.grad;
    records.push({ step: k, lr, loss: total.data, accuracy });
    onStep?.(k + 1);
  }
  return { model, X, y, records };
}

/** Adam's learning rate in the comparison. */
export const ADAM_LR = 0.05;

/** The same data, the same initial weights and loss, 100 steps of Adam at a constant lr. */
export function trainAdam(seed: number, onStep?: (k: number) => void): StepRecord[] {
  const { model, loss } = setup(seed);
  const adam = new Adam(model.parameters(), { lr: ADAM_LR });
  const records: StepRecord[] = [];
  for (let k = 0; k < STEPS; k++) {
    const { total, accuracy } = loss();
    adam.zeroGrad();
    total.backward();
    adam.step({ trace: false });
    records.push({ step: k, lr: ADAM_LR, loss: total.data, accuracy });
    onStep?.(k + 1);
  }
  return records;
}

/** The output layer's first SGD update (micrograd's α₀ = 1.0) as a matrix step. */
export function firstStep(seed: number): MatrixStep {
  const { model, loss } = setup(seed);
  model.zeroGrad();
  loss().total.backward();
  const groups = layerGroups(model).filter((g) => g.name.text === "W₃");
  return matrixSteps(new SGD(model.parameters(), { lr: 1.0 }).step(), groups)[0];
}

/** The first step whose accuracy (before its update) is 100%, if any. */
export function firstPerfect(records: readonly StepRecord[]): number | undefined {
  return records.find((r) => r.accuracy === 1)?.step;
}

/** The model's score on a grid around the data, for the decision boundary. */
export function scoreGrid(
  model: MLP,
  X: readonly number[][],
  cells = 48,
): { xs: number[]; ys: number[]; score: number[][] } {
  const range = (i: number) => {
    const v = X.map((p) => p[i]);
    return [Math.min(...v) - 0.5, Math.max(...v) + 0.5];
  };
  const [x0, x1] = range(0), [y0, y1] = range(1);
  const xs = Array.from({ length: cells }, (_, i) => x0 + ((x1 - x0) * i) / (cells - 1));
  const ys = Array.from({ length: cells }, (_, j) => y0 + ((y1 - y0) * j) / (cells - 1));
  const score = ys.map((y) => xs.map((x) => model.forwardScalar([x, y]).data));
  return { xs, ys, score };
}

function intro(doc: Doc, seed: number): void {
  doc.say(
    "Everything so far, at the scale of a real (if small) network: micrograd's demo. A hundred ",
    "points in two interleaving half moons, labelled +1 and −1; a network with two inputs, two ",
    "hidden layers of 16 ReLU neurons and one output, 337 parameters; and the update rule of ",
    "lesson 01, applied to all of them at once.",
  );
  doc.math(
    formula`\text{score} = \mathrm{MLP}(x_1, x_2)`,
    formula`L = \tfrac{1}{n} \textstyle\sum_i \max(0,\, 1 - y_i \cdot \text{score}_i) + 10^{-4} \sum_p p^2`,
    formula`p \leftarrow p - \alpha_k\, \frac{\partial L}{\partial p}, \qquad \alpha_k = 1.0 - 0.9\,k/100`,
  );
  doc.say(
    "The max-margin loss is 0 for a point on the right side with a margin of at least 1, and grows ",
    "linearly otherwise; the small L2 term keeps the weights from growing without need. The ",
    `learning rate starts at 1 and falls to 0.109 at the last step. The data and the initial `,
    `weights come from seed ${seed}.`,
  );
}

function asMatrices(doc: Doc, seed: number): void {
  doc.heading("The network as matrices");
  const layersOf = setup(seed);
  const shapes = layersOf.model.shapes();
  const count = layersOf.model.parameters().length;
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
    `The first update of the output layer, written as matrices (α₀ = ${n(first.lr)}; the `,
    `${rows}×${cols} matrices show their first and last columns):`,
  );
  doc.math(
    matrixFormula(
      [
        formula`W_3 \leftarrow W_3 - \alpha_0\,\mathrm{d}W_3 =`,
        first.before,
        // A fragment that starts with a binary minus (the matrix before it is its left operand).
        tex(`- ${t(first.lr)} \\cdot`, `− ${n(first.lr)} ·`),
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

function training(doc: Doc, trained: ReturnType<typeof trainSGD>): void {
  doc.heading("Training");
  const { records, model, X, y } = trained;
  doc.table(
    ["step", "α", "loss", { header: "accuracy", align: "right" }],
    SHOWN.map((
      k,
    ) => [k, records[k].lr, records[k].loss, `${Math.round(records[k].accuracy * 100)}%`]),
    "Loss and accuracy are measured before each step's update.",
  );
  const final = model.parameters();
  const { total: finalLoss, accuracy: finalAcc } = (() => {
    const scores = X.map((x) => model.forwardScalar(x));
    return {
      total: maxMarginLoss(scores, y, { params: final, alpha: 1e-4 }),
      accuracy: accuracy(scores, y),
    };
  })();
  doc.block({
    kind: "chart",
    title: "The loss, step by step (plain gradient descent)",
    xLabel: "step",
    yLabel: "loss",
    logY: true,
    series: [{ name: "loss", points: records.map((r) => [r.step, r.loss]) }],
  });
  doc.say(
    `After ${STEPS} steps the loss is ${n(finalLoss.data)} and ${Math.round(finalAcc * 100)}% `,
    "of the points are on the right side of the boundary.",
  );
}

function boundary(doc: Doc, trained: ReturnType<typeof trainSGD>): void {
  doc.heading("The decision boundary");
  const { model, X, y } = trained;
  const grid = scoreGrid(model, X);
  doc.block({
    kind: "boundary",
    title: "Where the trained network says +1 (score > 0) and −1",
    ...grid,
    points: X.map((p) => [p[0], p[1]]),
    labels: y,
  });
  doc.say(
    "A straight line cannot separate the moons; two layers of ReLUs bend the boundary around ",
    "them. Each ReLU contributes one straight crease, so the boundary is made of line segments.",
  );
}

function adamComparison(doc: Doc, seed: number, records: StepRecord[]): void {
  doc.heading("Adam for comparison");
  doc.say(
    "Same data, same initial weights, same loss, but Adam (lesson 04) with a constant learning ",
    `rate of ${ADAM_LR} instead of micrograd's falling schedule. Adam scales each parameter's `,
    "step by the running size of its own gradient, so its steps are about α in size whatever the ",
    "gradient's scale: α = 0.05 here plays the part that α = 1 plays for plain gradient descent.",
  );
  const adam = trainAdam(seed, (k) => doc.progress("training with Adam", k, STEPS));
  doc.table(
    [
      "step",
      "SGD loss",
      { header: "SGD accuracy", align: "right" },
      "Adam loss",
      { header: "Adam accuracy", align: "right" },
    ],
    SHOWN.map((k) => [
      k,
      records[k].loss,
      `${Math.round(records[k].accuracy * 100)}%`,
      adam[k].loss,
      `${Math.round(adam[k].accuracy * 100)}%`,
    ]),
  );
  doc.block({
    kind: "chart",
    title: "The loss, step by step: gradient descent and Adam",
    xLabel: "step",
    yLabel: "loss",
    logY: true,
    series: [
      {
        name: "gradient descent, α = 1.0 − 0.9·k/100",
        points: records.map((r) => [r.step, r.loss]),
      },
      { name: `Adam, α = ${ADAM_LR}`, points: adam.map((r) => [r.step, r.loss]) },
    ],
  });
  const perfect = (r: StepRecord[]) => {
    const k = firstPerfect(r);
    return k === undefined
      ? "never reaches 100% in these 100 steps"
      : `first classifies every point at step ${k}`;
  };
  doc.say(
    `Gradient descent ${perfect(records)}; Adam ${perfect(adam)}. After 100 steps their losses `,
    `are ${n(records[STEPS - 1].loss)} and ${n(adam[STEPS - 1].loss)} (measured before the last `,
    "update). On a problem this small both get there; Adam's advantage is that one constant α ",
    "worked without a hand-made schedule.",
  );
}

/** The steps the tables show. */
const SHOWN = [0, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99];

function run(sink: Sink, options: { seed?: number } = {}): void {
  const seed = options.seed ?? DEFAULT_SEED;
  const doc = new Doc(sink);
  intro(doc, seed);
  asMatrices(doc, seed);
  const trained = trainSGD(seed, (k) => doc.progress("training", k, STEPS));
  training(doc, trained);
  boundary(doc, trained);
  adamComparison(doc, seed, trained.records);
}

export default defineLesson(import.meta, {
  number: 6,
  title: "Training an MLP",
  summary: "micrograd's demo: two moons, MLP(2, [16, 16, 1]), max-margin loss with L2, 100 steps " +
    "of gradient descent, the loss and accuracy as it learns, and the boundary it finds.",
  defaultSeed: DEFAULT_SEED,
  run,
});
