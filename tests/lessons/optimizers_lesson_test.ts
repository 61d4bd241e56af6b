/** Lesson 04: the race on Rosenbrock's valley, checked by hand where a hand can follow it. */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import { renderBlock } from "../../lib/render/terminal.ts";
import { seededRandom } from "../../mod.ts";
import lesson, {
  arrival,
  CONTESTANTS,
  f,
  path,
  race,
  rosenbrock,
  START,
} from "../../lessons/04-the-optimizers.ts";

Deno.test("lesson 04: the graph is Rosenbrock's function, and its gradient at the start", () => {
  const rng = seededRandom(4);
  for (let i = 0; i < 20; i++) {
    const x = rng.uniform(-2, 2), y = rng.uniform(-1, 3);
    const g = rosenbrock(x, y);
    assert.ok(Math.abs(g.loss.data - f(x, y)) <= 1e-12 * Math.max(1, f(x, y)));
    g.loss.backward();
    // ∂f/∂x = −2(1 − x) − 400x(y − x²), ∂f/∂y = 200(y − x²)
    assert.ok(Math.abs(g.x.grad - (-2 * (1 - x) - 400 * x * (y - x * x))) < 1e-9);
    assert.ok(Math.abs(g.y.grad - 200 * (y - x * x)) < 1e-9);
  }
  const s = rosenbrock(START[0], START[1]);
  s.loss.backward();
  assert.ok(Math.abs(s.x.grad - -215.6) < 1e-12 && Math.abs(s.y.grad - -88) < 1e-12);
});

Deno.test("lesson 04: one SGD step from (−1.2, 1) with lr 0.001 lands on (−0.9844, 1.088)", () => {
  const run = race(CONTESTANTS[0], 1);
  assert.ok(Math.abs(run.steps[0].params[0].after - -0.9844) < 1e-15);
  assert.ok(Math.abs(run.steps[0].params[1].after - 1.088) < 1e-15);
});

Deno.test("lesson 04: momentum arrives where plain SGD crawls; paths start and end right", () => {
  const plain = race(CONTESTANTS[0]);
  const momentum = race(CONTESTANTS[1]);
  assert.equal(arrival(plain), undefined);
  const at = arrival(momentum);
  assert.ok(at !== undefined && at < 3000);
  assert.ok(momentum.steps[at - 1].lossAfter! < 1e-3);
  assert.ok(momentum.steps[at - 2].lossAfter! >= 1e-3, "the first step below the tolerance");
  const p = path(momentum);
  assert.deepEqual(p[0], [START[0], START[1]]);
  const last = momentum.steps.at(-1)!;
  assert.deepEqual(p.at(-1), [last.params[0].after, last.params[1].after]);
  for (const c of CONTESTANTS) assert.equal(race(c, 50).divergence, undefined, c.name);
});

Deno.test("lesson 04: the document has a trace per optimizer and a contour with every path", async () => {
  const sink = new Collector();
  await lesson.run(sink);
  const traces = sink.blocks.filter((b) => b.kind === "trace");
  assert.equal(traces.length, CONTESTANTS.length);
  const contour = sink.blocks.find((b) => b.kind === "contour");
  assert.ok(contour && contour.kind === "contour");
  assert.equal(contour.paths.length, CONTESTANTS.length);
  assert.equal(contour.z[0][0], f(contour.xs[0], contour.ys[0]));
  const text = sink.blocks.map((b) => renderBlock(b)).join("\n");
  assert.ok(text.includes("x     ← x − α·∂L/∂x = −1.2 − 0.001 · (−215.6) = −0.9844"));
  // At 80 columns Adam's first moment breaks after its rule and its numbers, aligned on the =.
  assert.match(
    text,
    /\n( *)mₜ( +)= β₁·mₜ₋₁ \+ \(1 − β₁\)·∂L\/∂x\n\1 {2}\2= 0\.9 · 0 \+ \(1 − 0\.9\) · \(−215\.6\)\n\1 {2}\2= −21\.56\n/,
    "Adam's first moment after step 1: 0.1 · (−215.6)",
  );
});
