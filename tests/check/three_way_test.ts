import assert from "node:assert/strict";
import {
  MLP,
  mse,
  threeWayCheck,
  threeWayJson,
  threeWayTex,
  threeWayText,
  Value,
} from "../../mod.ts";

Deno.test("an MLP: symbolic, backprop and finite differences agree for every parameter", () => {
  const model = new MLP(2, [4, 4, 1], { activation: "tanh", seed: 5 });
  const loss = mse([model.forwardScalar([0.3, -0.8])], [0.5]);
  const report = threeWayCheck(loss, model.parameters());
  assert.equal(report.rows.length, model.parameters().length);
  assert.ok(report.ok, threeWayText(report));
  for (const r of report.rows) {
    assert.ok(Math.abs(r.symbolic - r.backprop) <= 1e-10 * Math.max(1, Math.abs(r.backprop)));
    assert.ok(Math.abs(r.numeric - r.backprop) <= 1e-5 + 1e-3 * Math.abs(r.backprop));
    assert.equal(r.verdict, "all three agree");
  }
});

Deno.test("a kink: the verdict says finite differences average the two slopes", () => {
  const w = new Value(0, "w"), x = new Value(2, "x");
  const report = threeWayCheck(w.mul(x).relu(), [w]);
  const [row] = report.rows;
  assert.equal(row.kink, true);
  assert.equal(row.backprop, 0); // relu'(0) = 0
  assert.equal(row.symbolic, 0);
  assert.ok(Math.abs(row.numeric - 1) < 1e-9); // (2h − 0) / 2h: the average of 0 and 2
  assert.equal(row.pass, true);
  assert.match(row.verdict, /sits at a kink: finite differences average the two slopes \(1\)/);
  assert.match(threeWayText(report), /\nw +0 +0 +0 +1 +0 +1 +kink\n/);
});

Deno.test("a wrong backward pass is caught by both other columns", () => {
  const w = new Value(0.3, "w"), x = new Value(-1.2, "x");
  const y = w.mul(x).tanh();
  const right = 1 - Math.tanh(-0.36) ** 2;
  // a hand-written backward pass that forgot the inner factor x
  const report = threeWayCheck(y, [w, x], { gradients: [right, right * 0.3] });
  const [rw, rx] = report.rows;
  assert.equal(rw.pass, false);
  assert.match(
    rw.verdict,
    /backprop \(0\.88\d*\) disagrees with the symbolic derivative \(−1\.0\d*\) and with finite differences \(−1\.0\d*\): the backward pass is wrong/,
  );
  assert.ok(Math.abs(rw.symbolic - right * -1.2) < 1e-12);
  assert.ok(Math.abs(rw.numeric - right * -1.2) < 1e-6);
  assert.equal(rx.pass, true);
  assert.equal(report.ok, false);
  // a leaf outside the graph has gradient 0 in every column
  const other = new Value(1, "other");
  const r2 = threeWayCheck(y, [w, other]);
  assert.equal(r2.rows[1].backprop, 0);
  assert.equal(r2.rows[1].symbolic, 0);
  assert.equal(r2.rows[1].pass, true);
});

Deno.test("finite differences that leave the domain are explained, not passed", () => {
  const x = new Value(1e-8, "x");
  const report = threeWayCheck(x.log(), [x]);
  assert.equal(report.rows[0].pass, false);
  assert.match(report.rows[0].verdict, /left the domain/);
  assert.match(threeWayText(report), /1 of 1 parameters fail/);
});

Deno.test("text, LaTeX and JSON are deterministic and consistent", () => {
  const build = () => {
    const model = new MLP(2, [3, 1], { seed: 11 });
    return threeWayCheck(mse([model.forwardScalar([1, 2])], [0]));
  };
  const a = build(), b = build();
  assert.equal(threeWayText(a), threeWayText(b));
  assert.equal(threeWayTex(a), threeWayTex(b));
  assert.equal(threeWayJson(a), threeWayJson(b));
  const lines = threeWayText(a).split("\n");
  assert.equal(lines.length, 1 + a.rows.length + 1);
  // aligned: the right edge of every numeric column is at the same place on every line
  const header = lines[0];
  for (const column of ["value", "symbolic", "backprop", "finite diff."]) {
    const end = header.indexOf(column) + column.length;
    for (const line of lines.slice(1, -1)) {
      assert.notEqual(line[end - 1], " ", `${column} in ${line}`);
      assert.equal(line[end], " ", `${column} in ${line}`);
    }
  }
  const json = JSON.parse(threeWayJson(a));
  assert.equal(json.rows.length, a.rows.length);
  assert.equal(json.rows[0].backprop, a.rows[0].backprop);
  assert.equal(threeWayTex(a).split("\\\\").length, a.rows.length + 1);
});

Deno.test("non-finite values are JSON-safe", () => {
  const x = new Value(0, "x");
  const report = threeWayCheck(x.sqrt(), [x]); // sqrt'(0) = ∞
  const json = JSON.parse(threeWayJson(report));
  assert.equal(json.rows[0].backprop, "Infinity");
  assert.equal(json.rows[0].pass, false);
});
