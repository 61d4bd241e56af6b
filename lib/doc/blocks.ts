/**
 * What every handout format needs to say the same thing: display math for several lines, and
 * table cells as text with their alignment.
 *
 * @module
 */
import { type Block, type Cell, type Column, type Formula, hasAlignment } from "./doc.ts";

export { hasAlignment };
import { formatNumber } from "../text/format.ts";

/**
 * Display math for several lines: aligned at `&` when any line has one, else centred; `newline`
 * ("\n") puts each line on its own source line, for the formats people read as text.
 *
 * @example
 * ```ts
 * import { displayTex } from "./blocks.ts";
 * import assert from "node:assert/strict";
 * const lines = [{ tex: "a &= 1", text: "a = 1" }, { tex: "b &= 2", text: "b = 2" }];
 * assert.equal(displayTex(lines), "\\begin{aligned}a &= 1 \\\\ b &= 2\\end{aligned}");
 * assert.equal(displayTex([{ tex: "x^2", text: "x²" }]), "x^2");
 * ```
 */
export function displayTex(lines: Formula[], newline = ""): string {
  if (lines.length === 1 && !hasAlignment(lines[0].tex)) return lines[0].tex;
  const env = lines.some((l) => hasAlignment(l.tex)) ? "aligned" : "gathered";
  const body = lines.map((l) => l.tex).join(` \\\\${newline || " "}`);
  return `\\begin{${env}}${newline}${body}${newline}\\end{${env}}`;
}

/**
 * A table cell as text: numbers through the one formatter, a formula as its text spelling.
 *
 * @example
 * ```ts
 * import { cellText } from "./blocks.ts";
 * import assert from "node:assert/strict";
 * assert.equal(cellText(-0.000012345678), "−1.23457×10⁻⁵");
 * assert.equal(cellText(0.298371109, 9), "0.298371109");
 * assert.equal(cellText({ tex: "net_{h1}", text: "netₕ₁" }), "netₕ₁");
 * ```
 */
export function cellText(cell: Cell, digits?: number): string {
  if (typeof cell === "object") return cell.text;
  return typeof cell === "number" ? formatNumber(cell, digits ? { digits } : {}) : String(cell);
}

/** Whether a table cell is a formula (typeset in a handout). */
export function isFormulaCell(cell: Cell): cell is Formula {
  return typeof cell === "object";
}

/**
 * Checks that every row of a table has one cell per column, as the terminal and every handout
 * format need: a `RangeError` naming the first row that does not.
 *
 * @example
 * ```ts
 * import { checkTable } from "./blocks.ts";
 * import assert from "node:assert/strict";
 * const columns = [{ header: "a" }, { header: "b" }];
 * checkTable({ columns, rows: [[1, 2]] });
 * assert.throws(() => checkTable({ columns, rows: [[1, 2], [3]] }), /^RangeError: table row 2 has 1 cell, the table has 2 columns$/);
 * ```
 */
export function checkTable(
  table: { columns: readonly Column[]; rows: readonly (readonly Cell[])[] },
): void {
  const width = table.columns.length;
  const bad = table.rows.findIndex((r) => r.length !== width);
  if (bad >= 0) {
    const n = table.rows[bad].length;
    throw new RangeError(
      `table row ${bad + 1} has ${n} cell${n === 1 ? "" : "s"}, the table has ${width} columns`,
    );
  }
}

/**
 * What a note is called, by its tone: the one wording of the terminal and every handout format
 * (the label over or before the note's text).
 */
export const NOTE_LABELS: Readonly<Record<Extract<Block, { kind: "note" }>["tone"], string>> =
  Object.freeze({ info: "Note", warning: "Watch out", key: "Key point" });

/**
 * A column's alignment, the same in the terminal and every handout format: as the column says,
 * else right when it holds numbers (at least one number, every other cell blank), else left.
 * A blank cell (a value not measured) does not make a number column a column of words.
 *
 * @example
 * ```ts
 * import { columnAlign } from "./blocks.ts";
 * import assert from "node:assert/strict";
 * const table = {
 *   columns: [{ header: "step" }, { header: "loss" }, { header: "note" }, { header: "x", align: "center" as const }],
 *   rows: [[1, 0.5, "", 1], [2, "", "diverged", 2]],
 * };
 * assert.deepEqual([0, 1, 2, 3].map((i) => columnAlign(table, i)), ["right", "right", "left", "center"]);
 * assert.equal(columnAlign({ columns: [{ header: "empty" }], rows: [[""]] }, 0), "left");
 * ```
 */
export function columnAlign(
  table: { columns: readonly Column[]; rows: readonly (readonly Cell[])[] },
  i: number,
): "left" | "right" | "center" {
  const cells = table.rows.map((r) => r[i]);
  const numbers = cells.some((c) => typeof c === "number") &&
    cells.every((c) => typeof c === "number" || c === "" || c === undefined);
  return table.columns[i].align ?? (numbers ? "right" : "left");
}

/** A handout's blocks with the exercises written out, and their answers for the last page. */
export interface WithAnswers {
  /** The blocks, each `exercises` block replaced by its questions (a section, then one paragraph
   * per question, with its command as code). */
  blocks: Block[];
  /** The answers, one paragraph each, numbered as their questions; empty without exercises. */
  answers: Block[];
}

/**
 * Sets a lesson's exercises apart from their answers, for the formats that put answers on a
 * page of their own (HTML, PDF, LaTeX; Markdown after a rule). Questions are numbered across
 * the lesson.
 *
 * @example
 * ```ts
 * import { splitExercises } from "./blocks.ts";
 * import assert from "node:assert/strict";
 * const { blocks, answers } = splitExercises([
 *   { kind: "exercises", items: [{ question: ["Double 2."], command: "echo 4", answer: ["4."] }] },
 * ]);
 * assert.deepEqual(blocks, [
 *   { kind: "section", title: "Exercises", unnumbered: true },
 *   { kind: "paragraph", content: ["1. ", "Double 2."] },
 *   { kind: "code", text: "echo 4", language: "sh" },
 * ]);
 * assert.deepEqual(answers, [{ kind: "paragraph", content: ["1. ", "4."] }]);
 * ```
 */
export function splitExercises(blocks: readonly Block[]): WithAnswers {
  const out: Block[] = [];
  const answers: Block[] = [];
  let n = 0;
  for (const block of blocks) {
    if (block.kind !== "exercises") {
      out.push(block);
      continue;
    }
    out.push({ kind: "section", title: EXERCISES_TITLE, unnumbered: true });
    for (const item of block.items) {
      const label = `${++n}. `;
      out.push({ kind: "paragraph", content: [label, ...item.question] });
      if (item.command) out.push({ kind: "code", text: item.command, language: "sh" });
      answers.push({ kind: "paragraph", content: [label, ...item.answer] });
    }
  }
  return { blocks: out, answers };
}

/** The heading over a lesson's exercises. */
export const EXERCISES_TITLE = "Exercises";
/** The heading over their answers. */
export const ANSWERS_TITLE = "Answers";
