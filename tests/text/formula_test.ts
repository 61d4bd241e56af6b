import assert from "node:assert/strict";
import { formatNumber, formula, FormulaError, parseFormatted, texToText } from "../../mod.ts";
import { renderTex } from "../../lib/render/katex.ts";

// LaTeX a lesson writes, and the text a person would type for it (decided by hand).
const PAIRS: [string, string][] = [
  ["w \\leftarrow w - \\alpha\\,dW", "w ← w − α·dW"],
  ["b \\leftarrow b - \\alpha\\,db", "b ← b − α·db"],
  ["W \\leftarrow W - \\alpha \\cdot dW", "W ← W − α · dW"],
  ["\\frac{\\partial L}{\\partial w}", "∂L/∂w"],
  ["\\frac{\\partial E_{total}}{\\partial w_5}", "∂E_total/∂w₅"],
  ["\\hat y = w\\,x + b", "ŷ = w·x + b"],
  ["\\hat{y}_i - y_i", "ŷᵢ − yᵢ"],
  ["m_t = \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t", "mₜ = β₁·mₜ₋₁ + (1 − β₁)·gₜ"],
  ["v_t = \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2", "vₜ = β₂·vₜ₋₁ + (1 − β₂)·gₜ²"],
  ["\\hat m_t = \\frac{m_t}{1 - \\beta_1^t}", "m̂ₜ = mₜ/(1 − β₁ᵗ)"],
  [
    "\\theta \\leftarrow \\theta - \\alpha \\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\varepsilon}",
    "θ ← θ − α·m̂ₜ/(√v̂ₜ + ε)",
  ],
  ["\\sqrt{x}", "√x"],
  ["\\sqrt{v + \\varepsilon}", "√(v + ε)"],
  ["x^{-1}", "x⁻¹"],
  ["10^{-4}", "10⁻⁴"],
  ["e^{x+1}", "e^(x+1)"],
  ["\\lambda_{\\min} = 0.24", "λ_min = 0.24"],
  ["\\lambda_{max}", "λ_max"],
  ["W^{\\mathsf T}", "Wᵀ"],
  ["a^{\\top} b", "aᵀ·b"],
  ["\\tfrac{2}{3} \\textstyle\\sum_i (\\hat y_i - y_i)", "(2/3)·Σᵢ (ŷᵢ − yᵢ)"],
  ["\\frac{h^2}{6} L'''(p)", "(h²/6)·L‴(p)"],
  ["f''(x)", "f″(x)"],
  ["b = -1", "b = −1"],
  ["0.5 - 0.05 \\cdot (-18) = 1.4", "0.5 − 0.05 · (−18) = 1.4"],
  ["-(t - o)", "−(t − o)"],
  ["\\max(0,\\, 1 - y)", "max(0, 1 − y)"],
  ["\\sigma(z) = \\frac{1}{1 + e^{-z}}", "σ(z) = 1/(1 + e^(−z))"],
  ["\\operatorname{relu}(w x + b)", "relu(w·x + b)"],
  ["\\text{wrong: } b \\leftarrow b - \\alpha\\,dW", "wrong: b ← b − α·dW"],
  ["\\texttt{stepgrad diagnose} \\textsf{run}", "stepgrad diagnose run"],
  ["{} - 0.5 \\cdot", "− 0.5 ·"],
  ["\\frac{w_0 - w_1}{\\partial L/\\partial w}", "(w₀ − w₁)/(∂L/∂w)"],
  ["\\frac{1}{\\frac{\\partial L}{\\partial w}}", "1/(∂L/∂w)"],
  ["\\delta_2 = (a_2 - t) \\odot \\sigma'(z_2)", "δ₂ = (a₂ − t) ⊙ σ′(z₂)"],
  ["\\mathrm{d}W_2 = \\delta_2\\, a_1^{\\mathsf T}", "dW₂ = δ₂·a₁ᵀ"],
  [
    "L(w - \\alpha\\,dW) \\approx L(w) - \\alpha\\,dW^2 < L(w)",
    "L(w − α·dW) ≈ L(w) − α·dW² < L(w)",
  ],
  ["a \\le b \\iff b \\ge a", "a ≤ b ⇔ b ≥ a"],
  ["x = 2, \\quad y = 3", "x = 2,   y = 3"],
  ["\\left(\\frac{a}{b}\\right)^2", "(a/b)²"],
  ["|g| + \\varepsilon", "|g| + ε"],
  ["\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", "[1 2; 3 4]"],
  ["\\begin{aligned} a &= 1 \\\\ b &= 2 \\end{aligned}", "a = 1\nb = 2"],
  ["\\beta_1^t", "β₁ᵗ"],
  ["\\frac{\\varepsilon\\,|L|}{h}", "(ε·|L|)/h"],
  ["\\rho_\\infty = \\frac{2}{1 - \\beta_2} - 1", "ρ_∞ = 2/(1 − β₂) − 1"],
];

Deno.test("texToText: the text a person would type, for LaTeX lessons write", () => {
  for (const [tex, text] of PAIRS) assert.equal(texToText(tex), text, tex);
});

Deno.test("texToText: what it cannot spell is an error that names it", () => {
  assert.throws(
    () => texToText("\\foo x"),
    (e) => e instanceof FormulaError && /\\foo/.test(e.message),
  );
  assert.throws(() => texToText("\\frac{a}{b"), /never closed/);
  assert.throws(() => texToText("a}"), /unexpected "}" at position 2/);
  assert.throws(() => texToText("\\begin{aligned} a \\end{bmatrix}"), /ended by \\end\{bmatrix\}/);
  assert.throws(
    () => texToText("\\begin{tabular} a \\end{tabular}"),
    /tabular has no text spelling/,
  );
  assert.throws(() => texToText("x^"), /argument is missing/);
});

Deno.test("formula: numbers in slots formatted once for each spelling; both agree and KaTeX accepts them", () => {
  const w = 0.5, lr = 0.05, dW = -18;
  const f = formula`w \leftarrow ${w} - ${lr} \cdot ${dW} = ${w - lr * dW}`;
  assert.deepEqual(f, {
    tex: "w \\leftarrow 0.5 - 0.05 \\cdot (-18) = 1.4",
    text: "w ← 0.5 − 0.05 · (−18) = 1.4",
  });
  assert.doesNotThrow(() => renderTex(f.tex));
  // A negative number first, or after "(", keeps its sign without parentheses.
  assert.equal(formula`${-2} + (${-3})`.text, "−2 + (−3)");
  // digits, scientific notation, and a formula in a slot.
  const g = formula`\varepsilon = ${{ value: 1e-8 }},\; \alpha = ${{
    value: 0.123456789,
    digits: 3,
  }}`;
  assert.equal(g.text, "ε = 1×10⁻⁸, α = 0.123");
  assert.equal(g.tex, "\\varepsilon = 1 \\times 10^{-8},\\; \\alpha = 0.123");
  const h = formula`\hat y = ${{ tex: "\\sigma(z)", text: "σ(z)" }}`;
  assert.equal(h.text, "ŷ = σ(z)");
});

Deno.test("property: a formula's numbers read back from its text at the shown precision", () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let k = 0; k < 500; k++) {
    const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 24 - 12);
    const f = formula`w = ${x}`;
    const shown = f.text.slice("w = ".length);
    assert.equal(shown, formatNumber(x));
    assert.ok(Math.abs(parseFormatted(shown) - x) <= 5e-6 * Math.abs(x), `${x} → ${shown}`);
    assert.doesNotThrow(() => renderTex(f.tex));
  }
});

Deno.test("formula: a slot sits where it is written, adding no space (a symbol after / or before |)", () => {
  const hMax = { tex: "h_{\\max}", text: "hₘₐₓ" };
  assert.equal(formula`\alpha < 2/${hMax}`.text, "α < 2/hₘₐₓ");
  assert.equal(formula`|1 - \alpha\,${hMax}| < 1`.text, "|1 − α·hₘₐₓ| < 1");
  assert.equal(formula`2/(${hMax} + ${hMax})`.text, "2/(hₘₐₓ + hₘₐₓ)");
  // a space the author writes still reads as a product, and numbers keep their parentheses
  assert.equal(formula`w ${hMax}`.text, "w·hₘₐₓ");
  assert.equal(formula`w - ${0.1} \cdot ${-3}`.text, "w − 0.1 · (−3)");
  assert.equal(formula`2/${hMax}`.tex, "2/h_{\\max}");
});
