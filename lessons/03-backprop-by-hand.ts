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
  defineLesson,
  digitsToDistinguish,
  Doc,
  formatNumber,
  formula,
  recompute,
  type Sink,
  toDot,
  topoSort,
  Value,
} from "../mod.ts";

/** The post's set-up. */
export const SETUP = {
  i1: 0.05,
  i2: 0.1,
  t1: 0.01,
  t2: 0.99,
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

/** The network as a graph of named values. */
export interface Network {
  /** w1 … w8. */
  w: Value[];
  /** Every named node, by name (net_h1, out_h1, …, E_total). */
  node: Record<string, Value>;
  /** E_total. */
  loss: Value;
}

/** Builds the 2-2-2 network at the given weights (default: the post's). */
export function buildNetwork(weights: readonly number[] = SETUP.w): Network {
  const { i1, i2, t1, t2, b1, b2 } = SETUP;
  const w = weights.map((v, k) => new Value(v, `w${k + 1}`));
  const leaf = (v: number, label: string) => new Value(v, label);
  const I1 = leaf(i1, "i1"), I2 = leaf(i2, "i2");
  const B1 = leaf(b1, "b1"), B2 = leaf(b2, "b2");
  const T1 = leaf(t1, "t1"), T2 = leaf(t2, "t2");
  const named = (v: Value, label: string) => ((v.label = label), v);
  const net_h1 = named(w[0].mul(I1).add(w[1].mul(I2)).add(B1), "net_h1");
  const out_h1 = named(net_h1.sigmoid(), "out_h1");
  const net_h2 = named(w[2].mul(I1).add(w[3].mul(I2)).add(B1), "net_h2");
  const out_h2 = named(net_h2.sigmoid(), "out_h2");
  const net_o1 = named(w[4].mul(out_h1).add(w[5].mul(out_h2)).add(B2), "net_o1");
  const out_o1 = named(net_o1.sigmoid(), "out_o1");
  const net_o2 = named(w[6].mul(out_h1).add(w[7].mul(out_h2)).add(B2), "net_o2");
  const out_o2 = named(net_o2.sigmoid(), "out_o2");
  const E_o1 = named(T1.sub(out_o1).pow(2).mul(0.5), "E_o1");
  const E_o2 = named(T2.sub(out_o2).pow(2).mul(0.5), "E_o2");
  const E_total = named(E_o1.add(E_o2), "E_total");
  const node = { net_h1, out_h1, net_h2, out_h2, net_o1, out_o1, net_o2, out_o2, E_o1, E_o2 };
  return { w, node: { ...node, E_total }, loss: E_total };
}

/** How the eight weights are updated in one round of training. */
export type UpdateOrder = "simultaneous" | "in-place";

/**
 * Trains for `rounds` updates with learning rate 0.5 and returns the error and outputs after
 * each checkpoint round. "simultaneous": every gradient at the old weights, then all eight
 * updated (the post's stated algorithm). "in-place": w5…w8 updated first, and the hidden-layer
 * gradients then computed with the new w5…w8 (what the post's original code did).
 */
export function train(
  order: UpdateOrder,
  rounds: number,
  checkpoints: readonly number[] = [rounds],
): Map<number, { error: number; out_o1: number; out_o2: number }> {
  const net = buildNetwork();
  const nodes = topoSort(net.loss);
  const out = new Map<number, { error: number; out_o1: number; out_o2: number }>();
  const look = (k: number) => {
    if (checkpoints.includes(k)) {
      out.set(k, {
        error: net.loss.data,
        out_o1: net.node.out_o1.data,
        out_o2: net.node.out_o2.data,
      });
    }
  };
  look(0);
  for (let k = 1; k <= rounds; k++) {
    for (const p of net.w) p.grad = 0;
    net.loss.backward();
    if (order === "simultaneous") {
      for (const p of net.w) p.data -= SETUP.lr * p.grad;
    } else {
      for (const p of net.w.slice(4)) p.data -= SETUP.lr * p.grad;
      // Backprop again without a new forward pass: the activations are the old ones, but the
      // output weights are already new, which is exactly the slip.
      for (const p of net.w) p.grad = 0;
      net.loss.backward();
      for (const p of net.w.slice(0, 4)) p.data -= SETUP.lr * p.grad;
    }
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

type WeightRow = (string | number)[];

/**
 * One row per weight k: its three chain-rule factors and their product, backprop's gradient,
 * the updated weight w − η·product, the published figure and whether they agree.
 */
function weightRows(
  ks: readonly number[],
  factors: (k: number) => [number, number, number],
  backprop: readonly Value[],
): WeightRow[] {
  return ks.map((k) => {
    const [dOut, dNet, dW] = factors(k);
    const grad = dOut * dNet * dW;
    const updated = SETUP.w[k] - SETUP.lr * grad;
    const pub = PUBLISHED[`w${k + 1}` as keyof typeof PUBLISHED];
    return [
      `w${k + 1}`,
      dOut,
      dNet,
      dW,
      grad,
      backprop[k].grad,
      updated,
      pub,
      mark(agrees(updated, pub)),
    ];
  });
}

/** The updates of weightRows: old weight, new weight, published, agrees. */
function updateTable(doc: Doc, rows: readonly WeightRow[], caption: string): void {
  doc.table(
    ["", "w", "new weight", { header: "published", align: "right" }, "agrees"],
    rows.map((r) => [r[0], SETUP.w[Number(String(r[0]).slice(1)) - 1], ...r.slice(6)]),
    caption,
    9,
  );
}

/** Every number of the first round, by hand (the chain rule) and by backprop. */
export interface WorkedExample {
  /** The network at the post's weights, after one backward pass. */
  net: Network;
  /** out_h1, out_h2. */
  outH: number[];
  /** out_o1, out_o2. */
  outs: number[];
  /** ∂E_total/∂out_o1, ∂E_total/∂out_o2. */
  dEdOut: number[];
  /** ∂out_o/∂net_o for o1, o2. */
  dOutdNet: number[];
  /** ∂E_total/∂net_o for o1, o2 (the output layer's δ). */
  delta: number[];
  /** ∂E_o1/∂out_h1 and ∂E_o2/∂out_h1: out_h1's two paths. */
  fromO1: number;
  /** See `fromO1`. */
  fromO2: number;
  /** ∂E_total/∂out_h1, ∂E_total/∂out_h2. */
  dEdOutH: number[];
  /** ∂out_h/∂net_h for h1, h2. */
  dOutHdNet: number[];
  /** The output weights' rows: factors, product, backprop, update, published, agrees. */
  outputRows: WeightRow[];
  /** The hidden weights' rows, as `outputRows`. */
  hiddenRows: WeightRow[];
}

/** The first round of the worked example: the forward pass, backward, and every factor by hand. */
export function workedExample(): WorkedExample {
  const { i1, i2, t1, t2 } = SETUP;
  const w = SETUP.w;
  const net = buildNetwork();
  const v = (name: string) => net.node[name].data;
  for (const p of net.w) p.grad = 0;
  net.loss.backward();
  const outH = [v("out_h1"), v("out_h2")];
  const outs = [v("out_o1"), v("out_o2")];
  const targets = [t1, t2];
  const dEdOut = outs.map((o, j) => -(targets[j] - o));
  const dOutdNet = outs.map((o) => o * (1 - o));
  const delta = dEdOut.map((d, j) => d * dOutdNet[j]);
  const fromO1 = delta[0] * w[4], fromO2 = delta[1] * w[6];
  const dEdOutH = [fromO1 + fromO2, delta[0] * w[5] + delta[1] * w[7]];
  const dOutHdNet = outH.map((h) => h * (1 - h));
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
    outputRows,
    hiddenRows,
  };
}

function introduction(doc: Doc): void {
  doc.say(
    "The most copied hand-worked backpropagation example on the web is Matt Mazur's ",
    '"A Step by Step Backpropagation Example" (2015): two inputs, two hidden neurons, two ',
    "outputs, logistic units throughout. Learners check their own arithmetic against it, so here ",
    "it is again, every number computed by the engine and set beside the published figure.",
  );
}

function setUp(doc: Doc): void {
  const { i1, i2, t1, t2, b1, b2, lr } = SETUP;
  doc.heading("The set-up");
  doc.table(
    ["", "value"],
    [
      ["inputs i1, i2", `${i1}, ${i2}`],
      ["targets t1, t2", `${t1}, ${t2}`],
      ["hidden bias b1 (both hidden neurons)", b1],
      ["output bias b2 (both output neurons)", b2],
      ["learning rate η", lr],
    ],
  );
  doc.table(
    SETUP.w.map((_, k) => `w${k + 1}`),
    [[...SETUP.w]],
    "w1, w2 feed h1 from i1, i2; w3, w4 feed h2; w5, w6 feed o1 from h1, h2; w7, w8 feed o2.",
  );
  doc.math(
    formula`net_{h1} = w_1 i_1 + w_2 i_2 + b_1`,
    formula`out_{h1} = \sigma(net_{h1}) = \frac{1}{1 + e^{-net_{h1}}}`,
    formula`net_{o1} = w_5\, out_{h1} + w_6\, out_{h2} + b_2`,
    formula`E_{total} = \tfrac12 (t_1 - out_{o1})^2 + \tfrac12 (t_2 - out_{o2})^2`,
  );
  doc.say(
    "h2 and o2 follow the same pattern. As in the post, each layer has one bias shared by its ",
    "two neurons, and the biases are not trained.",
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
  ];
  doc.table(
    ["quantity", "stepgrad", { header: "published", align: "right" }, "agrees"],
    forward.map((
      k,
    ) => [
      k,
      v(k),
      PUBLISHED[k as keyof typeof PUBLISHED],
      mark(agrees(v(k), PUBLISHED[k as keyof typeof PUBLISHED])),
    ]),
    "stepgrad's numbers to nine significant digits; the post's as printed.",
    9,
  );
}

function outputLayer(doc: Doc, ex: WorkedExample): void {
  const { t1, lr } = SETUP;
  const { net, outs, outH, dEdOut, dOutdNet, delta } = ex;
  const dW5 = delta[0] * outH[0];
  doc.heading("Backward: the output layer");
  doc.say(
    "How much does w5 change the total error? The chain rule follows the path w5 → net_o1 → out_o1 → E_total:",
  );
  doc.math(
    formula`\frac{\partial E_{total}}{\partial w_5} = \frac{\partial E_{total}}{\partial out_{o1}} \cdot \frac{\partial out_{o1}}{\partial net_{o1}} \cdot \frac{\partial net_{o1}}{\partial w_5}`,
    formula`\frac{\partial E_{total}}{\partial out_{o1}} = -(t_1 - out_{o1}) = -(${t1} - ${
      d9(outs[0])
    }) = ${d9(dEdOut[0])}`,
    formula`\frac{\partial out_{o1}}{\partial net_{o1}} = out_{o1}(1 - out_{o1}) = ${
      d9(dOutdNet[0])
    }`,
    formula`\frac{\partial net_{o1}}{\partial w_5} = out_{h1} = ${d9(outH[0])}`,
    formula`\frac{\partial E_{total}}{\partial w_5} = ${d9(dEdOut[0])} \cdot ${
      d9(dOutdNet[0])
    } \cdot ${d9(outH[0])} = ${d9(dW5)}`,
    formula`w_5^{+} = w_5 - \eta \frac{\partial E_{total}}{\partial w_5} = ${
      SETUP.w[4]
    } - ${lr} \cdot ${d9(dW5)} = ${d9(SETUP.w[4] - lr * dW5)}`,
  );
  doc.say(
    "The same three factors for all four output weights, against the post and against backprop:",
  );
  doc.table(
    ["", "∂E/∂out", "∂out/∂net", "∂net/∂w", "product", "backprop"],
    ex.outputRows.map((r) => r.slice(0, 6)),
    "product = ∂E/∂out · ∂out/∂net · ∂net/∂w; backprop is the engine's w.grad.",
    9,
  );
  updateTable(doc, ex.outputRows, "new weight = w − η·product, η = 0.5.");
  doc.say(
    `The chain rule by hand and the engine's backward pass give the same gradient: ∂E_total/∂w5 = `,
    `${n9(net.w[4].grad)} (published ${PUBLISHED.dE_dw5}).`,
  );
}

function hiddenLayer(doc: Doc, ex: WorkedExample): void {
  const { i1 } = SETUP;
  const w = SETUP.w;
  const { net, delta, fromO1, fromO2, dEdOut, dOutdNet, dOutHdNet } = ex;
  const dEdOutH1 = ex.dEdOutH[0];
  doc.heading("Backward: the hidden layer");
  doc.say(
    "out_h1 feeds both outputs, so its error arrives along two paths and the two contributions add:",
  );
  doc.math(
    formula`\frac{\partial E_{total}}{\partial out_{h1}} = \frac{\partial E_{o1}}{\partial out_{h1}} + \frac{\partial E_{o2}}{\partial out_{h1}}`,
    formula`\frac{\partial E_{o1}}{\partial out_{h1}} = \frac{\partial E_{o1}}{\partial net_{o1}} \cdot w_5 = ${
      d9(delta[0])
    } \cdot ${w[4]} = ${d9(fromO1)}`,
    formula`\frac{\partial E_{o2}}{\partial out_{h1}} = \frac{\partial E_{o2}}{\partial net_{o2}} \cdot w_7 = ${
      d9(delta[1])
    } \cdot ${w[6]} = ${d9(fromO2)}`,
    formula`\frac{\partial E_{total}}{\partial out_{h1}} = ${d9(fromO1)} + ${d9(fromO2)} = ${
      d9(dEdOutH1)
    }`,
    formula`\frac{\partial out_{h1}}{\partial net_{h1}} = out_{h1}(1 - out_{h1}) = ${
      d9(dOutHdNet[0])
    }`,
    formula`\frac{\partial net_{h1}}{\partial w_1} = i_1 = ${i1}`,
    formula`\frac{\partial E_{total}}{\partial w_1} = ${d9(dEdOutH1)} \cdot ${
      d9(dOutHdNet[0])
    } \cdot ${i1} = ${d9(dEdOutH1 * dOutHdNet[0] * i1)}`,
  );
  const hiddenChecks: [string, number, string][] = [
    ["∂E_o1/∂out_h1", fromO1, PUBLISHED.dE_o1_dout_h1],
    ["∂E_o2/∂out_h1", fromO2, PUBLISHED.dE_o2_dout_h1],
    ["∂E_total/∂out_h1", dEdOutH1, PUBLISHED.dE_dout_h1],
    ["∂out_h1/∂net_h1", dOutHdNet[0], PUBLISHED.dout_h1_dnet_h1],
    ["∂E_total/∂w1", net.w[0].grad, PUBLISHED.dE_dw1],
    ["∂E_total/∂out_o1", dEdOut[0], PUBLISHED.dE_dout_o1],
    ["∂out_o1/∂net_o1", dOutdNet[0], PUBLISHED.dout_o1_dnet_o1],
    ["∂E_total/∂w5", net.w[4].grad, PUBLISHED.dE_dw5],
  ];
  // The post rounds ∂E_o2/∂net_o2 to nine decimals before multiplying by w7.
  const viaRounded = Number(delta[1].toFixed(9)) * w[6];
  const roundedToo = !agrees(fromO2, PUBLISHED.dE_o2_dout_h1) &&
    agrees(viaRounded, PUBLISHED.dE_o2_dout_h1);
  doc.table(
    ["factor", "stepgrad", { header: "published", align: "right" }, "agrees"],
    hiddenChecks.map(([name, value, pub]) => [
      name,
      value,
      shown(pub),
      agrees(value, pub)
        ? "✓"
        : name === "∂E_o2/∂out_h1" && roundedToo
        ? "✓ rounding (*)"
        : mark(false),
    ]),
    "Every chain-rule factor the post prints.",
    9,
  );
  if (roundedToo) {
    doc.say(
      `(*) The post multiplies the rounded factor ∂E_o2/∂net_o2 = ${
        n9(Number(delta[1].toFixed(9)))
      } `,
      `by w7 = ${w[6]}, giving ${formatNumber(viaRounded, { digits: 10 })}, and rounds that to `,
      `${shown(PUBLISHED.dE_o2_dout_h1)}; the unrounded product is ${
        formatNumber(fromO2, { digits: 10 })
      }. `,
      "The last digit is the rounding's; the method is right.",
    );
  }
  doc.table(
    ["", "∂E/∂out_h", "∂out_h/∂net_h", "∂net_h/∂w", "product", "backprop"],
    ex.hiddenRows.map((r) => r.slice(0, 6)),
    "The hidden weights, with the gradients taken at the original w5…w8.",
    9,
  );
  updateTable(doc, ex.hiddenRows, "new weight = w − η·product.");
  doc.note(
    "info",
    "The post's hidden-layer section writes net_h1 = w1·i1 + w3·i2, but its own numbers use w2 ",
    "for i2 → h1 (0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775). The numbers are right; the formula has a typo.",
  );
  doc.block({
    kind: "graph",
    title: "The worked example as an expression graph, after backward",
    dot: toDot(net.loss, { format: formatNumber }),
  });
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
  const figures: [string, string, number, number][] = [
    ["error after 1 round", PUBLISHED.E_after_1, s1.error, p1.error],
    ["error after 10,000", PUBLISHED.E_after_10000, s10000.error, p10000.error],
    ["out_o1 after 10,000", PUBLISHED.out_o1_after_10000, s10000.out_o1, p10000.out_o1],
    ["out_o2 after 10,000", PUBLISHED.out_o2_after_10000, s10000.out_o2, p10000.out_o2],
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
    "updated w5…w8 in place and then computed the hidden-layer gradients with the new w5…w8:",
  );
  doc.math(
    formula`\frac{\partial E_{total}}{\partial out_{h1}} = \frac{\partial E_{o1}}{\partial net_{o1}}\, w_5^{+} + \frac{\partial E_{o2}}{\partial net_{o2}}\, w_7^{+}`,
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
    "time after changing w5…w8 without a new forward pass. Backward reads the numbers stored in ",
    "the graph, so it mixes the old activations with the new weights, which is exactly the slip.",
  );
}

function run(sink: Sink): void {
  const doc = new Doc(sink);
  const ex = workedExample();
  introduction(doc);
  setUp(doc);
  forwardPass(doc, ex);
  outputLayer(doc, ex);
  hiddenLayer(doc, ex);
  laterFigures(doc);
  const ok = [...ex.outputRows, ...ex.hiddenRows].every((r) => r[8] === "✓");
  if (!ok) throw new RangeError("the worked example no longer matches its published figures");
}

export default defineLesson(import.meta, {
  number: 3,
  title: "Backprop by hand",
  summary: "The classic 2-2-2 worked example, every number beside the published figure, and the " +
    "figures its stated algorithm cannot reproduce: simultaneous versus in-place updates.",
  run,
});
