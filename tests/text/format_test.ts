import assert from "node:assert/strict";
import {
  digitsToDistinguish,
  formatNumber,
  formatNumberLatex,
  parseFormatted,
  seededRandom,
} from "../../mod.ts";

Deno.test("formatNumber: significant digits, Unicode minus, trailing zeros dropped", () => {
  assert.equal(formatNumber(0.5), "0.5");
  assert.equal(formatNumber(-0.9844), "−0.9844");
  assert.equal(formatNumber(1.0880000000000001), "1.088");
  assert.equal(formatNumber(123456.7), "123457");
  assert.equal(formatNumber(0.000123456789), "0.000123457");
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(3.14159265, { digits: 3 }), "3.14");
});

Deno.test("formatNumber: scientific notation below 1e−4 and from 1e6", () => {
  assert.equal(formatNumber(0.0000999999), "9.99999×10⁻⁵");
  assert.equal(formatNumber(999999.9), "1×10⁶");
  assert.equal(formatNumber(-3.5e-12), "−3.5×10⁻¹²");
  assert.equal(formatNumber(6.02214076e23), "6.02214×10²³");
  assert.equal(formatNumberLatex(6.02214076e23), "6.02214 \\times 10^{23}");
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(Infinity), "∞");
  assert.throws(
    () => formatNumber(1, { digits: 0 }),
    /digits must be a whole number from 1 to 17, got 0/,
  );
});

Deno.test("property: formatted numbers read back to the shown precision", () => {
  const rng = seededRandom(77);
  for (let i = 0; i < 2000; i++) {
    const x = (rng.next() - 0.5) * Math.pow(10, Math.floor(rng.uniform(-30, 30)));
    const digits = 1 + Math.floor(rng.next() * 17);
    const back = parseFormatted(formatNumber(x, { digits }));
    assert.equal(back, Number(x.toPrecision(digits)), `${x} at ${digits} digits`);
    assert.equal(parseFormatted(formatNumber(x, { exact: true })), x);
  }
});

Deno.test("digitsToDistinguish shows the change of a tiny step", () => {
  assert.equal(digitsToDistinguish(0.999000000005, 0.9980000262138343), 6);
  assert.equal(digitsToDistinguish(1, 1 - 1e-10), 10);
  assert.equal(digitsToDistinguish(2, 2), 6);
});
