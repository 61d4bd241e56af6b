/**
 * A chain-rule path as a learner writes it on paper: the product of factors, their values
 * multiplied out, then each factor's formula and value. As text and as LaTeX (`aligned`).
 *
 * @module
 */
import { formatNumber, formatNumberLatex, type FormatOptions } from "../text/format.ts";
import type { ChainFactor, ChainRule } from "./local.ts";
import { toText } from "./print.ts";
import { texName, toTex } from "./tex.ts";

const partial = (of: string, wrt: string) => `∂${of}/∂${wrt}`;
const partialTex = (of: string, wrt: string) =>
  `\\frac{\\partial ${texName(of)}}{\\partial ${texName(wrt)}}`;

/**
 * The chain rule as text, one equation per line.
 *
 * @example
 * ```ts
 * import { chainRule, chainRuleText, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w"), x = new Value(2, "x");
 * const z = w.mul(x); z.label = "z";
 * const E = z.pow(2); E.label = "E";
 * const text = chainRuleText(await chainRule(E, w));
 * assert.equal(text.split("\n")[0], "∂E/∂w = ∂E/∂z · ∂z/∂w");
 * assert.equal(text.split("\n")[1], "      = 2 · 2 = 4");
 * ```
 */
export function chainRuleText(c: ChainRule, options: FormatOptions = {}): string {
  const n = (x: number) => formatNumber(x, options);
  const head = `${partial(c.of, c.wrt)} = `;
  const pad = " ".repeat([...head].length - 2);
  const lines = [
    head + c.factors.map((f) => partial(f.of, f.wrt)).join(" · "),
    `${pad}= ${c.factors.map((f) => n(f.value)).join(" · ")} = ${n(c.value)}`,
  ];
  if (c.factors.length > 1 || c.factors[0]?.formula === undefined) {
    for (const f of c.factors) lines.push(`  ${factorText(f, n)}`);
  }
  return lines.join("\n");
}

function factorText(f: ChainFactor, n: (x: number) => string): string {
  if (f.formula !== undefined) {
    return `${partial(f.of, f.wrt)} = ${toText(f.formula)} = ${n(f.value)}`;
  }
  const parts = (f.contributions ?? []).map((c) => `${n(c.value)} (via ${c.via})`);
  return `${partial(f.of, f.wrt)} = ${parts.join(" + ")} = ${n(f.value)}`;
}

/**
 * The chain rule as LaTeX: an `aligned` block KaTeX renders in strict mode.
 *
 * @example
 * ```ts
 * import { chainRule, chainRuleTex, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w5"), x = new Value(2, "x");
 * const E = w.mul(x).pow(2); E.label = "E";
 * assert.match(chainRuleTex(await chainRule(E, w)), /^\\begin\{aligned\}\\frac\{\\partial E\}\{\\partial w_\{5\}\}/);
 * ```
 */
export function chainRuleTex(c: ChainRule, options: FormatOptions = {}): string {
  const n = (x: number) => {
    const s = formatNumberLatex(x, options);
    return x < 0 ? `\\left(${s}\\right)` : s;
  };
  const rows = [
    `${partialTex(c.of, c.wrt)} &= ${
      c.factors.map((f) => partialTex(f.of, f.wrt)).join(" \\cdot ")
    }`,
    `&= ${c.factors.map((f) => n(f.value)).join(" \\cdot ")} = ${
      formatNumberLatex(c.value, options)
    }`,
  ];
  if (c.factors.length > 1 || c.factors[0]?.formula === undefined) {
    for (const f of c.factors) {
      const rhs = f.formula !== undefined
        ? toTex(f.formula)
        : (f.contributions ?? []).map((k) => n(k.value)).join(" + ");
      rows.push(`${partialTex(f.of, f.wrt)} &= ${rhs} = ${formatNumberLatex(f.value, options)}`);
    }
  }
  return `\\begin{aligned}${rows.join(" \\\\ ")}\\end{aligned}`;
}
