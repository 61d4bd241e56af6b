/**
 * Lesson 08: debugging your own update. A learner's training loop, written from scratch, prints
 * its parameters and gradients; `stepgrad diagnose` says which update rule those numbers follow.
 * Three slips that ship in real code (b updated with dW, gradients never zeroed, Adam's bias
 * correction multiplied instead of divided) are each caught, with the step where the run leaves
 * the correct rule written out both ways.
 *
 * Run: deno run lessons/08-debugging-your-update.ts
 *
 * @module
 */
import {
  defineLesson,
  diagnose,
  type Diagnosis,
  diagnosisToText,
  Doc,
  formatNumber as n,
  formula,
  type LearnerRun,
  MISTAKE_IDS,
  mistakeInfo,
  SGD,
  type Sink,
  Value,
} from "../mod.ts";
import { commandLine, loss as lesson01Loss, optimizeCommand } from "./01-the-update-rule.ts";

/** The data: three points on y = 2x + 1. */
export const XS: readonly number[] = [1, 2, 3];
/** The targets. */
export const YS: readonly number[] = [3, 5, 7];
/** Where every run starts. */
export const START = { w: 0.5, b: 0 } as const;
/** Steps each learner prints. */
export const STEPS = 6;

/** dL/dw and dL/db of the mean squared error of ŷ = w·x + b. */
export function gradients(w: number, b: number): { dW: number; db: number } {
  let dW = 0, db = 0;
  XS.forEach((x, i) => {
    const e = w * x + b - YS[i];
    dW += (2 / XS.length) * e * x;
    db += (2 / XS.length) * e;
  });
  return { dW, db };
}

/** One learner's update of (w, b), given this step's gradients and its step number t. */
export type Update = (p: [number, number], g: [number, number], t: number) => [number, number];

/** Runs a learner's loop and records what it prints, as `diagnose` reads it. */
export function learnerRun(update: Update, known: LearnerRun["known"]): LearnerRun {
  let p: [number, number] = [START.w, START.b];
  const steps: LearnerRun["steps"] = [];
  for (let t = 1; t <= STEPS; t++) {
    const { dW, db } = gradients(p[0], p[1]);
    p = update(p, [dW, db], t);
    steps.push({ grads: [dW, db], params: [...p] });
  }
  return { names: ["w", "b"], start: [START.w, START.b], steps, known };
}

/** The learners: one right, three with a slip each. */
export const LEARNERS = {
  /** Plain gradient descent, written right. */
  right: (lr: number): Update => ([w, b], [dW, db]) => [w - lr * dW, b - lr * db],
  /** `b -= lr * dW`: the bias moved with the weight's gradient. */
  biasWithDw: (lr: number): Update => ([w, b], [dW]) => [w - lr * dW, b - lr * dW],
  /** Gradients added into a buffer that is never zeroed (`.grad +=` without zero_grad). */
  notZeroed: (lr: number): Update => {
    const acc = [0, 0];
    return ([w, b], [dW, db]) => {
      acc[0] += dW;
      acc[1] += db;
      return [w - lr * acc[0], b - lr * acc[1]];
    };
  },
  /** Adam with the bias correction multiplied: m̂ = m·(1 − β₁ᵗ), v̂ = v·(1 − β₂ᵗ). */
  adamMultiplied: (lr: number, b1: number, b2: number, eps: number): Update => {
    const m = [0, 0], v = [0, 0];
    return (p, g, t) =>
      p.map((x, i) => {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        const mHat = m[i] * (1 - b1 ** t), vHat = v[i] * (1 - b2 ** t);
        return x - lr * mHat / (Math.sqrt(vHat) + eps);
      }) as [number, number];
  },
};

/** The learning rate of the plain loops, and Adam's hyperparameters. */
export const LR = 0.05;
/** Adam's hyperparameters, as the learner set them. */
export const ADAM = { lr: 0.1, betas: [0.9, 0.999] as const, eps: 1e-8 };

/** The four runs and what diagnose makes of each. */
export function cases(): { key: keyof typeof LEARNERS; run: LearnerRun; diagnosis: Diagnosis }[] {
  const runs: [keyof typeof LEARNERS, LearnerRun][] = [
    ["right", learnerRun(LEARNERS.right(LR), {})],
    ["biasWithDw", learnerRun(LEARNERS.biasWithDw(LR), { lr: LR })],
    ["notZeroed", learnerRun(LEARNERS.notZeroed(LR), { lr: LR })],
    [
      "adamMultiplied",
      learnerRun(LEARNERS.adamMultiplied(ADAM.lr, ADAM.betas[0], ADAM.betas[1], ADAM.eps), {
        lr: ADAM.lr,
        betas: ADAM.betas,
        eps: ADAM.eps,
      }),
    ],
  ];
  return runs.map(([key, run]) => ({ key, run, diagnosis: diagnose(run) }));
}

/** The diagnosis as the command prints it, up to the list of other candidates. */
function verdict(d: Diagnosis): string {
  const text = diagnosisToText(d);
  const cut = text.search(/\n(step \d+, the correct rule:|other candidates:|closest candidates:)/);
  return (cut < 0 ? text : text.slice(0, cut)).trimEnd();
}

type Case = ReturnType<typeof cases>[number];

function introduction(doc: Doc): void {
  doc.say(
    "Your network trains badly, and your gradients pass the checks of lessons 05 and 07. The ",
    "next suspect is the update itself: a sign, a copied variable, a counter that starts at the ",
    "wrong number. Such slips ship in real code: a well-known browser library multiplied Adam's ",
    "bias correction where it should divide, for years. stepgrad can read what your loop ",
    "printed and say which update rule those numbers follow.",
  );
  doc.say(
    "Print the parameters before training and, at every step, the gradients your code used and ",
    "the parameters after the step. From numpy, three lines write what diagnose reads:",
  );
  doc.code(
    [
      "log = {'lr': lr, 'start': {'w': float(w), 'b': float(b)}, 'steps': []}",
      "log['steps'].append({'grads': {'w': float(dW), 'b': float(db)},",
      "                     'params': {'w': float(w), 'b': float(b)}})  # after each step",
      "json.dump(log, open('run.json', 'w'))",
    ].join("\n"),
    "python",
  );
  doc.say(
    `The model is ŷ = w·x + b on the points (${
      XS.map((x, i) => `${n(x)}, ${n(YS[i])}`).join("), (")
    }) `,
    `with the mean squared error, from w = ${n(START.w)}, b = ${n(START.b)}; each learner prints `,
    `${n(STEPS)} steps.`,
  );
}

function loopWrittenRight(doc: Doc, right: Case): void {
  doc.heading("A loop written right");
  const r = right.diagnosis;
  doc.say(
    "First a learner who wrote w -= lr * dW and b -= lr * db, and did not say which lr they used. ",
    `diagnose fits every optimizer stepgrad has: the run is ${r.match}, and the learning rate `,
    `it recovers from the numbers is ${n(r.options.lr as number)}`,
    r.precision.relativeError === 0
      ? ", reproducing every printed value exactly."
      : `, reproducing every printed value to ${r.precision.significantDigits} significant digits.`,
  );
  doc.code(`$ deno task stepgrad diagnose run.json\n${verdict(r)}`, "sh");
}

function caught(doc: Doc, c: Case, intro: string): void {
  const d = c.diagnosis;
  if (d.match === null || d.kind !== "mistake") {
    throw new RangeError(`diagnose did not name the mistake of the ${c.key} learner`);
  }
  const m = mistakeInfo(d.match);
  const f = d.firstDeparture!;
  doc.heading(`Caught: ${d.match}`);
  doc.say(intro);
  doc.code(`$ deno task stepgrad diagnose run.json\n${verdict(d)}`, "sh");
  doc.say(
    `The run leaves ${
      d.closest!.optimizer
    } at step ${f.step}: for ${f.param} the correct rule gives `,
    `${n(f.expected, { digits: 8 })}, the learner's code printed ${n(f.observed, { digits: 8 })}. `,
    "Here is that step both ways, every number filled in:",
  );
  doc.trace(d.traces!.correct, `The correct rule, ${d.closest!.optimizer}`);
  doc.trace(d.traces!.learner, `The learner's rule, ${d.match}`);
  doc.note("warning", `Why it is wrong: ${m.why}. What it does: ${m.effect}.`);
}

/** The mean squared error of ŷ = w·x + b on the lesson's points. */
export function loss(w: number, b: number): number {
  return XS.reduce((s, x, i) => s + (w * x + b - YS[i]) ** 2, 0) / XS.length;
}

/** Each learner's loop in a few words, for the table (the code names are for the code). */
const LEARNER_LOOPS: Readonly<Record<keyof typeof LEARNERS, string>> = {
  right: "written right",
  biasWithDw: "b -= lr * dW",
  notZeroed: "gradients never zeroed",
  adamMultiplied: "Adam, m̂ = m·(1 − β₁ᵗ)",
};

function whatTheyDid(doc: Doc, all: Case[]): void {
  doc.heading("What the three runs did to training");
  doc.table(
    ["the learner's loop", "verdict", { header: `loss after ${STEPS} steps`, align: "right" }],
    all.map((c) => {
      const last = c.run.steps.at(-1)!.params;
      return [LEARNER_LOOPS[c.key], c.diagnosis.match ?? "no match", loss(last[0], last[1])];
    }),
    `From a loss of ${n(loss(START.w, START.b))} at the start.`,
  );
  doc.note(
    "key",
    "When training misbehaves and the gradients check out, print a few steps of parameters and ",
    "gradients and ask ",
    formula`\texttt{stepgrad diagnose}`,
    ". It names the rule your code runs, recovers the hyperparameters the numbers determine, ",
    "and shows the first step where your numbers leave the correct rule. diagnose --list prints ",
    `every mistake it knows (${MISTAKE_IDS.length} of them).`,
  );
}

/**
 * PyTorch's SGD with momentum μ = 1 and no dampening, on the lesson's loss: m ← m + g and
 * w ← w − α·m, the parameters after each step.
 */
export function sgdMomentumOne(lr: number): [number, number][] {
  const w = new Value(START.w, "w"), b = new Value(START.b, "b");
  const opt = new SGD([w, b], { lr, momentum: 1 });
  const out: [number, number][] = [];
  for (let t = 1; t <= STEPS; t++) {
    const g = gradients(w.data, b.data);
    w.grad = g.dW;
    b.grad = g.db;
    opt.step();
    out.push([w.data, b.data]);
  }
  return out;
}

/** Exercise 3's check: stepgrad's SGD with μ = 1 on this loss (lesson 01's), from the start. */
export const MOMENTUM_ONE_COMMAND: string[] = optimizeCommand({
  start: `w=${START.w},b=${START.b}`,
  lr: LR,
  momentum: 1,
  steps: STEPS,
});

function exercises(doc: Doc, right: Case, bias: Case, zeroed: Case): void {
  if (lesson01Loss(START.w, START.b) !== loss(START.w, START.b)) {
    throw new RangeError("exercise 3's command runs lesson 01's loss, which is not this one");
  }
  const s1 = right.run.steps[0];
  const recovered = (START.w - s1.params[0]) / s1.grads[0];
  const g1 = gradients(START.w, START.b);
  const momentum = sgdMomentumOne(LR);
  const same = momentum.every((p, i) =>
    p[0] === zeroed.run.steps[i].params[0] && p[1] === zeroed.run.steps[i].params[1]
  );
  if (!same) throw new RangeError("SGD with momentum 1 does not reproduce the unzeroed loop");
  doc.exercises(
    {
      question: [
        `A loop started at w = ${n(START.w)} and printed, after its first step, dW = `,
        `${n(s1.grads[0], { digits: 8 })} and w = ${n(s1.params[0], { digits: 8 })}. `,
        "Which learning rate did it use? Work it out with pencil from w ← w − α·dW.",
      ],
      answer: [
        formula`\alpha = \frac{w_0 - w_1}{\partial L/\partial w} = \frac{${START.w} - ${
          s1.params[0]
        }}{${s1.grads[0]}} = ${recovered}`,
        `, as diagnose recovered (${n(right.diagnosis.options.lr as number)}).`,
      ],
    },
    {
      question: [
        "In the run that moved b with dW, what should b be after the first step, and what did ",
        `the code print? (From w = ${n(START.w)}, b = ${n(START.b)}, α = ${n(LR)}.)`,
      ],
      answer: [
        `The gradients at the start are ∂L/∂w = ${n(g1.dW)} and ∂L/∂b = ${n(g1.db)}, so b should `,
        `be ${n(START.b)} − ${n(LR)}·(${n(g1.db)}) = ${n(START.b - LR * g1.db)}; the code printed `,
        `${n(START.b)} − ${n(LR)}·(${n(g1.dW)}) = ${n(bias.run.steps[0].params[1])}.`,
      ],
    },
    {
      question: [
        "Gradients that are never zeroed add up: the step uses g₁ + g₂ + … + gₜ. Which setting ",
        "of PyTorch's SGD runs exactly this rule? Check your answer with stepgrad's SGD on the ",
        "same loss.",
      ],
      command: commandLine(MOMENTUM_ONE_COMMAND),
      answer: [
        "SGD with momentum μ = 1 and no dampening: m ← 1·m + g is the running sum, and ",
        "w ← w − α·m. Run on this loss, its parameters equal the unzeroed loop's at all ",
        `${n(STEPS)} steps, bit for bit (after step ${n(STEPS)}: w = ${
          n(momentum.at(-1)![0])
        }, b = ${
          n(momentum.at(-1)![1])
        }, as the command prints them). A momentum that never decays keeps `,
        `pushing: the loss after ${n(STEPS)} steps is ${
          n(loss(...zeroed.run.steps.at(-1)!.params as [number, number]))
        } where the correct loop's is ${
          n(loss(...right.run.steps.at(-1)!.params as [number, number]))
        }.`,
      ],
    },
  );
}

function run(sink: Sink): void {
  const doc = new Doc(sink);
  introduction(doc);
  // The four diagnoses take a moment: after the opening lines are on screen.
  const all = cases();
  const [right, bias, zeroed, adam] = all;
  loopWrittenRight(doc, right);
  caught(
    doc,
    bias,
    "The bias moved with the weight's gradient: the line b -= lr * db was copied from w's and kept dW.",
  );
  caught(
    doc,
    zeroed,
    "The gradients were added into a buffer that is never zeroed, as backward() does with .grad when zero_grad() is forgotten.",
  );
  caught(
    doc,
    adam,
    `Adam, with β₁ = ${n(ADAM.betas[0])}, β₂ = ${n(ADAM.betas[1])} and lr = ${
      n(ADAM.lr)
    }, but the bias correction multiplied instead of divided.`,
  );
  whatTheyDid(doc, all);
  exercises(doc, right, bias, zeroed);
}

export default defineLesson(import.meta, {
  number: 8,
  title: "Debugging your update",
  summary: "stepgrad diagnose on a learner's own training loop: the rule it runs, the " +
    "hyperparameters it used, and three slips caught: b with dW, gradients never zeroed, " +
    "Adam's bias correction multiplied.",
  run,
});
