/**
 * How stepgrad's objects look in a notebook and in the console, without Jupyter: the MIME bundles
 * their `Symbol.for("Jupyter.display")` methods return, and `Deno.inspect` of a Value.
 */
import assert from "node:assert/strict";
import {
  Adam,
  displayBundle,
  formatNumber,
  gradcheck,
  JUPYTER_DISPLAY,
  runOptimizer,
  SGD,
  threeWayCheck,
  traceToText,
  Value,
} from "../../mod.ts";
import { lossPoints } from "../../lib/jupyter/display.ts";

function model() {
  const w = new Value(0.5, "w"), b = new Value(0, "b");
  const loss = w.mul(2).add(b).sub(3).pow(2); // (2w + b − 3)²
  return { w, b, loss };
}

Deno.test("console.log and the REPL show a Value in one line, never its internals", () => {
  const { w, b, loss } = model();
  loss.backward();
  assert.equal(Deno.inspect(w), "Value(w = 0.5, grad -8)");
  assert.equal(Deno.inspect({ w, b }), "{ w: Value(w = 0.5, grad -8), b: Value(b = 0, grad -4) }");
  const printed = Deno.inspect([loss, loss.graph()], { depth: 10 });
  assert.doesNotMatch(printed, /_code|_mark|_a|_b/);
  assert.match(printed, /expression graph: \d+ nodes/);
});

Deno.test("a Value displays as a table of label, op, data and grad through the formatter", async () => {
  const { w, loss } = model();
  loss.backward();
  const bundle = (await displayBundle(w))!;
  assert.match(bundle["text/html"], /<td>w<\/td>\n?<td>leaf<\/td>/);
  // −8 with a Unicode minus: the one formatter, not String().
  assert.ok(bundle["text/html"].includes(`<td class="num">${formatNumber(-8)}</td>`));
  assert.match(bundle["text/plain"], /^Value\nlabel +op +data +grad\nw +leaf +0\.5 +−8$/);
  const hostile = new Value(1, "<script>x</script>");
  const html = (await displayBundle(hostile))!["text/html"];
  assert.ok(!html.includes("<script>"), "labels are escaped");
  assert.ok(html.includes("&lt;script&gt;x&lt;/script&gt;"));
});

Deno.test("value.graph() displays as SVG with every node's data and grad", async () => {
  const { loss } = model();
  loss.backward();
  const bundle = (await displayBundle(loss.graph()))!;
  const svg = bundle["image/svg+xml"];
  assert.match(svg, /^<svg/);
  for (const text of ["w", "b", "data 0.5", "grad (?:-|&#45;)8", "grad (?:-|&#45;)4"]) {
    assert.match(svg, new RegExp(`>${text}<`), text);
  }
  assert.doesNotMatch(svg, /<script|href=/);
  assert.equal(bundle["text/plain"], String(loss.graph()));
});

Deno.test("a step trace displays as KaTeX HTML carrying its CSS, and as the text trace", async () => {
  const { w, b, loss } = model();
  loss.backward();
  const trace = new Adam([w, b], { lr: 0.1 }).step();
  const bundle = (await displayBundle(trace))!;
  assert.match(bundle["text/html"], /^<div class="stepgrad-standalone">/);
  assert.match(bundle["text/html"], /class="katex-display"/);
  assert.match(bundle["text/html"], /font-family:KaTeX_Main;[^}]*url\(data:font\/woff2;base64,/);
  assert.equal(bundle["text/plain"], traceToText(trace));
  // The display is invisible to data uses of the trace.
  assert.deepEqual(Object.keys(trace), ["optimizer", "step", "lr", "options", "shared", "params"]);
  assert.deepEqual(JSON.parse(JSON.stringify(trace)), structuredClone({ ...trace }));
  assert.doesNotMatch(Deno.inspect(trace), /Jupyter/);
  assert.equal(typeof (trace as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY], "function");
});

Deno.test("a run displays as its loss curve: the start, then the loss after each step", async () => {
  const { w, b, loss } = model();
  const run = runOptimizer(loss, new SGD([w, b], { lr: 0.05 }), { steps: 5 });
  // (2w + b − 3)² from w = 0.5, b = 0 is 4; every later point is the loss after that step.
  const points = lossPoints(run);
  assert.deepEqual(points[0], [0, 4]);
  assert.deepEqual(points.slice(1), run.steps.map((s) => [s.step, s.lossAfter]));
  for (let i = 1; i < points.length; i++) assert.ok(points[i][1] < points[i - 1][1], "descends");
  const bundle = (await displayBundle(run))!;
  assert.match(bundle["image/svg+xml"], /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(bundle["image/svg+xml"], /<path/);
  assert.equal(
    bundle["text/plain"],
    `SGD, 5 steps: loss 4 → ${formatNumber(run.steps[4].lossAfter!)}`,
  );
});

Deno.test("gradcheck and three-way reports display as tables, one row per parameter", async () => {
  const { w, b, loss } = model();
  const g = (await displayBundle(gradcheck(loss, [w, b])))!;
  assert.equal((g["text/html"].match(/<tr>/g) ?? []).length, 3, "header and two rows");
  assert.match(g["text/html"], /gradcheck: 2 of 2 pass/);
  assert.match(g["text/plain"], /^w +0\.5 +−8 +−8 /m);
  const t = (await displayBundle(threeWayCheck(model().loss)))!;
  assert.match(t["text/html"], /three-way check: 2 of 2 agree/);
  assert.match(t["text/plain"], /^b +0 +−4 +−4 +−4 /m);
  assert.ok(!JSON.stringify([g, t]).includes("_code"));
});
