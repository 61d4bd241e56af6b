/**
 * Greek letters in LaTeX: one table for every writer of LaTeX (symbolic formulas, optimizer
 * traces, LaTeX handouts).
 *
 * @module
 */

const LOWER = "αβγδεζηθικλμνξοπρστυφχψω";

/** The lowercase Greek letters' names, in alphabet order (`omicron` has no command: it is `o`). */
export const GREEK_NAMES: readonly string[] = Object.freeze([
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "zeta",
  "eta",
  "theta",
  "iota",
  "kappa",
  "lambda",
  "mu",
  "nu",
  "xi",
  "omicron",
  "pi",
  "rho",
  "sigma",
  "tau",
  "upsilon",
  "phi",
  "chi",
  "psi",
  "omega",
]);

const UPPER = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ";
// Capitals that look like Latin letters have no command of their own.
const UPPER_TEX =
  "A B \\Gamma \\Delta E Z H \\Theta I K \\Lambda M N \\Xi O \\Pi P \\Sigma T \\Upsilon \\Phi X \\Psi \\Omega"
    .split(" ");

/**
 * The LaTeX (math mode) for one Greek letter, or `undefined` for any other character.
 *
 * @example
 * ```ts
 * import { greekTex } from "./greek.ts";
 * import assert from "node:assert/strict";
 * assert.equal(greekTex("θ"), "\\theta");
 * assert.equal(greekTex("Ω"), "\\Omega");
 * assert.equal(greekTex("ο"), "o");
 * assert.equal(greekTex("ς"), "\\varsigma");
 * assert.equal(greekTex("w"), undefined);
 * ```
 */
export function greekTex(c: string): string | undefined {
  const lower = LOWER.indexOf(c);
  if (lower >= 0) return lower === 14 ? "o" : `\\${GREEK_NAMES[lower]}`;
  if (c === "ς") return "\\varsigma";
  const upper = UPPER.indexOf(c);
  return upper >= 0 ? UPPER_TEX[upper] : undefined;
}

/**
 * The Unicode letter for a LaTeX Greek command's name (`alpha` → α, `Omega` → Ω, `varepsilon` →
 * ε), or `undefined` for any other name.
 *
 * @example
 * ```ts
 * import { greekLetter } from "./greek.ts";
 * import assert from "node:assert/strict";
 * assert.equal(greekLetter("lambda"), "λ");
 * assert.equal(greekLetter("Sigma"), "Σ");
 * assert.equal(greekLetter("cdot"), undefined);
 * ```
 */
export function greekLetter(name: string): string | undefined {
  const variant = VARIANTS[name];
  if (variant) return variant;
  const lower = GREEK_NAMES.indexOf(name);
  if (lower >= 0 && name !== "omicron") return LOWER[lower];
  const upper = UPPER_TEX.indexOf(`\\${name}`);
  return upper >= 0 ? UPPER[upper] : undefined;
}

const VARIANTS: Record<string, string> = {
  varepsilon: "ε",
  vartheta: "ϑ",
  varphi: "φ",
  varrho: "ϱ",
  varsigma: "ς",
  varpi: "ϖ",
};
