/**
 * Optimizer traces as plain text for terminals: Unicode (← − · √ α β), one block per step,
 * columns aligned, e.g. `w ← w − α·∂L/∂w = 0.5 − 0.1 · 0.23 = 0.477`.
 *
 * @module
 */
import { formatNumber } from "../text/format.ts";
import { textWidth } from "../text/width.ts";
import { describeOptions } from "./options.ts";
import { wrap } from "./terminal_layout.ts";
import {
  type Equation,
  type StepTrace,
  traceHeader,
  type TraceInput,
  traceSteps,
} from "../optim/trace.ts";

/** Rules or substitutions longer than this are not used to pad the others. */
const MAX_PAD = 44;

export { textWidth };

function pad(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - textWidth(s)));
}

function columnWidth(cells: (string | undefined)[]): number {
  const fitting = cells.filter((c): c is string => c !== undefined && textWidth(c) <= MAX_PAD);
  return Math.max(0, ...fitting.map(textWidth));
}

/**
 * `head` then the items joined by `sep`, continued on further lines (indented by two) where the
 * line would be wider than `width`; an item is never split.
 */
function listLines(head: string, items: string[], sep: string, width: number): string[] {
  const lines: string[] = [];
  let line = head;
  for (const [k, item] of items.entries()) {
    const piece = k === 0 ? item : sep + item;
    const last = k === items.length - 1;
    const over = textWidth(line + piece + (last ? "" : sep.trimEnd())) > width;
    if (k > 0 && over) {
      lines.push(line + sep.trimEnd());
      line = "  " + item;
    } else if (k === 0 && over && head.trim() !== "") {
      // A long head (a diagnosed rule's name) leaves no room: the list starts on the next line.
      lines.push(head.trimEnd());
      line = "  " + item;
    } else line += piece;
  }
  lines.push(line);
  return lines;
}

/** Formats one equation's result with its digits. */
export function resultText(e: Equation): string {
  return formatNumber(e.result, { digits: e.digits });
}

/**
 * Lines of equations with their columns aligned: the names, the rules, the substitutions. Given a
 * `width`, an equation whose line would be wider is written as a person breaks it: the rule on
 * the first line, then `= ` the rule with numbers, then `= ` the result, each `=` under the
 * first; a part still too wide continues on the next line, further in.
 *
 * @example
 * ```ts
 * import { alignEquations, SGD, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const [p] = new SGD([w], { lr: 0.1 }).step().params;
 * assert.deepEqual(alignEquations(p.equations), [
 *   "∂L/∂w = 0.23",
 *   "w     ← w − α·∂L/∂w = 0.5 − 0.1 · 0.23 = 0.477",
 * ]);
 * assert.deepEqual(alignEquations(p.equations, 30), [
 *   "∂L/∂w = 0.23",
 *   "w     ← w − α·∂L/∂w",
 *   "      = 0.5 − 0.1 · 0.23",
 *   "      = 0.477",
 * ]);
 * ```
 */
export function alignEquations(equations: readonly Equation[], width = Infinity): string[] {
  return alignedLines(equations, width).flat();
}

/** {@linkcode alignEquations}, each equation's lines apart. */
function alignedLines(equations: readonly Equation[], width: number): string[][] {
  const lhsW = Math.max(0, ...equations.map((e) => textWidth(e.lhs.text)));
  const broken = new Set<Equation>();
  // Lines that do not fit are broken, and no longer widen the columns of the others; repeat
  // until every line that stays whole fits.
  for (;;) {
    const whole = equations.filter((e) => !broken.has(e));
    const ruleW = columnWidth(whole.map((e) => e.rule?.text));
    const subW = columnWidth(whole.map((e) => e.substituted?.text));
    const lines = layout(equations, lhsW, ruleW, subW, broken, width);
    const more = equations.filter((e, i) =>
      !broken.has(e) && e.rule && e.substituted && textWidth(lines[i][0]) > width
    );
    if (more.length === 0) return lines.map((ls) => ls.map((l) => l.trimEnd()));
    for (const e of more) broken.add(e);
  }
}

/** Each equation's lines (its note last), with these column widths. */
function layout(
  equations: readonly Equation[],
  lhsW: number,
  ruleW: number,
  subW: number,
  broken: ReadonlySet<Equation>,
  width: number,
): string[][] {
  return equations.map((e) => {
    const head = `${pad(e.lhs.text, lhsW)} ${e.op} `;
    const out: string[] = [];
    if (!e.rule || !e.substituted) {
      out.push(`${head}${resultText(e)}`);
    } else if (!broken.has(e)) {
      out.push(
        `${head}${pad(e.rule.text, ruleW)} = ${pad(e.substituted.text, subW)} = ${resultText(e)}`,
      );
    } else {
      const indent = " ".repeat(lhsW + 1);
      const deeper = " ".repeat(lhsW + 5);
      out.push(...wrap(e.rule.text, width, head, deeper));
      out.push(...wrap(e.substituted.text, width, `${indent}= `, deeper));
      out.push(`${indent}= ${resultText(e)}`);
    }
    if (e.note) {
      out.push(
        ...wrap(`(${e.note.text})`, width, " ".repeat(lhsW + 3), " ".repeat(lhsW + 4)),
      );
    }
    return out;
  });
}

function stepText(s: StepTrace, width: number): string[] {
  const head = [`step ${s.step}`, `α = ${formatNumber(s.lr)}`];
  if (s.loss !== undefined) head.push(`loss = ${formatNumber(s.loss)}`);
  const out = [head.join("   ")];
  // One alignment for the whole step, so the columns line up across parameters.
  const all = [...s.shared, ...s.params.flatMap((p) => p.equations)];
  const narrowest = s.params.some((p) => p.equations.length > 0) ? 4 : 2;
  const aligned = alignedLines(all, width - narrowest);
  let i = 0;
  const take = (eqs: readonly Equation[], indent: string) => {
    for (const _ of eqs) out.push(...aligned[i++].map((l) => indent + l));
  };
  take(s.shared, "  ");
  for (const p of s.params) {
    if (p.equations.length === 0) {
      out.push(
        ...wrap(
          `${p.label} ← ${formatNumber(p.after)}   (∂L/∂${p.label} = ${formatNumber(p.grad)})`,
          width,
          "  ",
          "      ",
        ),
      );
      continue;
    }
    out.push(`  ${p.label}:`);
    take(p.equations, "    ");
  }
  if (s.lossAfter !== undefined) out.push(`  loss after the step = ${formatNumber(s.lossAfter)}`);
  if (s.divergence) {
    out.push(...wrap(`stopped: ${s.divergence.message}`, width, "  ", "    "));
  }
  return out;
}

/** Options for {@linkcode traceToText}. */
export interface TraceTextOptions {
  /**
   * The widest a line may be, in terminal columns (default: no limit, one line per equation).
   * An equation wider than this is broken after its rule and its numbers.
   */
  width?: number;
}

/**
 * Renders a trace (one step, several, or a whole run) as plain text.
 *
 * @example
 * ```ts
 * import { SGD, traceToText, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * w.grad = 0.23;
 * const text = traceToText(new SGD([w], { lr: 0.1 }).step());
 * assert.match(text, /w +← w − α·∂L\/∂w = 0\.5 − 0\.1 · 0\.23 = 0\.477/);
 * ```
 */
export function traceToText(input: TraceInput, options: TraceTextOptions = {}): string {
  const width = options.width ?? Infinity;
  const { steps, run } = traceSteps(input);
  const out: string[] = [];
  const first = traceHeader(input);
  if (first) {
    out.push(...listLines(
      `${first.optimizer}: `,
      describeOptions(first.options, first.optimizer).map((o) => o.text),
      " · ",
      width,
    ));
  }
  if (run) {
    const start = Object.entries(run.initialParams).map(([k, v]) => `${k} = ${formatNumber(v)}`);
    out.push(
      ...listLines("start: ", [...start, `loss = ${formatNumber(run.initialLoss)}`], ", ", width),
    );
  }
  for (const s of steps) out.push("", ...stepText(s, width));
  if (run) {
    out.push("");
    const last = steps.at(-1);
    if (last) {
      const end = last.params.map((p) => `${p.label} = ${formatNumber(p.after)}`);
      if (last.lossAfter !== undefined) end.push(`loss = ${formatNumber(last.lossAfter)}`);
      const head = `after ${steps.length} step${steps.length === 1 ? "" : "s"}: `;
      out.push(...listLines(head, end, ", ", width));
    }
    if (run.divergence) {
      out.push(...wrap(`diverged: ${run.divergence.message}`, width, "", "  "));
    }
  }
  return out.join("\n") + "\n";
}
