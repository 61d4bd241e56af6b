/**
 * The one number formatter: every number stepgrad shows to a person goes through here.
 *
 * Significant digits (6 by default), trailing zeros dropped, a real minus sign (U+2212), and
 * scientific notation for tiny (|x| < 10⁻⁴) and huge (|x| ≥ 10⁶) values.
 *
 * @module
 */

/** Options for {@linkcode formatNumber}. */
export interface FormatOptions {
  /** Significant digits, 1 to 17 (default 6). Ignored when `exact` is set. */
  digits?: number;
  /** Shortest text that reads back as exactly the same float64. */
  exact?: boolean;
}

/** The parts of a formatted number: `mantissa × 10^exponent`, or a plain `mantissa`. */
export interface NumberParts {
  /** Sign and digits, ASCII minus (`"-1.5"`), or `"NaN"`, `"Infinity"`, `"-Infinity"`. */
  mantissa: string;
  /** The power of ten, when the number is written in scientific notation. */
  exponent?: number;
}

/** Below this magnitude (and above 0) numbers are written in scientific notation. */
export const SMALL = 1e-4;
/** From this magnitude on numbers are written in scientific notation. */
export const LARGE = 1e6;

function stripZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/**
 * Splits a number into mantissa and exponent, rounded to the requested significant digits.
 *
 * @example
 * ```ts
 * import { numberParts } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(numberParts(0.0000123456789), { mantissa: "1.23457", exponent: -5 });
 * assert.deepEqual(numberParts(-0.5), { mantissa: "-0.5" });
 * ```
 */
export function numberParts(x: number, options: FormatOptions = {}): NumberParts {
  if (!Number.isFinite(x)) return { mantissa: String(x) };
  if (x === 0) return { mantissa: "0" };
  const digits = options.digits ?? 6;
  if (!options.exact && (!Number.isInteger(digits) || digits < 1 || digits > 17)) {
    throw new RangeError(`digits must be a whole number from 1 to 17, got ${digits}`);
  }
  const exp = options.exact ? x.toExponential() : x.toExponential(digits - 1);
  const [m, e] = exp.split("e");
  const exponent = Number(e);
  if (Math.abs(Number(exp)) < SMALL || Math.abs(Number(exp)) >= LARGE) {
    return { mantissa: stripZeros(m), exponent };
  }
  const fixed = options.exact ? String(x) : Number(exp).toFixed(Math.max(0, digits - 1 - exponent));
  return { mantissa: stripZeros(fixed) };
}

/** Superscript forms of the digits and the minus sign, for exponents written in text. */
export const SUPERSCRIPT: Readonly<Record<string, string>> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/**
 * Formats a number for people: plain text with Unicode minus and superscript exponents.
 *
 * @example
 * ```ts
 * import { formatNumber } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatNumber(0.47700000000000004), "0.477");
 * assert.equal(formatNumber(-215.6), "−215.6");
 * assert.equal(formatNumber(0.0000123456789), "1.23457×10⁻⁵");
 * assert.equal(formatNumber(2.5e9), "2.5×10⁹");
 * assert.equal(formatNumber(0.1 + 0.2, { exact: true }), "0.30000000000000004");
 * assert.equal(formatNumber(-Infinity), "−∞");
 * ```
 */
export function formatNumber(x: number, options: FormatOptions = {}): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "−∞";
  const { mantissa, exponent } = numberParts(x, options);
  const m = mantissa.replace("-", "−");
  if (exponent === undefined) return m;
  const sup = [...String(exponent)].map((c) => SUPERSCRIPT[c]).join("");
  return `${m}×10${sup}`;
}

/**
 * Formats a number as LaTeX (`-1.5 \times 10^{-5}`), with the same rounding as
 * {@linkcode formatNumber}.
 *
 * @example
 * ```ts
 * import { formatNumberLatex } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatNumberLatex(-0.0000123456789), "-1.23457 \\times 10^{-5}");
 * assert.equal(formatNumberLatex(Infinity), "\\infty");
 * ```
 */
export function formatNumberLatex(x: number, options: FormatOptions = {}): string {
  if (Number.isNaN(x)) return "\\text{NaN}";
  if (x === Infinity) return "\\infty";
  if (x === -Infinity) return "-\\infty";
  const { mantissa, exponent } = numberParts(x, options);
  return exponent === undefined ? mantissa : `${mantissa} \\times 10^{${exponent}}`;
}

/**
 * Reads back a number written by {@linkcode formatNumber} (Unicode minus, `×10⁻⁵`, `∞`).
 *
 * @example
 * ```ts
 * import { formatNumber, parseFormatted } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseFormatted("−1.5×10⁻⁵"), -1.5e-5);
 * assert.equal(parseFormatted(formatNumber(-0.477)), -0.477);
 * ```
 */
export function parseFormatted(text: string): number {
  const normal = [...text.trim()].map((c) => {
    if (c === "−") return "-";
    if (c === "∞") return "Infinity";
    const digit = Object.entries(SUPERSCRIPT).find(([, s]) => s === c);
    return digit ? digit[0] : c;
  }).join("").replace("×10", "e");
  const value = Number(normal);
  if (normal === "" || (Number.isNaN(value) && normal !== "NaN")) {
    throw new SyntaxError(`not a number written by formatNumber: "${text}"`);
  }
  return value;
}

/**
 * The fewest significant digits (at least `min`, at most 17) at which `before` and `after` are
 * written differently, so a tiny step still shows a change.
 *
 * @example
 * ```ts
 * import { digitsToDistinguish } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(digitsToDistinguish(0.5, 0.477), 6);
 * assert.equal(digitsToDistinguish(1, 0.999999999), 9);
 * ```
 */
export function digitsToDistinguish(before: number, after: number, min = 6): number {
  if (before === after || !Number.isFinite(before) || !Number.isFinite(after)) return min;
  for (let d = min; d < 17; d++) {
    if (formatNumber(before, { digits: d }) !== formatNumber(after, { digits: d })) return d;
  }
  return 17;
}
