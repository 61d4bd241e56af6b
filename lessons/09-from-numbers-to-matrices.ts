/**
 * Lesson 09: from numbers to matrices. Lesson 03's 2-2-2 network (Mazur, 2015) written the way a
 * learner's own code writes it: W1, b1, W2, b2. The forward pass as matrix products, δ for each
 * layer, dW = δ·aᵀ as an outer product, and the update W ← W − α·dW as matrices, with every
 * number filled in and checked against the scalar backprop of lesson 03 and the published
 * figures; then the same update with the biases trained too, and the slips `check-layer` catches.
 *
 * Run: deno run lessons/09-from-numbers-to-matrices.ts
 *
 * @module
 */
import {
  Adam,
  defineLesson,
  Doc,
  formatNumber,
  formatShape,
  type Formula,
  formula,
  judgeLayerClaim,
  layerGroups,
  matmul,
  type Matrix,
  matrixBackprop,
  matrixFormula,
  type MatrixPart,
  matrixStepFormulas,
  matrixSteps,
  MAZUR_NETWORK,
  MLP,
  NOTATION,
  SGD,
  shapeOf,
  type Sink,
  texToText,
  transpose,
  type Value,
} from "../mod.ts";

/** The figures as published (shared/reference/worked-example.md), as text. */
export const PUBLISHED = {
  out_h1: "0.593269992",
  out_h2: "0.596884378",
  out_o1: "0.75136507",
  out_o2: "0.772928465",
  E_total: "0.298371109",
  dE_dw5: "0.082167041",
  dE_dw1: "0.000438568",
  w: ["0.149780716", "0.19956143", "0.24975114", "0.29950229"],
  v: ["0.35891648", "0.408666186", "0.511301270", "0.561370121"],
} as const;

/** True when `value` rounds to the published text (within half a unit of its last decimal). */
export function agrees(value: number, published: string): boolean {
  const decimals = published.split(".")[1]?.length ?? 0;
  return Math.abs(value - Number(published)) <= 0.5 * 10 ** -decimals * (1 + 1e-9);
}

const LR = 0.5;
const { input: X, target: T } = MAZUR_NETWORK;

/**
 * Mazur's network as an MLP with sigmoid layers: W1 = [w1 w2; w3 w4], W2 = [w5 w6; w7 w8], a
 * bias per neuron (the post's one bias per layer, copied). The MLP's last layer is linear, so the
 * output sigmoid is applied here. Returns the model, the outputs' graph and the loss.
 */
export function mazurModel(): { model: MLP; loss: (outs: Value[][]) => Value } {
  const model = new MLP(2, [2, 2], { activation: "sigmoid" });
  MAZUR_NETWORK.layers.forEach((spec, l) =>
    model.layers[l].neurons.forEach((n, j) => {
      n.w.forEach((w, i) => (w.data = spec.W[j][i]));
      n.b.data = spec.b[j];
    })
  );
  const loss = (outs: Value[][]) => {
    const [o1, o2] = outs[0].map((v) => v.sigmoid());
    return o1.sub(T[0]).pow(2).mul(0.5).add(o2.sub(T[1]).pow(2).mul(0.5));
  };
  return { model, loss };
}

/** Everything the lesson shows, computed once: forward, backward, and two updates. */
export function worked() {
  const { model, loss } = mazurModel();
  // The output sigmoid sits outside the MLP, so matrixBackprop's last δ is ∂E/∂(the MLP's
  // output); the lesson's δ2 is ∂E/∂z2 through the sigmoid: the same number, since the MLP's
  // linear output is z2 itself.
  const r = matrixBackprop(model, [X], loss, { finiteDifferences: true });
  const [L1, L2] = r.layers;
  const z1 = L1.z, a1 = transpose([L2.a.map((row) => row[0])]);
  const z2 = L2.z;
  const sig = (m: Matrix) => m.map((row) => row.map((z) => 1 / (1 + Math.exp(-z))));
  const a2 = sig(z2);
  const E = 0.5 * ((T[0] - a2[0][0]) ** 2 + (T[1] - a2[1][0]) ** 2);
  const dEda = [[a2[0][0] - T[0]], [a2[1][0] - T[1]]];
  const fp2 = a2.map((row) => row.map((a) => a * (1 - a)));
  const delta2 = dEda.map((row, j) => [row[0] * fp2[j][0]]);
  // The post's update: the weights only, biases held fixed.
  const weightsOnly = model.layers.flatMap((l) => l.weights().flat());
  const groups = layerGroups(model);
  const fixed = matrixSteps(
    new SGD(weightsOnly, { lr: LR }).step(),
    groups.filter((g) => g.name.text.startsWith("W")),
  );
  // The same gradients, every parameter trained (a fresh model at the post's weights).
  const again = mazurModel();
  const r2 = matrixBackprop(again.model, [X], again.loss);
  const all = matrixSteps(
    new SGD(again.model.parameters(), { lr: LR }).step(),
    layerGroups(again.model),
  );
  // Adam's first step on the same gradients: its state is matrices of W's shape too.
  const third = mazurModel();
  matrixBackprop(third.model, [X], third.loss);
  const adamGroups = layerGroups(third.model).filter((g) => g.name.text.startsWith("W"));
  const weights3 = third.model.layers.flatMap((l) => l.weights().flat());
  const adam = matrixSteps(new Adam(weights3, { lr: LR }).step(), adamGroups);
  return { r, L1, L2, z1, a1, z2, a2, E, dEda, fp2, delta2, fixed, all, r2, adam };
}

const n = (x: number) => formatNumber(x, { digits: 9 });
/** A piece of a matrix formula, written once in LaTeX (its text is derived). */
const f = (tex: string): Formula => ({ tex, text: texToText(tex) });
/** Matrices at the formatter's 6 digits, broken to fit a 60-column terminal (with its indent). */
const M = (...parts: MatrixPart[]) => matrixFormula(parts, { width: 56 });
const tick = (x: number, published: string) => (agrees(x, published) ? "✓" : "✗");

/** What every section reads: the worked numbers and the lesson's matrices. */
interface Context {
  w: ReturnType<typeof worked>;
  W1: Matrix;
  W2: Matrix;
  x: Matrix;
  t: Matrix;
  b1: Matrix;
  b2: Matrix;
}

function context(): Context {
  const w = worked();
  const { L1, L2 } = w;
  return {
    w,
    W1: L1.W,
    W2: L2.W,
    x: transpose([X]),
    t: transpose([T]),
    b1: L1.b.map((b) => [b]),
    b2: L2.b.map((b) => [b]),
  };
}

function networkAsMatrices(doc: Doc, c: Context): void {
  const { W1, W2, x, t, b1, b2 } = c;
  const { z1, a1, z2, a2 } = c.w;
  doc.section("The network as matrices");
  doc.say(
    "Lesson 03 named every weight: w₁ … w₈. Code that trains networks keeps a layer's weights in ",
    "one matrix W, with a row per neuron and a column per input (PyTorch's nn.Linear.weight is ",
    "laid out so), and its biases in a column b. The same 2-2-2 network, written so:",
  );
  doc.math(
    M(
      f("W_1 ="),
      W1,
      f("= \\begin{bmatrix} w_1 & w_2 \\\\ w_3 & w_4 \\end{bmatrix}"),
    ),
    M(
      f("W_2 ="),
      W2,
      f("= \\begin{bmatrix} w_5 & w_6 \\\\ w_7 & w_8 \\end{bmatrix}"),
    ),
    M(f("x ="), x, f(",\\quad t ="), t),
    M(f("b_1 ="), b1, f(",\\quad b_2 ="), b2),
  );
  doc.say(
    "Row j of W₁ holds what neuron j of the hidden layer multiplies its inputs by: w₁ and w₂ ",
    "feed h₁, w₃ and w₄ feed h₂. The post shares one bias per layer; here each neuron has its ",
    "own, started at the shared value.",
  );
  const shape = (m: Matrix) => formatShape(shapeOf(m));
  const shapes: (string | number)[][] = [
    ["x", "the input", shape(x)],
    ["W₁", "hidden weights: neurons × inputs", shape(W1)],
    ["b₁, z₁, a₁", "hidden biases, sums and outputs", shape(z1)],
    ["W₂", "output weights: neurons × hidden units", shape(W2)],
    ["b₂, z₂, a₂, t", "output biases, sums, outputs, targets", shape(z2)],
  ];
  doc.table(["quantity", "what it is", { header: "shape", align: "right" }], shapes, "Shapes");
  doc.block({
    kind: "graph",
    title: "The 2-2-2 network as its matrices, with the forward pass's numbers",
    dot: networkDot(x, [{ W: W1, b: b1, a: a1 }, { W: W2, b: b2, a: a2 }]),
  });
}

function forwardPass(doc: Doc, c: Context): void {
  const { w, W1, x, b1 } = c;
  const { z1, a1, z2, a2 } = w;
  doc.section("The forward pass as matrix products");
  doc.say("A layer multiplies its input by W, adds b, and squashes each entry with σ:");
  doc.math(
    M(
      f("z_1 = W_1 x + b_1 ="),
      W1,
      f("\\cdot"),
      x,
      f("+"),
      b1,
      f("="),
      z1,
    ),
    M(f("a_1 = \\sigma(z_1) ="), a1),
    M(f("z_2 = W_2 a_1 + b_2 ="), z2),
    M(f("a_2 = \\sigma(z_2) ="), a2),
  );
  doc.table(
    [
      "quantity",
      { header: "matrix form", align: "right" },
      { header: "published", align: "right" },
      "",
    ],
    [
      ["outₕ₁ = a₁[0]", n(a1[0][0]), PUBLISHED.out_h1, tick(a1[0][0], PUBLISHED.out_h1)],
      ["outₕ₂ = a₁[1]", n(a1[1][0]), PUBLISHED.out_h2, tick(a1[1][0], PUBLISHED.out_h2)],
      ["outₒ₁ = a₂[0]", n(a2[0][0]), PUBLISHED.out_o1, tick(a2[0][0], PUBLISHED.out_o1)],
      ["outₒ₂ = a₂[1]", n(a2[1][0]), PUBLISHED.out_o2, tick(a2[1][0], PUBLISHED.out_o2)],
      [NOTATION.errorTotal.text, n(w.E), PUBLISHED.E_total, tick(w.E, PUBLISHED.E_total)],
    ],
    "The same numbers as lesson 03's scalars, and the post's (✓: rounds to the published figure)",
  );
}

function backwardPass(doc: Doc, c: Context): void {
  const { w, W2, x } = c;
  const { L1, L2, a1 } = w;
  doc.section("The backward pass: δ, then dW");
  doc.say(
    "Call δ the gradient of the error with respect to a layer's sums z. At the output it is the ",
    "error's slope times σ's slope, entry by entry (⊙):",
  );
  doc.math(
    M(
      f("\\delta_2 = (a_2 - t) \\odot \\sigma'(z_2) ="),
      w.dEda,
      f("\\odot"),
      w.fp2,
      f("="),
      w.delta2,
    ),
    M(
      f("\\mathrm{d}W_2 = \\delta_2\\, a_1^{\\mathsf T} ="),
      w.delta2,
      f("\\cdot"),
      transpose(a1),
      f("="),
      L2.dW,
    ),
    M(f("\\mathrm{d}b_2 = \\delta_2 ="), transpose([L2.db])),
  );
  doc.say(
    `dW₂[0,0] = δ₂[0]·a₁[0] = ${n(L2.dW[0][0])} is lesson 03's ∂E/∂w₅ (published `,
    `${PUBLISHED.dE_dw5} ${tick(L2.dW[0][0], PUBLISHED.dE_dw5)}). Why dW has W's shape: δ₂ is a `,
    "column with a row per neuron, a₁ᵀ a row with a column per input, and their outer product has ",
    "one entry per weight, each the product of the two things that weight connects.",
  );
  doc.say(
    "One layer down, δ travels back through W₂ transposed, then through σ′ of the hidden layer:",
  );
  doc.math(
    M(
      f("\\delta_1 = (W_2^{\\mathsf T} \\delta_2) \\odot \\sigma'(z_1) ="),
      matmul(transpose(W2), L2.delta),
      f("\\odot"),
      L1.fprime,
      f("="),
      L1.delta,
    ),
    M(
      f("\\mathrm{d}W_1 = \\delta_1\\, x^{\\mathsf T} ="),
      L1.delta,
      f("\\cdot"),
      transpose(x),
      f("="),
      L1.dW,
    ),
  );
  doc.say(
    `dW₁[0,0] = ${n(L1.dW[0][0])} is ∂E/∂w₁ (published ${PUBLISHED.dE_dw1} `,
    `${tick(L1.dW[0][0], PUBLISHED.dE_dw1)}). W₂ᵀ sends each output's δ back along the weights `,
    "it came through: h₁ hears from o₁ through w₅ and from o₂ through w₇, the column of W₂ that h₁ feeds.",
  );
  doc.note(
    "key",
    "Checked entry by entry: on every δ, dW and db the matrix formulas and lesson 03's scalar ",
    "backprop ",
    w.r.maxBackpropError === 0
      ? "give the same floating-point numbers, to the last bit"
      : `differ by at most ${formatNumber(w.r.maxBackpropError)}`,
    ", and finite differences agree with them to ",
    `${formatNumber(w.r.maxFiniteDifferenceError!, { digits: 2 })}.`,
  );
}

function update(doc: Doc, c: Context): void {
  const { w } = c;
  const { fixed } = w;
  doc.section("The update: W ← W − α·dW");
  doc.say(`The post updates the weights only, all at once, with α = ${LR}:`);
  for (const step of fixed) {
    const eq = step.equations.at(-1)!;
    doc.math(
      M(
        formula`${step.group.name} \leftarrow ${eq.rule!} =`,
        step.before,
        f("-"),
        formula`${LR} \cdot`,
        step.grad,
        f("="),
        step.after,
      ),
    );
  }
  const published = [...PUBLISHED.w, ...PUBLISHED.v];
  const after = fixed.flatMap((s) => s.after.flat());
  doc.table(
    ["weight", "entry", { header: "after one update", align: "right" }, {
      header: "published",
      align: "right",
    }, ""],
    after.map((v, k) => [
      `w${"₁₂₃₄₅₆₇₈"[k]}`,
      `${k < 4 ? "W₁" : "W₂"}[${Math.floor((k % 4) / 2)},${k % 2}]`,
      n(v),
      published[k],
      tick(v, published[k]),
    ]),
    "Biases held fixed, as in the post",
  );
}

function biasesToo(doc: Doc, c: Context): void {
  const { all } = c.w;
  doc.heading("With the biases trained too");
  doc.say(
    "The learner who asked how to update W asked about b as well: the same rule, with db. Not the ",
    "post's algorithm (it never moves its biases), so these are new numbers:",
  );
  for (const step of all.filter((s) => s.group.name.text.startsWith("b"))) {
    doc.math(
      M(
        formula`${step.group.name} \leftarrow`,
        step.before,
        f("-"),
        formula`${LR} \cdot`,
        step.grad,
        f("="),
        step.after,
      ),
    );
  }
  doc.say(
    `The weights move exactly as before (the gradients were all taken first): W₂[0,0] becomes `,
    `${n(all[2].after[0][0])} either way.`,
  );
}

function adamToo(doc: Doc, c: Context): void {
  const { w } = c;
  doc.heading("The same step with Adam: its state is matrices too");
  const adamW2 = w.adam[1];
  doc.say(
    `Adam keeps two numbers per weight, m and v, so for W₂ they are two ${
      formatShape(adamW2.shape)
    } matrices beside it. Its first step with α = ${LR}, on the same dW₂:`,
  );
  // One display each: aligned together, the longest rule and the widest matrix would share a line.
  for (const line of matrixStepFormulas(adamW2, { width: 56 })) doc.math(line);
  const moved = adamW2.after.flatMap((row, j) => row.map((x, i) => x - adamW2.before[j][i]));
  const furthest = Math.max(...moved.map((d) => Math.abs(Math.abs(d) - LR)));
  doc.say(
    "On the first step m̂ₜ = dW and v̂ₜ = dW², so every weight moves by α·dW/(|dW| + ε): by ",
    `almost exactly α = ${LR} against its gradient, whatever the gradient's size (the largest `,
    `difference from ${LR} here is ${formatNumber(furthest, { digits: 2 })}). SGD moved w₅ by `,
    `${formatNumber(w.fixed[1].before[0][0] - w.fixed[1].after[0][0])}; Adam moves it by `,
    `${formatNumber(adamW2.before[0][0] - adamW2.after[0][0])}.`,
  );
}

function numpy(doc: Doc): void {
  doc.section("The same lines in numpy");
  doc.code(
    [
      "# x, t and every b, z, a, delta: columns, shape (n, 1)",
      "z1 = W1 @ x + b1;   a1 = sigmoid(z1)",
      "z2 = W2 @ a1 + b2;  a2 = sigmoid(z2)",
      "delta2 = (a2 - t) * a2 * (1 - a2)   # σ′ = σ(1 − σ)",
      "dW2 = delta2 @ a1.T;  db2 = delta2  # W2's shape",
      "delta1 = (W2.T @ delta2) * a1 * (1 - a1)",
      "dW1 = delta1 @ x.T;   db1 = delta1",
      "# every gradient first, then every update:",
      "W2 -= lr * dW2;  b2 -= lr * db2",
      "W1 -= lr * dW1;  b1 -= lr * db1",
    ].join("\n"),
    "python",
  );
}

function slips(doc: Doc): void {
  doc.section("Slips check-layer catches");
  doc.say(
    "Three slips that give numbers of the right size and the wrong value. stepgrad check-layer ",
    "judges a layer's formula against backprop (on this network and on moved copies of it):",
  );
  const slips: [string, string][] = [
    ["dW2", "a1 @ delta2.T"],
    ["dW2", "(a2 - t) @ a1.T"],
    ["delta1", "(W2.T @ delta2) * fp2"],
    ["dW2", "delta2 @ a1.T"],
  ];
  const verdicts = slips.map(([of, claim]) => ({ of, claim, v: judgeLayerClaim(of, claim) }));
  doc.table(
    ["--of", "--claim", "verdict"],
    verdicts.map((
      { of, claim, v },
    ) => [of, claim, v.correct ? "right" : `wrong: ${v.slip ?? "?"}`]),
    "stepgrad check-layer --of … --claim …",
  );
  for (const { of, claim, v } of verdicts) {
    if (v.hint) doc.say(`${of} = ${claim}: ${v.hint}.`);
  }
}

/** The shape of dW for a layer of `neurons` units fed `inputs` numbers: δ·aᵀ, multiplied out. */
export function gradShape(neurons: number, inputs: number): string {
  const delta = Array.from({ length: neurons }, () => [1]);
  const aT = [Array.from({ length: inputs }, () => 1)];
  return formatShape(shapeOf(matmul(delta, aT)));
}

function exercises(doc: Doc, c: Context): void {
  const { L1, L2, a1 } = c.w;
  const byHand = L2.delta[1][0] * a1[0][0];
  if (byHand !== L2.dW[1][0]) throw new RangeError("dW₂[1,0] by hand differs from backprop's");
  const db1 = judgeLayerClaim("db1", "delta1");
  const wrong = judgeLayerClaim("db1", "delta1 @ x.T");
  doc.exercises(
    {
      question: [
        "A layer has 3 inputs and 4 neurons. What are the shapes of W, δ, aᵀ and dW = δ·aᵀ? ",
        "Why must dW have W's shape?",
      ],
      answer: [
        `W is ${formatShape([4, 3])} (a row per neuron, a column per input), δ is `,
        `${formatShape([4, 1])} and aᵀ ${formatShape([1, 3])}, so δ·aᵀ is ${gradShape(4, 3)}: `,
        "one entry per weight, because W ← W − α·dW subtracts entry by entry.",
      ],
    },
    {
      question: [
        `With δ₂ = (${formatNumber(L2.delta[0][0])}, ${formatNumber(L2.delta[1][0])}) and `,
        `a₁ = (${formatNumber(a1[0][0])}, ${formatNumber(a1[1][0])}), compute dW₂[1,0] by hand. `,
        "Which of lesson 03's weights is it the gradient of?",
      ],
      answer: [
        formula`\mathrm{d}W_2[1,0] = \delta_2[1]\,a_1[0] = ${L2.delta[1][0]} \cdot ${
          a1[0][0]
        } = ${byHand}`,
        ": the gradient of w₇, which connects h₁ (column 0) to o₂ (row 1). Backprop gives the same ",
        "number to the last bit.",
      ],
    },
    {
      question: [
        "What is db₁, the gradient of the hidden biases? Write it in numpy's notation and judge ",
        "it with check-layer; then try the slip of giving it dW's outer product.",
      ],
      command: 'stepgrad check-layer --of db1 --claim "delta1"',
      answer: [
        `db₁ = δ₁ (here (${formatNumber(L1.db[0])}, ${formatNumber(L1.db[1])})): in z = W·a + b `,
        `each bias enters its z with slope 1, so its gradient is δ itself. check-layer says ${
          db1.correct ? "right" : "wrong"
        }; for delta1 @ x.T it says ${wrong.correct ? "right" : "wrong"}${
          wrong.slip ? ` (${wrong.slip})` : ""
        }.`,
      ],
    },
  );
}

function run(sink: Sink): void {
  const doc = new Doc(sink);
  const c = context();
  for (
    const section of [
      networkAsMatrices,
      forwardPass,
      backwardPass,
      update,
      biasesToo,
      adamToo,
      numpy,
      slips,
      exercises,
    ]
  ) section(doc, c);
}

/**
 * The network as the learner's code computes it: each vector and matrix a table of its numbers,
 * each layer an operation σ(W·a + b) fed by its input, W and b.
 */
function networkDot(
  x: Matrix,
  layers: { W: Matrix; b: Matrix; a: Matrix }[],
): string {
  const g = (v: number) => formatNumber(v, { digits: 6 }).replace("−", "&#8722;");
  const table = (name: string, m: Matrix) => {
    const [r, c] = shapeOf(m);
    const rows = m.map((row) =>
      `<tr>${row.map((v) => `<td align="right">${g(v)}</td>`).join("")}</tr>`
    );
    return `<<table border="0" cellborder="0" cellspacing="0" cellpadding="3">` +
      `<tr><td colspan="${c}"><b>${name}</b>  ${r}&#215;${c}</td></tr>${rows.join("")}</table>>`;
  };
  const lines = [
    "digraph matrices {",
    "  rankdir=LR; nodesep=0.25; ranksep=0.35;",
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
    `  a0 [label=${table("x", x)}];`,
  ];
  // Node ids keep ASCII (W1); the labels write the names as the formulas do (W₁).
  const sub = (i: number) => "₀₁₂₃₄₅₆₇₈₉"[i];
  layers.forEach((l, k) => {
    const n = k + 1, s = sub(n);
    lines.push(
      `  W${n} [label=${table(`W${s}`, l.W)}];`,
      `  b${n} [label=${table(`b${s}`, l.b)}];`,
      `  f${n} [shape=ellipse, label="σ(W${s}·${k === 0 ? "x" : `a${sub(k)}`} + b${s})"];`,
      `  a${n} [label=${table(`a${s}`, l.a)}];`,
      `  a${k} -> f${n}; W${n} -> f${n}; b${n} -> f${n}; f${n} -> a${n};`,
    );
  });
  lines.push("}");
  return lines.join("\n");
}

export default defineLesson(import.meta, {
  number: 9,
  title: "From numbers to matrices",
  summary: "Lesson 03's network as W₁, b₁, W₂, b₂: the forward pass as products, dW = δ·aᵀ, " +
    "and W ← W − α·dW as matrices, with every number filled in.",
  run,
});
