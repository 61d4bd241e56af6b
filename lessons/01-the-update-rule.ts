/**
 * Lesson 01: the update rule. You have dW and db: add them to the weights? Multiply? Subtract?
 * Each idea is tried on the smallest model there is, and the loss says which one learns.
 *
 * Run: deno run lessons/01-the-update-rule.ts
 *
 * @module
 */
import { defineLesson, Doc, formula, type FormulaText, type Sink, Value } from "../mod.ts";
import { formatNumber as n } from "../mod.ts";

/** The data: three points on the line y = 2x + 1. */
export const XS = [1, 2, 3];
/** See `XS`. */
export const YS = [3, 5, 7];
/** The loss as text for stepgrad's parser (`stepgrad optimize`): the same sum as `probe`'s graph. */
export const LOSS_TEXT: string = `(${
  XS.map((x, i) => `(w*${x} + b - ${YS[i]})^2`).join(" + ")
}) * (1/${XS.length})`;

/** The learning rate α. */
export const LR = 0.05;

/** One look at the model: the loss and both gradients at (w, b), by backprop. */
export interface Probe {
  /** The weight. */
  w: number;
  /** The bias. */
  b: number;
  /** L(w, b). */
  loss: number;
  /** ∂L/∂w. */
  dW: number;
  /** ∂L/∂b. */
  db: number;
}

/** L = (1/3)·Σ (w·xᵢ + b − yᵢ)² as a graph with leaves w and b (for backprop and the optimizers). */
export function bowl(w0: number, b0: number): { w: Value; b: Value; loss: Value } {
  const w = new Value(w0, "w"), b = new Value(b0, "b");
  let sum = new Value(0);
  for (let i = 0; i < XS.length; i++) sum = sum.add(w.mul(XS[i]).add(b).sub(YS[i]).pow(2));
  return { w, b, loss: sum.mul(1 / XS.length) };
}

/** The loss and both gradients at (w0, b0), by backprop on `bowl`'s graph. */
export function probe(w0: number, b0: number): Probe {
  const { w, b, loss } = bowl(w0, b0);
  loss.backward();
  return { w: w0, b: b0, loss: loss.data, dW: w.grad, db: b.grad };
}

/** A rule for the next (w, b) from the current probe. */
type Rule = (p: Probe) => [number, number];

/** Runs a rule from w = 0.5, b = 0 and returns the probe before each step (step 0 first). */
export function runRule(rule: Rule, steps: number): Probe[] {
  const out = [probe(0.5, 0)];
  for (let k = 0; k < steps; k++) {
    const [w, b] = rule(out[k]);
    out.push(probe(w, b));
  }
  return out;
}

/** The four rules the lesson tries. */
export const RULES: Record<string, Rule> = {
  add: (p) => [p.w + LR * p.dW, p.b + LR * p.db],
  multiply: (p) => [p.w * p.dW, p.b * p.db],
  subtract: (p) => [p.w - LR * p.dW, p.b - LR * p.db],
  "b with dW": (p) => [p.w - LR * p.dW, p.b - LR * p.dW],
};

const COLUMNS = ["step", "w", "b", "loss", "dW", "db"];

/**
 * Gradients smaller than this in size are printed as 0: they are 0 in exact arithmetic, and what
 * the computer keeps is rounding left over from adding terms of size about 1 (see `theSlip`).
 */
export const NOISE = 1e-12;

/** A gradient as the tables print it: 0 when it is smaller than `NOISE` in size. */
export function shown(g: number): number {
  return Math.abs(g) < NOISE ? 0 : g;
}

function rows(probes: readonly Probe[], steps: readonly number[]): (string | number)[][] {
  return steps.map((k) => {
    const p = probes[k];
    return [k, p.w, p.b, p.loss, shown(p.dW), shown(p.db)];
  });
}

/** The loss in plain arithmetic, for the contour grid (the same sum as `probe`'s graph). */
export function loss(w: number, b: number): number {
  return XS.reduce((s, x, i) => s + (w * x + b - YS[i]) ** 2, 0) / XS.length;
}

/** Where the loss is 0: the line the data came from, found by least squares (the normal equations). */
export function minimum(): { w: number; b: number } {
  const m = XS.length;
  const sx = XS.reduce((s, x) => s + x, 0), sy = YS.reduce((s, y) => s + y, 0);
  const sxx = XS.reduce((s, x) => s + x * x, 0);
  const sxy = XS.reduce((s, x, i) => s + x * YS[i], 0);
  const w = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  return { w, b: (sy - w * sx) / m };
}

/** The window of lesson 01's picture of the bowl, in w and in b. */
export const WINDOW: Readonly<{ w: [number, number]; b: [number, number] }> = {
  w: [-1.5, 4],
  b: [-2, 3],
};

/**
 * A run's points up to the first one outside the window (that one included, so the line heads
 * off the picture where the run leaves it).
 */
export function inWindow(
  points: readonly [number, number][],
  window: { w: readonly number[]; b: readonly number[] } = WINDOW,
): [number, number][] {
  const inside = ([w, b]: [number, number]) =>
    w >= window.w[0] && w <= window.w[1] && b >= window.b[0] && b <= window.b[1];
  const out = points.findIndex((p) => !inside(p));
  return out < 0 ? [...points] : points.slice(0, out + 1);
}

/** Grid points from a to b inclusive. */
export function grid(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/** The formula for a sum written out term by term: a + b + c. */
function sumOf(terms: readonly FormulaText[]): FormulaText {
  return terms.reduce((a, b) => formula`${a} + ${b}`);
}

function intro(doc: Doc): void {
  doc.say(
    "You have run backprop and hold the gradients: dW, how the loss changes with each weight ",
    "(for a layer of a network, a matrix the shape of W), and db, how it changes with each bias. ",
    "What now? Add them to the weights? Multiply? Something else? Try each idea on the smallest ",
    "model there is, one weight and one bias, where dW and db are single numbers, and let the ",
    "loss decide.",
  );
}

function theModel(doc: Doc): void {
  doc.heading("The model and its gradients");
  doc.say(
    "Three points that lie on the line y = 2x + 1, and a model with one weight and one bias:",
  );
  doc.table(["x", "y"], XS.map((x, i) => [x, YS[i]]));
  doc.math(
    formula`\hat y = w\,x + b`,
    formula`L = \tfrac{1}{3} \textstyle\sum_i (\hat y_i - y_i)^2`,
    formula`dW = \frac{\partial L}{\partial w} = \tfrac{2}{3} \textstyle\sum_i (\hat y_i - y_i)\,x_i`,
    formula`db = \frac{\partial L}{\partial b} = \tfrac{2}{3} \textstyle\sum_i (\hat y_i - y_i)`,
  );
  const start = probe(0.5, 0);
  const preds = XS.map((x) => start.w * x + start.b);
  doc.say(
    `Start from w = ${n(start.w)} and b = ${n(start.b)}. The predictions are `,
    `${preds.map((p) => n(p)).join(", ")} against targets ${YS.join(", ")}, so the loss is `,
    `${n(start.loss)}. Backprop gives:`,
  );
  const byHand = (2 / 3) * XS.reduce((s, x, i) => s + (preds[i] - YS[i]) * x, 0);
  const dWTerms = sumOf(XS.map((x, i) => formula`(${preds[i]} - ${YS[i]}) \cdot ${x}`));
  const dbTerms = sumOf(XS.map((_, i) => formula`(${preds[i]} - ${YS[i]})`));
  doc.math(
    formula`dW = \tfrac{2}{3}\big(${dWTerms}\big) = ${byHand}`,
    formula`db = \tfrac{2}{3}\big(${dbTerms}\big) = ${start.db}`,
  );
  doc.say(
    `Both are negative: raising w or b would lower the loss. (Backprop's dW is ${n(start.dW)}, `,
    "the same number as the formula.)",
  );
}

function ideaAdd(doc: Doc): void {
  doc.heading("Idea 1: add the gradient");
  doc.math(formula`w \leftarrow w + \alpha\,dW`, formula`b \leftarrow b + \alpha\,db`);
  const add = runRule(RULES.add, 5);
  doc.table(COLUMNS, rows(add, [0, 1, 2, 3, 4, 5]), `α = ${LR}`);
  doc.say(
    `The loss climbs: ${n(add[0].loss)}, ${n(add[1].loss)}, ${n(add[2].loss)}, … and `,
    `${n(add[5].loss)} after five steps. The gradient points uphill: it is the direction in `,
    "which the loss grows fastest. Adding it climbs the hill on purpose.",
  );
}

function ideaMultiply(doc: Doc): void {
  doc.heading("Idea 2: multiply them");
  doc.math(formula`w \leftarrow w \cdot dW`, formula`b \leftarrow b \cdot db`);
  const mul = runRule(RULES.multiply, 3);
  doc.table(COLUMNS, rows(mul, [0, 1, 2, 3]));
  doc.say(
    `b starts at 0, and 0 · db = 0: the bias stalls at 0 whatever the gradient says. w jumps `,
    `from ${n(mul[0].w)} to ${n(mul[1].w)}, ${n(mul[2].w)}, ${n(mul[3].w)}, and the loss `,
    `explodes to ${n(mul[3].loss)}. The product is meaningless: w·dW is not even a weight `,
    "(dW is loss per unit of w, so w·dW is a loss), and at the best weight dW = 0 would wipe ",
    "the weight out.",
  );
}

function ideaSubtract(doc: Doc): void {
  doc.heading("Idea 3: subtract it, scaled by a learning rate");
  doc.math(formula`w \leftarrow w - \alpha\,dW`, formula`b \leftarrow b - \alpha\,db`);
  const start = probe(0.5, 0);
  const sub = runRule(RULES.subtract, 200);
  doc.say("The first step with its numbers filled in:");
  const [w1, b1] = RULES.subtract(start);
  doc.math(
    formula`w \leftarrow ${start.w} - ${LR} \cdot ${start.dW} = ${w1}`,
    formula`b \leftarrow ${start.b} - ${LR} \cdot ${start.db} = ${b1}`,
  );
  doc.table(COLUMNS, rows(sub, [0, 1, 2, 3, 4, 5, 10, 50, 100, 200]), `α = ${LR}`);
  const falls = sub.every((p, k) => k === 0 || p.loss < sub[k - 1].loss);
  doc.say(
    `The loss falls${falls ? " at every step" : ""}, from ${n(start.loss)} to `,
    `${n(sub[200].loss)} after 200 steps, and (w, b) heads for (2, 1), the line the data came `,
    `from: w = ${n(sub[200].w)}, b = ${n(sub[200].b)}.`,
  );
  doc.say(
    "Why subtracting works: for a small step, the loss changes by the gradient times the step,",
  );
  doc.math(formula`L(w - \alpha\,dW) \approx L(w) - \alpha\,dW^2 < L(w)`);
  doc.say(
    "and α·dW² is positive whenever dW is not 0, so a small enough step against the gradient ",
    "always goes downhill. α sets how far: lesson 02 is about choosing it.",
  );
  doc.note(
    "key",
    "The update rule: ",
    formula`W \leftarrow W - \alpha\,dW`,
    " and ",
    formula`b \leftarrow b - \alpha\,db`,
    ". Every parameter moves against its own gradient, scaled by the learning rate α.",
  );
}

function theSlip(doc: Doc): void {
  doc.heading("A slip to avoid: updating b with dW");
  doc.say("Copying the weight's line for the bias gives");
  doc.math(formula`b \leftarrow b - \alpha\,dW \quad (\text{wrong})`);
  const slip = runRule(RULES["b with dW"], 200);
  const sub = runRule(RULES.subtract, 200);
  doc.table(COLUMNS, rows(slip, [0, 1, 2, 3, 4, 5, 10, 50, 200]), `α = ${LR}`);
  doc.say(
    `The loss falls at first, then stops at ${n(slip[200].loss)} with w = ${n(slip[200].w)} and `,
    `b = ${n(slip[200].b)}, although db = ${n(slip[200].db)} still says the bias should move. `,
    "Both parameters now take the same step, so (w, b) can only slide along one line, and it ",
    "stops where dW = 0. The right rule reaches a loss of ",
    `${n(sub[200].loss)} in the same 200 steps.`,
  );
  const noise = slip[50].dW;
  const stop = slipStop();
  doc.say(
    `The table prints 0 for a gradient smaller than ${n(NOISE)} in size. At step 4 db, and from `,
    `step 50 on dW, is exactly 0 (w = ${n(stop.w)}, b = ${n(stop.b)} solve dW = 0 on the line); `,
    `the computer keeps ${n(noise)} instead. That is rounding: dW adds terms of size about 1, `,
    `and a double keeps about 16 digits, so what is left of 0 is a few times `,
    `${n(Number.EPSILON, { digits: 3 })} (the gap between 1 and the next double). Read such `,
    "a number as 0, never as data.",
  );
  doc.note(
    "warning",
    "Each parameter needs its own gradient: the bias is updated with db, never with dW.",
  );
}

/**
 * Where the slip b ← b − α·dW stops: w − b keeps its starting value d, so the run ends where
 * dW = 0 on the line b = w − d, solved by hand: (2/n)·Σ (w·xᵢ + w − d − yᵢ)·xᵢ = 0.
 */
export function slipStop(): { w: number; b: number; loss: number } {
  const d = 0.5 - 0; // w − b at the start (0.5, 0)
  const sx = XS.reduce((s, x) => s + x, 0), sxx = XS.reduce((s, x) => s + x * x, 0);
  const sxy = XS.reduce((s, x, i) => s + x * YS[i], 0);
  const w = (sxy + d * sx) / (sxx + sx);
  return { w, b: w - d, loss: loss(w, w - d) };
}

function thePicture(doc: Doc): void {
  const steps = 200;
  const named: [string, Probe[]][] = [
    ["w ← w + α·dW (adds)", runRule(RULES.add, steps)],
    ["w ← w · dW (multiplies)", runRule(RULES.multiply, 3)],
    ["w ← w − α·dW (subtracts)", runRule(RULES.subtract, steps)],
    ["b ← b − α·dW (the slip)", runRule(RULES["b with dW"], steps)],
  ];
  const best = minimum();
  const ws = grid(WINDOW.w[0], WINDOW.w[1], 56), bs = grid(WINDOW.b[0], WINDOW.b[1], 51);
  doc.say(
    "The same four runs as paths over the loss, drawn as a landscape over (w, b): darker is ",
    "higher. The bowl is long and narrow, and its floor is the point where the loss is 0. A ",
    "path is drawn until it leaves the picture.",
  );
  doc.block({
    kind: "contour",
    title: "The loss over (w, b), and where each rule goes from (0.5, 0)",
    xs: ws,
    ys: bs,
    z: bs.map((b) => ws.map((w) => loss(w, b))),
    paths: [
      ...named.map(([name, run]) => ({
        name,
        points: inWindow(run.map((p): [number, number] => [p.w, p.b])),
      })),
    ],
    marks: [{ name: `the minimum (${n(best.w)}, ${n(best.b)})`, point: [best.w, best.b] }],
    xLabel: "w",
    yLabel: "b",
  });
}

function summary(doc: Doc): void {
  doc.heading("Summary");
  const add = runRule(RULES.add, 200);
  const sub = runRule(RULES.subtract, 200);
  const slip = runRule(RULES["b with dW"], 200);
  doc.table(
    ["rule", "loss, 5 steps", { header: "200 steps", align: "right" }, "what happens"],
    [
      ["w ← w + α·dW", add[5].loss, n(add[200].loss), "climbs: the gradient is uphill"],
      ["w ← w · dW", runRule(RULES.multiply, 5)[5].loss, "overflows", "meaningless; b stalls at 0"],
      ["w ← w − α·dW", sub[5].loss, n(sub[200].loss), "descends to the minimum, 0"],
      ["b ← b − α·dW", slip[5].loss, n(slip[200].loss), "stalls above the minimum"],
    ],
  );
  thePicture(doc);
  doc.say(
    "The rest of the course builds on the third line. Lesson 02 chooses α; lesson 03 computes ",
    "the gradients of a small network by hand; lesson 04 meets the optimizers that improve on ",
    "the plain rule.",
  );
}

/** The command a learner runs to check an exercise: `stepgrad optimize` on this loss. */
export function optimizeCommand(
  options: {
    loss?: string;
    start?: string;
    lr: number;
    steps: number;
    momentum?: number;
    nesterov?: boolean;
  },
): string[] {
  return [
    "optimize",
    options.loss ?? LOSS_TEXT,
    "--start",
    options.start ?? "w=0.5,b=0",
    "--lr",
    String(options.lr),
    ...(options.momentum ? ["--momentum", String(options.momentum)] : []),
    ...(options.nesterov ? ["--nesterov"] : []),
    "--steps",
    String(options.steps),
  ];
}

/**
 * A command as the learner types it: when it uses this lesson's loss, the loss is set once in the
 * shell (`L='…'`) and written `$L`; a line that would pass 72 columns continues (`\`) before an
 * option, so every line fits the terminal and the whole block can be pasted.
 */
export function commandLine(args: readonly string[]): string {
  const [command, loss, ...rest] = args;
  const usesL = loss.includes(LOSS_TEXT);
  const words = [
    "stepgrad",
    command,
    `"${usesL ? loss.replace(LOSS_TEXT, "$L") : loss}"`,
    ...rest.map((a) => (/[\s()*^]/.test(a) ? `"${a}"` : a)),
  ];
  const lines = [words[0]];
  for (const word of words.slice(1)) {
    const last = lines.length - 1;
    if (word.startsWith("--") && lines[last].length + 1 + word.length > 72) lines.push(`  ${word}`);
    else lines[last] += ` ${word}`;
  }
  return [...(usesL ? [`L='${LOSS_TEXT}'`] : []), lines.join(" \\\n")].join("\n");
}

/** The exercises' commands (tests run each and check the answer the lesson states). */
export const EXERCISE_COMMANDS: Readonly<Record<"secondStep" | "scaled", string[]>> = {
  secondStep: optimizeCommand({ lr: LR, steps: 2 }),
  scaled: optimizeCommand({ loss: `10 * (${LOSS_TEXT})`, lr: LR / 10, steps: 1 }),
};

function exercises(doc: Doc): void {
  const sub = runRule(RULES.subtract, 2);
  const stop = slipStop();
  const start = probe(0.5, 0);
  const [w1, b1] = RULES.subtract(start);
  doc.exercises(
    {
      question: [
        `Take the second step by hand. From w = ${n(sub[1].w)}, b = ${n(sub[1].b)}, work out the `,
        "three predictions, dW and db with the formulas above, then w and b after ",
        formula`w \leftarrow w - \alpha\,dW`,
        ` with α = ${n(LR)}.`,
      ],
      command: commandLine(EXERCISE_COMMANDS.secondStep),
      answer: [
        `The predictions are ${XS.map((x) => n(sub[1].w * x + sub[1].b)).join(", ")}; `,
        formula`dW = ${sub[1].dW}`,
        ", ",
        formula`db = ${sub[1].db}`,
        "; so ",
        formula`w \leftarrow ${sub[1].w} - ${LR} \cdot ${sub[1].dW} = ${sub[2].w}`,
        " and ",
        formula`b \leftarrow ${sub[1].b} - ${LR} \cdot ${sub[1].db} = ${sub[2].b}`,
        `, the loss ${n(sub[2].loss)} (step 2 in the command's output).`,
      ],
    },
    {
      question: [
        "The slip ",
        formula`b \leftarrow b - \alpha\,dW`,
        " moves w and b by the same amount at every step, so w − b never changes. Use that to ",
        "find, with pencil, where the run stops: solve dW = 0 on that line. What is the loss there?",
      ],
      answer: [
        `w − b stays ${n(0.5)}, so b = w − ${n(0.5)}, and dW = 0 gives w = ${n(stop.w)}, `,
        `b = ${n(stop.b)}, where the loss is ${n(stop.loss)}: the numbers the table stalled at.`,
      ],
    },
    {
      question: [
        "Multiply the loss by 10: the same data, the same minimum. What are dW and db at the start ",
        `now, and which α gives the same first step as before (w = ${n(w1)}, b = ${n(b1)})?`,
      ],
      command: commandLine(EXERCISE_COMMANDS.scaled),
      answer: [
        `Both gradients are 10 times larger (dW = ${n(10 * start.dW)}, db = `,
        `${n(10 * start.db)}), so α must be 10 times smaller: α = ${n(LR / 10)}. `,
        "The right learning rate depends on the scale of the loss, not only on the data.",
      ],
    },
  );
}

function run(sink: Sink): void {
  const doc = new Doc(sink);
  intro(doc);
  theModel(doc);
  ideaAdd(doc);
  ideaMultiply(doc);
  ideaSubtract(doc);
  theSlip(doc);
  summary(doc);
  exercises(doc);
}

export default defineLesson(import.meta, {
  number: 1,
  title: "The update rule",
  summary: "Add, multiply or subtract the gradient? Try all three on a tiny model: " +
    "only W ← W − α·dW, b ← b − α·db descends.",
  run,
});
