/**
 * The lesson document: what a lesson says, as plain data, written once and shown two ways. A
 * lesson script pushes blocks to a {@linkcode Sink}; the terminal sink prints each block as it
 * arrives, the handout sink collects them for HTML, PDF, Markdown and LaTeX.
 *
 * Every block is plain, JSON-serialisable data (no live graphs, no functions), so renderers
 * never reach back into the engine, and the same lesson and seed give the same document.
 *
 * @module
 */
import { type TraceInput, traceSteps } from "../optim/trace.ts";

/** A formula in two spellings: LaTeX for typesetting, Unicode text for the terminal. */
export interface Formula {
  /** LaTeX (KaTeX strict mode must accept it). */
  tex: string;
  /** The same formula in plain Unicode text (← − · √ α β ∂). */
  text: string;
}

/** A piece of running text: plain Unicode, or an inline formula. */
export type Inline = string | Formula;

/**
 * A table cell: text, a number (formatted by the one formatter) or a formula (typeset in a
 * handout, its text in the terminal), for a name with subscripts such as `net_{h1}`.
 */
export type Cell = string | number | Formula;

/** One column of a table. */
export interface Column {
  /** Header text. */
  header: string;
  /** Alignment; numbers default to right. */
  align?: "left" | "right" | "center";
}

/** One line series of a chart. */
export interface Series {
  /** Legend name. */
  name: string;
  /** Points, x ascending. Non-finite y values end the line (divergence). */
  points: [number, number][];
}

/**
 * One exercise: a question a learner answers with pencil or with `stepgrad`, and its answer,
 * computed by the lesson (never typed in).
 */
export interface Exercise {
  /** The question. */
  question: Inline[];
  /** A command the learner can run to check (shown as code under the question). */
  command?: string;
  /** The answer, shown apart from the questions: after a prompt line in the terminal, on the
   * last page of a handout (a teacher can remove it). */
  answer: Inline[];
}

/** A block of a lesson document. */
export type Block =
  /** A section heading: a new page in print. */
  | {
    kind: "section";
    title: string;
    /** Printed without a number (the exercises and their answers, after the lesson's own). */
    unnumbered?: boolean;
  }
  /** A sub-heading within a section. */
  | { kind: "heading"; title: string }
  /** A paragraph of running text with inline formulas. */
  | { kind: "paragraph"; content: Inline[] }
  /** Display math: one or more lines, aligned at `&` in LaTeX (`text` lines are printed as is). */
  | { kind: "math"; lines: Formula[] }
  /** A table of cells; numbers are formatted by the one formatter. */
  | {
    kind: "table";
    columns: Column[];
    rows: Cell[][];
    caption?: string;
    /** Significant digits for number cells (default 6, formatNumber's). */
    digits?: number;
  }
  /** A callout: a warning, a key point, an answer. */
  | { kind: "note"; tone: "info" | "warning" | "key"; content: Inline[] }
  /** Preformatted text, such as a command and its output. */
  | { kind: "code"; text: string; language?: string }
  /**
   * An optimizer trace (lib/optim's plain data: a step, a list of steps or a run), shown by
   * lib/render's trace renderer of each format.
   */
  | { kind: "trace"; trace: TraceInput; title?: string }
  /** A line chart: terminal chart in the terminal, SVG plot in a handout. */
  | {
    kind: "chart";
    title: string;
    xLabel: string;
    yLabel: string;
    series: Series[];
    logY?: boolean;
    /** A log scale on x (x > 0), for quantities swept by factors, such as learning rates. */
    logX?: boolean;
  }
  /** Paths over the contour plot of a function of two variables (z sampled on a grid). */
  | {
    kind: "contour";
    title: string;
    xs: number[];
    ys: number[];
    /** z[j][i] = f(xs[i], ys[j]). */
    z: number[][];
    paths: Series[];
    xLabel?: string;
    yLabel?: string;
    /** Points to mark, each with a name (a minimum, a saddle): drawn on top of the paths. */
    marks?: { name: string; point: [number, number] }[];
  }
  /** A classifier's decision regions (score sign on a grid) with the labelled points. */
  | {
    kind: "boundary";
    title: string;
    xs: number[];
    ys: number[];
    /** score[j][i] at (xs[i], ys[j]). */
    score: number[][];
    points: [number, number][];
    labels: number[];
  }
  /** An expression graph, as Graphviz DOT text (lib/graph's toDot). */
  | { kind: "graph"; title: string; dot: string }
  /** The lesson's exercises; their answers are set apart (see {@linkcode Exercise}). */
  | { kind: "exercises"; items: Exercise[] };

/** Where a lesson's blocks go. */
export interface Sink {
  /** Receives one block. */
  emit(block: Block): void;
  /**
   * Long work: called with done/total; the terminal shows a progress bar on stderr, a handout
   * shows nothing.
   */
  progress(label: string, done: number, total: number): void;
}

/** A sink that collects blocks, for handouts and tests. */
export class Collector implements Sink {
  /** Everything emitted, in order. */
  readonly blocks: Block[] = [];
  /** Appends a block. */
  emit(block: Block): void {
    this.blocks.push(block);
  }
  /** Ignored: a handout has no progress bar. */
  progress(): void {}
}

/**
 * What a lesson writes with: one method per block kind, each pushing to the sink at once (so a
 * terminal shows the first line immediately).
 *
 * @example
 * ```ts
 * import { Collector, Doc } from "./doc.ts";
 * import assert from "node:assert/strict";
 * const sink = new Collector();
 * const doc = new Doc(sink);
 * doc.section("The update rule");
 * doc.say("Subtract the gradient, scaled by the learning rate:");
 * doc.math({ tex: "w \\leftarrow w - \\alpha \\, \\frac{\\partial L}{\\partial w}", text: "w ← w − α·∂L/∂w" });
 * assert.equal(sink.blocks.length, 3);
 * ```
 */
export class Doc {
  /** Writes to `sink`. */
  constructor(readonly sink: Sink) {}
  /** A section heading (a new page in print). */
  section(title: string): void {
    this.sink.emit({ kind: "section", title });
  }
  /** A sub-heading. */
  heading(title: string): void {
    this.sink.emit({ kind: "heading", title });
  }
  /** A paragraph: strings and inline formulas, joined as written. */
  say(...content: Inline[]): void {
    this.sink.emit({ kind: "paragraph", content });
  }
  /**
   * Display math, one formula per line, aligned at each line's first relation (`=`, `←`, `≈`,
   * `<`, …) unless a line marks its own alignment points with `&`.
   */
  math(...lines: Formula[]): void {
    this.sink.emit({ kind: "math", lines: lines.length > 1 ? aligned(...lines) : lines });
  }
  /** A table; `digits` sets the significant digits of its number cells (default 6). */
  table(
    columns: (Column | string)[],
    rows: Cell[][],
    caption?: string,
    digits?: number,
  ): void {
    this.sink.emit({
      kind: "table",
      columns: columns.map((c) => (typeof c === "string" ? { header: c } : c)),
      rows,
      caption,
      ...(digits === undefined ? {} : { digits }),
    });
  }
  /** A callout. */
  note(tone: "info" | "warning" | "key", ...content: Inline[]): void {
    this.sink.emit({ kind: "note", tone, content });
  }
  /** Preformatted text. */
  code(text: string, language?: string): void {
    this.sink.emit({ kind: "code", text, language });
  }
  /**
   * An optimizer trace: a step, a list of steps or a run. Anything else is a `TypeError` here,
   * where the lesson wrote it.
   */
  trace(trace: TraceInput, title?: string): void {
    traceSteps(trace);
    this.sink.emit({ kind: "trace", trace, title });
  }
  /**
   * The lesson's exercises, at its end: each a question (optionally a command to try) and the
   * answer the lesson computed.
   */
  exercises(...items: Exercise[]): void {
    this.sink.emit({ kind: "exercises", items });
  }
  /** Any other block (charts, contours, boundaries, graphs). */
  block(block: Block): void {
    this.sink.emit(block);
  }
  /** Reports progress of long work. */
  progress(label: string, done: number, total: number): void {
    this.sink.progress(label, done, total);
  }
}

/**
 * A formula in both spellings, for `Doc.say` and `Doc.math`.
 *
 * @example
 * ```ts
 * import { tex } from "./doc.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(tex("\\alpha", "α"), { tex: "\\alpha", text: "α" });
 * ```
 */
export function tex(tex: string, text: string): Formula {
  return { tex, text };
}

/** Options a lesson is run with. */
export interface LessonOptions {
  /** Seed for anything random (default: the lesson's own). */
  seed?: number;
}

/**
 * A lesson, as a lesson script's default export. The same `run` drives the terminal narrative
 * (`deno run lessons/NN-name.ts`) and the handout (`stepgrad handout NN`).
 */
export interface Lesson {
  /** Its number (1 for lessons/01-…). */
  number: number;
  /** Its title. */
  title: string;
  /** One sentence: what the learner will see. */
  summary: string;
  /**
   * The seed used when none is given, for lessons that draw random numbers; absent when the
   * lesson has no randomness (then `--seed` changes nothing).
   */
  defaultSeed?: number;
  /** Writes the lesson to a sink; resolves when done. */
  run(sink: Sink, options?: LessonOptions): void | Promise<void>;
}

/**
 * What keeps a value from being a {@linkcode Lesson}: the fields that are missing or wrong, each
 * named as the lesson author would write it; empty for a lesson. The one check behind
 * `defineLesson` (a lesson script) and `asLesson` (a module the handout command loads).
 *
 * @example
 * ```ts
 * import { lessonProblems } from "./doc.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(lessonProblems({ number: 1, title: "t", summary: "s", run() {} }), []);
 * assert.deepEqual(lessonProblems({ number: 100, title: " ", run: 1 }), [
 *   "number (a whole number 0 to 99)",
 *   "title",
 *   "summary",
 *   "run(sink, options)",
 * ]);
 * ```
 */
export function lessonProblems(value: unknown): string[] {
  const lesson = (typeof value === "object" && value !== null ? value : {}) as Partial<Lesson>;
  const { number, title, summary, run } = lesson;
  return [
    Number.isInteger(number) && number! >= 0 && number! <= 99
      ? ""
      : "number (a whole number 0 to 99)",
    typeof title === "string" && title.trim() !== "" ? "" : "title",
    typeof summary === "string" ? "" : "summary",
    typeof run === "function" ? "" : "run(sink, options)",
  ].filter((problem) => problem !== "");
}

/**
 * How a lesson is named wherever it is shown (terminal, handouts, help): `Lesson 03`.
 *
 * @example
 * ```ts
 * import { lessonLabel } from "./doc.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lessonLabel(3), "Lesson 03");
 * assert.equal(lessonLabel(12), "Lesson 12");
 * ```
 */
export function lessonLabel(number: number): string {
  return `Lesson ${String(number).padStart(2, "0")}`;
}

/** Whether a LaTeX line has an alignment point (`&`, not `\&`). */
export function hasAlignment(tex: string): boolean {
  // An `&` inside an environment (a matrix's columns) is not an alignment point.
  let outer = tex, before;
  do {
    before = outer;
    outer = outer.replace(/\\begin\{([a-zA-Z*]+)\}(?:(?!\\begin\{)[^])*?\\end\{\1\}/g, "");
  } while (outer !== before);
  return /(^|[^\\])&/.test(outer);
}

/**
 * Display-math lines aligned at their first relation (`=`, `←`, `≈`, …) in LaTeX, as a worked
 * derivation is written on a blackboard; the text spellings are unchanged.
 *
 * @example
 * ```ts
 * import { aligned } from "./doc.ts";
 * import assert from "node:assert/strict";
 * const [a, b] = aligned(
 *   { tex: "\\frac{a}{b} = c", text: "a/b = c" },
 *   { tex: "w \\leftarrow w - 1", text: "w ← w − 1" },
 * );
 * assert.equal(a.tex, "\\frac{a}{b} &= c");
 * assert.equal(b.tex, "w &\\leftarrow w - 1");
 * ```
 */
export function aligned(...lines: Formula[]): Formula[] {
  return lines.map((f) => ({ tex: alignTex(f.tex), text: f.text }));
}

const RELATIONS = new Set(["\\leftarrow", "\\approx", "\\iff", "\\le", "\\ge"]);

function alignTex(tex: string): string {
  if (hasAlignment(tex)) return tex; // aligned already (a formula of several rows)
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === "\\") {
      const command = /^\\[a-zA-Z]+/.exec(tex.slice(i))?.[0];
      if (command === undefined) {
        i++; // an escaped character such as \{
        continue;
      }
      if (depth === 0 && RELATIONS.has(command)) return `${tex.slice(0, i)}&${tex.slice(i)}`;
      i += command.length - 1;
    } else if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (depth === 0 && (c === "=" || c === "<" || c === ">")) {
      return `${tex.slice(0, i)}&${tex.slice(i)}`;
    }
  }
  return tex;
}
