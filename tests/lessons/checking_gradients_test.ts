/** Lesson 05: its checks and its exercises, against hand-derived values and the real command. */
import assert from "node:assert/strict";
import { Collector, formatNumber, gradcheck } from "../../mod.ts";
import lesson05, {
  EXAMPLE,
  handBackward,
  KINK,
  kinkEdge,
  reluAtKink,
  smallNet,
  START,
  stepErrors,
  TANH_CLAIMS,
} from "../../lessons/05-checking-gradients.ts";

const ROOT = new URL("../../", import.meta.url);

/** The network's forward pass written out with plain numbers (an independent derivation). */
function byHand() {
  const { w1, w2, w3, w4, b1, b2, w5, w6, b3 } = START;
  const { x1, x2, y } = EXAMPLE;
  const a1 = Math.tanh(w1 * x1 + w2 * x2 + b1);
  const a2 = 1 / (1 + Math.exp(-(w3 * x1 + w4 * x2 + b2)));
  const yhat = w5 * a1 + w6 * a2 + b3;
  return { a1, a2, yhat, w5, x1, dyhat: 2 * (yhat - y) };
}

async function lessonBlocks() {
  const sink = new Collector();
  await lesson05.run(sink);
  return sink.blocks;
}

Deno.test("lesson 05: the network's nodes are named as the course writes them (a, ŷ; w, b)", () => {
  const net = smallNet();
  assert.deepEqual(Object.keys(net.node), ["z1", "a1", "z2", "a2", "ŷ", "L"]);
  assert.deepEqual(net.params.map((p) => p.label), [
    "w1",
    "w2",
    "w3",
    "w4",
    "b1",
    "b2",
    "w5",
    "w6",
    "b3",
  ]);
  const h = byHand();
  assert.ok(Math.abs(net.node["ŷ"].data - h.yhat) < 1e-15);
  assert.ok(Math.abs(net.loss.data - (h.yhat - EXAMPLE.y) ** 2) < 1e-15);
});

Deno.test("lesson 05: the correct hand-written backward pass equals backprop", () => {
  const net = smallNet();
  for (const p of net.params) p.grad = 0;
  net.loss.backward();
  const hand = handBackward(net);
  net.params.forEach((p, i) => assert.ok(Math.abs(hand[i] - p.grad) < 1e-15, p.label));
  // and ∂L/∂b3 by hand: 2(ŷ − y)
  assert.equal(hand[8], 2 * (net.node["ŷ"].data - EXAMPLE.y));
});

Deno.test("lesson 05: the chain rule shown is the library's, with the hand-derived value", async () => {
  const blocks = await lessonBlocks();
  const chain = blocks.find((b) => b.kind === "math" && b.lines[0].text.startsWith("∂L/∂w1 ="));
  assert.ok(chain && chain.kind === "math");
  const h = byHand();
  const dw1 = h.dyhat * h.w5 * (1 - h.a1 * h.a1) * h.x1; // ∂L/∂ŷ · ∂ŷ/∂a1 · ∂a1/∂z1 · ∂z1/∂w1
  const [first, values] = chain.lines[0].text.split("\n");
  assert.equal(first, "∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂a1 · ∂a1/∂z1 · ∂z1/∂w1");
  assert.ok(values.trim().endsWith(`= ${formatNumber(dw1)}`), values);
  assert.match(chain.lines[0].tex, /\\hat\{y\}/, "ŷ typeset as \\hat{y}");
  assert.doesNotMatch(chain.lines[0].tex + chain.lines[0].text, /yhat|U\+/);
});

Deno.test("lesson 05: the broken tanh rule is caught on exactly w1, w2, b1", () => {
  const net = smallNet();
  const report = gradcheck(net.loss, net.params, { gradients: handBackward(net, "tanh") });
  assert.deepEqual(report.rows.filter((r) => !r.pass).map((r) => r.label), ["w1", "w2", "b1"]);
  // the wrong factor (1 − a1) against the right one (1 − a1²): their ratio is 1 + a1
  const a1 = byHand().a1;
  const w1 = report.rows[0];
  assert.ok(Math.abs(w1.analytic / w1.numeric - 1 / (1 + a1)) < 1e-8);
});

Deno.test("lesson 05, exercise 2: σ′ without 1 − a2 fails exactly w3, w4, b2, each 1/(1 − a2) too large", async () => {
  const net = smallNet();
  const report = gradcheck(net.loss, net.params, { gradients: handBackward(net, "sigmoid") });
  const failed = report.rows.filter((r) => !r.pass);
  assert.deepEqual(failed.map((r) => r.label), ["w3", "w4", "b2"]);
  const ratio = 1 / (1 - byHand().a2); // a2 = σ(−0.05) by hand
  for (const r of failed) assert.ok(Math.abs(r.analytic / r.numeric - ratio) < 1e-8, r.label);
  const answers = (await lessonBlocks()).find((b) => b.kind === "exercises");
  assert.ok(answers && answers.kind === "exercises");
  const text = answers.items[1].answer.join("");
  assert.ok(text.startsWith("w₃, w₄, b₂:"), text);
  assert.ok(text.includes(`1/(1 − a₂) = ${formatNumber(ratio)}`), text);
});

Deno.test("lesson 05: central differences beat forward ones, and tiny h loses to rounding", () => {
  const e = stepErrors();
  const at = (k: number) => e.find((r) => r.k === k)!;
  // truncation: central error ∝ h², forward ∝ h (from 10⁻² to 10⁻³), as exercise 3 predicts
  assert.ok(Math.abs(at(2).central / at(3).central - 100) < 5);
  assert.ok(Math.abs(at(2).forward / at(3).forward - 10) < 1);
  assert.ok(at(5).central < 1e-10);
  assert.ok(at(13).central > 1e-6, "rounding dominates at h = 10⁻¹³");
});

Deno.test("lesson 05: relu at 0, the slopes 0 and x averaged; near 0, a kink too", () => {
  const k = reluAtKink();
  const r = gradcheck(k.loss, [k.w]);
  assert.equal(r.rows[0].analytic, 0);
  assert.ok(Math.abs(r.rows[0].numeric - KINK.x / 2) < 1e-9, "(0 + x) / 2");
  assert.ok(r.rows[0].kink);
  const near = reluAtKink(1e-8);
  const n = gradcheck(near.loss, [near.w]);
  assert.equal(n.rows[0].analytic, KINK.x);
  assert.ok(n.rows[0].kink && !n.rows[0].pass);
});

Deno.test("lesson 05, exercise 4: straddling the kink within x·h, gradcheck's margin beyond it", () => {
  const h = 1e-6, x = KINK.x;
  const [near, mid, far] = kinkEdge();
  // At d = x·h/2 the evaluations are relu(d ± x·h) = d + x·h and 0: the estimate is (d + x·h)/2h.
  assert.ok(Math.abs(near.offset - (x * h) / 2) < 1e-20);
  assert.ok(Math.abs(near.numeric - (near.offset + x * h) / (2 * h)) < 1e-6);
  assert.equal(near.analytic, x);
  // Beyond x·h both evaluations are on the line: the estimate is the slope x.
  assert.ok(Math.abs(mid.numeric - x) < 1e-6 && Math.abs(far.numeric - x) < 1e-6);
  assert.deepEqual([near.kink, mid.kink, far.kink], [true, true, false]);
  assert.ok(far.pass);
});

async function stepgrad(args: string[]): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "mod.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, out: new TextDecoder().decode(r.stdout) };
}

/** The words of a shell command, with double-quoted arguments kept whole. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

Deno.test("lesson 05, exercise 1: the command printed runs and says what the answer says", async () => {
  const ex = (await lessonBlocks()).find((b) => b.kind === "exercises");
  assert.ok(ex && ex.kind === "exercises");
  const command = ex.items[0].command!;
  const args = words(command);
  assert.deepEqual(args.slice(0, 3), ["deno", "task", "stepgrad"]);
  const wrong = await stepgrad(args.slice(3));
  assert.equal(wrong.code, 1, wrong.out);
  const answer = ex.items[0].answer.join("");
  // The counterexample the answer quotes is the one the command prints.
  const m = /at z = (\S+) it gives (\S+) where the derivative is (\S+)\./.exec(answer);
  assert.ok(m, answer);
  assert.ok(
    wrong.out.includes(`at z = ${m[1]}: your claim gives ${m[2]}, the derivative is ${m[3]}`),
    wrong.out,
  );
  // and by hand: at z = −1, 1 − tanh(−1) and 1 − tanh²(−1)
  assert.equal(m[2], formatNumber(1 - Math.tanh(-1)));
  assert.equal(m[3], formatNumber(1 - Math.tanh(-1) ** 2));
  const fixed = await stepgrad([...args.slice(3, -1), TANH_CLAIMS.right]);
  assert.equal(fixed.code, 0, fixed.out);
  assert.match(fixed.out, /^right/);
});

Deno.test("lesson 05 runs to the end and shows every part, exercises last", async () => {
  const blocks = await lessonBlocks();
  const titles = blocks.filter((b) => b.kind === "heading").map((b) => b.title);
  assert.deepEqual(titles, [
    "A small network",
    "Three ways, side by side",
    "A broken backward rule, caught",
    "How the step h matters",
    "Why relu at 0 confuses finite differences",
  ]);
  const last = blocks.at(-1)!;
  assert.ok(last.kind === "exercises" && last.items.length === 4);
});
