/**
 * Lessons 07–09's exercises: the commands they print run and say what the answers say, and each
 * answer's number agrees with an independent computation.
 */
import assert from "node:assert/strict";
import { Collector, type Exercise } from "../../mod.ts";
import lesson07, { commandLine, EXERCISES } from "../../lessons/07-checking-your-derivation.ts";
import lesson08, {
  gradients,
  LR,
  sgdMomentumOne,
  START,
  STEPS,
} from "../../lessons/08-debugging-your-update.ts";
import { optimize } from "./exercise_command.ts";
import lesson09, { gradShape } from "../../lessons/09-from-numbers-to-matrices.ts";

const ROOT = new URL("../../", import.meta.url);

/** Runs `stepgrad` as a learner would (the args after `deno task stepgrad`). */
async function stepgrad(args: string[]): Promise<{ code: number; out: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("mod.ts", ROOT).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: out.code, out: new TextDecoder().decode(out.stdout) };
}

/** A shell line's words, as sh would split them (double quotes only, as the lessons write). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

async function exercisesOf(lesson: { run: (s: Collector) => unknown }): Promise<Exercise[]> {
  const sink = new Collector();
  await lesson.run(sink);
  const block = sink.blocks.at(-1)!;
  assert.equal(block.kind, "exercises", "a lesson ends with its exercises");
  return block.kind === "exercises" ? block.items : [];
}

const plain = (e: Exercise) => e.answer.map((c) => (typeof c === "string" ? c : c.text)).join("");

Deno.test("lesson 07: each exercise's command runs and gives the verdict its answer states", async () => {
  const items = await exercisesOf(lesson07);
  assert.equal(items.length, 3);
  const [db, softplus, sigmoid] = items;
  // 1: the learner's answer in place of YOUR ANSWER.
  const line = db.command!.replace("YOUR ANSWER", "2*(w*x + b - y)");
  assert.equal(line, commandLine(EXERCISES[0]));
  const one = await stepgrad(words(line).slice(3));
  assert.equal(one.code, 0);
  assert.match(one.out, /your claim gives −4, the derivative is −4/);
  assert.match(plain(db), /right \(symbolic\); at w = 0\.5, x = 2, b = 0, y = 3 it is −4\./);
  // by hand: 2(w·x + b − y) at the point = 2·(1 + 0 − 3) = −4
  assert.equal(2 * (0.5 * 2 + 0 - 3), -4);
  const two = await stepgrad(words(softplus.command!).slice(3));
  assert.equal(two.code, 0);
  const three = await stepgrad(words(sigmoid.command!).slice(3));
  assert.equal(three.code, 1);
  assert.match(three.out, /missing inner factor/);
  // the counterexample the answer quotes: σ(wx)(1 − σ(wx)) against it times x
  const m = /w = ([\d.−-]+), x = ([\d.−-]+), where the claim gives ([\d.−-]+)/.exec(plain(sigmoid));
  assert.ok(m, plain(sigmoid));
  const [w, x] = [m[1], m[2]].map((s) => Number(s.replace("−", "-")));
  const s = 1 / (1 + Math.exp(-w * x));
  assert.ok(Math.abs(s * (1 - s) - Number(m[3].replace("−", "-"))) < 1e-6);
});

Deno.test("lesson 08: the rate recovered by hand, and unzeroed gradients are SGD with μ = 1", async () => {
  const items = await exercisesOf(lesson08);
  assert.equal(items.length, 3);
  // A hand-written loop that never zeroes its gradients, in the test's own arithmetic.
  let [w, b]: number[] = [START.w, START.b];
  let [sw, sb] = [0, 0];
  const sgd = sgdMomentumOne(LR);
  for (let t = 0; t < STEPS; t++) {
    const g = gradients(w, b);
    sw += g.dW;
    sb += g.db;
    [w, b] = [w - LR * sw, b - LR * sb];
    assert.deepEqual(sgd[t], [w, b]);
  }
  // 1: w₁ = w₀ − α·dW with dW = −18 at the start (mean of 2(wx + b − y)x over the three points)
  const g0 = gradients(START.w, START.b);
  assert.equal(g0.dW, (2 / 3) * ((0.5 - 3) * 1 + (1 - 5) * 2 + (1.5 - 7) * 3));
  assert.match(plain(items[0]), /= 0\.05, as diagnose recovered \(0\.05\)/);
  // 2: b should be 0 − 0.05·db = 0.4; the slip gives 0 − 0.05·dW = 0.9
  assert.match(plain(items[1]), /b should be 0 − 0\.05·\(−8\) = 0\.4; .* = 0\.9\./);
  // 3: the printed command, pasted into a shell, runs SGD with μ = 1 to the unzeroed loop's
  // parameters (the test's own loop above), and the answer quotes them as it prints them.
  assert.ok(items[2].command, "exercise 3 prints a command");
  const run = await optimize(items[2].command!);
  assert.equal(run.code, 0);
  // (the command parses the loss text, so it may round differently in the last bits)
  const end = run.json.steps.at(-1).params;
  assert.ok(Math.abs(end.w - w) < 1e-12 && Math.abs(end.b - b) < 1e-12, JSON.stringify(end));
  const printed = await stepgrad(
    words(items[2].command!.replace(/ \\\n\s*/g, " ").split("\n").at(-1)!).slice(1).map((a) =>
      a === "$L" ? /^L='(.*)'$/.exec(items[2].command!.split("\n")[0])![1] : a
    ),
  );
  const last = /after 6 steps: w = ([\d.]+), b = ([\d.]+)/.exec(printed.out);
  assert.ok(last, printed.out);
  assert.match(
    plain(items[2]),
    new RegExp(`w = ${last[1]}, b = ${last[2]}, as the command prints`),
  );
});

Deno.test("lesson 09: shapes, dW₂[1,0] by the scalar chain rule, and check-layer on db1", async () => {
  assert.equal(gradShape(4, 3), "4×3");
  assert.equal(gradShape(1, 16), "1×16");
  const items = await exercisesOf(lesson09);
  assert.equal(items.length, 3);
  // ∂E/∂w7 by lesson 03's scalar chain rule, from Mazur's published weights (the post's w1…w8,
  // b1, b2, inputs and targets; the test's own forward pass)
  const w = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55], b = [0.35, 0.6];
  const x = [0.05, 0.1], t = [0.01, 0.99];
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const h1 = sig(w[0] * x[0] + w[1] * x[1] + b[0]);
  const h2 = sig(w[2] * x[0] + w[3] * x[1] + b[0]);
  const o2 = sig(w[6] * h1 + w[7] * h2 + b[1]);
  const dw7 = (o2 - t[1]) * o2 * (1 - o2) * h1;
  const stated = /= (−?[\d.]+): the gradient of w₇/.exec(plain(items[1]));
  assert.ok(stated, plain(items[1]));
  assert.ok(Math.abs(Number(stated[1].replace("−", "-")) - dw7) < 1e-6);
  const right = await stepgrad(words(items[2].command!).slice(1));
  assert.equal(right.code, 0);
  const slip = await stepgrad(["check-layer", "--of", "db1", "--claim", "delta1 @ x.T"]);
  assert.equal(slip.code, 1);
  assert.match(plain(items[2]), /check-layer says right; for delta1 @ x\.T it says wrong/);
});
