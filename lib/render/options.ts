/**
 * The optimizer's options as the trace renderers show them above a run: each option's name, its
 * symbol from the notation table (`optionSymbol`) and its value through the one number formatter.
 *
 * @module
 */
import { formatNumber, formatNumberLatex } from "../text/format.ts";
import { NOTATION as N, optionSymbol } from "../text/notation.ts";

/**
 * The options as a list of `symbol = value (name)` items (`α = 0.001 (lr)`, `β₁ = 0.9,
 * β₂ = 0.999 (betas)`, `nesterov on`), in both spellings, numbers through the one formatter: the
 * value belongs to the symbol, and the option's name in parentheses says which option the symbol
 * writes (RMSprop's `ρ = 0.99 (alpha)`). An option with no symbol reads `name = value`.
 * `optimizer` picks the symbol where a name means different things in different optimizers.
 */
export function describeOptions(
  options: Record<string, number | boolean | number[]>,
  optimizer?: string,
): { name: string; tex: string; text: string }[] {
  return Object.entries(options).map(([name, v]) => {
    if (typeof v === "boolean") {
      return {
        name,
        tex: `\\text{${name} ${v ? "on" : "off"}}`,
        text: `${name} ${v ? "on" : "off"}`,
      };
    }
    const named = (tex: string, text: string) => ({
      name,
      tex: `${tex}\\ (\\text{${name}})`,
      text: `${text} (${name})`,
    });
    if (Array.isArray(v)) {
      const betas = [N.beta1, N.beta2];
      return named(
        v.map((b, i) => `${betas[i]?.tex ?? `\\beta_{${i + 1}}`} = ${formatNumberLatex(b)}`)
          .join(",\\ "),
        v.map((b, i) => `${betas[i]?.text ?? `β${i + 1}`} = ${formatNumber(b)}`).join(", "),
      );
    }
    const sym = optionSymbol(name, optimizer);
    if (!sym) {
      return {
        name,
        tex: `\\text{${name}} = ${formatNumberLatex(v)}`,
        text: `${name} = ${formatNumber(v)}`,
      };
    }
    return named(`${sym.tex} = ${formatNumberLatex(v)}`, `${sym.text} = ${formatNumber(v)}`);
  });
}
