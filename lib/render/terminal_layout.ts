/**
 * Text layout for the terminal: inline formulas in their text spelling, words wrapped to a width,
 * formulas broken at their relations, code lines continued so they still run, all measured in
 * terminal cells (wide and combining characters counted as the terminal shows them).
 *
 * @module
 */
import type { Inline } from "../doc/doc.ts";
import { textWidth } from "../text/width.ts";

/** Options for the terminal renderers ({@linkcode renderBlock} and the pictures). */
export interface TerminalOptions {
  /** Line width for text, tables, traces and pictures (default 80). */
  width?: number;
}

/** `s` padded on the right to `width` cells. */
export function padEnd(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - textWidth(s)));
}

/** `s` padded on the left to `width` cells. */
export function padStart(s: string, width: number): string {
  return " ".repeat(Math.max(0, width - textWidth(s))) + s;
}

/** `s` centred in `width` cells. */
export function center(s: string, width: number): string {
  const room = Math.max(0, width - textWidth(s));
  const left = Math.floor(room / 2);
  return " ".repeat(left) + s + " ".repeat(room - left);
}

/**
 * Running text with each inline formula in its text spelling.
 *
 * @example
 * ```ts
 * import { inlineText } from "./terminal_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(inlineText(["Then ", { tex: "w - \\alpha", text: "w − α" }, "."]), "Then w − α.");
 * ```
 */
export function inlineText(content: readonly Inline[]): string {
  return content.map((c) => (typeof c === "string" ? c : c.text)).join("");
}

/**
 * Wraps text at spaces so no line is wider than `width` (a longer word gets a line of its own).
 * Newlines in the text start new lines. `first` prefixes the first line, `rest` the others.
 *
 * @example
 * ```ts
 * import { wrap } from "./terminal_layout.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(wrap("one two three four", 9), ["one two", "three", "four"]);
 * assert.deepEqual(wrap("a b", 10, "> ", "  "), ["> a b"]);
 * // A line breaks after a relation, never before it.
 * assert.deepEqual(wrap("solve dW = 0 now", 10), ["solve dW =", "0 now"]);
 * ```
 */
export function wrap(text: string, width: number, first = "", rest = first): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of glueOperators(paragraph.split(" ").filter((w) => w !== ""))) {
      const prefix = lines.length === 0 ? first : rest;
      if (line === "") line = word;
      else if (textWidth(prefix + line + " " + word) <= width) line += " " + word;
      else {
        lines.push(prefix + line);
        line = word;
      }
    }
    lines.push((lines.length === 0 ? first : rest) + line);
  }
  return lines.map((l) => l.trimEnd());
}

/** A relation or operator standing alone between spaces (`=`, `←`, `−`, `·`, …). */
const OPERATOR = /^[=←→≈<>≤≥−+·×⇒⟺]$/u;

/**
 * Words with each lone operator joined to the word before it, so a line breaks after `=` (as
 * TeX does) and never starts with one: `dW =` / `0`, not `dW` / `= 0`.
 */
function glueOperators(words: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    if (OPERATOR.test(word) && out.length > 0) out[out.length - 1] += ` ${word}`;
    else out.push(word);
  }
  return out;
}

/**
 * Lines of text made to fit `width`: each line wider than that continues on the next, indented
 * by two (so a counterexample or a hint reads as one item).
 *
 * @example
 * ```ts
 * import { fitText } from "./terminal_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fitText("short\none two three four", 10), "short\none two\n  three\n  four");
 * ```
 */
export function fitText(text: string, width: number): string {
  return text.split("\n").flatMap((l) => textWidth(l) <= width ? [l] : wrap(l, width, "", "  "))
    .join("\n");
}

/** Where `text` has ` = ` (or ⇒, ≈) outside brackets: the places a person breaks a formula. */
function relations(text: string): number[] {
  const at: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0 && text[i - 1] === " " && "=⇒≈".includes(c) && text[i + 1] === " ") {
      at.push(i);
    }
  }
  return at;
}

/**
 * A formula indented by four, and when it is wider than `width`, broken as a person would: at
 * each `=` (each on its own line, under the first), then at spaces, further in.
 *
 * @example
 * ```ts
 * import { mathLines } from "./terminal_layout.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(mathLines("y = 2·x + 1 = 2·3 + 1 = 7", 80), ["    y = 2·x + 1 = 2·3 + 1 = 7"]);
 * assert.deepEqual(mathLines("y = 2·x + 1 = 2·3 + 1 = 7", 16), [
 *   "    y = 2·x + 1",
 *   "      = 2·3 + 1",
 *   "      = 7",
 * ]);
 * ```
 */
export function mathLines(text: string, width: number): string[] {
  // Text already laid out on several lines (a formula with matrices, by matrixFormula) is kept
  // as it is, each line indented.
  if (text.includes("\n")) return text.split("\n").map((l) => `    ${l}`.trimEnd());
  const whole = `    ${text}`;
  if (textWidth(whole) <= width) return [whole];
  const at = relations(text);
  // The first line keeps the left side with its first relation: `y = rule`, then `= …`.
  const pieces: string[] = [];
  let from = 0;
  for (const i of at.slice(1)) {
    pieces.push(text.slice(from, i).trimEnd());
    from = i;
  }
  pieces.push(text.slice(from));
  // Under the first relation, unless that is too far right to leave room for the numbers.
  const first = at.length > 0 ? textWidth(text.slice(0, at[0])) : 0;
  const indent = " ".repeat(4 + (first <= width / 3 ? first : 4));
  return pieces.flatMap((piece, k) =>
    wrap(piece, width, k === 0 ? "    " : indent, `${indent}    `)
  );
}

/** A line that is a shell command: a prompt, or `deno …`, or `stepgrad …` (installed). */
const SHELL_COMMAND = /^(\$ |deno |stepgrad )/;

/** The characters a printed page's code block holds on one line (HTML and PDF, LaTeX). */
export const CODE_COLUMNS = 80;

/**
 * A shell command line of a printed code block (HTML, PDF, LaTeX), split into lines of at most
 * `width` characters at spaces outside quotes with a ` \\` at each break, as {@linkcode codeLines}
 * does for the terminal: on paper a command never breaks inside a word (`--at` as `-` and `-at`),
 * and it still runs when copied. Other lines, and commands that fit, come back as they are.
 *
 * @example
 * ```ts
 * import { commandLines } from "./terminal_layout.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(commandLines('stepgrad check "x^2" --wrt x --claim "2*x" --at x=1', 40), [
 *   'stepgrad check "x^2" --wrt x \\',
 *   '  --claim "2*x" --at x=1',
 * ]);
 * assert.deepEqual(commandLines("some output that is long", 10), ["some output that is long"]);
 * ```
 */
export function commandLines(line: string, width: number): string[] {
  if (!SHELL_COMMAND.test(line) || textWidth(line) <= width) return [line];
  return shellLines(line, width, "", "  ");
}

/**
 * A line of a code block, indented by four; when wider than `width` it continues on the next
 * line: a shell command (`$ …`, `deno …`, `stepgrad …`) after a ` \` at a space outside quotes, so it still
 * runs when copied, other text with a hanging indent.
 */
export function codeLines(line: string, width: number): string[] {
  const whole = `    ${line}`.trimEnd();
  if (textWidth(whole) <= width) return [whole];
  if (!SHELL_COMMAND.test(line)) return wrap(line, width, "    ", "      ");
  return shellLines(line, width, "    ", "      ");
}

/** A shell command broken at spaces outside quotes with ` \\`, each option with its value. */
function shellLines(line: string, width: number, first: string, rest: string): string[] {
  // Words outside quotes: a quoted argument is never split.
  const tokens = line.match(/(?:"[^"]*"|'[^']*'|\S)+/g) ?? [line];
  // An option stays with its value (`--wrt w`).
  const words: string[] = [];
  for (const t of tokens) {
    const last = words.at(-1);
    if (last && /^--?[A-Za-z][\w-]*$/.test(last) && !t.startsWith("-")) {
      words[words.length - 1] += ` ${t}`;
    } else words.push(t);
  }
  const out: string[] = [];
  let current = first;
  for (const word of words) {
    const sep = current.trim() === "" ? "" : " ";
    if (sep && textWidth(current + sep + word + " \\") > width) {
      out.push(`${current} \\`);
      current = rest + word;
    } else current += sep + word;
  }
  out.push(current);
  return out;
}
