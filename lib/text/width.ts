/**
 * How wide text is on a terminal, and how wide the terminal is.
 *
 * Widths are counted as a terminal draws them, by string-width (East Asian wide characters take
 * two columns, combining marks and other zero-width characters none), not by code points. The
 * width to write to is the terminal's when standard output is one (`Deno.consoleSize()`, or
 * `COLUMNS` when it is set and readable), never less than {@linkcode MIN_WIDTH}; 80 when the
 * output goes to a pipe or a file, so piped output is the same bytes on every machine.
 *
 * @module
 */
// deno-lint-ignore no-import-prefix -- the full specifier, so the library resolves without deno.json
import stringWidth from "npm:string-width@9.0.0";

/** The width of piped output, and of a terminal whose size cannot be read. */
export const DEFAULT_WIDTH = 80;

/** The narrowest terminal output is laid out for. */
export const MIN_WIDTH = 60;

/**
 * The width of a string in terminal columns (a newline counts nothing).
 *
 * @example
 * ```ts
 * import { textWidth } from "./width.ts";
 * import assert from "node:assert/strict";
 * assert.equal(textWidth("m̂ ← −0.5"), 8); // the hat is a combining mark
 * assert.equal(textWidth("学习率"), 6); // wide characters take two columns
 * ```
 */
export function textWidth(s: string): number {
  // Plain ASCII (most lines) needs no Unicode tables.
  if (/^[\x20-\x7e]*$/.test(s)) return s.length;
  return stringWidth(s.replaceAll("\n", ""));
}

/** What {@linkcode terminalWidth} reads; tests pass their own. */
export interface WidthSource {
  /** Whether standard output is a terminal. */
  isTerminal?: boolean;
  /** The terminal's columns, as `Deno.consoleSize()` reports them. */
  columns?: number;
  /** The `COLUMNS` variable, when set. */
  env?: string;
}

function readSource(): WidthSource {
  let isTerminal = false;
  try {
    isTerminal = Deno.stdout.isTerminal();
  } catch {
    isTerminal = false;
  }
  if (!isTerminal) return { isTerminal };
  let columns: number | undefined;
  try {
    columns = Deno.consoleSize().columns;
  } catch {
    columns = undefined;
  }
  let env: string | undefined;
  try {
    // Only when already allowed: a lesson runs with no permissions and must not prompt.
    if (Deno.permissions.querySync({ name: "env", variable: "COLUMNS" }).state === "granted") {
      env = Deno.env.get("COLUMNS");
    }
  } catch {
    env = undefined;
  }
  return { isTerminal, columns, env };
}

/**
 * The width to lay terminal output out for: 80 when standard output is not a terminal; else
 * `COLUMNS` when it is a whole number, else the terminal's own width, and never less than 60.
 *
 * @example
 * ```ts
 * import { terminalWidth } from "./width.ts";
 * import assert from "node:assert/strict";
 * assert.equal(terminalWidth({ isTerminal: false, columns: 200 }), 80);
 * assert.equal(terminalWidth({ isTerminal: true, columns: 132 }), 132);
 * assert.equal(terminalWidth({ isTerminal: true, columns: 132, env: "100" }), 100);
 * assert.equal(terminalWidth({ isTerminal: true, columns: 40 }), 60);
 * ```
 */
export function terminalWidth(source: WidthSource = readSource()): number {
  if (!source.isTerminal) return DEFAULT_WIDTH;
  const env = source.env !== undefined && /^\d{1,4}$/.test(source.env.trim())
    ? Number(source.env.trim())
    : undefined;
  const columns = env || source.columns || DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, columns);
}
