// The classic 2-2-2 worked example (Mazur, 2015; /work/shared/reference/worked-example.md): the
// chain-rule factors for w5 and w1 must match the published figures to the published digits.
import assert from "node:assert/strict";
import { chainRule, chainRuleTex, chainRuleText, threeWayCheck, toText, Value } from "../../mod.ts";
import { renderTex } from "../../lib/render/katex.ts";

function mazur() {
  const named = (v: Value, label: string) => {
    v.label = label;
    return v;
  };
  const i1 = new Value(0.05, "i1"), i2 = new Value(0.10, "i2");
  const [w1, w2, w3, w4, w5, w6, w7, w8] = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
    .map((x, k) => new Value(x, `w${k + 1}`));
  const b1 = new Value(0.35, "b1"), b2 = new Value(0.60, "b2");
  const netH1 = named(w1.mul(i1).add(w2.mul(i2)).add(b1), "net_h1");
  const netH2 = named(w3.mul(i1).add(w4.mul(i2)).add(b1), "net_h2");
  const outH1 = named(netH1.sigmoid(), "out_h1");
  const outH2 = named(netH2.sigmoid(), "out_h2");
  const netO1 = named(w5.mul(outH1).add(w6.mul(outH2)).add(b2), "net_o1");
  const netO2 = named(w7.mul(outH1).add(w8.mul(outH2)).add(b2), "net_o2");
  const outO1 = named(netO1.sigmoid(), "out_o1");
  const outO2 = named(netO2.sigmoid(), "out_o2");
  // E_total = ½(t1 − out_o1)² + ½(t2 − out_o2)², targets as constants
  const E = named(
    new Value(0.01).sub(outO1).pow(2).mul(0.5).add(new Value(0.99).sub(outO2).pow(2).mul(0.5)),
    "E_total",
  );
  return { E, w1, w5, netH1, outH1, netO1, outO1, weights: [w1, w2, w3, w4, w5, w6, w7, w8] };
}

/** The value rounded to as many decimals as the published figure has, with a one-unit slack. */
function matchesPublished(value: number, published: string, what: string, slack = 0): void {
  const decimals = published.split(".")[1].length;
  const unit = 10 ** -decimals;
  assert.ok(
    Math.abs(value - Number(published)) <= unit * (0.5 + slack) + 1e-15,
    `${what}: computed ${value}, published ${published}`,
  );
}

Deno.test("2-2-2 worked example: forward values match the published figures", () => {
  const { E, netH1, outH1, netO1, outO1 } = mazur();
  matchesPublished(netH1.data, "0.3775", "net_h1");
  matchesPublished(outH1.data, "0.593269992", "out_h1");
  matchesPublished(netO1.data, "1.105905967", "net_o1");
  matchesPublished(outO1.data, "0.75136507", "out_o1");
  matchesPublished(E.data, "0.298371109", "E_total");
});

Deno.test("2-2-2 worked example: the chain rule for w5 matches the published factors", async () => {
  const { E, w5 } = mazur();
  const c = await chainRule(E, w5);
  assert.deepEqual(
    c.factors.map((f) => `∂${f.of}/∂${f.wrt}`),
    ["∂E_total/∂out_o1", "∂out_o1/∂net_o1", "∂net_o1/∂w5"],
  );
  matchesPublished(c.factors[0].value, "0.74136507", "∂E/∂out_o1");
  matchesPublished(c.factors[1].value, "0.186815602", "∂out_o1/∂net_o1");
  matchesPublished(c.factors[2].value, "0.593269992", "∂net_o1/∂w5 = out_h1");
  matchesPublished(c.value, "0.082167041", "∂E/∂w5");
  // the formulas are the ones on the page: −(target − out), out(1 − out), out_h1
  assert.equal(toText(c.factors[0].formula!), "out_o1 − 0.01");
  assert.equal(toText(c.factors[1].formula!), "out_o1·(1 − out_o1)");
  assert.equal(toText(c.factors[2].formula!), "out_h1");
  // and the product is backprop's gradient
  E.backward();
  assert.ok(Math.abs(c.value - w5.grad) < 1e-15);
  // the update the post prints: w5⁺ = w5 − 0.5·∂E/∂w5
  matchesPublished(0.40 - 0.5 * c.value, "0.35891648", "w5+");
});

Deno.test("2-2-2 worked example: the chain rule for w1 matches, with both paths through out_h1", async () => {
  const { E, w1 } = mazur();
  const c = await chainRule(E, w1);
  assert.deepEqual(
    c.factors.map((f) => `∂${f.of}/∂${f.wrt}`),
    ["∂E_total/∂out_h1", "∂out_h1/∂net_h1", "∂net_h1/∂w1"],
  );
  const total = c.factors[0];
  matchesPublished(total.value, "0.036350306", "∂E/∂out_h1");
  assert.deepEqual(total.contributions!.map((k) => k.via), ["net_o1", "net_o2"]);
  matchesPublished(total.contributions![0].value, "0.055399425", "from o1");
  // The post prints −0.019049119 (from its rounded intermediates); the exact value is
  // −0.01904911826, one unit off in the last published digit.
  matchesPublished(total.contributions![1].value, "-0.019049119", "from o2", 1);
  matchesPublished(c.factors[1].value, "0.241300709", "∂out_h1/∂net_h1");
  assert.equal(toText(c.factors[1].formula!), "out_h1·(1 − out_h1)");
  assert.equal(c.factors[2].value, 0.05); // ∂net_h1/∂w1 = i1
  matchesPublished(c.value, "0.000438568", "∂E/∂w1");
  matchesPublished(0.15 - 0.5 * c.value, "0.149780716", "w1+");
});

Deno.test("2-2-2 worked example: the explanations render, and all eight weights agree three ways", async () => {
  const { E, w1, w5 } = mazur();
  for (const p of [w1, w5]) {
    const c = await chainRule(E, p);
    const text = chainRuleText(c, { digits: 9 });
    assert.match(text, p === w5 ? / = 0\.0821670406\n/ : / = 0\.000438567734\n/);
    const html = renderTex(chainRuleTex(c, { digits: 9 }), { displayMode: true });
    assert.match(html, /class="katex-display"/);
  }
  const report = threeWayCheck(E, mazur().weights); // a fresh graph: same values
  assert.equal(report.rows.length, 8);
  const again = mazur();
  const rows = threeWayCheck(again.E, again.weights).rows;
  assert.ok(rows.every((r) => r.pass && r.verdict === "all three agree"));
  assert.deepEqual(rows.map((r) => r.label), ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"]);
  matchesPublished(rows[4].symbolic, "0.082167041", "three-way symbolic ∂E/∂w5");
  matchesPublished(rows[0].backprop, "0.000438568", "three-way backprop ∂E/∂w1");
});
