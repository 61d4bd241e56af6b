import assert from "node:assert/strict";
import {
  at,
  bar,
  hat,
  type MathSymbol,
  NOTATION,
  optionSymbol,
  prev,
  runningMax,
  stepSymbol,
  symbol,
} from "../../lib/text/notation.ts";
import { texToText } from "../../lib/text/formula.ts";
import { renderTex } from "../../lib/render/katex.ts";
import { OPTIMIZERS } from "../../lib/optim/registry.ts";

const entries = Object.entries(NOTATION) as [string, MathSymbol][];

Deno.test("notation: one symbol, one meaning (no two entries share a TeX or a text spelling)", () => {
  for (const field of ["tex", "text", "meaning"] as const) {
    const seen = new Map<string, string>();
    for (const [key, sym] of entries) {
      const other = seen.get(sym[field]);
      assert.equal(other, undefined, `${key} and ${other} share the ${field} "${sym[field]}"`);
      seen.set(sym[field], key);
    }
  }
});

Deno.test("notation: the decisions the course relies on", () => {
  assert.equal(NOTATION.lr.text, "α");
  assert.equal(NOTATION.weightDecay.text, "λ");
  assert.equal(NOTATION.m.text, "mₜ");
  assert.equal(NOTATION.b.meaning, "a bias");
  assert.equal(NOTATION.rho.text, "ρ");
  assert.equal(NOTATION.hMax.text, "hₘₐₓ");
  assert.equal(NOTATION.y.meaning.startsWith("the target"), true);
  // No entry but the learning rate is written with α, none but weight decay with λ, none but
  // the decay of a mean of squares with ρ, none but Adamax's norm with u, none but a bias with b.
  for (const [key, sym] of entries) {
    for (
      const [letter, owners] of [
        ["α", ["lr", "lrAt"]],
        ["λ", ["weightDecay"]],
        ["ρ", ["rho"]],
        ["η", ["lrDecay"]],
      ] as const
    ) {
      if (sym.text.startsWith(letter)) {
        assert.ok((owners as readonly string[]).includes(key), `${key} is written ${sym.text}`);
      }
    }
    if (sym.text.startsWith("b") && key !== "b" && !key.startsWith("bc")) {
      assert.fail(`${key} is written ${sym.text}`);
    }
    if (sym.text.startsWith("u")) assert.equal(key, "u");
  }
});

Deno.test("notation: every TeX spelling typesets in KaTeX's strict mode", () => {
  for (const [key, sym] of entries) {
    assert.doesNotThrow(() => renderTex(sym.tex), `${key}: ${sym.tex}`);
    assert.doesNotThrow(() => renderTex(prev(sym.indexed ? sym : NOTATION.m).tex));
  }
});

Deno.test("notation: the text spelling is what the formula helper derives from the TeX", () => {
  // A second method: lib/text/formula.ts turns TeX into text on its own. The exceptions are
  // subscripts of words and superscripts it spells with ASCII (it has no Unicode for them); the
  // table writes the Unicode subscripts, so HTML tables show no raw underscore.
  const differ: Record<string, string> = {};
  for (const [key, sym] of entries) {
    const derived = texToText(sym.tex);
    if (derived !== sym.text) differ[key] = derived;
  }
  assert.deepEqual(differ, {
    vMax: "v^maxₜ",
    kappaInf: "κ_∞",
    errorTotal: "E_total",
    hMax: "h_max",
    hMin: "h_min",
  });
});

Deno.test("notation: prev, at, hat, bar and runningMax rebuild both spellings", () => {
  assert.deepEqual([prev(NOTATION.m).tex, prev(NOTATION.m).text], ["m_{t-1}", "mₜ₋₁"]);
  assert.deepEqual([prev(NOTATION.mHat).tex, prev(NOTATION.mHat).text], [
    "\\hat{m}_{t-1}",
    "m̂ₜ₋₁",
  ]);
  assert.deepEqual([NOTATION.vMax.tex, NOTATION.vMax.text], ["v^{\\max}_t", "vₜᵐᵃˣ"]);
  assert.deepEqual([prev(NOTATION.vMax).tex, prev(NOTATION.vMax).text], [
    "v^{\\max}_{t-1}",
    "vₜ₋₁ᵐᵃˣ",
  ]);
  assert.deepEqual([at(NOTATION.muAt, "t+1").tex, at(NOTATION.muAt, "t+1").text], [
    "\\mu_{t+1}",
    "μₜ₊₁",
  ]);
  assert.deepEqual([NOTATION.s0.tex, NOTATION.s0.text], ["s_0", "s₀"]);
  assert.equal(prev(NOTATION.s0).text, "sₜ₋₁");
  // ḡ is one code point after NFC (U+1E21), m̂ stays m + U+0302 (no precomposed form).
  assert.deepEqual([...NOTATION.gBar.text].map((c) => c.codePointAt(0)), [0x1e21, 0x209c]);
  assert.deepEqual([...NOTATION.mHat.text].map((c) => c.codePointAt(0)), [0x6d, 0x302, 0x209c]);
  const x = stepSymbol("x", "x", "a test");
  assert.equal(hat(x).text, "x̂ₜ");
  assert.equal(bar(x).tex, "\\bar{x}_t");
  assert.equal(runningMax(x).meaning, "running maximum of a test");
  assert.throws(() => prev(NOTATION.lr), TypeError);
  assert.throws(() => prev(symbol("c", "c", "a constant")), /not indexed/);
  // An index is written with Unicode's subscripts (formula's table); one it lacks is refused.
  assert.equal(at(NOTATION.m, "i").text, "mᵢ");
  assert.throws(() => at(NOTATION.m, "b"), RangeError);
});

Deno.test("notation: every numeric option of every optimizer has its symbol", () => {
  for (const [name, { defaults }] of Object.entries(OPTIMIZERS)) {
    for (const [key, value] of Object.entries(defaults)) {
      if (typeof value === "boolean") continue;
      const sym = optionSymbol(key, name);
      assert.ok(sym, `${name}.${key} has no symbol`);
      assert.ok(sym.options?.some((o) => o.name === key));
    }
  }
  assert.equal(optionSymbol("alpha", "RMSprop"), NOTATION.rho);
  assert.equal(optionSymbol("rho", "Adadelta"), NOTATION.rho);
  assert.equal(optionSymbol("alpha", "Adam"), undefined);
  assert.equal(optionSymbol("lr")?.text, "α");
  assert.equal(NOTATION.weightDecay.options?.[0].pytorch, "weight_decay");
});
