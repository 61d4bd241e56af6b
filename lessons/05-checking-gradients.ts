/**
 * Lesson 05: checking gradients. Three independent derivations of every gradient of a small
 * network (the chain rule on the op table's formulas, backprop, central differences) side by
 * side; a deliberately broken backward rule, caught; how the step h of finite differences
 * matters; and why relu at 0 confuses finite differences.
 *
 * Run: deno run lessons/05-checking-gradients.ts
 *
 * @module
 */
import {
  chainRule,
  defineLesson,
  Doc,
  formatNumber as n,
  formatNumberLatex as t,
  type Formula,
  formula,
  gradcheck,
  type GradcheckReport,
  graphDifference,
  type Sink,
  tex,
  texName,
  threeWayCheck,
  toTex,
  toText,
  Value,
} from "../mod.ts";

/** The small network: two inputs, a tanh and a sigmoid hidden unit, a linear output, (ŷ − y)². */
export interface SmallNet {
  /** w1 … w4, b1, b2, v1, v2, c, in that order. */
  params: Value[];
  /** Every named node by its label. */
  node: Record<string, Value>;
  /** The loss L. */
  loss: Value;
}

/** The parameters' starting values. */
export const START: Readonly<Record<string, number>> = {
  w1: 0.3,
  w2: -0.8,
  w3: 0.6,
  w4: 0.1,
  b1: 0.1,
  b2: -0.2,
  v1: 0.7,
  v2: -0.4,
  c: 0.05,
};
/** The one training example. */
export const EXAMPLE = { x1: 0.5, x2: -1.5, y: 1 } as const;

/** Builds the network on the example, every intermediate named. */
export function smallNet(): SmallNet {
  const named = (v: Value, label: string) => ((v.label = label), v);
  const p = Object.fromEntries(Object.entries(START).map(([k, v]) => [k, new Value(v, k)]));
  const x1 = new Value(EXAMPLE.x1, "x1"), x2 = new Value(EXAMPLE.x2, "x2");
  const y = new Value(EXAMPLE.y, "y");
  const z1 = named(p.w1.mul(x1).add(p.w2.mul(x2)).add(p.b1), "z1");
  const h1 = named(z1.tanh(), "h1");
  const z2 = named(p.w3.mul(x1).add(p.w4.mul(x2)).add(p.b2), "z2");
  const h2 = named(z2.sigmoid(), "h2");
  const yhat = named(p.v1.mul(h1).add(p.v2.mul(h2)).add(p.c), "yhat");
  const loss = named(yhat.sub(y).pow(2), "L");
  return {
    params: Object.keys(START).map((k) => p[k]),
    node: { z1, h1, z2, h2, yhat, L: loss },
    loss,
  };
}

/**
 * A backward pass written by hand, as a learner writes it, in parameter order. With `buggy`,
 * tanh's derivative is written 1 − h1 instead of 1 − h1².
 */
export function handBackward(net: SmallNet, buggy: boolean): number[] {
  const { h1, h2, yhat } = Object.fromEntries(
    Object.entries(net.node).map(([k, v]) => [k, v.data]),
  );
  const [, , , , , , v1, v2] = net.params.map((p) => p.data);
  const { x1, x2, y } = EXAMPLE;
  const dyhat = 2 * (yhat - y);
  const dh1 = dyhat * v1, dh2 = dyhat * v2;
  const dz1 = buggy ? dh1 * (1 - h1) : dh1 * (1 - h1 * h1);
  const dz2 = dh2 * h2 * (1 - h2);
  return [dz1 * x1, dz1 * x2, dz2 * x1, dz2 * x2, dz1, dz2, dyhat * h1, dyhat * h2, dyhat];
}

const HAND_BACKWARD = `const dyhat = 2 * (yhat - y);
const dv1 = dyhat * h1, dv2 = dyhat * h2, dc = dyhat;
const dh1 = dyhat * v1, dh2 = dyhat * v2;
const dz1 = dh1 * (1 - h1);          // tanh'(z1) … or is it?
const dz2 = dh2 * h2 * (1 - h2);     // sigmoid'(z2) = h2·(1 − h2)
const dw1 = dz1 * x1, dw2 = dz1 * x2, db1 = dz1;
const dw3 = dz2 * x1, dw4 = dz2 * x2, db2 = dz2;`;

/** Errors of central and forward differences for ∂L/∂w1 at steps h = 10⁻¹ … 10⁻¹³. */
export function stepErrors(): { k: number; h: number; central: number; forward: number }[] {
  const net = smallNet();
  const w1 = net.params[0];
  for (const p of net.params) p.grad = 0;
  net.loss.backward();
  const exact = w1.grad;
  const f0 = net.loss.data;
  return Array.from({ length: 13 }, (_, i) => {
    const k = i + 1, h = 10 ** -k;
    const d = graphDifference(net.loss, w1, h);
    return {
      k,
      h,
      central: Math.abs(d.numeric - exact),
      forward: Math.abs((d.plus - f0) / h - exact),
    };
  });
}

/** A relu unit whose input is exactly 0 (or `offset` away from it): L = relu(w·x + b). */
export function reluAtKink(offset = 0): { w: Value; b: Value; loss: Value } {
  const w = new Value(0.5, "w"), b = new Value(-1 + offset, "b");
  const loss = w.mul(2).add(b).relu();
  loss.label = "L";
  return { w, b, loss };
}

const pass = (ok: boolean) => (ok ? "ok" : "FAIL");

function reportRows(report: GradcheckReport): (string | number)[][] {
  return report.rows.map((r) => [
    r.label,
    r.analytic,
    r.numeric,
    n(r.relError, { digits: 2 }),
    r.kink ? "kink" : pass(r.pass),
  ]);
}

function intro(doc: Doc): void {
  doc.say(
    "A gradient computed by hand, or by a backward rule you wrote yourself, is easy to get ",
    "slightly wrong, and a slightly wrong gradient still trains, just badly. So check it. There ",
    "are three independent ways to get the same number, and when all three agree you can trust it:",
  );
  doc.table(
    ["way", "how", "weak spot"],
    [
      ["symbolic", "chain rule on each op's formula", "the formulas themselves"],
      ["backprop", "the engine's backward pass", "a wrong backward rule"],
      ["finite differences", "(L(p+h) − L(p−h)) / 2h", "rounding, kinks"],
    ],
  );
}

function theNetwork(doc: Doc): void {
  doc.heading("A small network");
  doc.math(
    formula`z_1 = w_1 x_1 + w_2 x_2 + b_1, \quad h_1 = \tanh(z_1)`,
    formula`z_2 = w_3 x_1 + w_4 x_2 + b_2, \quad h_2 = \sigma(z_2)`,
    formula`\hat y = v_1 h_1 + v_2 h_2 + c, \quad L = (\hat y - y)^2`,
  );
  doc.say(
    `One example, x = (${n(EXAMPLE.x1)}, ${n(EXAMPLE.x2)}) with target y = ${n(EXAMPLE.y)}, and `,
    "nine parameters:",
  );
  doc.table(Object.keys(START), [Object.values(START)]);
}

async function threeWays(doc: Doc, net: SmallNet): Promise<void> {
  doc.heading("Three ways, side by side");
  const chain = await chainRule(net.loss, net.params[0]);
  const partial = (of: string, wrt: string): Formula =>
    tex(`\\frac{\\partial ${texName(of)}}{\\partial ${texName(wrt)}}`, `∂${of}/∂${wrt}`);
  const signed = (x: number) => (x < 0 ? `\\left(${t(x)}\\right)` : t(x));
  doc.say("The symbolic way writes ∂L/∂w1 as a learner would, one factor per named node:");
  doc.math(
    tex(
      `${partial("L", "w1").tex} = ${
        chain.factors.map((f) => partial(f.of, f.wrt).tex).join(" \\cdot ")
      }`,
      `∂L/∂w1 = ${chain.factors.map((f) => partial(f.of, f.wrt).text).join(" · ")}`,
    ),
    ...chain.factors.map((f) =>
      tex(
        `${partial(f.of, f.wrt).tex} = ${f.formula ? toTex(f.formula) : ""} = ${t(f.value)}`,
        `${partial(f.of, f.wrt).text} = ${f.formula ? toText(f.formula) : ""} = ${n(f.value)}`,
      )
    ),
    tex(
      `${partial("L", "w1").tex} = ${
        chain.factors.map((f) => signed(f.value)).join(" \\cdot ")
      } = ${t(chain.value)}`,
      `∂L/∂w1 = ${chain.factors.map((f) => n(f.value)).join(" · ")} = ${n(chain.value)}`,
    ),
  );
  const report = threeWayCheck(net.loss, net.params);
  doc.say("Every parameter, three ways (finite differences with h = 10⁻⁶):");
  doc.table(
    [
      "",
      "symbolic",
      "backprop",
      "finite diff.",
      { header: "sym. vs BP", align: "right" },
      { header: "FD vs BP", align: "right" },
      "result",
    ],
    report.rows.map((r) => [
      r.label,
      r.symbolic,
      r.backprop,
      r.numeric,
      n(r.relErrorSymbolic, { digits: 2 }),
      n(r.relErrorNumeric, { digits: 2 }),
      r.kink ? "kink" : pass(r.pass),
    ]),
    `The last two columns are relative errors against backprop, |a − b| / max(|a|, |b|). ${
      report.ok ? `All ${report.rows.length} parameters agree three ways.` : "Some rows fail."
    }`,
  );
  doc.say(
    "Symbolic and backprop agree to the last bit or nearly: they evaluate the same formulas. ",
    "Finite differences agree to about 10⁻¹⁰: they never look at a formula, which is what makes ",
    "them the independent check.",
  );
}

function brokenRule(doc: Doc, net: SmallNet): void {
  doc.heading("A broken backward rule, caught");
  doc.say("Here is a backward pass for the same network, written by hand:");
  doc.code(HAND_BACKWARD, "ts");
  const buggy = gradcheck(net.loss, net.params, { gradients: handBackward(net, true) });
  doc.say(
    "gradcheck takes these hand-written gradients (its gradients option) and compares each with ",
    "central differences:",
  );
  doc.table(
    ["parameter", "hand-written", "finite diff.", "rel. error", "result"],
    reportRows(buggy),
  );
  const failed = buggy.rows.filter((r) => !r.pass);
  doc.note(
    "warning",
    `${failed.map((r) => r.label).join(", ")} fail: ${failed[0]?.note ?? ""}. They are exactly `,
    "the parameters whose gradient passes through dz1, so the slip is in dz1: tanh'(z) is ",
    formula`1 - \tanh^2(z)`,
    ", so the line must read dz1 = dh1 * (1 - h1 * h1).",
  );
  const fixed = gradcheck(net.loss, net.params, { gradients: handBackward(net, false) });
  doc.say(
    `With that one line fixed, ${fixed.ok ? "every row passes" : "some rows still fail"} `,
    `(largest relative error ${n(Math.max(...fixed.rows.map((r) => r.relError)), { digits: 2 })}).`,
  );
}

function stepSize(doc: Doc): void {
  doc.heading("How the step h matters");
  const errors = stepErrors();
  doc.say(
    "Finite differences have two errors pulling in opposite directions. Truncation: the formula ",
    "is only exact as h → 0. Rounding: L(p + h) and L(p − h) agree in more and more digits as h ",
    "shrinks, and their difference loses them.",
  );
  doc.math(
    formula`\text{central: } \frac{L(p+h) - L(p-h)}{2h} - L'(p) \approx \frac{h^2}{6} L'''(p) + \frac{\varepsilon\, |L|}{h}`,
    formula`\text{forward: } \frac{L(p+h) - L(p)}{h} - L'(p) \approx \frac{h}{2} L''(p) + \frac{2\varepsilon\, |L|}{h}`,
  );
  doc.table(
    ["h", "central error", "forward error"],
    errors.map((e) => [`10⁻${superscript(e.k)}`, e.central, e.forward]),
    "|estimate − backprop| for ∂L/∂w1, with ε = 2.2×10⁻¹⁶ (float64).",
    2,
  );
  doc.block({
    kind: "chart",
    title: "Error of the estimate against the step h = 10⁻ᵏ",
    xLabel: "k",
    yLabel: "error",
    logY: true,
    series: [
      { name: "central", points: errors.map((e) => [e.k, e.central]) },
      { name: "forward", points: errors.map((e) => [e.k, e.forward]) },
    ],
  });
  const best = (key: "central" | "forward") => errors.reduce((a, b) => (b[key] < a[key] ? b : a));
  const bc = best("central"), bf = best("forward");
  doc.say(
    `The central difference is best near h = 10⁻${superscript(bc.k)} (error `,
    `${n(bc.central, { digits: 2 })}), the forward difference near h = 10⁻${superscript(bf.k)} `,
    `(error ${n(bf.forward, { digits: 2 })}). Smaller h is not better: at h = 10⁻¹³ the central `,
    `error is back up to ${n(errors[12].central, { digits: 2 })}. That is why gradcheck uses `,
    "central differences with h = 10⁻⁶, and tolerances (1e-5 absolute, 1e-3 relative) far above ",
    "what a correct gradient misses by.",
  );
}

function reluKink(doc: Doc): void {
  doc.heading("Why relu at 0 confuses finite differences");
  const kink = reluAtKink();
  const kinkReport = threeWayCheck(kink.loss, [kink.w, kink.b]);
  doc.say("One relu unit whose input is exactly 0:");
  doc.math(
    formula`L = \operatorname{relu}(w x + b), \quad w = 0.5,\; x = 2,\; b = -1 \;\Rightarrow\; w x + b = 0`,
  );
  doc.table(
    ["parameter", "symbolic", "backprop", "finite diff.", "result"],
    kinkReport.rows.map((
      r,
    ) => [r.label, r.symbolic, r.backprop, r.numeric, r.kink ? "kink" : pass(r.pass)]),
  );
  const wRow = kinkReport.rows[0];
  doc.say(
    "relu has no derivative at 0: its slope is 0 on the left and 1 on the right. Backprop and ",
    `the symbolic rule use the convention relu'(0) = 0 (PyTorch's), so ∂L/∂w = ${
      n(wRow.backprop)
    }. `,
    `The central difference steps to both sides and averages the two slopes: ∂L/∂w ≈ `,
    `${n(wRow.numeric)}, half of x = 2. Neither is wrong; they answer different questions.`,
  );
  const near = reluAtKink(1e-8);
  const nearReport = gradcheck(near.loss, [near.w]);
  doc.say(
    `It happens near 0 too: with w·x + b = 10⁻⁸, less than h away, backprop says `,
    `${n(nearReport.rows[0].analytic)} (the unit is on) while finite differences say `,
    `${n(nearReport.rows[0].numeric, { digits: 4 })}. gradcheck notices that a relu changed `,
    "branch between p − h and p + h and reports the row as a kink instead of a failure:",
  );
  doc.note("info", nearReport.rows[0].note ?? "");
  doc.note(
    "key",
    "Check every gradient you derive or every backward rule you write against finite ",
    "differences, with central differences and h near 10⁻⁶. Trust a disagreement, except at a ",
    "kink (relu, abs exactly at 0), where finite differences average two slopes.",
  );
}

async function run(sink: Sink): Promise<void> {
  const doc = new Doc(sink);
  intro(doc);
  theNetwork(doc);
  const net = smallNet();
  await threeWays(doc, net);
  brokenRule(doc, net);
  stepSize(doc);
  reluKink(doc);
}

function superscript(k: number): string {
  const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return [...String(k)].map((d) => sup[Number(d)]).join("");
}

export default defineLesson(import.meta, {
  number: 5,
  title: "Checking gradients",
  summary: "Symbolic, backprop and finite differences on a small network; a broken backward rule " +
    "caught; how the step h matters; why relu at 0 confuses finite differences.",
  run,
});
