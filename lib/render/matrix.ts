/**
 * Matrices for people: aligned, bracketed text for the terminal and `bmatrix` for LaTeX and KaTeX,
 * with large matrices elided (first rows and columns, then ⋮ and ⋯, then the last) rather than
 * cut off. Numbers go through the one formatter.
 *
 * @module
 */
import type { Matrix } from "../nn/matrix.ts";
import type { MatrixEquation, MatrixStep } from "../optim/matrix_trace.ts";
import type { TraceFormula } from "../optim/trace.ts";
import { formatNumber, formatNumberLatex } from "../text/format.ts";
import { textWidth } from "./trace_text.ts";

/** How much of a matrix to show. */
export interface MatrixLimits {
  /** Rows shown at most, the ⋮ row included (default 6). */
  maxRows?: number;
  /** Columns shown at most, the ⋯ column included (default 6). */
  maxCols?: number;
  /** Significant digits (default 6). */
  digits?: number;
}

const ROW_GAP = "⋮", COL_GAP = "⋯";

/**
 * Which indices to show out of `n`, with `-1` where the gap goes: the first `max − 2`, the gap,
 * then the last, so the corner entries are always visible.
 */
export function shownIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.max(1, max - 2);
  return [...Array.from({ length: head }, (_, i) => i), -1, n - 1];
}

function cells<T>(
  m: Matrix,
  limits: MatrixLimits,
  cell: (x: number) => T,
  row: T,
  col: T,
  both: T,
) {
  const rows = shownIndices(m.length, limits.maxRows ?? 6);
  const cols = shownIndices(m[0]?.length ?? 0, limits.maxCols ?? 6);
  return rows.map((r) =>
    cols.map((c) => (r < 0 ? (c < 0 ? both : row) : c < 0 ? col : cell(m[r][c])))
  );
}

/**
 * A matrix in LaTeX (`\begin{bmatrix} … \end{bmatrix}`), elided past the limits with `\vdots`,
 * `\cdots` and `\ddots`.
 *
 * @example
 * ```ts
 * import { matrixTex } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(matrixTex([[1, -0.5], [0.25, 2]]), "\\begin{bmatrix} 1 & -0.5 \\\\ 0.25 & 2 \\end{bmatrix}");
 * ```
 */
export function matrixTex(m: Matrix, limits: MatrixLimits = {}): string {
  const digits = limits.digits ?? 6;
  const body = cells(
    m,
    limits,
    (x) => formatNumberLatex(x, { digits }),
    "\\vdots",
    "\\cdots",
    "\\ddots",
  )
    .map((r) => r.join(" & "))
    .join(" \\\\ ");
  return `\\begin{bmatrix} ${body} \\end{bmatrix}`;
}

/**
 * A matrix as lines of text: columns right-aligned, bracketed with ⎡ ⎢ ⎣ (one row: [ ]), elided
 * past the limits with ⋮ and ⋯.
 *
 * @example
 * ```ts
 * import { matrixTextLines } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(matrixTextLines([[1, -0.5], [0.25, 2]]), ["⎡    1  −0.5 ⎤", "⎣ 0.25     2 ⎦"]);
 * ```
 */
export function matrixTextLines(m: Matrix, limits: MatrixLimits = {}): string[] {
  const digits = limits.digits ?? 6;
  const grid = cells(m, limits, (x) => formatNumber(x, { digits }), ROW_GAP, COL_GAP, "⋱");
  const widths = grid[0].map((_, c) => Math.max(...grid.map((r) => textWidth(r[c]))));
  const lines = grid.map((r) =>
    r.map((s, c) => " ".repeat(widths[c] - textWidth(s)) + s).join("  ")
  );
  if (lines.length === 1) return [`[ ${lines[0]} ]`];
  return lines.map((l, i) => {
    const [open, close] = i === 0 ? ["⎡", "⎤"] : i === lines.length - 1 ? ["⎣", "⎦"] : ["⎢", "⎥"];
    return `${open} ${l} ${close}`;
  });
}

/** Sets `label` beside the middle line of `block`, the other lines indented to match. */
function beside(label: string, block: string[]): string[] {
  const mid = Math.floor((block.length - 1) / 2);
  const indent = " ".repeat(textWidth(label));
  return block.map((l, i) => (i === mid ? label : indent) + l);
}

/**
 * The most columns (from `limits.maxCols` down to 3) for which every matrix of the step fits in
 * `width` columns of text after an indent of `indent`.
 */
function fittingCols(step: MatrixStep, width: number, indent: number, limits: MatrixLimits) {
  const all = [step.before, ...step.equations.map((e) => e.result)];
  for (let cols = limits.maxCols ?? 6; cols > 3; cols--) {
    const fits = all.every((m) =>
      Math.max(...matrixTextLines(m, { ...limits, maxCols: cols }).map(textWidth)) + indent <= width
    );
    if (fits) return cols;
  }
  return 3;
}

function equationHead(e: MatrixEquation): string {
  return e.rule ? `${e.lhs.text} ${e.op} ${e.rule.text}` : `${e.lhs.text} ${e.op}`;
}

/**
 * One matrix step as terminal text: the group before the step, then each line of the rule with
 * its result as a matrix below it, every line within `width` columns (default 80).
 *
 * @example
 * ```ts
 * import { layerGroups, matrixSteps, matrixStepText, MLP, SGD } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const model = new MLP(2, [2], { seed: 3 });
 * for (const p of model.parameters()) p.grad = 0.5;
 * const [w1] = matrixSteps(new SGD(model.parameters(), { lr: 0.1 }).step(), layerGroups(model));
 * const text = matrixStepText(w1);
 * assert.match(text, /W₁ ← W₁ − α·dW₁/);
 * assert.ok(text.split("\n").every((l) => l.length <= 80));
 * ```
 */
export function matrixStepText(step: MatrixStep, width = 80, limits: MatrixLimits = {}): string {
  const label = (s: string) => `${s} `;
  const name = `${step.group.name.text} (${step.shape[0]}×${step.shape[1]}) = `;
  const indent = Math.max(textWidth(name), 6);
  const cols = fittingCols(step, width, indent, limits);
  const show = (m: Matrix, digits: number) =>
    matrixTextLines(m, { ...limits, maxCols: cols, digits });
  const out: string[] = [...beside(name.padEnd(indent), show(step.before, limits.digits ?? 6))];
  for (const e of step.equations) {
    const head = equationHead(e);
    const m = show(e.result, e.digits);
    if (!e.rule) {
      out.push(...beside(label(head).padEnd(indent), m));
    } else {
      out.push(head);
      out.push(...beside("  = ".padEnd(indent), m));
    }
  }
  return out.join("\n");
}

/**
 * One matrix step as LaTeX lines for an `aligned` display (`&` before each relation): the group
 * before the step, then each rule with its result as a `bmatrix`. KaTeX strict mode accepts them.
 */
export function matrixStepTex(step: MatrixStep, limits: MatrixLimits = {}): string[] {
  const lines = [`${step.group.name.tex} &= ${matrixTex(step.before, limits)}`];
  for (const e of step.equations) {
    const op = e.op === "←" ? "\\leftarrow" : "=";
    const m = matrixTex(e.result, { ...limits, digits: e.digits });
    lines.push(e.rule ? `${e.lhs.tex} &${op} ${e.rule.tex} = ${m}` : `${e.lhs.tex} &${op} ${m}`);
  }
  return lines;
}

/** A piece of a matrix formula: symbols in both spellings, or a matrix of numbers. */
export type MatrixPart = TraceFormula | Matrix;

const isMatrix = (p: MatrixPart): p is Matrix => Array.isArray(p);

/** Options for {@linkcode matrixFormula}. */
export interface MatrixFormulaOptions extends MatrixLimits {
  /**
   * The text's width in columns: past it, the text breaks before a part that starts with
   * `=`, `−`, `+`, `·` or `⊙`, continuing under the first part's last `=` (default: no limit).
   */
  width?: number;
}

/** The parts side by side, each vertically centred on the tallest's middle row. */
function sideBySide(parts: readonly MatrixPart[], limits: MatrixLimits): string[] {
  const blocks = parts.map((p) => (isMatrix(p) ? matrixTextLines(p, limits) : [p.text]));
  const height = Math.max(...blocks.map((b) => b.length));
  const mid = Math.floor((height - 1) / 2);
  const rows = Array.from({ length: height }, () => "");
  blocks.forEach((b, k) => {
    const w = Math.max(...b.map(textWidth));
    const top = mid - Math.floor((b.length - 1) / 2);
    for (let r = 0; r < height; r++) {
      const line = b[r - top] ?? "";
      rows[r] += (k > 0 ? " " : "") + line + " ".repeat(w - textWidth(line));
    }
  });
  return rows.map((r) => r.trimEnd());
}

/**
 * An equation with matrices in it, in both spellings: LaTeX with `bmatrix`, and text with the
 * matrices drawn side by side and the symbols on their middle row (several lines), broken into
 * rows where it would pass `options.width`.
 *
 * @example
 * ```ts
 * import { matrixFormula } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const f = matrixFormula([{ tex: "z =", text: "z =" }, [[1], [2]]]);
 * assert.equal(f.tex, "z = \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}");
 * assert.equal(f.text, "z = ⎡ 1 ⎤\n    ⎣ 2 ⎦");
 * const long = matrixFormula([{ tex: "y =", text: "y =" }, [[1, 2]], { tex: "+", text: "+" }, [[3, 4]]], { width: 12 });
 * assert.equal(long.text, "y = [ 1  2 ]\n  + [ 3  4 ]");
 * ```
 */
export function matrixFormula(
  parts: readonly MatrixPart[],
  options: MatrixFormulaOptions = {},
): TraceFormula {
  const texOf = (row: readonly MatrixPart[]) =>
    row.map((p) => (isMatrix(p) ? matrixTex(p, options) : p.tex)).join(" ");
  const width = options.width ?? Infinity;
  // Segments start where a row may break: before a part that begins with a relation or operator.
  const segments: MatrixPart[][] = [];
  for (const p of parts) {
    if (segments.length === 0 || (!isMatrix(p) && /^[=−+·⊙]/.test(p.text))) segments.push([p]);
    else segments.at(-1)!.push(p);
  }
  const first = parts[0];
  const indent = isMatrix(first)
    ? 0
    : Math.max(0, textWidth(first.text.slice(0, first.text.lastIndexOf("=") + 1)) - 1);
  const rows: MatrixPart[][] = [];
  for (const seg of segments) {
    const row = rows.at(-1);
    const lead = rows.length <= 1 ? 0 : indent;
    if (row && lead + Math.max(...sideBySide([...row, ...seg], options).map(textWidth)) <= width) {
      row.push(...seg);
    } else rows.push([...seg]);
  }
  const text = rows.flatMap((row, k) =>
    sideBySide(row, options).map((l) => (k === 0 ? l : " ".repeat(indent) + l))
  );
  // The LaTeX breaks where the text does: rows of an aligned display, each continuation under
  // the first row's last relation.
  const tex = rows.length === 1
    ? texOf(rows[0])
    : [alignLast(texOf(rows[0])), ...rows.slice(1).map((row) => `& ${texOf(row)}`)].join(" \\\\ ");
  return { tex, text: text.join("\n") };
}

/** `&` before the last top-level `=` or `\leftarrow` of a row's leading symbols. */
function alignLast(tex: string): string {
  let depth = 0, at = -1;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (depth === 0 && c === "=") at = i;
    else if (depth === 0 && tex.startsWith("\\leftarrow", i)) at = i;
    else if (tex.startsWith("\\begin", i)) break; // past the symbols: a matrix
  }
  return at < 0 ? `& ${tex}` : `${tex.slice(0, at)}&${tex.slice(at)}`;
}

/**
 * One matrix step as display-math lines for a lesson (`doc.math(...)`), each in both spellings:
 * the group before the step, then every line of the rule with its result as a matrix, broken to
 * `options.width` columns of text.
 *
 * @example
 * ```ts
 * import { layerGroups, matrixStepFormulas, matrixSteps, MLP, SGD } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const model = new MLP(2, [2], { seed: 3 });
 * for (const p of model.parameters()) p.grad = 0.5;
 * const [w1] = matrixSteps(new SGD(model.parameters(), { lr: 0.1 }).step(), layerGroups(model));
 * const lines = matrixStepFormulas(w1, { width: 56 });
 * assert.equal(lines.length, 1 + w1.equations.length);
 * assert.match(lines.at(-1)!.tex, /^W_\{1\} \\leftarrow W_\{1\} - \\alpha/);
 * ```
 */
export function matrixStepFormulas(
  step: MatrixStep,
  options: MatrixFormulaOptions = {},
): TraceFormula[] {
  const name = step.group.name;
  const eq = { tex: "=", text: "=" };
  return [
    matrixFormula([{ tex: `${name.tex} =`, text: `${name.text} =` }, step.before], options),
    ...step.equations.map((e) => {
      const op = e.op === "←" ? { tex: "\\leftarrow", text: "←" } : eq;
      const lhs = { tex: `${e.lhs.tex} ${op.tex}`, text: `${e.lhs.text} ${op.text}` };
      // The rule, then `= the result` (a place to break when the line is too wide).
      const parts: MatrixPart[] = e.rule
        ? [{ tex: `${lhs.tex} ${e.rule.tex}`, text: `${lhs.text} ${e.rule.text}` }, eq, e.result]
        : [lhs, e.result];
      return matrixFormula(parts, { ...options, digits: e.digits });
    }),
  ];
}
