/**
 * Lesson 08: the runs it diagnoses, against values derived by hand, and what the lesson shows
 * against what the diagnose command prints for the same file.
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import lesson08, { cases, gradients } from "../../lessons/08-debugging-your-update.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

Deno.test("lesson 08: the gradients at the start, by hand", () => {
  // errors 0.5x − y at x = 1, 2, 3: −2.5, −4, −5.5; dW = ⅔·(−2.5 − 8 − 16.5), db = ⅔·(−12)
  const g = gradients(0.5, 0);
  assert.ok(Math.abs(g.dW - -18) < 1e-14);
  assert.ok(Math.abs(g.db - -8) < 1e-14);
});

Deno.test("lesson 08: the right loop is SGD with lr 0.05, the three slips are caught where they happen", () => {
  const [right, bias, zeroed, adam] = cases();
  assert.equal(right.diagnosis.match, "SGD");
  assert.equal(right.diagnosis.options.lr, 0.05);
  assert.equal(right.diagnosis.kind, "optimizer");
  // b ← 0 − 0.05·dW = 0 − 0.05·(−18) = 0.9, where SGD gives 0 − 0.05·(−8) = 0.4
  assert.equal(bias.diagnosis.match, "bias-updated-with-dw");
  const fb = bias.diagnosis.firstDeparture!;
  assert.deepEqual([fb.step, fb.param], [1, "b"]);
  assert.ok(Math.abs(fb.expected - 0.4) < 1e-15 && Math.abs(fb.observed - 0.9) < 1e-15);
  // step 2 from (1.4, 0.4): dW = −8, so SGD gives 1.4 + 0.4 = 1.8; the sum −18 − 8 gives 2.7
  assert.equal(zeroed.diagnosis.match, "grads-not-zeroed");
  const fz = zeroed.diagnosis.firstDeparture!;
  assert.deepEqual([fz.step, fz.param], [2, "w"]);
  assert.ok(Math.abs(fz.expected - 1.8) < 1e-14 && Math.abs(fz.observed - 2.7) < 1e-14);
  // Adam's first step is lr·sign, nearly: 0.5 + 0.1·18/(18 + 10⁻⁸). Multiplied: m̂ = −1.8·0.1, v̂ = 0.324·0.001, so
  // w = 0.5 + 0.1·0.18/(0.018 + 10⁻⁸).
  assert.equal(adam.diagnosis.match, "adam-bias-correction-multiplied");
  const fa = adam.diagnosis.firstDeparture!;
  assert.deepEqual([fa.step, fa.param], [1, "w"]);
  assert.ok(Math.abs(fa.expected - (0.5 + 0.1 * 18 / (18 + 1e-8))) < 1e-15);
  assert.ok(Math.abs(fa.observed - (0.5 + 0.1 * 0.18 / (0.018 + 1e-8))) < 1e-12);
});

Deno.test("lesson 08 runs to the end; its verdicts are what the command prints", async () => {
  const sink = new Collector();
  await lesson08.run(sink);
  const titles = sink.blocks.filter((b) => b.kind === "heading").map((b) => b.title);
  assert.deepEqual(titles, [
    "A loop written right",
    "Caught: bias-updated-with-dw",
    "Caught: grads-not-zeroed",
    "Caught: adam-bias-correction-multiplied",
    "What the three runs did to training",
  ]);
  assert.equal(sink.blocks.filter((b) => b.kind === "trace").length, 6);
  // The first verdict the lesson shows is the command's own output for the same run.
  const [, bias] = cases();
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/run.json`;
    const r = bias.run;
    const json = {
      lr: r.known.lr,
      start: { w: r.start[0], b: r.start[1] },
      steps: r.steps.map((s) => ({
        grads: { w: s.grads[0], b: s.grads[1] },
        params: { w: s.params[0], b: s.params[1] },
      })),
    };
    await Deno.writeTextFile(file, JSON.stringify(json));
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MOD, "diagnose", file],
      stdout: "piped",
    }).output();
    assert.equal(out.code, 1);
    const printed = new TextDecoder().decode(out.stdout);
    const shown = sink.blocks.filter((b) => b.kind === "code").map((b) =>
      (b as { text: string }).text
    )
      .find((t) => t.includes("bias-updated-with-dw"))!;
    const verdict = shown.split("\n").slice(1).join("\n");
    assert.ok(printed.startsWith(verdict), "the lesson shows the start of what diagnose prints");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
