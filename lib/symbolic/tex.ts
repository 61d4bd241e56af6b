/**
 * Expression trees as LaTeX that KaTeX renders in strict mode: indices as subscripts (`w_{11}`,
 * `\mathit{net}_{o1}`), MLP labels as `w^{[1]}_{0,1}`, sigmoid as σ, multi-letter names as one
 * italic word (never upright unit names, never a product of letters), a letter with an accent
 * spelled after it as the accent (`yhat` as `\hat{y}`), fractions as `\frac`, numbers through
 * `formatNumberLatex`.
 *
 * @module
 */
import { escapeTex } from "../text/escape.ts";
import { formatNumberLatex } from "../text/format.ts";
import { GREEK_NAMES, greekTex } from "../text/greek.ts";
import { FUNCTIONS } from "../graph/ops.ts";
import type { Expr } from "./ast.ts";
import { PRECEDENCE, precedence } from "./print.ts";

// Spelled-out Greek names a variable may have (`alpha` → α); `pi` is the constant, not a name.
const GREEK = new Set(GREEK_NAMES.filter((n) => n !== "pi" && n !== "omicron"));

// Any other label: ASCII runs as escaped \text, Greek letters as commands, and other characters
// (which KaTeX's strict mode rejects inside \text) as their code points.
function anyName(name: string): string {
  let out = "", run = "";
  const flush = () => {
    if (run) out += `\\text{${escapeTex(run)}}`;
    run = "";
  };
  for (const c of name) {
    if (c.codePointAt(0)! < 128) run += c;
    else {
      flush();
      const greek = greekTex(c);
      out += greek !== undefined
        ? `{${greek}}`
        : `\\text{U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}`;
    }
  }
  flush();
  return out;
}

// A letter (or a Greek name) with an accent spelled after it: yhat → ŷ, xbar → x̄, thetahat → θ̂.
const ACCENTED = /^([A-Za-z]|[a-z]+?)(hat|bar|tilde)$/;

// Combining accents a name may carry (ŷ typed as itself), by the command that typesets them.
const ACCENT_TEX: Record<string, string> = {
  "\u0302": "hat",
  "\u0303": "tilde",
  "\u0304": "bar",
  "\u0307": "dot",
};

// The base of a name: one letter, a Greek letter, a letter with an accent, or a multi-letter name
// set as one italic word (in math, juxtaposed letters would read as a product: y·h·a·t).
function base(b: string): string {
  if (GREEK.has(b)) return `\\${b}`;
  if (b.length === 1) return b;
  const m = ACCENTED.exec(b);
  if (m && (m[1].length === 1 || GREEK.has(m[1]))) return `\\${m[2]}{${base(m[1])}}`;
  return `\\mathit{${b}}`;
}

function subscript(s: string): string {
  return /^[A-Za-z0-9,]+$/.test(s) ? s : `\\text{${escapeTex(s)}}`;
}

/**
 * A variable's name in LaTeX: `w5` → `w_{5}`, `net_h1` → `\mathit{net}_{h1}` (a multi-letter
 * name as one italic word), `w1[0,1]` → `w^{[1]}_{0,1}`, `alpha` → `\alpha`, a letter (or Greek
 * letter) with an accent spelled after it as that accent (`yhat` → `\hat{y}`, `xbar1` →
 * `\bar{x}_{1}`, `thetatilde` → `\tilde{\theta}`), and the accented letter itself the same way
 * (`ŷ` → `\hat{y}`); anything else as `\text{…}`, escaped.
 *
 * @example
 * ```ts
 * import { texName } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(texName("w11"), "w_{11}");
 * assert.equal(texName("out_o1"), "\\mathit{out}_{o1}");
 * assert.equal(texName("w2[3,0]"), "w^{[2]}_{3,0}");
 * assert.equal(texName("yhat"), "\\hat{y}");
 * assert.equal(texName("ŷ"), "\\hat{y}");
 * ```
 */
export function texName(name: string): string {
  // One accented letter, as a prediction is written (ŷ, ŷ1): the accent as a command.
  let m = /^([A-Za-z])([\u0302\u0303\u0304\u0307])(\d*)$/.exec(name.normalize("NFD"));
  if (m) return `\\${ACCENT_TEX[m[2]]}{${m[1]}}${m[3] ? `_{${m[3]}}` : ""}`;
  m = /^([A-Za-z]+)(\d+)\[(\d+(?:,\d+)*)\]$/.exec(name);
  if (m) return `${base(m[1])}^{[${m[2]}]}_{${m[3]}}`;
  m = /^([A-Za-z]+)_([A-Za-z0-9_]+)$/.exec(name);
  if (m) return `${base(m[1])}_{${subscript(m[2].replaceAll("_", ","))}}`;
  m = /^([A-Za-z]+?)(\d+)$/.exec(name);
  if (m) return `${base(m[1])}_{${m[2]}}`;
  if (/^[A-Za-z]+$/.test(name)) return base(name);
  return anyName(name);
}

/**
 * Writes an expression as LaTeX.
 *
 * @example
 * ```ts
 * import { parseExpression, toTex } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   toTex(parseExpression("sigmoid(net_o1)*(1 - sigmoid(net_o1))").expr),
 *   "\\sigma\\left(\\mathit{net}_{o1}\\right) \\cdot \\left(1 - \\sigma\\left(\\mathit{net}_{o1}\\right)\\right)",
 * );
 * assert.equal(toTex(parseExpression("w11^2/2").expr), "\\frac{{w_{11}}^{2}}{2}");
 * ```
 */
export function toTex(e: Expr): string {
  const p = (x: Expr, min: number): string =>
    precedence(x) < min ? `\\left(${toTex(x)}\\right)` : toTex(x);
  const { sum, product, power, atom } = PRECEDENCE;
  switch (e.kind) {
    case "num":
      return formatNumberLatex(e.value, { exact: true });
    case "sym":
      return texName(e.name);
    case "const":
      return e.name === "pi" ? "\\pi" : "e";
    case "neg":
      return `-${p(e.arg, product)}`;
    case "add":
      return e.terms.map((t, i) =>
        i === 0
          ? (t.sign < 0 ? `-${p(t.expr, product)}` : p(t.expr, sum))
          : `${t.sign > 0 ? " + " : " - "}${p(t.expr, product)}`
      ).join("");
    case "mul": {
      const times = (fs: Expr[]) =>
        fs.map((f, i) => p(f, i === 0 ? product : power)).join(" \\cdot ");
      const top = e.factors.filter((f) => !f.inverse).map((f) => f.expr);
      const bottom = e.factors.filter((f) => f.inverse).map((f) => f.expr);
      if (bottom.length === 0) return times(top);
      const frac = (fs: Expr[]) =>
        fs.map((f, i) => p(f, i > 0 ? power : fs.length === 1 ? sum : product)).join(" \\cdot ");
      return `\\frac{${top.length === 0 ? "1" : frac(top)}}{${frac(bottom)}}`;
    }
    case "pow":
      return `{${p(e.base, atom)}}^{${toTex(e.exponent)}}`;
    case "call":
      return FUNCTIONS[e.fn].latex(toTex(e.arg), "");
  }
}
