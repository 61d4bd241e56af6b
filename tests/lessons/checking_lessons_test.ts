/** Lessons 05 and 07: the checks they show, against hand-derived values and the real command. */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import { fitText, verifyGradient, verifyText } from "../../mod.ts";
import { gradcheck } from "../../lib/check/gradcheck.ts";
import lesson05, {
  EXAMPLE,
  handBackward,
  reluAtKink,
  smallNet,
  stepErrors,
} from "../../lessons/05-checking-gradients.ts";
import lesson07, { type Claim, CLAIMS } from "../../lessons/07-checking-your-derivation.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("lesson 05: the correct hand-written backward pass equals backprop", () => {
  const net = smallNet();
  for (const p of net.params) p.grad = 0;
  net.loss.backward();
  const hand = handBackward(net, false);
  net.params.forEach((p, i) => assert.ok(Math.abs(hand[i] - p.grad) < 1e-15, p.label));
  // and ∂L/∂c by hand: 2(ŷ − y)
  assert.equal(hand[8], 2 * (net.node.yhat.data - EXAMPLE.y));
});

Deno.test("lesson 05: the broken tanh rule is caught on exactly w1, w2, b1", () => {
  const net = smallNet();
  const report = gradcheck(net.loss, net.params, { gradients: handBackward(net, true) });
  assert.deepEqual(report.rows.filter((r) => !r.pass).map((r) => r.label), ["w1", "w2", "b1"]);
  // the wrong factor (1 − h1) against the right one (1 − h1²): their ratio is 1 + h1
  const h1 = net.node.h1.data;
  const w1 = report.rows[0];
  assert.ok(Math.abs(w1.analytic / w1.numeric - 1 / (1 + h1)) < 1e-8);
});

Deno.test("lesson 05: central differences beat forward ones, and tiny h loses to rounding", () => {
  const e = stepErrors();
  const at = (k: number) => e.find((r) => r.k === k)!;
  // truncation: central error ∝ h², forward ∝ h (from 10⁻² to 10⁻³)
  assert.ok(Math.abs(at(2).central / at(3).central - 100) < 5);
  assert.ok(Math.abs(at(2).forward / at(3).forward - 10) < 1);
  assert.ok(at(5).central < 1e-10);
  assert.ok(at(13).central > 1e-6, "rounding dominates at h = 10⁻¹³");
});

Deno.test("lesson 05: relu at 0, the slopes 0 and x averaged; near 0, a kink too", () => {
  const k = reluAtKink();
  const r = gradcheck(k.loss, [k.w]);
  assert.equal(r.rows[0].analytic, 0);
  assert.ok(Math.abs(r.rows[0].numeric - 1) < 1e-9, "(0 + 2) / 2");
  assert.ok(r.rows[0].kink);
  const near = reluAtKink(1e-8);
  const n = gradcheck(near.loss, [near.w]);
  assert.equal(n.rows[0].analytic, 2);
  assert.ok(n.rows[0].kink && !n.rows[0].pass);
});

Deno.test("lesson 05 runs to the end and shows every part", async () => {
  const sink = new Collector();
  await lesson05.run(sink);
  const titles = sink.blocks.filter((b) => b.kind === "heading").map((b) => b.title);
  assert.deepEqual(titles, [
    "A small network",
    "Three ways, side by side",
    "A broken backward rule, caught",
    "How the step h matters",
    "Why relu at 0 confuses finite differences",
  ]);
});

function argsOf(c: Claim): string[] {
  const args = ["check", c.expr, "--wrt", c.wrt, "--claim", c.claim];
  for (const [name, e] of Object.entries(c.where ?? {})) args.push("--where", `${name}=${e}`);
  if (c.at) args.push("--at", Object.entries(c.at).map(([k, v]) => `${k}=${v}`).join(","));
  return args;
}

Deno.test("lesson 07 shows exactly what the check command prints, with its exit status", async () => {
  const sink = new Collector();
  await lesson07.run(sink);
  const outputs = sink.blocks.filter((b) => b.kind === "code" && b.text.startsWith("$ "))
    .map((b) => (b.kind === "code" ? b.text.split("\n").slice(1).join("\n") : ""));
  assert.equal(outputs.length, CLAIMS.length + 1);
  // a sample: right, wrong variable, sign, relu on one side, and the typo
  for (const i of [0, 1, 5, 9]) {
    const c = CLAIMS[i];
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "mod.ts", ...argsOf(c)],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout).trimEnd();
    // The command prints the checker's text fitted to 80 columns (a pipe); the lesson shows the
    // same text fitted inside its code block's indent of four.
    const r = await verifyGradient(c);
    const said = verifyText(r, c.expr, c.wrt);
    assert.equal(text, fitText(said, 80).trimEnd(), `claim ${i}: ${c.claim}`);
    assert.equal(fitText(said, 76), outputs[i], `claim ${i}: ${c.claim}`);
    assert.equal(out.code, outputs[i].startsWith("right") ? 0 : 1, `exit status of claim ${i}`);
  }
  const typo = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "mod.ts",
      "check",
      "(w*x + b - y)^2",
      "--wrt",
      "w",
      "--claim",
      "2*(w*x + b - y*x",
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(typo.code, 2);
  assert.equal(new TextDecoder().decode(typo.stderr).trimEnd(), outputs.at(-1));
});

Deno.test("lesson 07: the verdicts are the ones the story needs", async () => {
  const { verifyGradient } = await import("../../lib/symbolic/verify.ts");
  const verdicts = [];
  for (const c of CLAIMS) {
    verdicts.push(
      (await verifyGradient({ expr: c.expr, wrt: c.wrt, claim: c.claim, where: c.where })).correct,
    );
  }
  assert.deepEqual(verdicts, [
    true,
    false,
    false,
    false,
    true,
    false,
    false,
    true,
    true,
    false,
    true,
  ]);
});
