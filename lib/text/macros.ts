/**
 * The LaTeX macros every stepgrad formula may use (KaTeX lacks these names). Apart from katex.ts
 * so that writers of LaTeX text need not load KaTeX.
 *
 * @module
 */

/** Macros every formula may use. */
export const KATEX_MACROS: Readonly<Record<string, string>> = Object.freeze({
  "\\sech": "\\operatorname{sech}",
  "\\sigmoid": "\\sigma",
  "\\relu": "\\operatorname{relu}",
  "\\softplus": "\\operatorname{softplus}",
  "\\step": "\\operatorname{step}",
});
