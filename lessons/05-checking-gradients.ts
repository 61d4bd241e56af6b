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
  chainRuleTex,
  chainRuleText,
  defineLesson,
  Doc,
  formatNumber as n,
  formula,
  gradcheck,
  type GradcheckReport,
  graphDifference,
  type Sink,
  threeWayCheck,
  Value,
  verifyGradient,
} from "../mod.ts";

/** The small network: two inputs, a tanh and a sigmoid hidden unit, a linear output, (ŷ − y)². */
export interface SmallNet {
  /** w1 … w4, b1, b2, w5, w6, b3, in that order. */
  params: Value[];
  /** Every named node by its label: z1, a1, z2, a2, ŷ, L. */
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
  w5: 0.7,
  w6: -0.4,
  b3: 0.05,
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
  const a1 = named(z1.tanh(), "a1");
  const z2 = named(p.w3.mul(x1).add(p.w4.mul(x2)).add(p.b2), "z2");
  const a2 = named(z2.sigmoid(), "a2");
  const yhat = named(p.w5.mul(a1).add(p.w6.mul(a2)).add(p.b3), "ŷ");
  const loss = named(yhat.sub(y).pow(2), "L");
  return {
    params: Object.keys(START).map((k) => p[k]),
    node: { z1, a1, z2, a2, "ŷ": yhat, L: loss },
    loss,
  };
}

/**
 * A slip in a hand-written backward pass: `"tanh"` writes tanh′(z1) as 1 − a1 (it is 1 − a1²),
 * `"sigmoid"` writes σ′(z2) as a2 (it is a2·(1 − a2)).
 */
export type Slip = "tanh" | "sigmoid";

/**
 * A backward pass written by hand, as a learner writes it, in parameter order; with a `slip`,
 * one activation's derivative is written wrong.
 */
export function handBackward(net: SmallNet, slip?: Slip): number[] {
  const a1 = net.node.a1.data, a2 = net.node.a2.data, yhat = net.node["ŷ"].data;
  const w5 = net.params[6].data, w6 = net.params[7].data;
  const { x1, x2, y } = EXAMPLE;
  const dyhat = 2 * (yhat - y);
  const da1 = dyhat * w5, da2 = dyhat * w6;
  const dz1 = slip === "tanh" ? da1 * (1 - a1) : da1 * (1 - a1 * a1);
  const dz2 = slip === "sigmoid" ? da2 * a2 : da2 * a2 * (1 - a2);
  return [dz1 * x1, dz1 * x2, dz2 * x1, dz2 * x2, dz1, dz2, dyhat * a1, dyhat * a2, dyhat];
}

const HAND_BACKWARD = `const dyhat = 2 * (yhat - y);        // ∂L/∂ŷ
const dw5 = dyhat * a1, dw6 = dyhat * a2, db3 = dyhat;
const da1 = dyhat * w5, da2 = dyhat * w6;
const dz1 = da1 * (1 - a1);          // tanh'(z1) … or is it?
const dz2 = da2 * a2 * (1 - a2);     // sigmoid'(z2) = a2·(1 − a2)
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

/** The relu unit at its kink: w·x + b = 0. */
export const KINK = { w: 0.5, x: 2, b: -1 } as const;
/** How far from the kink the "near 0" example sits. */
export const NEAR = 1e-8;

/** A relu unit whose input is exactly 0 (or `offset` away from it): L = relu(w·x + b). */
export function reluAtKink(offset = 0): { w: Value; b: Value; loss: Value } {
  const w = new Value(KINK.w, "w"), b = new Value(KINK.b + offset, "b");
  const loss = w.mul(KINK.x).add(b).relu();
  loss.label = "L";
  return { w, b, loss };
}

const pass = (ok: boolean) => (ok ? "ok" : "FAIL");

/** A parameter's name as the formulas write it: w1 → w₁, b3 → b₃ (the code keeps w1). */
const sub = (name: string) =>
  name.replace(/\d+$/, (d) => [...d].map((c) => "₀₁₂₃₄₅₆₇₈₉"[+c]).join(""));

function reportRows(report: GradcheckReport): (string | number)[][] {
  return report.rows.map((r) => [
    sub(r.label),
    r.analytic,
    r.numeric,
    n(r.relError, { digits: 2 }),
    r.kink ? "kink" : pass(r.pass),
  ]);
}

function superscript(k: number): string {
  const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return [...String(k)].map((d) => sup[Number(d)]).join("");
}

/** 10⁻ᵏ, as the tables write a step. */
const tenTo = (k: number) => `10⁻${superscript(k)}`;

/** A step or tolerance: 10⁻ᵏ when it is one, else as the formatter writes it. */
function small(x: number): string {
  const k = -Math.round(Math.log10(x));
  return k > 0 && 10 ** -k === x ? tenTo(k) : n(x);
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
      ["finite differences", "(L(θ+h) − L(θ−h)) / 2h", "rounding, kinks"],
    ],
    "θ is any one parameter, h a small step.",
  );
}

function theNetwork(doc: Doc): void {
  doc.heading("A small network");
  doc.math(
    formula`z_1 = w_1 x_1 + w_2 x_2 + b_1, \quad a_1 = \tanh(z_1)`,
    formula`z_2 = w_3 x_1 + w_4 x_2 + b_2, \quad a_2 = \sigma(z_2)`,
    formula`\hat y = w_5 a_1 + w_6 a_2 + b_3, \quad L = (\hat y - y)^2`,
  );
  doc.say(
    `One example, x = (${n(EXAMPLE.x1)}, ${n(EXAMPLE.x2)}) with target y = ${n(EXAMPLE.y)}, and `,
    `${Object.keys(START).length} parameters (w for weights, b for biases; z is a unit's `,
    "weighted sum, a its activation, ŷ the prediction):",
  );
  doc.table(Object.keys(START).map(sub), [Object.values(START)]);
}

async function threeWays(doc: Doc, net: SmallNet): Promise<void> {
  doc.heading("Three ways, side by side");
  const chain = await chainRule(net.loss, net.params[0]);
  doc.say(
    "The symbolic way writes ∂L/∂w₁ as a learner would: one factor per named node, multiplied ",
    "out, then each factor's formula (from the op table) with its value:",
  );
  doc.math({ tex: chainRuleTex(chain), text: chainRuleText(chain) });
  const report = threeWayCheck(net.loss, net.params);
  const eps = gradcheck(net.loss, [net.params[0]]).eps;
  doc.say(`Every parameter, three ways (finite differences with h = ${small(eps)}):`);
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
      sub(r.label),
      r.symbolic,
      r.backprop,
      r.numeric,
      n(r.relErrorSymbolic, { digits: 2 }),
      n(r.relErrorNumeric, { digits: 2 }),
      r.kink ? "kink" : pass(r.pass),
    ]),
    "The last two columns are relative errors against backprop: the difference over the " +
      `larger of the two magnitudes. ${
        report.ok ? `All ${report.rows.length} parameters agree three ways.` : "Some rows fail."
      }`,
  );
  const symbolic = Math.max(...report.rows.map((r) => r.relErrorSymbolic));
  const numeric = report.rows.map((r) => r.relErrorNumeric);
  doc.say(
    "Symbolic and backprop evaluate the same formulas, so they agree to the last bit or nearly ",
    `(here the largest relative error is ${n(symbolic, { digits: 2 })}). Finite differences `,
    `agree to between ${n(Math.min(...numeric), { digits: 2 })} and `,
    `${n(Math.max(...numeric), { digits: 2 })}: they never look at a formula, which is what `,
    "makes them the independent check.",
  );
}

function brokenRule(doc: Doc, net: SmallNet): void {
  doc.heading("A broken backward rule, caught");
  doc.say("Here is a backward pass for the same network, written by hand:");
  doc.code(HAND_BACKWARD, "ts");
  const buggy = gradcheck(net.loss, net.params, { gradients: handBackward(net, "tanh") });
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
    `${failed.map((r) => sub(r.label)).join(", ")} fail: ${
      failed[0]?.note ?? ""
    }. They are exactly `,
    "the parameters whose gradient passes through dz1, so the slip is in dz1: tanh′(z) is ",
    formula`1 - \tanh^2(z)`,
    ", so the line must read dz1 = da1 * (1 - a1 * a1).",
  );
  const fixed = gradcheck(net.loss, net.params, { gradients: handBackward(net) });
  doc.say(
    `With that one line fixed, ${fixed.ok ? "every row passes" : "some rows still fail"} `,
    `(largest relative error ${n(Math.max(...fixed.rows.map((r) => r.relError)), { digits: 2 })}).`,
  );
}

function stepSize(doc: Doc, net: SmallNet): void {
  doc.heading("How the step h matters");
  const errors = stepErrors();
  doc.say(
    "Finite differences have two errors pulling in opposite directions. Truncation: the formula ",
    "is only exact as h → 0. Rounding: L(θ + h) and L(θ − h) agree in more and more digits as h ",
    "shrinks, and their difference loses them; each is off by up to ",
    formula`\varepsilon_{\text{mach}} |L|`,
    ", where ",
    formula`\varepsilon_{\text{mach}} = ${{ value: Number.EPSILON, digits: 2 }}`,
    " is float64's relative rounding error.",
  );
  doc.math(
    formula`\text{central: } \frac{L(\theta+h) - L(\theta-h)}{2h} - L'(\theta) \approx \frac{h^2}{6} L'''(\theta) + \frac{\varepsilon_{\text{mach}} |L|}{h}`,
    formula`\text{forward: } \frac{L(\theta+h) - L(\theta)}{h} - L'(\theta) \approx \frac{h}{2} L''(\theta) + \frac{2\varepsilon_{\text{mach}} |L|}{h}`,
  );
  doc.table(
    ["h", "central error", "forward error"],
    errors.map((e) => [tenTo(e.k), e.central, e.forward]),
    "|estimate − backprop| for ∂L/∂w₁.",
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
  const bc = best("central"), bf = best("forward"), last = errors.at(-1)!;
  const report = gradcheck(net.loss, [net.params[0]]);
  doc.say(
    `The central difference is best near h = ${tenTo(bc.k)} (error `,
    `${n(bc.central, { digits: 2 })}), the forward difference near h = ${tenTo(bf.k)} `,
    `(error ${n(bf.forward, { digits: 2 })}). Smaller h is not better: at h = ${tenTo(last.k)} `,
    `the central error is back up to ${n(last.central, { digits: 2 })}. That is why gradcheck `,
    `uses central differences with h = ${small(report.eps)}, and tolerances (${
      small(report.atol)
    } `,
    `absolute, ${small(report.rtol)} relative) far above what a correct gradient misses by.`,
  );
}

function reluKink(doc: Doc): void {
  doc.heading("Why relu at 0 confuses finite differences");
  const kink = reluAtKink();
  const kinkReport = threeWayCheck(kink.loss, [kink.w, kink.b]);
  doc.say("One relu unit whose input is exactly 0:");
  doc.math(
    formula`L = \operatorname{relu}(w x + b), \quad w = ${KINK.w},\; x = ${KINK.x},\; b = ${KINK.b} \;\Rightarrow\; w x + b = ${
      KINK.w * KINK.x + KINK.b
    }`,
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
    `the symbolic rule use the convention relu′(0) = 0 (PyTorch's), so ∂L/∂w = ${
      n(wRow.backprop)
    }. `,
    `The central difference steps to both sides and averages the two slopes: ∂L/∂w ≈ `,
    `${n(wRow.numeric)}, half of x = ${n(KINK.x)}. Neither is wrong; they answer different `,
    "questions.",
  );
  const near = reluAtKink(NEAR);
  const nearReport = gradcheck(near.loss, [near.w]);
  doc.say(
    `It happens near 0 too: with w·x + b = ${small(NEAR)}, less than h away, backprop says `,
    `${n(nearReport.rows[0].analytic)} (the unit is on) while finite differences say `,
    `${n(nearReport.rows[0].numeric, { digits: 4 })}. gradcheck notices that a relu changed `,
    "branch between θ − h and θ + h and reports the row as a kink instead of a failure:",
  );
  doc.note("info", `gradcheck's note on the row: “${nearReport.rows[0].note ?? ""}”.`);
  doc.note(
    "key",
    "Check every gradient you derive or every backward rule you write against finite ",
    `differences, with central differences and h near ${small(nearReport.eps)}. Trust a `,
    "disagreement, except at a kink (relu, abs exactly at 0), where finite differences average ",
    "two slopes.",
  );
}

/** The exercises' claims for the check command: the slip of this lesson, then its fix. */
export const TANH_CLAIMS = { wrong: "1 - tanh(z)", right: "1 - tanh(z)^2" } as const;

/**
 * The relu's input w·x + b at half, 1.5 and 2.5 times x·h from its kink (x·h is how far a step
 * of w by ±h moves it), for exercise 4: finite differences, backprop, and gradcheck's verdict.
 */
export function kinkEdge(): {
  offset: number;
  numeric: number;
  analytic: number;
  kink: boolean;
  pass: boolean;
}[] {
  const probe = reluAtKink(1);
  const h = gradcheck(probe.loss, [probe.w]).eps;
  return [0.5, 1.5, 2.5].map((f) => {
    const offset = f * KINK.x * h;
    const k = reluAtKink(offset);
    const { numeric, analytic, kink, pass } = gradcheck(k.loss, [k.w]).rows[0];
    return { offset, numeric, analytic, kink, pass };
  });
}

async function exercises(doc: Doc, net: SmallNet): Promise<void> {
  const [wrong, right] = await Promise.all(
    [TANH_CLAIMS.wrong, TANH_CLAIMS.right].map((claim) =>
      verifyGradient({ expr: "tanh(z)", wrt: "z", claim })
    ),
  );
  const ce = wrong.counterexample;
  if (wrong.correct || !right.correct || !ce) {
    throw new RangeError("the checker's verdicts on tanh′ are not what exercise 1 says");
  }
  const sigmoidSlip = gradcheck(net.loss, net.params, {
    gradients: handBackward(net, "sigmoid"),
  });
  const failed = sigmoidSlip.rows.filter((r) => !r.pass);
  const a2 = net.node.a2.data;
  const errors = stepErrors();
  const at = (k: number) => errors.find((e) => e.k === k)!;
  const [near, mid, far] = kinkEdge();
  const h = gradcheck(net.loss, [net.params[0]]).eps;
  doc.exercises(
    {
      question: [
        "The slip above was a wrong derivative of tanh. Put the hand-written one to the checker, ",
        "then your fix in its place:",
      ],
      command: `deno task stepgrad check "tanh(z)" --wrt z --claim "${TANH_CLAIMS.wrong}"`,
      answer: [
        `"${TANH_CLAIMS.wrong}" is wrong: at z = ${n(ce.point.z)} it gives ${n(ce.claim)} where `,
        `the derivative is ${n(ce.derivative)}. The fix, "${TANH_CLAIMS.right}", is right: `,
        `the checker writes the derivative as ${right.derivative} and finds the two equal `,
        `${right.method === "symbolic" ? "symbolically" : "at every point it tries"}.`,
      ],
    },
    {
      question: [
        "Suppose the hand-written pass had dz2 = da2 * a2 instead (σ′(z₂) written as a₂, ",
        "without its factor 1 − a₂). Which rows of gradcheck fail, and by what factor is each ",
        "hand-written gradient off?",
      ],
      answer: [
        `${failed.map((r) => sub(r.label)).join(", ")}: every gradient that passes through dz2, `,
        `and only those. Each is 1/(1 − a₂) = ${n(1 / (1 - a2))} times the true one `,
        `(a₂ = ${n(a2)}); gradcheck's ratio for ${sub(failed[0].label)} is `,
        `${n(failed[0].analytic / failed[0].numeric)}.`,
      ],
    },
    {
      question: [
        `From the table, the central error at h = ${tenTo(2)} is ${
          n(at(2).central, { digits: 2 })
        } and the forward error ${n(at(2).forward, { digits: 2 })}. Using only the truncation `,
        `terms of the two formulas, predict both errors at h = ${tenTo(3)}.`,
      ],
      answer: [
        "Truncation is h²·L‴/6 for central differences and h·L″/2 for forward ones: a step ten ",
        `times smaller divides the first by 100 and the second by 10, giving `,
        `${n(at(2).central / 100, { digits: 2 })} and ${n(at(2).forward / 10, { digits: 2 })}. `,
        `The table measures ${n(at(3).central, { digits: 2 })} and `,
        `${n(at(3).forward, { digits: 2 })}: rounding, `,
        formula`\varepsilon_{\text{mach}} |L|/h = ${{
          value: (Number.EPSILON * Math.abs(net.loss.data)) / 10 ** -3,
          digits: 2,
        }}`,
        ", is still far smaller at this h.",
      ],
    },
    {
      question: [
        `Finite differences step w by ±h (h = ${small(h)}). How close to 0 must the relu's `,
        `input w·x + b be (with x = ${n(KINK.x)}) for the two evaluations to straddle the kink?`,
      ],
      answer: [
        `Stepping w by ±h moves w·x + b by ±x·h = ${n(KINK.x * h)}: closer than that, one `,
        `evaluation is on each side. At w·x + b = ${small(near.offset)} finite differences give `,
        `${n(near.numeric)} where backprop says ${n(near.analytic)}; at ${n(mid.offset)} they `,
        `give ${n(mid.numeric, { digits: 4 })} and agree. gradcheck keeps a margin: at `,
        `${n(mid.offset)} it ${mid.kink ? "still reports a kink" : "reports no kink"}, at `,
        `${n(far.offset)} it ${far.kink ? "still reports a kink" : "does not"}, and the row `,
        `${far.pass ? "passes" : "fails"}.`,
      ],
    },
  );
}

async function run(sink: Sink): Promise<void> {
  const doc = new Doc(sink);
  intro(doc);
  theNetwork(doc);
  const net = smallNet();
  await threeWays(doc, net);
  brokenRule(doc, net);
  stepSize(doc, net);
  reluKink(doc);
  await exercises(doc, net);
}

export default defineLesson(import.meta, {
  number: 5,
  title: "Checking gradients",
  summary: "Symbolic, backprop and finite differences on a small network; a broken backward rule " +
    "caught; how the step h matters; why relu at 0 confuses finite differences.",
  run,
});
