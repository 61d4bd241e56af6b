/**
 * Unicode in a pdflatex document: the symbols stepgrad's text uses (− × · ← ∂ √ ∞, Greek
 * letters, superscript exponents from the number formatter, subscript digits) written as LaTeX
 * commands that work in text and in math alike. Latin letters with accents are left to
 * inputenc; any other character becomes `?` rather than an error that stops the build.
 *
 * @module
 */
import { greekTex } from "./greek.ts";

const SYMBOLS: Record<string, string> = {
  "−": "-",
  "×": "\\times",
  "·": "\\cdot",
  "⋅": "\\cdot",
  "←": "\\leftarrow",
  "→": "\\rightarrow",
  "⇒": "\\Rightarrow",
  "↔": "\\leftrightarrow",
  "∂": "\\partial",
  "√": "\\surd",
  "∞": "\\infty",
  "≈": "\\approx",
  "≤": "\\leq",
  "≥": "\\geq",
  "≠": "\\neq",
  "±": "\\pm",
  "∑": "\\sum",
  "Σ": "\\Sigma",
  "∏": "\\prod",
  "∇": "\\nabla",
  "∈": "\\in",
  "∘": "\\circ",
  "⊙": "\\odot",
  "‖": "\\|",
  "∣": "\\mid",
  "…": "\\ldots",
  "°": "^{\\circ}",
  "✓": "\\checkmark",
  "✗": "\\times",
  "⟂": "\\perp",
};

const TEXT: Record<string, string> = {
  "—": "---",
  "–": "--",
  "•": "\\textbullet{}",
  "\u00a0": "~",
  "‘": "`",
  "’": "'",
  "“": "``",
  "”": "''",
};

const SUPER = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿⁱ";
const SUPER_PLAIN = "0123456789-+ni";
const SUB = "₀₁₂₃₄₅₆₇₈₉₋₊ₜᵢⱼₙₖₘ";
const SUB_PLAIN = "0123456789-+tijnkm";

function mathFor(c: string): string | undefined {
  if (c in SYMBOLS) return SYMBOLS[c];
  return greekTex(c);
}

/**
 * Rewrites the non-ASCII characters of already-escaped LaTeX (text or math) as commands
 * pdflatex knows.
 *
 * @example
 * ```ts
 * import { unicodeToLatex } from "./latex_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(unicodeToLatex("1.5×10⁻⁵"), "1.5\\ensuremath{\\times}10\\ensuremath{^{-5}}");
 * assert.equal(unicodeToLatex("w ← w − α·g₁"), "w \\ensuremath{\\leftarrow} w \\ensuremath{-} \\ensuremath{\\alpha}\\ensuremath{\\cdot}g\\ensuremath{_{1}}");
 * assert.equal(unicodeToLatex("m\u0302"), "\\ensuremath{\\hat{m}}");
 * assert.equal(unicodeToLatex("café"), "café");
 * ```
 */
export function unicodeToLatex(text: string): string {
  let out = "";
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const code = c.codePointAt(0)!;
    if (code < 0x80) {
      if (chars[i + 1] === "\u0302" || chars[i + 1] === "\u0304") {
        const accent = chars[i + 1] === "\u0302" ? "hat" : "bar";
        out += `\\ensuremath{\\${accent}{${c}}}`;
        i++;
      } else out += c;
      continue;
    }
    if (SUPER.includes(c) || SUB.includes(c)) {
      const table = SUPER.includes(c) ? SUPER : SUB;
      const plain = table === SUPER ? SUPER_PLAIN : SUB_PLAIN;
      let run = "";
      while (i < chars.length && table.includes(chars[i])) run += plain[table.indexOf(chars[i++])];
      i--;
      out += `\\ensuremath{${table === SUPER ? "^" : "_"}{${run}}}`;
      continue;
    }
    const math = mathFor(c);
    if (math !== undefined) {
      out += `\\ensuremath{${math}}`;
      continue;
    }
    if (c in TEXT) {
      out += TEXT[c];
      continue;
    }
    if (c === "\u0302" || c === "\u0304") continue; // an accent on something already written
    // Latin-1 and Latin Extended-A letters: inputenc (utf8) and T1 fonts set them.
    out += code >= 0xa0 && code <= 0x17f ? c : "?";
  }
  return out;
}
