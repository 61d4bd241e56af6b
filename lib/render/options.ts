/**
 * The optimizer's options as the trace renderers show them above a run: each option's name, its
 * symbol from the notation table (`optionSymbol`) and its value through the one number formatter.
 *
 * @module
 */
import { formatNumber, formatNumberLatex } from "../text/format.ts";
import { optionSymbol } from "../text/notation.ts";

/**
 * The options as a list of `name symbol = value` items (`lr α = 0.001`, `betas β₁ = 0.9,
 * β₂ = 0.999`, `nesterov on`), in both spellings, numbers through the one formatter.
 */
export function describeOptions(
  options: Record<string, number | boolean | number[]>,
): { name: string; tex: string; text: string }[] {
  return Object.entries(options).map(([name, v]) => {
    if (typeof v === "boolean") {
      return {
        name,
        tex: `\\text{${name} ${v ? "on" : "off"}}`,
        text: `${name} ${v ? "on" : "off"}`,
      };
    }
    if (Array.isArray(v)) {
      return {
        name,
        tex: v.map((b, i) => `\\beta_${i + 1} = ${formatNumberLatex(b)}`).join(",\\ "),
        text: `${name} ${v.map((b, i) => `β${"₁₂"[i] ?? i + 1} = ${formatNumber(b)}`).join(", ")}`,
      };
    }
    const sym = optionSymbol(name);
    return {
      name,
      tex: sym
        ? `${sym.tex} = ${formatNumberLatex(v)}`
        : `\\text{${name}} = ${formatNumberLatex(v)}`,
      text: sym ? `${name} ${sym.text} = ${formatNumber(v)}` : `${name} = ${formatNumber(v)}`,
    };
  });
}
