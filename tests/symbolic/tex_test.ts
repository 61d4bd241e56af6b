import assert from "node:assert/strict";
import {
  chainRule,
  chainRuleTex,
  closedForm,
  differentiate,
  MLP,
  mse,
  parseExpression,
  texName,
  threeWayCheck,
  threeWayTex,
  toTex,
  USER_FUNCTIONS,
  Value,
  verifyGradient,
} from "../../mod.ts";
import { renderTex } from "../../lib/render/katex.ts";

const renders = (tex: string) => {
  const html = renderTex(tex); // strict mode: throws on anything non-standard
  assert.match(html, /class="katex"/, tex);
  return html;
};

Deno.test("names: indices as subscripts, MLP labels with their layer, Greek letters, anything else escaped", () => {
  assert.equal(texName("w5"), "w_{5}");
  assert.equal(texName("w11"), "w_{11}");
  assert.equal(texName("w_11"), "w_{11}");
  assert.equal(texName("net_h1"), "\\mathit{net}_{h1}");
  assert.equal(texName("E_total"), "E_{total}");
  assert.equal(texName("w1[0,1]"), "w^{[1]}_{0,1}");
  assert.equal(texName("b2[3]"), "b^{[2]}_{3}");
  assert.equal(texName("alpha"), "\\alpha");
  assert.equal(texName("loss"), "\\mathit{loss}");
  assert.equal(texName("t"), "t");
  assert.equal(texName("x y"), "\\text{x y}");
  assert.equal(texName("a$b\\c"), "\\text{a\\$b\\textbackslash{}c}");
  assert.equal(texName("ΣΔ"), "{\\Sigma}{\\Delta}");
  assert.equal(texName("Δw"), "{\\Delta}\\text{w}");
  assert.equal(texName("x😀"), "\\text{x}\\text{U+1F600}");
  const labels = ["w5", "net_h1", "w1[0,1]", "alpha", "loss", "x y", "a$b\\c", "E_total", "x_1_2"];
  for (const n of [...labels, "ΣΔ", "Δw", "x😀", "é", "w₁"]) {
    renders(texName(n));
  }
});

Deno.test("a multi-letter name is one name, never a product of letters; a letter's accent spelled after it is the accent", () => {
  // y·h·a·t would be four variables multiplied: a word is one italic name, yhat is ŷ.
  assert.equal(texName("yhat"), "\\hat{y}");
  assert.equal(texName("xbar"), "\\bar{x}");
  assert.equal(texName("Wtilde"), "\\tilde{W}");
  assert.equal(texName("thetahat"), "\\hat{\\theta}");
  assert.equal(texName("yhat1"), "\\hat{y}_{1}");
  assert.equal(texName("yhat_o1"), "\\hat{y}_{o1}");
  assert.equal(texName("xbar2[0,1]"), "\\bar{x}^{[2]}_{0,1}");
  // Not a letter with an accent: a word that merely ends so, or the accent's name alone.
  assert.equal(texName("hat"), "\\mathit{hat}");
  assert.equal(texName("rebar"), "\\mathit{rebar}");
  assert.equal(texName("net"), "\\mathit{net}");
  const loss = parseExpression("(yhat - y)^2").expr;
  assert.equal(toTex(loss), "{\\left(\\hat{y} - y\\right)}^{2}");
  for (const n of ["yhat", "xbar1", "thetahat", "Wtilde_o1", "net"]) renders(texName(n));
  // The MathML KaTeX writes for ŷ is y under a hat, not the letters y, h, a, t.
  assert.ok(!/<mi>h<\/mi><mi>a<\/mi><mi>t<\/mi>/.test(renders(texName("yhat"))));
  assert.match(renders(texName("yhat")), /<mover accent="true"><mi>y<\/mi>/);
});

Deno.test("an accented letter is typeset with its accent (ŷ as \\hat{y}, never as a code point)", () => {
  assert.equal(texName("ŷ"), "\\hat{y}");
  assert.equal(texName("y\u0302"), "\\hat{y}"); // decomposed, as typed on some keyboards
  assert.equal(texName("ŷ1"), "\\hat{y}_{1}");
  assert.equal(texName("x̄"), "\\bar{x}");
  assert.equal(texName("ỹ"), "\\tilde{y}");
  assert.equal(texName("é"), "\\text{U+00E9}"); // an acute accent is not a maths accent
  for (const n of ["ŷ", "ŷ1", "x̄", "ỹ"]) renders(texName(n));
  // In an expression: a variable named ŷ.
  assert.equal(toTex({ kind: "sym", name: "ŷ" }), "\\hat{y}");
});

Deno.test("single letters that mathjs would print as units (t m g s h b) stay italic variables", () => {
  for (const name of ["t", "m", "g", "s", "h", "b"]) {
    const html = renders(toTex({ kind: "sym", name }));
    assert.match(html, /mathnormal/, name);
    assert.ok(!/mathrm/.test(html), name);
  }
});

Deno.test("every function and operator renders in strict mode, and so do their derivatives", async () => {
  for (const fn of USER_FUNCTIONS) {
    const e = parseExpression(`${fn}(w_11*x - 0.5)^2/3 + -w_11^-2`).expr;
    renders(toTex(e));
    renders(toTex(await differentiate(e, "w_11")));
  }
  renders(toTex(parseExpression("step(x)*sign(x)", { derivativeFunctions: true }).expr));
  renders(toTex(parseExpression("pi*e^(-x^2/2)/sqrt(2*pi)").expr));
  renders(toTex(parseExpression("1e-7*x + 2.5e12").expr));
});

Deno.test("checker, chain rule, closed form and three-way LaTeX all render", async () => {
  const r = await verifyGradient({
    expr: "(o - t)^2",
    where: { o: "sigmoid(w*h + b)" },
    wrt: "w",
    claim: "2*(o-t)*h",
  });
  renders(r.derivativeTex);
  const model = new MLP(2, [3, 1], { seed: 3 });
  const loss = mse([model.forwardScalar([0.5, -1])], [1]);
  loss.label = "L";
  const p = model.parameters()[0];
  renders(chainRuleTex(await chainRule(loss, p)));
  renders((await closedForm(loss, p)).tex);
  renders(threeWayTex(threeWayCheck(loss)));
  const w = new Value(0, "w");
  renders(threeWayTex(threeWayCheck(w.relu().add(w.abs()))));
});
