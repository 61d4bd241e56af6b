/**
 * The LaTeX macros every stepgrad formula may use (KaTeX lacks these names). Apart from katex.ts
 * so that writers of LaTeX text need not load KaTeX.
 *
 * @module
 */
import { FUNCTIONS, type FunctionSpec } from "../graph/ops.ts";

/**
 * The functions with a macro (the op table's `macro`), in the op table's order, then the
 * derivative functions: `\relu` for `\operatorname{relu}`, `\sigmoid` for `\sigma`, ….
 */
export const MACRO_FUNCTIONS: readonly FunctionSpec[] = Object.freeze(
  Object.values(FUNCTIONS).filter((f) => f.macro),
);

/** Macros every formula may use: `\name` → the function's TeX name, for every macro function. */
export const KATEX_MACROS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(MACRO_FUNCTIONS.map((f) => [`\\${f.name}`, f.texName])),
);

/**
 * The same macros as LaTeX preamble lines: `\DeclareMathOperator` for the functions written as
 * operator names, then `\newcommand` for the others (`\sigmoid`).
 */
export function latexMacroPreamble(): string {
  const operator = /^\\operatorname\{([A-Za-z]+)\}$/;
  const lines = [
    ...MACRO_FUNCTIONS.filter((f) => operator.test(f.texName)).map((f) =>
      `\\DeclareMathOperator{\\${f.name}}{${operator.exec(f.texName)![1]}}`
    ),
    ...MACRO_FUNCTIONS.filter((f) => !operator.test(f.texName)).map((f) =>
      `\\newcommand{\\${f.name}}{${f.texName}}`
    ),
  ];
  return lines.join("\n");
}
