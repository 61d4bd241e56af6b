/**
 * Optimizer traces as LaTeX: one `aligned` block per parameter and step, every formula accepted
 * by KaTeX in strict mode (the tests render each one).
 *
 * @module
 */
import { escapeTex } from "../text/escape.ts";
import { formatNumberLatex } from "../text/format.ts";
import { texWidthEm } from "../text/tex_width.ts";
import { describeOptions } from "./options.ts";
import {
  type Equation,
  type StepTrace,
  traceHeader,
  type TraceInput,
  traceSteps,
} from "../optim/trace.ts";

/** One row of an `aligned` block: `lhs &\leftarrow rule = substituted = result`. */
export function equationTex(e: Equation): string {
  return equationRows(e, false).join(" \\\\\n");
}

/**
 * The width, in ems, that trace formulas are laid out for: the narrowest column a handout gives
 * them (beside the parameter's name, on a 1000 px screen, about 31.7 em; A4 print and LaTeX have
 * more), less a margin.
 */
export const TRACE_WIDTH_EM = 30;

/**
 * The width trace formulas are laid out for in a LaTeX document: the handout's text is about
 * 43 em of 11 pt wide on A4 (166 mm), a little more on Letter.
 */
export const LATEX_WIDTH_EM = 40;

/** An equation's rows: one, or broken after the rule and after the numbers. */
function equationRows(e: Equation, broken: boolean): string[] {
  const op = e.op === "←" ? "\\leftarrow" : "=";
  const result = formatNumberLatex(e.result, { digits: e.digits });
  const rows = !e.rule || !e.substituted
    ? [`${e.lhs.tex} &${op} ${result}`]
    : broken
    ? [`${e.lhs.tex} &${op} ${e.rule.tex}`, `&= ${e.substituted.tex}`, `&= ${result}`]
    : [`${e.lhs.tex} &${op} ${e.rule.tex} = ${e.substituted.tex} = ${result}`];
  if (e.note) rows.push(`&\\qquad ${e.note.tex}`);
  return rows;
}

/**
 * Equations as one `aligned` environment (display math), aligned on `=` and `←`. An equation
 * wider than `width` ems (estimated from its LaTeX, {@linkcode texWidthEm}) is broken as a person
 * would: the rule, then `= ` the rule with numbers, then `= ` the result, each on its own row.
 *
 * @example
 * ```ts
 * import { SGD, Value } from "../../mod.ts";
 * import { equationsTex } from "./trace_latex.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const [p] = new SGD([w], { lr: 0.1 }).step().params;
 * assert.equal(equationsTex(p.equations).split("\\\\").length, 2); // two rows
 * const narrow = equationsTex(p.equations, 8);
 * assert.match(narrow, /w &\\leftarrow w - \\alpha .* \\\\\n&= 0\.5 - 0\.1 \\cdot 0\.23 \\\\\n&= 0\.477\n/);
 * ```
 */
export function equationsTex(equations: readonly Equation[], width = TRACE_WIDTH_EM): string {
  // The left column is as wide as the widest name; each row is that plus the rest.
  const lhs = Math.max(0, ...equations.map((e) => texWidthEm(e.lhs.tex)));
  const rest = (row: string) => texWidthEm(row.slice(row.indexOf("&")));
  const rows = equations.flatMap((e) => {
    const whole = equationRows(e, false);
    return lhs + rest(whole[0]) > width && e.rule && e.substituted ? equationRows(e, true) : whole;
  });
  return `\\begin{aligned}\n${rows.join(" \\\\\n")}\n\\end{aligned}`;
}

/** A group of a step's equations: the shared ones (bias corrections, …) or one parameter's. */
export interface FormulaGroup {
  /** `undefined` for the shared group, else the parameter's label. */
  label?: string;
  /** The display formula (an `aligned` block). */
  tex: string;
}

/**
 * A step's display formulas: the shared group first (when there is one), then one per parameter;
 * an equation wider than `width` ems breaks after its rule and its numbers ({@linkcode equationsTex}).
 *
 * @example
 * ```ts
 * import { SGD, stepFormulas, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const [group] = stepFormulas(new SGD([w], { lr: 0.1 }).step());
 * assert.equal(group.label, "w");
 * assert.match(group.tex, /w &\\leftarrow w - \\alpha \\cdot \\frac\{\\partial L\}\{\\partial w\} = 0\.5 - 0\.1 \\cdot 0\.23 = 0\.477/);
 * ```
 */
export function stepFormulas(step: StepTrace, width = TRACE_WIDTH_EM): FormulaGroup[] {
  const groups: FormulaGroup[] = [];
  if (step.shared.length > 0) groups.push({ tex: equationsTex(step.shared, width) });
  for (const p of step.params) {
    if (p.equations.length > 0) {
      groups.push({ label: p.label, tex: equationsTex(p.equations, width) });
    }
  }
  return groups;
}

/** Every display formula of a trace, in order (what the KaTeX tests render). */
export function traceFormulas(input: TraceInput): string[] {
  return traceSteps(input).steps.flatMap((s) => stepFormulas(s).map((g) => g.tex));
}

/** A step's heading line: `Step 1: $\alpha = 0.001$, loss $24.2$`. */
function headingTex(s: StepTrace): string {
  const loss = s.loss !== undefined ? `, loss $${formatNumberLatex(s.loss)}$` : "";
  return `\\paragraph{Step ${s.step}} $\\alpha = ${formatNumberLatex(s.lr)}$${loss}.`;
}

/**
 * Renders a trace as a LaTeX fragment (paragraphs and display math) to paste into a document
 * (needs amsmath for `aligned`).
 *
 * @example
 * ```ts
 * import { SGD, traceToLatex, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const tex = traceToLatex(new SGD([w], { lr: 0.1 }).step());
 * assert.match(tex, /\\begin\{aligned\}/);
 * assert.match(tex, /= 0\.477/);
 * ```
 */
export function traceToLatex(input: TraceInput): string {
  const { steps, run } = traceSteps(input);
  const out: string[] = [];
  const first = traceHeader(input);
  if (first) {
    const opts = describeOptions(first.options, first.optimizer).map((o) => `$${o.tex}$`).join(
      ", ",
    );
    // Ragged right: a long name (a diagnosed rule's) and unbreakable `α = 0.1 (lr)` items would
    // otherwise leave TeX a choice between a stretched line and an overfull one.
    out.push(`{\\raggedright\\noindent\\textbf{${escapeTex(first.optimizer)}}: ${opts}.\\par}`);
  }
  if (run) {
    const start = Object.entries(run.initialParams)
      .map(([k, v]) => `${escapeTex(k)} $= ${formatNumberLatex(v)}$`).join(", ");
    out.push(`Start: ${start}; loss $${formatNumberLatex(run.initialLoss)}$.`);
  }
  for (const s of steps) {
    out.push("", headingTex(s));
    for (const g of stepFormulas(s, LATEX_WIDTH_EM)) {
      if (g.label !== undefined) out.push(`Parameter \\texttt{${escapeTex(g.label)}}:`);
      out.push(`\\[\n${g.tex}\n\\]`);
    }
    if (s.lossAfter !== undefined) {
      out.push(`Loss after the step: $${formatNumberLatex(s.lossAfter)}$.`);
    }
  }
  const d = run?.divergence ?? steps.at(-1)?.divergence;
  if (d) out.push("", `\\textbf{Stopped.} ${escapeTex(plain(d.message))}`);
  return out.join("\n") + "\n";
}

/** Unicode minus and multiplication sign as ASCII for LaTeX text (numbers come from formatNumber). */
function plain(text: string): string {
  return text.replaceAll("−", "-").replaceAll("×10", "e").replace(
    /[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+/g,
    (s) =>
      [...s].map((c) => "⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(c) >= 0 ? String("⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(c)) : "-").join(
        "",
      ),
  ).replaceAll("α", "lr");
}
