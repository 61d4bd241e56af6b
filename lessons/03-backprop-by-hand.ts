/**
 * Lesson 03: backprop by hand. The classic 2-2-2 worked example (Mazur, "A Step by Step
 * Backpropagation Example", 2015): the forward pass, every chain-rule factor, the updated
 * weights, all matching the published figures; then the post's later figures, which its stated
 * algorithm cannot reproduce, and why (simultaneous versus in-place updates).
 *
 * Run: deno run lessons/03-backprop-by-hand.ts
 *
 * @module
 */
import {
  compile,
  defineLesson,
  digitsToDistinguish,
  Doc,
  formatNumber,
  type Formula,
  formula,
  NOTATION,
  recompute,
  type Sink,
  texToText,
  toDot,
  topoSort,
  Value,
} from "../mod.ts";

/** The post's set-up: inputs i₁, i₂, targets y₁, y₂, the two shared biases, α and w₁…w₈. */
export const SETUP = {
  i1: 0.05,
  i2: 0.1,
  y1: 0.01,
  y2: 0.99,
  b1: 0.35,
  b2: 0.6,
  lr: 0.5,
  w: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55],
} as const;

/** The figures as published, as text (their digits say how far they were rounded). */
export const PUBLISHED = {
  net_h1: "0.3775",
  out_h1: "0.593269992",
  out_h2: "0.596884378",
  net_o1: "1.105905967",
  out_o1: "0.75136507",
  out_o2: "0.772928465",
  E_o1: "0.274811083",
  E_o2: "0.023560026",
  E_total: "0.298371109",
  dE_dout_o1: "0.74136507",
  dout_o1_dnet_o1: "0.186815602",
  dE_dw5: "0.082167041",
  w5: "0.35891648",
  w6: "0.408666186",
  w7: "0.511301270",
  w8: "0.561370121",
  dE_o1_dout_h1: "0.055399425",
  dE_o2_dout_h1: "-0.019049119",
  dE_dout_h1: "0.036350306",
  dout_h1_dnet_h1: "0.241300709",
  dE_dw1: "0.000438568",
  w1: "0.149780716",
  w2: "0.19956143",
  w3: "0.24975114",
  w4: "0.29950229",
  E_after_1: "0.291027924",
  E_after_10000: "0.0000351085",
  out_o1_after_10000: "0.015912196",
  out_o2_after_10000: "0.984065734",
} as const;

/**
 * True when `value` rounds to the published text: within half a unit of its last decimal.
 *
 * @example
 * ```ts
 * agrees(0.358916479717885, "0.35891648"); // true
 * agrees(0.29102777369, "0.291027924"); // false
 * ```
 */
export function agrees(value: number, published: string): boolean {
  const decimals = published.split(".")[1]?.length ?? 0;
  return Math.abs(value - Number(published)) <= 0.5 * 10 ** -decimals * (1 + 1e-9);
}

/**
 * How the biases are laid out: `"shared"`, the post's one bias per layer (b₁ for both hidden
 * neurons, b₂ for both outputs), or `"per-neuron"`, one bias for each neuron (b_h1, b_h2, b_o1,
 * b_o2, as PyTorch's `nn.Linear` has), all starting at the post's values.
 */
export type BiasLayout = "shared" | "per-neuron";

/** The network as a graph of named values. */
export interface Network {
  /** w1 … w8. */
  w: Value[];
  /** The bias leaves: [b1, b2] when shared, [b_h1, b_h2, b_o1, b_o2] per neuron. */
  b: Value[];
  /** How many of `b` belong to the hidden layer (the rest to the output layer). */
  hiddenBiases: number;
  /** Every named node, by name (net_h1, out_h1, …, E_total). */
  node: Record<string, Value>;
  /** E_total. */
  loss: Value;
}

/** Builds the 2-2-2 network at the given weights (default: the post's, with its shared biases). */
export function buildNetwork(
  weights: readonly number[] = SETUP.w,
  biases: BiasLayout = "shared",
): Network {
  const { i1, i2, y1, y2, b1, b2 } = SETUP;
  const w = weights.map((v, k) => new Value(v, `w${k + 1}`));
  const leaf = (v: number, label: string) => new Value(v, label);
  const I1 = leaf(i1, "i1"), I2 = leaf(i2, "i2");
  const b = biases === "shared"
    ? [leaf(b1, "b1"), leaf(b2, "b2")]
    : [leaf(b1, "b_h1"), leaf(b1, "b_h2"), leaf(b2, "b_o1"), leaf(b2, "b_o2")];
  const [bh1, bh2, bo1, bo2] = biases === "shared" ? [b[0], b[0], b[1], b[1]] : b;
  const Y1 = leaf(y1, "y1"), Y2 = leaf(y2, "y2");
  const named = (v: Value, label: string) => ((v.label = label), v);
  const net_h1 = named(w[0].mul(I1).add(w[1].mul(I2)).add(bh1), "net_h1");
  const out_h1 = named(net_h1.sigmoid(), "out_h1");
  const net_h2 = named(w[2].mul(I1).add(w[3].mul(I2)).add(bh2), "net_h2");
  const out_h2 = named(net_h2.sigmoid(), "out_h2");
  const net_o1 = named(w[4].mul(out_h1).add(w[5].mul(out_h2)).add(bo1), "net_o1");
  const out_o1 = named(net_o1.sigmoid(), "out_o1");
  const net_o2 = named(w[6].mul(out_h1).add(w[7].mul(out_h2)).add(bo2), "net_o2");
  const out_o2 = named(net_o2.sigmoid(), "out_o2");
  const E_o1 = named(Y1.sub(out_o1).pow(2).mul(0.5), "E_o1");
  const E_o2 = named(Y2.sub(out_o2).pow(2).mul(0.5), "E_o2");
  const E_total = named(E_o1.add(E_o2), "E_total");
  const node = { net_h1, out_h1, net_h2, out_h2, net_o1, out_o1, net_o2, out_o2, E_o1, E_o2 };
  return { w, b, hiddenBiases: b.length / 2, node: { ...node, E_total }, loss: E_total };
}

/** How the eight weights are updated in one round of training. */
export type UpdateOrder = "simultaneous" | "in-place";

/** Which biases learn: none (the post), the post's two shared ones, or one per neuron. */
export type BiasTraining = "fixed" | BiasLayout;

/** The error and the two outputs at a checkpoint of {@linkcode train}. */
export interface Checkpoint {
  /** E_total. */
  error: number;
  /** out_o1. */
  out_o1: number;
  /** out_o2. */
  out_o2: number;
}

/**
 * Trains for `rounds` updates with learning rate 0.5 and returns the error and outputs after
 * each checkpoint round. "simultaneous": every gradient at the old weights, then all eight
 * updated (the post's stated algorithm). "in-place": w5…w8 updated first, and the hidden-layer
 * gradients then computed with the new w5…w8 (what the post's original code did). `biases`
 * says which biases learn with the weights of their layer (the post: none).
 */
export function train(
  order: UpdateOrder,
  rounds: number,
  checkpoints: readonly number[] = [rounds],
  biases: BiasTraining = "fixed",
): Map<number, Checkpoint> {
  const net = buildNetwork(SETUP.w, biases === "fixed" ? "shared" : biases);
  const nodes = topoSort(net.loss);
  const learned = biases === "fixed" ? [] : net.b;
  const hidden = [...net.w.slice(0, 4), ...learned.slice(0, net.hiddenBiases)];
  const output = [...net.w.slice(4), ...learned.slice(net.hiddenBiases)];
  const params = [...hidden, ...output];
  const out = new Map<number, Checkpoint>();
  // The stated algorithm replays the graph compiled (the same numbers to the last bit, several
  // times faster); the in-place slip needs a backward pass over stale activations, which only
  // the live graph keeps.
  const compiled = order === "simultaneous" ? compile(net.loss) : undefined;
  const look = (k: number) => {
    if (checkpoints.includes(k)) {
      if (compiled) recompute(nodes);
      out.set(k, {
        error: net.loss.data,
        out_o1: net.node.out_o1.data,
        out_o2: net.node.out_o2.data,
      });
    }
  };
  look(0);
  for (let k = 1; k <= rounds; k++) {
    for (const p of params) p.grad = 0;
    if (compiled) {
      compiled.backward();
      for (const p of params) p.data -= SETUP.lr * p.grad;
      compiled.forward();
      look(k);
      continue;
    }
    net.loss.backward();
    for (const p of output) p.data -= SETUP.lr * p.grad;
    // Backprop again without a new forward pass: the activations are the old ones, but the
    // output weights are already new, which is exactly the slip.
    for (const p of params) p.grad = 0;
    net.loss.backward();
    for (const p of hidden) p.data -= SETUP.lr * p.grad;
    recompute(nodes);
    look(k);
  }
  return out;
}

const ORDINALS: Record<number, string> = {
  1: "first",
  2: "second",
  3: "third",
  4: "fourth",
  5: "fifth",
  6: "sixth",
  7: "seventh",
  8: "eighth",
  9: "ninth",
};
const n9 = (x: number) => formatNumber(x, { digits: 9 });
/** A number slot of a formula, to nine significant digits. */
const d9 = (value: number) => ({ value, digits: 9 });
const mark = (ok: boolean) => (ok ? "✓" : "✗ differs");
/** A published figure as shown: with a real minus sign. */
const shown = (published: string) => published.replace("-", "−");
/** The course's symbols this lesson writes: the learning rate α and the total error. */
const ALPHA = NOTATION.lr, E = NOTATION.errorTotal;
/**
 * A formula from LaTeX built at run time (a name such as `net_{h1}`); its text is derived, with
 * the total error spelled as the course's notation table spells it.
 */
const tex = (source: string): Formula => ({
  tex: source,
  text: texToText(source).replaceAll(texToText(E.tex), E.text),
});
/** A node's name as the post writes it: `net_h1` → net_{h1}, `E_total` → E_{\text{total}}. */
function nameTex(key: string): string {
  const [base, sub] = key.split("_");
  return sub === "total" ? `${base}_{\\text{total}}` : `${base}_{${sub}}`;
}
/** A weight's name, w_k for k = 1…8. */
const weightName = (k: number) => tex(`w_${k + 1}`);

/** One weight's gradient by the chain rule, its update, and the post's figure. */
interface WeightRow {
  /** The weight's index (0 for w1). */
  k: number;
  /** ∂E/∂out, ∂out/∂net, ∂net/∂w. */
  factors: [number, number, number];
  /** Their product: ∂E_total/∂w by hand. */
  product: number;
  /** The engine's w.grad. */
  backprop: number;
  /** w − α·product. */
  updated: number;
  /** The post's updated weight. */
  published: string;
  /** Whether `updated` rounds to `published`. */
  agrees: boolean;
}

/**
 * One row per weight k: its three chain-rule factors and their product, backprop's gradient,
 * the updated weight w − α·product, the published figure and whether they agree.
 */
function weightRows(
  ks: readonly number[],
  factors: (k: number) => [number, number, number],
  backprop: readonly Value[],
): WeightRow[] {
  return ks.map((k) => {
    const f = factors(k);
    const product = f[0] * f[1] * f[2];
    const updated = SETUP.w[k] - SETUP.lr * product;
    const published = PUBLISHED[`w${k + 1}` as keyof typeof PUBLISHED];
    return {
      k,
      factors: f,
      product,
      backprop: backprop[k].grad,
      updated,
      published,
      agrees: agrees(updated, published),
    };
  });
}

/** The chain-rule factors of weightRows, their product and backprop's gradient. */
function factorTable(doc: Doc, rows: readonly WeightRow[], caption: string): void {
  doc.table(
    ["", "∂E/∂out", "∂out/∂net", "∂net/∂w", "product", "backprop"],
    rows.map((r) => [weightName(r.k), ...r.factors, r.product, r.backprop]),
    caption,
    9,
  );
}

/** The updates of weightRows: old weight, new weight, published, agrees. */
function updateTable(doc: Doc, rows: readonly WeightRow[], caption: string): void {
  doc.table(
    ["", "w", "new weight", { header: "published", align: "right" }, "agrees"],
    rows.map((r) => [weightName(r.k), SETUP.w[r.k], r.updated, r.published, mark(r.agrees)]),
    caption,
    9,
  );
}

/** Every number of the first round, by hand (the chain rule) and by backprop. */
export interface WorkedExample {
  /** The network at the post's weights, after one backward pass (biases included). */
  net: Network;
  /** out_h1, out_h2. */
  outH: number[];
  /** out_o1, out_o2. */
  outs: number[];
  /** ∂E_total/∂out_o1, ∂E_total/∂out_o2. */
  dEdOut: number[];
  /** ∂out_o/∂net_o for o1, o2. */
  dOutdNet: number[];
  /** δ_o1, δ_o2 = ∂E_total/∂net_o: the output neurons' errors. */
  delta: number[];
  /** ∂E_o1/∂out_h1 and ∂E_o2/∂out_h1: out_h1's two paths. */
  fromO1: number;
  /** See `fromO1`. */
  fromO2: number;
  /** ∂E_total/∂out_h1, ∂E_total/∂out_h2. */
  dEdOutH: number[];
  /** ∂out_h/∂net_h for h1, h2. */
  dOutHdNet: number[];
  /** δ_h1, δ_h2 = ∂E_total/∂net_h: the hidden neurons' errors. */
  deltaH: number[];
  /** ∂E_total/∂b1 and ∂E_total/∂b2 for the post's shared biases: each layer's δs summed. */
  dEdB: [number, number];
  /** The output weights' rows. */
  outputRows: WeightRow[];
  /** The hidden weights' rows. */
  hiddenRows: WeightRow[];
}

/** The first round of the worked example: the forward pass, backward, and every factor by hand. */
export function workedExample(): WorkedExample {
  const { i1, i2, y1, y2 } = SETUP;
  const w = SETUP.w;
  const net = buildNetwork();
  const v = (name: string) => net.node[name].data;
  net.loss.backward();
  const outH = [v("out_h1"), v("out_h2")];
  const outs = [v("out_o1"), v("out_o2")];
  const targets = [y1, y2];
  const dEdOut = outs.map((o, j) => -(targets[j] - o));
  const dOutdNet = outs.map((o) => o * (1 - o));
  const delta = dEdOut.map((d, j) => d * dOutdNet[j]);
  const fromO1 = delta[0] * w[4], fromO2 = delta[1] * w[6];
  const dEdOutH = [fromO1 + fromO2, delta[0] * w[5] + delta[1] * w[7]];
  const dOutHdNet = outH.map((h) => h * (1 - h));
  const deltaH = dEdOutH.map((d, j) => d * dOutHdNet[j]);
  const outputRows = weightRows([4, 5, 6, 7], (k) => {
    const j = k < 6 ? 0 : 1; // which output neuron
    return [dEdOut[j], dOutdNet[j], outH[(k - 4) % 2]];
  }, net.w);
  const inputs = [i1, i2];
  const hiddenRows = weightRows([0, 1, 2, 3], (k) => {
    const j = k < 2 ? 0 : 1; // which hidden neuron
    return [dEdOutH[j], dOutHdNet[j], inputs[k % 2]];
  }, net.w);
  return {
    net,
    outH,
    outs,
    dEdOut,
    dOutdNet,
    delta,
    fromO1,
    fromO2,
    dEdOutH,
    dOutHdNet,
    deltaH,
    dEdB: [deltaH[0] + deltaH[1], delta[0] + delta[1]],
    outputRows,
    hiddenRows,
  };
}

/**
 * The network as a Graphviz picture: inputs, hidden and output neurons with their values after
 * the forward pass, every weight on its edge, the two shared biases and the targets.
 */
export function networkDot(ex: WorkedExample): string {
  const { i1, i2, y1, y2, b1, b2, w } = SETUP;
  const n = (x: number) => formatNumber(x, { digits: 4 });
  const sub = (s: string) => texToText(`_{${s}}`);
  const neuron = (id: string, name: string, value: number) =>
    `  ${id} [label="${name}${sub(id.slice(1))}\\n${n(value)}"];`;
  // decorate: a line from each weight's label to its edge, where edges cross.
  const edge = (from: string, to: string, k: number) =>
    `  ${from} -> ${to} [label="w${sub(String(k + 1))} = ${n(w[k])}", decorate=true];`;
  return [
    "digraph network {",
    "  rankdir=LR; ranksep=1.5; nodesep=0.45;",
    '  node [shape=circle, width=0.75, fixedsize=true, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    // Each column top to bottom, as the post draws it: the bias under its layer's inputs.
    "  { rank=same; i1 -> i2 -> b1 [style=invis]; }",
    "  { rank=same; h1 -> h2 -> b2 [style=invis]; }",
    "  { rank=same; o1 -> o2 [style=invis]; }",
    "  { rank=same; y1 -> y2 [style=invis]; }",
    neuron("i1", "i", i1),
    neuron("i2", "i", i2),
    neuron("h1", "h", ex.outH[0]),
    neuron("h2", "h", ex.outH[1]),
    neuron("o1", "o", ex.outs[0]),
    neuron("o2", "o", ex.outs[1]),
    `  b1 [shape=box, fixedsize=false, label="b${sub("1")} = ${n(b1)}"];`,
    `  b2 [shape=box, fixedsize=false, label="b${sub("2")} = ${n(b2)}"];`,
    `  y1 [shape=plaintext, style="", fixedsize=false, label="target y${sub("1")} = ${n(y1)}"];`,
    `  y2 [shape=plaintext, style="", fixedsize=false, label="target y${sub("2")} = ${n(y2)}"];`,
    edge("i1", "h1", 0),
    edge("i2", "h1", 1),
    edge("i1", "h2", 2),
    edge("i2", "h2", 3),
    edge("h1", "o1", 4),
    edge("h2", "o1", 5),
    edge("h1", "o2", 6),
    edge("h2", "o2", 7),
    "  b1 -> h1 [style=dashed]; b1 -> h2 [style=dashed];",
    "  b2 -> o1 [style=dashed]; b2 -> o2 [style=dashed];",
    "  o1 -> y1 [style=dotted, arrowhead=none]; o2 -> y2 [style=dotted, arrowhead=none];",
    "}",
  ].join("\n");
}

function introduction(doc: Doc): void {
  doc.say(
    "The most copied hand-worked backpropagation example on the web is Matt Mazur's ",
    '"A Step by Step Backpropagation Example" (2015): two inputs, two hidden neurons, two ',
    "outputs, logistic units throughout. Learners check their own arithmetic against it, so here ",
    "it is again, every number computed by the engine and set beside the published figure.",
  );
  doc.say(
    "The lesson keeps the post's names, so you can follow it line by line: ",
    formula`i_1, i_2`,
    " are the inputs (x in the other lessons), ",
    formula`net`,
    " is a neuron's weighted sum before the activation (z elsewhere), ",
    formula`out`,
    " its output after the logistic function σ (a elsewhere), ",
    formula`y_1, y_2`,
    " the targets (the post's target), and ",
    formula`E`,
    " the error the network learns to lower (the loss L elsewhere).",
  );
}

function setUp(doc: Doc, ex: WorkedExample): void {
  const { i1, i2, y1, y2, b1, b2, lr } = SETUP;
  doc.heading("The set-up");
  doc.table(
    ["", "symbol", "value"],
    [
      ["inputs", formula`i_1, i_2`, `${formatNumber(i1)}, ${formatNumber(i2)}`],
      ["targets", formula`y_1, y_2`, `${formatNumber(y1)}, ${formatNumber(y2)}`],
      ["hidden bias (both hidden neurons)", formula`b_1`, b1],
      ["output bias (both output neurons)", formula`b_2`, b2],
      ["learning rate", formula`${ALPHA}`, lr],
    ],
  );
  doc.block({
    kind: "graph",
    title: "The 2-2-2 network: each neuron with its output after the forward pass, each " +
      "weight on its edge, the shared biases (dashed) and the targets",
    dot: networkDot(ex),
  });
  doc.table(
    ["weight", "connects", "value"],
    SETUP.w.map((v, k) => {
      const from = k < 4 ? `i_${(k % 2) + 1}` : `h_${(k % 2) + 1}`;
      const to = k < 4 ? `h_${Math.floor(k / 2) + 1}` : `o_${Math.floor((k - 4) / 2) + 1}`;
      return [weightName(k), tex(`${from} \\to ${to}`), v];
    }),
    "The post's starting weights.",
  );
  doc.math(
    formula`net_{h1} = w_1 i_1 + w_2 i_2 + b_1`,
    formula`out_{h1} = \sigma(net_{h1}) = \frac{1}{1 + e^{-net_{h1}}}`,
    formula`net_{o1} = w_5\, out_{h1} + w_6\, out_{h2} + b_2`,
    formula`${E} = \tfrac12 (y_1 - out_{o1})^2 + \tfrac12 (y_2 - out_{o2})^2`,
  );
  doc.say(
    formula`h_2`,
    " and ",
    formula`o_2`,
    " follow the same pattern. As in the post, each layer has one bias shared by its two ",
    "neurons, and the post never trains them: it updates only the eight weights, and every ",
    "figure set beside the post's below does the same. The section on the biases shows what ",
    "training them would change.",
  );
}

function forwardPass(doc: Doc, ex: WorkedExample): void {
  const { i1, i2, b1 } = SETUP;
  const v = (name: string) => ex.net.node[name].data;
  doc.heading("The forward pass");
  doc.math(
    formula`net_{h1} = ${SETUP.w[0]} \cdot ${i1} + ${SETUP.w[1]} \cdot ${i2} + ${b1} = ${
      d9(v("net_h1"))
    }`,
    formula`out_{h1} = \sigma(${d9(v("net_h1"))}) = ${d9(v("out_h1"))}`,
  );
  const forward = [
    "net_h1",
    "out_h1",
    "out_h2",
    "net_o1",
    "out_o1",
    "out_o2",
    "E_o1",
    "E_o2",
    "E_total",
  ] as const;
  doc.table(
    ["quantity", "stepgrad", { header: "published", align: "right" }, "agrees"],
    forward.map((k) => [tex(nameTex(k)), v(k), PUBLISHED[k], mark(agrees(v(k), PUBLISHED[k]))]),
    "stepgrad's numbers to nine significant digits; the post's as printed.",
    9,
  );
}

function outputLayer(doc: Doc, ex: WorkedExample): void {
  const { y1, lr } = SETUP;
  const { net, outs, outH, dEdOut, dOutdNet, delta } = ex;
  const dW5 = delta[0] * outH[0];
  doc.heading("Backward: the output layer");
  doc.say(
    "How much does ",
    formula`w_5`,
    " change the total error? The chain rule follows the path ",
    formula`w_5 \to net_{o1} \to out_{o1} \to ${E}`,
    ":",
  );
  doc.math(
    formula`\frac{\partial ${E}}{\partial w_5} = \frac{\partial ${E}}{\partial out_{o1}} \cdot \frac{\partial out_{o1}}{\partial net_{o1}} \cdot \frac{\partial net_{o1}}{\partial w_5}`,
    formula`\frac{\partial ${E}}{\partial out_{o1}} = -(y_1 - out_{o1}) = -(${y1} - ${
      d9(outs[0])
    }) = ${d9(dEdOut[0])}`,
    formula`\frac{\partial out_{o1}}{\partial net_{o1}} = out_{o1}\,(1 - out_{o1}) = ${
      d9(dOutdNet[0])
    }`,
    formula`\frac{\partial net_{o1}}{\partial w_5} = out_{h1} = ${d9(outH[0])}`,
    formula`\frac{\partial ${E}}{\partial w_5} = ${d9(dEdOut[0])} \cdot ${d9(dOutdNet[0])} \cdot ${
      d9(outH[0])
    } = ${d9(dW5)}`,
    formula`w_5^{+} = w_5 - ${ALPHA} \frac{\partial ${E}}{\partial w_5} = ${
      SETUP.w[4]
    } - ${lr} \cdot ${d9(dW5)} = ${d9(SETUP.w[4] - lr * dW5)}`,
  );
  doc.say(
    "The first two factors together are ",
    formula`\delta_{o1} = \partial ${E}/\partial net_{o1} = ${d9(delta[0])}`,
    ", the output neuron's error: every weight into ",
    formula`o_1`,
    " gets it, times the input that weight carries. The same three factors for all four output ",
    "weights, against the post and against backprop:",
  );
  factorTable(
    doc,
    ex.outputRows,
    "product = ∂E/∂out · ∂out/∂net · ∂net/∂w; backprop is the engine's w.grad.",
  );
  updateTable(
    doc,
    ex.outputRows,
    `new weight = w − α·product, α = ${formatNumber(lr)}.`,
  );
  doc.say(
    "The chain rule by hand and the engine's backward pass give the same gradient: ",
    formula`\partial ${E}/\partial w_5 = ${d9(net.w[4].grad)}`,
    ` (published ${PUBLISHED.dE_dw5}).`,
  );
}

function hiddenLayer(doc: Doc, ex: WorkedExample): void {
  const { i1, i2, b1 } = SETUP;
  const w = SETUP.w;
  const { net, delta, fromO1, fromO2, dEdOut, dOutdNet, dOutHdNet } = ex;
  const dEdOutH1 = ex.dEdOutH[0];
  doc.heading("Backward: the hidden layer");
  doc.say(
    formula`out_{h1}`,
    " feeds both outputs, so its error arrives along two paths and the two contributions add:",
  );
  doc.math(
    formula`\frac{\partial ${E}}{\partial out_{h1}} = \frac{\partial E_{o1}}{\partial out_{h1}} + \frac{\partial E_{o2}}{\partial out_{h1}}`,
    formula`\frac{\partial E_{o1}}{\partial out_{h1}} = \frac{\partial E_{o1}}{\partial net_{o1}} \cdot w_5 = ${
      d9(delta[0])
    } \cdot ${w[4]} = ${d9(fromO1)}`,
    formula`\frac{\partial E_{o2}}{\partial out_{h1}} = \frac{\partial E_{o2}}{\partial net_{o2}} \cdot w_7 = ${
      d9(delta[1])
    } \cdot ${w[6]} = ${d9(fromO2)}`,
    formula`\frac{\partial ${E}}{\partial out_{h1}} = ${d9(fromO1)} + ${d9(fromO2)} = ${
      d9(dEdOutH1)
    }`,
    formula`\frac{\partial out_{h1}}{\partial net_{h1}} = out_{h1}\,(1 - out_{h1}) = ${
      d9(dOutHdNet[0])
    }`,
    formula`\frac{\partial net_{h1}}{\partial w_1} = i_1 = ${i1}`,
    formula`\frac{\partial ${E}}{\partial w_1} = ${d9(dEdOutH1)} \cdot ${
      d9(dOutHdNet[0])
    } \cdot ${i1} = ${d9(dEdOutH1 * dOutHdNet[0] * i1)}`,
  );
  const hiddenChecks: [string, number, string][] = [
    [String.raw`\partial E_{o1}/\partial out_{h1}`, fromO1, PUBLISHED.dE_o1_dout_h1],
    [String.raw`\partial E_{o2}/\partial out_{h1}`, fromO2, PUBLISHED.dE_o2_dout_h1],
    [String.raw`\partial E_{\text{total}}/\partial out_{h1}`, dEdOutH1, PUBLISHED.dE_dout_h1],
    [String.raw`\partial out_{h1}/\partial net_{h1}`, dOutHdNet[0], PUBLISHED.dout_h1_dnet_h1],
    [String.raw`\partial E_{\text{total}}/\partial w_1`, net.w[0].grad, PUBLISHED.dE_dw1],
    [String.raw`\partial E_{\text{total}}/\partial out_{o1}`, dEdOut[0], PUBLISHED.dE_dout_o1],
    [String.raw`\partial out_{o1}/\partial net_{o1}`, dOutdNet[0], PUBLISHED.dout_o1_dnet_o1],
    [String.raw`\partial E_{\text{total}}/\partial w_5`, net.w[4].grad, PUBLISHED.dE_dw5],
  ];
  // The post rounds ∂E_o2/∂net_o2 to nine decimals before multiplying by w7.
  const rounded = Number(delta[1].toFixed(9));
  const viaRounded = rounded * w[6];
  const roundedToo = !agrees(fromO2, PUBLISHED.dE_o2_dout_h1) &&
    agrees(viaRounded, PUBLISHED.dE_o2_dout_h1);
  doc.table(
    ["factor", "stepgrad", { header: "published", align: "right" }, "agrees"],
    hiddenChecks.map(([name, value, pub], i) => [
      tex(name),
      value,
      shown(pub),
      agrees(value, pub) ? "✓" : i === 1 && roundedToo ? "✓ rounding (*)" : mark(false),
    ]),
    "Every chain-rule factor the post prints.",
    9,
  );
  if (roundedToo) {
    doc.say(
      "(*) The post multiplies the rounded factor ",
      formula`\partial E_{o2}/\partial net_{o2} = ${d9(rounded)}`,
      " by ",
      formula`w_7 = ${w[6]}`,
      `, giving ${formatNumber(viaRounded, { digits: 10 })}, and rounds that to `,
      `${shown(PUBLISHED.dE_o2_dout_h1)}; the unrounded product is ${
        formatNumber(fromO2, { digits: 10 })
      }. `,
      "The last digit is the rounding's; the method is right.",
    );
  }
  factorTable(
    doc,
    ex.hiddenRows,
    "The hidden weights, with the gradients taken at the original w₅, …, w₈.",
  );
  updateTable(doc, ex.hiddenRows, "new weight = w − α·product.");
  doc.note(
    "info",
    "The post's hidden-layer section writes ",
    formula`net_{h1} = w_1 i_1 + w_3 i_2`,
    ", but its own numbers use ",
    formula`w_2`,
    " for ",
    formula`i_2 \to h_1`,
    " (",
    formula`${w[0]} \cdot ${i1} + ${w[1]} \cdot ${i2} + ${b1} = ${ex.net.node.net_h1.data}`,
    "). The numbers are right; the formula has a typo.",
  );
  doc.block({
    kind: "graph",
    title: "The worked example as an expression graph, after backward",
    dot: toDot(net.loss, { format: formatNumber }),
  });
}

/** The error after one round and after 10,000 rounds (simultaneous), for each bias training. */
export function biasComparison(): Record<BiasTraining, { after1: number; after10000: number }> {
  const out = {} as Record<BiasTraining, { after1: number; after10000: number }>;
  for (const biases of ["fixed", "shared", "per-neuron"] as const) {
    const run = train("simultaneous", 10000, [1, 10000], biases);
    out[biases] = { after1: run.get(1)!.error, after10000: run.get(10000)!.error };
  }
  return out;
}

function biases(doc: Doc, ex: WorkedExample, compare: ReturnType<typeof biasComparison>): void {
  const { b1, b2, lr } = SETUP;
  const { delta, deltaH, dEdOut, dOutdNet, dEdOutH, dOutHdNet, dEdB, net } = ex;
  const [newB1, newB2] = [b1 - lr * dEdB[0], b2 - lr * dEdB[1]];
  doc.heading("The biases, which the post keeps fixed");
  doc.say(
    "The post trains only the eight weights: ",
    formula`b_1 = ${b1}`,
    " and ",
    formula`b_2 = ${b2}`,
    " stay as they are in every round, and every figure above that is set beside the post's is ",
    "computed that way. A bias learns by the same rule as a weight, ",
    formula`b \leftarrow b - ${ALPHA}\, \partial ${E}/\partial b`,
    ", and its gradient comes from the same chain rule. Since ",
    formula`net_{o1} = w_5\, out_{h1} + w_6\, out_{h2} + b_2`,
    ", the factor ",
    formula`\partial net_{o1}/\partial b_2`,
    " is 1: a bias's gradient is its neuron's error δ. The post's ",
    formula`b_2`,
    " feeds both outputs, so, like ",
    formula`out_{h1}`,
    ", it collects two paths, and they add:",
  );
  doc.math(
    formula`\delta_{o1} = \frac{\partial ${E}}{\partial out_{o1}} \cdot \frac{\partial out_{o1}}{\partial net_{o1}} = ${
      d9(dEdOut[0])
    } \cdot ${d9(dOutdNet[0])} = ${d9(delta[0])}`,
    formula`\delta_{o2} = \frac{\partial ${E}}{\partial out_{o2}} \cdot \frac{\partial out_{o2}}{\partial net_{o2}} = ${
      d9(dEdOut[1])
    } \cdot ${d9(dOutdNet[1])} = ${d9(delta[1])}`,
    formula`\frac{\partial ${E}}{\partial b_2} = \delta_{o1} \cdot 1 + \delta_{o2} \cdot 1 = ${
      d9(delta[0])
    } + ${d9(delta[1])} = ${d9(dEdB[1])}`,
    formula`b_2^{+} = b_2 - ${ALPHA} \frac{\partial ${E}}{\partial b_2} = ${b2} - ${lr} \cdot ${
      d9(dEdB[1])
    } = ${d9(newB2)}`,
  );
  doc.say(
    "The hidden bias the same way, one layer down, with ",
    formula`\partial ${E}/\partial out_{h1}`,
    " the sum of the two paths found above:",
  );
  doc.math(
    formula`\delta_{h1} = \frac{\partial ${E}}{\partial out_{h1}} \cdot \frac{\partial out_{h1}}{\partial net_{h1}} = ${
      d9(dEdOutH[0])
    } \cdot ${d9(dOutHdNet[0])} = ${d9(deltaH[0])}`,
    formula`\delta_{h2} = \frac{\partial ${E}}{\partial out_{h2}} \cdot \frac{\partial out_{h2}}{\partial net_{h2}} = ${
      d9(dEdOutH[1])
    } \cdot ${d9(dOutHdNet[1])} = ${d9(deltaH[1])}`,
    formula`\frac{\partial ${E}}{\partial b_1} = \delta_{h1} + \delta_{h2} = ${d9(deltaH[0])} + ${
      d9(deltaH[1])
    } = ${d9(dEdB[0])}`,
    formula`b_1^{+} = b_1 - ${ALPHA} \frac{\partial ${E}}{\partial b_1} = ${b1} - ${lr} \cdot ${
      d9(dEdB[0])
    } = ${d9(newB1)}`,
  );
  doc.table(
    ["bias", "∂E/∂b by hand", "backprop", "b", "new b"],
    [
      [formula`b_1`, dEdB[0], net.b[0].grad, b1, newB1],
      [formula`b_2`, dEdB[1], net.b[1].grad, b2, newB2],
    ],
    "backprop is the engine's b.grad; new b = b − α·∂E/∂b. The post keeps the old b.",
    9,
  );
  const pct = (before: number, after: number) =>
    `${formatNumber(100 * Math.abs(before - after) / before, { digits: 2 })}%`;
  const { fixed, shared } = compare;
  const perNeuron = compare["per-neuron"];
  doc.say(
    "What training them changes: the error after one round (every gradient at the starting ",
    "point, then everything that learns updated at once) and after 10,000 rounds. With one bias ",
    "per neuron (as PyTorch's nn.Linear has) each bias's gradient is its own neuron's δ, with no ",
    "sum.",
  );
  doc.table(
    [
      "what learns",
      { header: "error after 1 round", align: "right" },
      { header: "after 10,000 rounds", align: "right" },
    ],
    [
      ["weights only (the post)", n9(fixed.after1), n9(fixed.after10000)],
      ["weights and the shared biases", n9(shared.after1), n9(shared.after10000)],
      ["weights and one bias per neuron", n9(perNeuron.after1), n9(perNeuron.after10000)],
    ],
    `The error before any update is ${n9(net.loss.data)}.`,
  );
  const lower = (a: number, b: number) => (a < b ? "lower" : "higher");
  doc.say(
    `Training the shared biases too ends the first round with an error ${
      pct(fixed.after1, shared.after1)
    } `,
    `${lower(shared.after1, fixed.after1)} than the post's, after 10,000 rounds `,
    `${pct(fixed.after10000, shared.after10000)} ${lower(shared.after10000, fixed.after10000)}. `,
    "Each bias is one more number the network can move to lower the error, so the same number of ",
    "rounds gets further. None of this changes the post's figures: they are for fixed biases, and ",
    "the lesson reproduces them that way.",
  );
}

function laterFigures(doc: Doc): void {
  doc.heading("The figures the stated algorithm cannot reproduce");
  doc.say(
    "The post says to compute every gradient with the original weights and only then update all ",
    "eight at once. Do exactly that, and the error after the first round and after 10,000 rounds ",
    "come out slightly different from the printed ones:",
  );
  const checkpoints = [1, 9999, 10000];
  const sim = train("simultaneous", 10000, checkpoints);
  const inPlace = train("in-place", 10000, checkpoints);
  const s1 = sim.get(1)!, s9999 = sim.get(9999)!, s10000 = sim.get(10000)!;
  const p1 = inPlace.get(1)!, p10000 = inPlace.get(10000)!;
  /** A run's figure, ticked when it rounds to the published one. */
  const vs = (value: number, published: string) =>
    `${n9(value)}${agrees(value, published) ? " ✓" : "  "}`;
  const figures: [string | Formula, string, number, number][] = [
    ["error after 1 round", PUBLISHED.E_after_1, s1.error, p1.error],
    ["error after 10,000", PUBLISHED.E_after_10000, s10000.error, p10000.error],
    [
      formula`out_{o1}\text{ after 10,000}`,
      PUBLISHED.out_o1_after_10000,
      s10000.out_o1,
      p10000.out_o1,
    ],
    [
      formula`out_{o2}\text{ after 10,000}`,
      PUBLISHED.out_o2_after_10000,
      s10000.out_o2,
      p10000.out_o2,
    ],
  ];
  doc.table(
    [
      "figure",
      { header: "published", align: "right" },
      { header: "simultaneous", align: "right" },
      { header: "in-place", align: "right" },
    ],
    figures.map(([name, pub, sim, inp]) => [name, pub, vs(sim, pub), vs(inp, pub)]),
    `✓: rounds to the published figure. The error after 9,999 simultaneous rounds is ${
      vs(s9999.error, PUBLISHED.E_after_10000)
    }.`,
  );
  doc.say(
    `With the stated algorithm the error after one round is ${n9(s1.error)}, not `,
    `${PUBLISHED.E_after_1}. The printed figure comes from the post's original code, which `,
    "updated ",
    formula`w_5, \ldots, w_8`,
    " in place and then computed the hidden-layer gradients with the new ",
    formula`w_5, \ldots, w_8`,
    ":",
  );
  doc.math(
    formula`\frac{\partial ${E}}{\partial out_{h1}} = \frac{\partial E_{o1}}{\partial net_{o1}}\, w_5^{+} + \frac{\partial E_{o2}}{\partial net_{o2}}\, w_7^{+}`,
  );
  doc.say(
    "Run that way, the engine reproduces the printed error after one round, and the printed ",
    "outputs after 10,000 rounds. The printed error after 10,000 rounds matches neither order at ",
    "10,000; it equals the stated algorithm's error after 9,999 updates, the error measured at ",
    "the start of the last round, before its update.",
  );
  doc.note(
    "key",
    "Update order matters. Compute every gradient from one forward pass, then update every ",
    "weight (simultaneous). Updating some weights before the rest of the backward pass mixes ",
    "old activations with new weights, so the hidden-layer gradients are no longer those of the ",
    `error at the weights the round started from; here that moves the error in its `,
    `${ORDINALS[digitsToDistinguish(s1.error, p1.error, 1)] ?? "last"} significant digit after `,
    "one round. An engine that shows every number lets a learner find such a slip in minutes.",
  );
  doc.say(
    "An aside for the engine: in this lesson the in-place run is made by calling backward a second ",
    "time after changing ",
    formula`w_5, \ldots, w_8`,
    " without a new forward pass. Backward reads the numbers stored in ",
    "the graph, so it mixes the old activations with the new weights, which is exactly the slip.",
  );
}

/** The commands the exercises print, as a learner types them. */
export function exerciseCommands(): { w6: string; db2: string } {
  const { y1, y2, b2, w } = SETUP;
  const ex = workedExample();
  const h = ex.outH.map((x) => n9(x));
  return {
    w6: `stepgrad check "0.5*(${y1} - o1)^2 + 0.5*(${y2} - o2)^2" \\\n` +
      `  --wrt w6 --claim "-(${y1} - o1)*o1*(1 - o1)*h2" \\\n` +
      `  --where "o1=sigmoid(${w[4]}*h1 + w6*h2 + ${b2})" \\\n` +
      `  --where "o2=sigmoid(${w[6]}*h1 + ${w[7]}*h2 + ${b2})" \\\n` +
      `  --at w6=${w[5]},h1=${h[0]},h2=${h[1]}`,
    db2: `stepgrad check-layer --of db2 --claim "delta2"`,
  };
}

function exercises(doc: Doc, ex: WorkedExample): void {
  const { lr, b2 } = SETUP;
  const w = SETUP.w;
  const commands = exerciseCommands();
  const w6 = ex.outputRows.find((r) => r.k === 5)!;
  const [w5new, w7new] = [ex.outputRows[0].updated, ex.outputRows[2].updated];
  const slipped = ex.delta[0] * w5new + ex.delta[1] * w7new;
  const inPlace1 = train("in-place", 1).get(1)!.error;
  doc.exercises(
    {
      question: [
        "Work out ",
        formula`\partial ${E}/\partial w_6`,
        " by hand from the forward pass (which path does ",
        formula`w_6`,
        " take to the error?), then the new ",
        formula`w_6`,
        ". Check your formula, written with ",
        formula`out_{o1}`,
        " as o1 and ",
        formula`out_{h2}`,
        " as h2, with stepgrad:",
      ],
      command: commands.w6,
      answer: [
        formula`\partial ${E}/\partial w_6 = \delta_{o1}\, out_{h2} = ${d9(w6.factors[0])} \cdot ${
          d9(w6.factors[1])
        } \cdot ${d9(w6.factors[2])} = ${d9(w6.product)}`,
        ", and ",
        formula`w_6^{+} = ${w[5]} - ${lr} \cdot ${d9(w6.product)} = ${d9(w6.updated)}`,
        ` (the post: ${PUBLISHED.w6}). stepgrad check says "right" and shows the derivative `,
        `at that point as ${formatNumber(w6.product)}.`,
      ],
    },
    {
      question: [
        "Give each output neuron its own bias, ",
        formula`b_{o1}`,
        " and ",
        formula`b_{o2}`,
        `, both starting at ${formatNumber(b2)}. What are their gradients and their values after `,
        "one step? stepgrad's layer checker uses one bias per neuron (its db2 is the column of ",
        "the two):",
      ],
      command: commands.db2,
      answer: [
        "Each is its own neuron's δ, with nothing to add: ",
        formula`\partial ${E}/\partial b_{o1} = \delta_{o1} = ${d9(ex.delta[0])}`,
        " and ",
        formula`\partial ${E}/\partial b_{o2} = \delta_{o2} = ${d9(ex.delta[1])}`,
        "; then ",
        formula`b_{o1}^{+} = ${d9(b2 - lr * ex.delta[0])}`,
        " and ",
        formula`b_{o2}^{+} = ${d9(b2 - lr * ex.delta[1])}`,
        ". The post's shared ",
        formula`b_2`,
        ` gets their sum, ${n9(ex.dEdB[1])}.`,
      ],
    },
    {
      question: [
        "Make the post's old slip by hand: update ",
        formula`w_5`,
        " and ",
        formula`w_7`,
        " first, then compute ",
        formula`\partial ${E}/\partial out_{h1}`,
        " with the new ",
        formula`w_5^{+}`,
        " and ",
        formula`w_7^{+}`,
        ". How far is it from the right value?",
      ],
      answer: [
        formula`${d9(ex.delta[0])} \cdot ${d9(w5new)} + ${d9(ex.delta[1])} \cdot ${d9(w7new)} = ${
          d9(slipped)
        }`,
        `, against ${n9(ex.dEdOutH[0])} with the old `,
        formula`w_5 = ${w[4]}`,
        " and ",
        formula`w_7 = ${w[6]}`,
        `: ${
          formatNumber(Math.abs(slipped - ex.dEdOutH[0]) / ex.dEdOutH[0] * 100, { digits: 2 })
        }% `,
        `${slipped < ex.dEdOutH[0] ? "smaller" : "larger"}. Made for `,
        formula`out_{h2}`,
        " too (with ",
        formula`w_6^{+}`,
        " and ",
        formula`w_8^{+}`,
        `), this slip gives the post's printed error after one round, ${n9(inPlace1)}.`,
      ],
    },
  );
}

function run(sink: Sink): void {
  const doc = new Doc(sink);
  const ex = workedExample();
  introduction(doc);
  setUp(doc, ex);
  forwardPass(doc, ex);
  outputLayer(doc, ex);
  hiddenLayer(doc, ex);
  biases(doc, ex, biasComparison());
  laterFigures(doc);
  exercises(doc, ex);
  const ok = [...ex.outputRows, ...ex.hiddenRows].every((r) => r.agrees);
  if (!ok) throw new RangeError("the worked example no longer matches its published figures");
}

export default defineLesson(import.meta, {
  number: 3,
  title: "Backprop by hand",
  summary: "The classic 2-2-2 worked example, every number beside the published figure, and the " +
    "figures its stated algorithm cannot reproduce: simultaneous versus in-place updates.",
  run,
});
