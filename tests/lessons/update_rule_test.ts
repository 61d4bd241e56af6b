/**
 * Lesson 01's additions checked against independent truth: the rounding noise it prints as 0 is
 * 0 in exact (rational) arithmetic, its picture's paths are the runs' own points, and each
 * exercise's command, run as a learner runs it, prints the answer the lesson states.
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import { renderBlock } from "../../lib/render/terminal.ts";
import lesson01, {
  commandLine,
  EXERCISE_COMMANDS,
  inWindow,
  loss,
  minimum,
  NOISE,
  probe,
  RULES,
  runRule,
  shown,
  slipStop,
  WINDOW,
} from "../../lessons/01-the-update-rule.ts";
import { optimize } from "./exercise_command.ts";

async function blocks() {
  const sink = new Collector();
  await lesson01.run(sink, {});
  return sink.blocks;
}

Deno.test("lesson 01: the slip's tiny gradients are exactly 0 in rational arithmetic", () => {
  // dW = (2/3)(14w + 6b − 34) and db = (2/3)(6w + 3b − 15), with w, b as fractions over 60
  const dW60 = (w: number, b: number) => 14 * w + 6 * b - 34 * 60; // numerators over 60
  const db60 = (w: number, b: number) => 6 * w + 3 * b - 15 * 60;
  // the slip's step 4 is (11/6, 4/3) = (110/60, 80/60); its stop is (37/20, 27/20) = (111/60, 81/60)
  assert.equal(db60(110, 80), 0);
  assert.equal(dW60(111, 81), 0);
  const slip = runRule(RULES["b with dW"], 200);
  assert.ok(Math.abs(slip[4].w - 11 / 6) < 1e-15 && Math.abs(slip[4].b - 4 / 3) < 1e-15);
  for (const g of [slip[4].db, slip[50].dW, slip[200].dW]) {
    assert.ok(g !== 0 && Math.abs(g) < NOISE, `${g} is rounding noise`);
    assert.equal(shown(g), 0);
  }
  // what the lesson does not hide: every other gradient in its tables is far above the threshold
  for (const p of [...slip.slice(0, 4), slip[5], slip[10]]) assert.ok(Math.abs(p.dW) > 1e-4);
  const stop = slipStop();
  assert.ok(Math.abs(stop.w - 37 / 20) < 1e-15 && Math.abs(stop.b - 27 / 20) < 1e-15);
  assert.ok(Math.abs(stop.loss - 0.0175) < 1e-15); // (1/3)·((0.2)² + (−0.05)² + (−0.3)² ·…)
});

Deno.test("lesson 01: no rounding noise reaches the page; the first screen names dW's shape", async () => {
  const text = (await blocks()).map((b) => renderBlock(b)).join("\n");
  assert.doesNotMatch(text, /two numbers for each layer/);
  assert.match(text, /a matrix the shape of W/);
  // the only 10⁻¹⁶ on the page are the ones the text explains: the noise, a few times ε
  const tiny = text.match(/[0-9.]+×10⁻¹[⁵⁶⁷⁸⁹]/g) ?? [];
  assert.deepEqual([...new Set(tiny)], ["5.82867×10⁻¹⁶", "2.22×10⁻¹⁶"]);
  const noise = runRule(RULES["b with dW"], 50)[50].dW;
  assert.ok(noise / Number.EPSILON > 1 && noise / Number.EPSILON < 5, "a few times ε");
  assert.match(text, /the computer keeps 5\.82867×10⁻¹⁶ instead/);
});

Deno.test("lesson 01: the bowl's picture: the loss, the runs' own points, the minimum marked", async () => {
  const best = minimum();
  assert.ok(Math.abs(best.w - 2) < 1e-12 && Math.abs(best.b - 1) < 1e-12); // y = 2x + 1
  for (const [w, b] of [[0.5, 0], [-1, 2.5], [3, -1], [2, 1]]) {
    assert.ok(Math.abs(loss(w, b) - probe(w, b).loss) < 1e-12);
  }
  const contour = (await blocks()).find((b) => b.kind === "contour");
  assert.ok(contour && contour.kind === "contour");
  assert.equal(contour.z[3][7], loss(contour.xs[7], contour.ys[3]));
  const sub = runRule(RULES.subtract, 200).map((p): [number, number] => [p.w, p.b]);
  const subtract = contour.paths.find((p) => p.name.includes("subtracts"))!;
  assert.deepEqual(subtract.points, sub, "subtracting never leaves the picture");
  const add = contour.paths.find((p) => p.name.includes("adds"))!;
  const inside = ([w, b]: [number, number]) =>
    w >= WINDOW.w[0] && w <= WINDOW.w[1] && b >= WINDOW.b[0] && b <= WINDOW.b[1];
  assert.ok(add.points.slice(0, -1).every(inside) && !inside(add.points.at(-1)!));
  assert.deepEqual(inWindow([[0, 0], [9, 9], [0, 0]]), [[0, 0], [9, 9]]);
  const [mark] = contour.marks ?? [];
  assert.deepEqual(mark.point, [best.w, best.b]);
  assert.match(mark.name, /minimum \(2, 1\)/);
});

Deno.test("lesson 01: each exercise's command prints the answer the lesson gives", async () => {
  const exercises = (await blocks()).find((b) => b.kind === "exercises");
  assert.ok(exercises && exercises.kind === "exercises");
  assert.equal(exercises.items.length, 3);
  const flat = (xs: unknown[]) =>
    xs.map((x) => (typeof x === "string" ? x : (x as { text: string }).text)).join("");
  // 1: the second step by hand (w, b) = (1.4, 0.4) → (1.8, 0.58), by hand: dW = (2/3)(−1.2·1 − 1.8·2 − 2.4·3)
  assert.equal(exercises.items[0].command, commandLine(EXERCISE_COMMANDS.secondStep));
  const { json: two } = await optimize(exercises.items[0].command!);
  assert.ok(Math.abs(two.steps[1].grads.w - (2 / 3) * (-1.2 - 3.6 - 7.2)) < 1e-12);
  assert.ok(Math.abs(two.steps[1].params.w - 1.8) < 1e-12);
  assert.ok(Math.abs(two.steps[1].params.b - 0.58) < 1e-12);
  assert.match(flat(exercises.items[0].answer), /w ← 1\.4 − 0\.05 · \(−8\) = 1\.8/);
  assert.match(flat(exercises.items[0].answer), /b ← 0\.4 − 0\.05 · \(−3\.6\) = 0\.58/);
  // 2: the slip's stop, by pencil
  assert.match(flat(exercises.items[1].answer), /w = 1\.85, b = 1\.35, where the loss is 0\.0175/);
  // 3: ten times the loss at a tenth of the rate takes the same first step
  const { json: scaled } = await optimize(exercises.items[2].command!);
  assert.equal(scaled.options.lr, 0.005);
  assert.ok(Math.abs(scaled.steps[0].params.w - 1.4) < 1e-12);
  assert.ok(Math.abs(scaled.steps[0].params.b - 0.4) < 1e-12);
  assert.match(
    flat(exercises.items[2].answer),
    /dW = −180, db = −80\), so α must be 10 times smaller: α = 0\.005/,
  );
  for (const item of exercises.items) {
    for (const line of item.command?.split("\n") ?? []) assert.ok(line.length <= 76, line);
  }
});
