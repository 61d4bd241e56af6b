/**
 * Lesson 07: checking your own derivation. The `check` command (verifyGradient) on gradients
 * derived by hand, right and wrong: the slips learners make (a missing factor of 2, a missing
 * inner factor, a flipped sign, db written with dW's factor, a relu derivative that is right
 * only where the unit is on), each caught with a counterexample and a hint.
 *
 * Run: deno run lessons/07-checking-your-derivation.ts
 *
 * @module
 */
import {
  DEFAULT_WIDTH,
  defineLesson,
  Doc,
  fitText,
  formatNumber,
  formula,
  type Sink,
  verifyGradient,
  type VerifyResult,
  verifyText,
} from "../mod.ts";

/** One claim put to the checker. */
export interface Claim {
  /** The function. */
  expr: string;
  /** The variable. */
  wrt: string;
  /** The hand-derived derivative. */
  claim: string;
  /** Named intermediates. */
  where?: Record<string, string>;
  /** A point to show the numbers at. */
  at?: Record<string, number>;
  /** What the learner did, in a few words. */
  story: string;
}

const LINEAR = "(w*x + b - y)^2";
const AT = { w: 0.5, x: 2, b: 0, y: 3 };
const NEURON = "0.5*(t - o)^2";
const O = { o: "sigmoid(w5*h1 + w6*h2 + b2)" };

/** The claims, in the order the lesson tells them. */
export const CLAIMS: readonly Claim[] = [
  { expr: LINEAR, wrt: "w", claim: "2*(w*x + b - y)*x", at: AT, story: "dW, derived carefully" },
  { expr: LINEAR, wrt: "b", claim: "2*(w*x + b - y)*x", at: AT, story: "db, copied from dW" },
  { expr: LINEAR, wrt: "w", claim: "(w*x + b - y)*x", story: "dW, the 2 forgotten" },
  { expr: LINEAR, wrt: "w", claim: "2*(w*x + b - y)", story: "dW, the inner factor forgotten" },
  {
    expr: NEURON,
    wrt: "w5",
    claim: "-(t - o)*o*(1 - o)*h1",
    where: O,
    story: "∂E/∂w5 of lesson 03",
  },
  {
    expr: NEURON,
    wrt: "w5",
    claim: "(t - o)*o*(1 - o)*h1",
    where: O,
    story: "∂E/∂w5, the minus sign lost",
  },
  {
    expr: NEURON,
    wrt: "w5",
    claim: "-(t - o)*h1",
    where: O,
    story: "∂E/∂w5, σ' forgotten",
  },
  { expr: "tanh(w*x)", wrt: "w", claim: "(1 - tanh(w*x)^2)*x", story: "tanh', as 1 − tanh²" },
  { expr: "tanh(w*x)", wrt: "w", claim: "sech(w*x)^2*x", story: "tanh', as sech²" },
  { expr: "relu(w*x)", wrt: "w", claim: "x", story: "relu', the unit assumed on" },
  { expr: "relu(w*x)", wrt: "w", claim: "step(w*x)*x", story: "relu', with the step" },
];

/** The command line that asks the same question. */
export function commandLine(c: Claim): string {
  const q = (s: string) => `"${s}"`;
  const parts = ["deno task stepgrad check", q(c.expr), "--wrt", c.wrt, "--claim", q(c.claim)];
  for (const [name, e] of Object.entries(c.where ?? {})) parts.push("--where", q(`${name}=${e}`));
  if (c.at) {
    parts.push("--at", Object.entries(c.at).map(([k, v]) => `${k}=${v}`).join(","));
  }
  return parts.join(" ");
}

/** What the lesson asked the checker, in order, for the summary. */
interface Asked {
  claim: Claim;
  correct: boolean;
  hint?: string;
  method: string;
}

/** Puts a claim to the checker and shows the command with what it prints. */
async function ask(doc: Doc, results: Asked[], c: Claim): Promise<VerifyResult> {
  const r = await verifyGradient({
    expr: c.expr,
    wrt: c.wrt,
    claim: c.claim,
    where: c.where,
    at: c.at,
  });
  results.push({ claim: c, correct: r.correct, hint: r.hint, method: r.method });
  // As the command prints it into a pipe (80 columns), less the code block's indent of four,
  // so the terminal never wraps a line a second time.
  doc.code(
    `$ ${commandLine(c)}\n${fitText(verifyText(r, c.expr, c.wrt), DEFAULT_WIDTH - 4)}`,
    "sh",
  );
  return r;
}

function introduction(doc: Doc): void {
  doc.say(
    "You have derived ∂L/∂w on paper. Is it right? Checking it at one point is not enough: a ",
    "wrong formula can agree with the right one at a lucky point, or wherever w > 0. stepgrad's ",
    "check command compares your claim with the true derivative (mathjs, with stepgrad's rules for ",
    "sigmoid, relu and softplus) symbolically where it can, and otherwise at a couple of hundred ",
    "points spread over signs and magnitudes. A wrong claim gets a point where it fails, both ",
    "values, the finite-difference value as an independent witness, and a hint.",
  );
  doc.say(
    "Every example below is what this command prints (exit status 0 right, 1 wrong, 2 unusable input):",
  );
  doc.code(commandLine(CLAIMS[0]), "sh");
}

async function linearModel(doc: Doc, results: Asked[]): Promise<void> {
  doc.heading("The linear model of lesson 01");
  doc.say("For L = (w·x + b − y)², the careful derivation:");
  doc.math(formula`\frac{\partial L}{\partial w} = 2\,(w\,x + b - y)\,x`);
  await ask(doc, results, CLAIMS[0]);
  doc.say(
    "Now the slip of lesson 01: db written with dW's factor x. The checker says which variable ",
    "the claim is really the derivative by:",
  );
  await ask(doc, results, CLAIMS[1]);
  doc.say(
    "Forgetting the 2 that the power rule brings down, or the inner factor x of the chain rule:",
  );
  await ask(doc, results, CLAIMS[2]);
  await ask(doc, results, CLAIMS[3]);
}

async function sigmoidOutput(doc: Doc, results: Asked[]): Promise<void> {
  doc.heading("A sigmoid output, as in lesson 03");
  doc.say(
    "Claims may use named intermediates. With o = σ(w5·h1 + w6·h2 + b2), lesson 03's ",
    "∂E/∂w5 for E = ½(t − o)² is:",
  );
  doc.math(formula`\frac{\partial E}{\partial w_5} = -(t - o)\,o\,(1 - o)\,h_1`);
  await ask(doc, results, CLAIMS[4]);
  doc.say("The two classic slips: the minus sign of d(t − o)/do lost, and σ' forgotten:");
  await ask(doc, results, CLAIMS[5]);
  await ask(doc, results, CLAIMS[6]);
}

async function twoRightAnswers(doc: Doc, results: Asked[]): Promise<void> {
  doc.heading("Two right answers that look different");
  doc.say(
    "tanh' can be written 1 − tanh² or sech². Both are right; the checker proves one ",
    "symbolically and confirms the other at every point it tries:",
  );
  await ask(doc, results, CLAIMS[7]);
  await ask(doc, results, CLAIMS[8]);
}

async function rightWhereOn(doc: Doc, results: Asked[]): Promise<void> {
  doc.heading("Right only where the unit is on");
  doc.say(
    "For relu(w·x), writing x is right wherever w·x > 0, so a single check at a point where the ",
    "unit is on would pass it. The checker tries points on both sides:",
  );
  await ask(doc, results, CLAIMS[9]);
  await ask(doc, results, CLAIMS[10]);
}

async function unusableInput(doc: Doc): Promise<void> {
  doc.heading("When the input cannot be judged");
  doc.say(
    "A typo is reported as one line naming the problem (exit status 2), never a stack trace:",
  );
  const typo = "2*(w*x + b - y*x";
  let message = "";
  try {
    await verifyGradient({ expr: LINEAR, wrt: "w", claim: typo });
  } catch (e) {
    message = (e as Error).message;
  }
  if (message === "") throw new RangeError(`the checker accepted the malformed claim ${typo}`);
  doc.code(
    `$ deno task stepgrad check "${LINEAR}" --wrt w --claim "${typo}"\nstepgrad check: ${message}`,
    "sh",
  );
}

function summary(doc: Doc, results: Asked[]): void {
  doc.heading("Summary");
  doc.table(
    ["claim", "what the learner did", "verdict", "how", "hint"],
    results.map((r) => [
      `∂/∂${r.claim.wrt}: ${r.claim.claim}`,
      r.claim.story,
      r.correct ? "right" : "wrong",
      r.correct ? r.method : "counterexample",
      r.hint ? shorten(r.hint) : "",
    ]),
  );
  doc.note(
    "key",
    "Check every derivative you derive by hand, on the whole domain rather than one point: ",
    "a formula that agrees where w > 0 is still wrong. The counterexample shows where; finite ",
    "differences, which know nothing of formulas, confirm the true value there.",
  );
}

/** The exercises' claims: a learner's answer each, judged by the checker for the answers. */
export const EXERCISES: readonly Claim[] = [
  { expr: LINEAR, wrt: "b", claim: "2*(w*x + b - y)", at: AT, story: "db" },
  { expr: "softplus(x)", wrt: "x", claim: "sigmoid(x)", story: "softplus' as σ" },
  {
    expr: "sigmoid(w*x)",
    wrt: "w",
    claim: "sigmoid(w*x)*(1 - sigmoid(w*x))",
    story: "σ' without the inner factor",
  },
];

async function exercises(doc: Doc): Promise<void> {
  const [db, softplus, sigmoid] = await Promise.all(
    EXERCISES.map((c) =>
      verifyGradient({ expr: c.expr, wrt: c.wrt, claim: c.claim, where: c.where, at: c.at })
    ),
  );
  const verdict = (r: VerifyResult) => r.correct ? `right (${r.method})` : "wrong";
  const placeholder = (c: Claim) => commandLine({ ...c, claim: "YOUR ANSWER" });
  const at = db.atPoint;
  if (!at || !db.correct || !softplus.correct || sigmoid.correct || !sigmoid.counterexample) {
    throw new RangeError("the exercises' answers are not what the lesson says they are");
  }
  const point = Object.entries(at.point).map(([k, v]) => `${k} = ${formatNumber(v)}`).join(", ");
  const ce = sigmoid.counterexample;
  doc.exercises(
    {
      question: [
        "Derive ∂L/∂b for the linear model L = (w·x + b − y)², then check it (put your formula ",
        "in place of YOUR ANSWER). What is its value at w = 0.5, x = 2, b = 0, y = 3?",
      ],
      command: placeholder(EXERCISES[0]),
      answer: [
        `∂L/∂b = ${db.derivative}: the inner factor of the chain rule is ∂(w·x + b − y)/∂b = 1. `,
        `The checker: ${verdict(db)}; at ${point} it is ${formatNumber(at.derivative)}.`,
      ],
    },
    {
      question: [
        "softplus(x) = ln(1 + eˣ). Is its derivative σ(x)? Decide on paper, then ask the checker.",
      ],
      command: commandLine(EXERCISES[1]),
      answer: [
        `Yes: d/dx ln(1 + eˣ) = eˣ/(1 + eˣ) = 1/(1 + e⁻ˣ) = σ(x). The checker: ${
          verdict(softplus)
        }.`,
      ],
    },
    {
      question: [
        "A learner writes ∂σ(w·x)/∂w = σ(w·x)·(1 − σ(w·x)). What is missing? Find a point where ",
        "it is wrong before you run the checker.",
      ],
      command: commandLine(EXERCISES[2]),
      answer: [
        `The chain rule's inner factor x: the derivative is ${sigmoid.derivative}. Any point `,
        `with x ≠ 1 shows it; the checker found ${
          Object.entries(ce.point).map(([k, v]) => `${k} = ${formatNumber(v)}`).join(", ")
        }, where the claim gives ${formatNumber(ce.claim)} and the derivative ${
          formatNumber(ce.derivative)
        } (finite differences: ${formatNumber(ce.finiteDifference)}).`,
      ],
    },
  );
}

async function run(sink: Sink): Promise<void> {
  const doc = new Doc(sink);
  const results: Asked[] = [];
  introduction(doc);
  await linearModel(doc, results);
  await sigmoidOutput(doc, results);
  await twoRightAnswers(doc, results);
  await rightWhereOn(doc, results);
  await unusableInput(doc);
  summary(doc, results);
  await exercises(doc);
}

function shorten(hint: string): string {
  const first = hint.split(":")[0];
  return first.length <= 48 ? first : `${first.slice(0, 47)}…`;
}

export default defineLesson(import.meta, {
  number: 7,
  title: "Checking your own derivation",
  summary: "The check command on hand-derived gradients, right and wrong: a missing 2, a missing " +
    "inner factor, a lost sign, db with dW's factor, relu' right only where the unit is on.",
  run,
});
