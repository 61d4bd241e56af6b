/**
 * The terminal renderer: a lesson's blocks as plain Unicode text, printed as they arrive, and a
 * progress bar on stderr.
 *
 * Every block has a text form: headings underlined, paragraphs wrapped with each inline formula
 * in its text spelling, tables in aligned columns (numbers through {@linkcode formatNumber}), math
 * indented, notes behind a bar, optimizer traces through `traceToText`, charts drawn by asciichart, contour plots and decision boundaries
 * as character maps, expression graphs summarised. Output depends only on the blocks (a fixed
 * width, no colours, nothing from the machine), so the same lesson and seed print the same bytes.
 *
 * @module
 */
import type { Block, Sink } from "../doc/doc.ts";
import { traceToText } from "./trace_text.ts";
import { DEFAULT_WIDTH, terminalWidth, textWidth } from "../text/width.ts";
import {
  codeLines,
  fitText,
  inlineText,
  mathLines,
  type TerminalOptions,
  wrap,
} from "./terminal_layout.ts";
import { renderTable } from "./terminal_table.ts";
import { ANSWERS_TITLE, checkTable, NOTE_LABELS, splitExercises } from "../doc/blocks.ts";
import { renderBoundary, renderChart, renderContour } from "./terminal_chart.ts";
import { progressBar } from "./terminal_progress.ts";

export {
  fitText,
  inlineText,
  mathLines,
  progressBar,
  renderBoundary,
  renderChart,
  renderContour,
  renderTable,
  textWidth,
  wrap,
};
export type { TerminalOptions };

function renderGraph(block: Extract<Block, { kind: "graph" }>, width: number): string[] {
  const values = (block.dot.match(/^\s*n\d+ \[/gm) ?? []).length;
  const ops = (block.dot.match(/^\s*op\d+ \[/gm) ?? []).length;
  if (values + ops === 0) {
    return wrap(`[picture] ${block.title}: the handout draws it.`, width, "  ", "  ");
  }
  return wrap(
    `[graph] ${block.title}: ${values} values and ${ops} operations. The handout draws it, ` +
      "each node with its data and grad; toDot gives the Graphviz text.",
    width,
    "  ",
    "  ",
  );
}

// The exercises, then a prompt line, then the answers: a learner who wants to try first stops
// reading at the prompt.
function renderExercises(block: Extract<Block, { kind: "exercises" }>, width: number): string[] {
  const { blocks, answers } = splitExercises([block]);
  const lines: string[] = [];
  const item = (b: Block) => {
    if (b.kind === "paragraph") {
      const [label, ...rest] = b.content;
      const indent = " ".repeat(textWidth(String(label)));
      lines.push("", ...wrap(`${label}${inlineText(rest)}`, width, "", indent));
    } else lines.push(renderBlock(b, { width }));
  };
  blocks.forEach(item);
  const prompt = `${ANSWERS_TITLE} (try the exercises first) `;
  lines.push("", prompt + "─".repeat(Math.max(3, width - textWidth(prompt))));
  answers.forEach(item);
  return lines.slice(blocks[0]?.kind === "section" ? 0 : 1);
}

/**
 * One block as lines of text (no trailing newline).
 *
 * @example
 * ```ts
 * import { renderBlock } from "./terminal.ts";
 * import assert from "node:assert/strict";
 * assert.equal(renderBlock({ kind: "section", title: "The update rule" }), "The update rule\n═══════════════");
 * assert.equal(
 *   renderBlock({ kind: "math", lines: [{ tex: "w \\leftarrow w - \\alpha", text: "w ← w − α" }] }),
 *   "    w ← w − α",
 * );
 * ```
 */
export function renderBlock(block: Block, options: TerminalOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  switch (block.kind) {
    case "section":
    case "heading": {
      const title = wrap(block.title, width);
      const rule = block.kind === "section" ? "═" : "─";
      return [...title, rule.repeat(Math.min(width, Math.max(...title.map(textWidth))))].join("\n");
    }
    case "paragraph":
      return wrap(inlineText(block.content), width).join("\n");
    case "math":
      return block.lines.flatMap((l) => mathLines(l.text, width)).join("\n");
    case "table": {
      checkTable(block);
      const lines = renderTable(block.columns, block.rows, block.digits, width);
      if (block.caption) lines.push(...wrap(block.caption, width, "  ", "  "));
      return lines.join("\n");
    }
    case "note":
      return wrap(`${NOTE_LABELS[block.tone]}: ${inlineText(block.content)}`, width, "  │ ").join(
        "\n",
      );
    case "code":
      return block.text.replace(/\n$/, "").split("\n").flatMap((l) => codeLines(l, width))
        .join("\n");
    case "trace": {
      const head = block.title ? [block.title] : [];
      const body = traceToText(block.trace, { width: width - 2 }).trimEnd()
        .split("\n");
      return [...head, ...body.map((l) => (l === "" ? "" : `  ${l}`))].join("\n");
    }
    case "chart":
      return renderChart(block, options).join("\n");
    case "contour":
      return renderContour(block, options).join("\n");
    case "boundary":
      return renderBoundary(block, options).join("\n");
    case "graph":
      return renderGraph(block, width).join("\n");
    case "exercises":
      return renderExercises(block, width).join("\n");
    default: {
      const kind = (block as { kind?: unknown }).kind;
      throw new TypeError(`unknown block kind ${JSON.stringify(kind)}`);
    }
  }
}

/** Where a {@linkcode TerminalSink} writes. */
export interface TerminalSinkOptions extends TerminalOptions {
  /** Receives the text of each block (default: standard output). */
  write?: (text: string) => void;
  /** Receives progress bar updates (default: standard error, when it is a terminal). */
  writeProgress?: ((text: string) => void) | null;
}

const encoder = new TextEncoder();

/** Writes all of `text`; false once the reader has gone (a closed pipe, as in `| head`). */
function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): boolean {
  let bytes = encoder.encode(text);
  try {
    while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return false;
    throw e;
  }
  return true;
}

/** A writer that stops quietly once its reader has gone. */
function quietWriter(file: { writeSync(p: Uint8Array): number }): (text: string) => void {
  let open = true;
  return (text) => {
    if (open) open = writeAll(file, text);
  };
}

/**
 * The terminal sink: prints each block as it arrives, a blank line between blocks, and draws a
 * progress bar on stderr when stderr is a terminal (nothing otherwise, so piped output stays
 * the same from run to run).
 *
 * @example
 * ```ts
 * import { TerminalSink } from "./terminal.ts";
 * import { Doc } from "../doc/doc.ts";
 * import assert from "node:assert/strict";
 * let out = "";
 * const doc = new Doc(new TerminalSink({ write: (t) => (out += t), writeProgress: null }));
 * doc.section("One");
 * doc.say("Hello.");
 * assert.equal(out, "One\n═══\n\nHello.\n");
 * ```
 */
export class TerminalSink implements Sink {
  #write: (text: string) => void;
  #progress: ((text: string) => void) | null;
  #options: TerminalOptions;
  #blocks = 0;
  #bar = "";

  /** Writes to standard output and standard error unless told otherwise. */
  constructor(options: TerminalSinkOptions = {}) {
    this.#write = options.write ?? quietWriter(Deno.stdout);
    this.#progress = options.writeProgress === undefined
      ? (Deno.stderr.isTerminal() ? quietWriter(Deno.stderr) : null)
      : options.writeProgress;
    this.#options = { width: options.width ?? terminalWidth() };
  }

  /** Prints one block. */
  emit(block: Block): void {
    this.#clearBar();
    const text = renderBlock(block, this.#options);
    const gap = this.#blocks++ === 0 ? "" : block.kind === "section" ? "\n\n" : "\n";
    this.#write(`${gap}${text}\n`);
  }

  /** Redraws the progress bar; ends its line when done reaches total. */
  progress(label: string, done: number, total: number): void {
    if (!this.#progress) return;
    // The bar is 30 wide, or narrower when the label and counts would not fit the width.
    const room = (this.#options.width ?? DEFAULT_WIDTH) -
      textWidth(progressBar(label, done, total, 0));
    const bar = progressBar(label, done, total, Math.max(5, Math.min(30, room)));
    if (bar === this.#bar) return;
    this.#bar = bar;
    this.#progress(`\r${bar}`);
    if (done >= total) {
      this.#progress("\n");
      this.#bar = "";
    }
  }

  #clearBar(): void {
    if (this.#progress && this.#bar !== "") {
      this.#progress(`\r${" ".repeat(textWidth(this.#bar))}\r`);
      this.#bar = "";
    }
  }
}
