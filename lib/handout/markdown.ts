/**
 * A handout as Markdown for GitHub and Jupyter: `$…$` and `$$…$$` math (stepgrad's own macros
 * spelled out, since neither knows them), pipe tables, notes as quotes, and the pictures as SVG
 * files in a folder beside the `.md` file, linked by relative paths.
 *
 * @module
 */
import { type Block, type Inline, lessonLabel } from "../doc/doc.ts";
import type { TraceInput } from "../optim/trace.ts";
import { type Handout, mastheadLines } from "./handout.ts";
import { KATEX_MACROS } from "../text/macros.ts";
import { escapeMarkdown } from "../text/escape.ts";
import { drawFigures, type Figure } from "../figures/figures.ts";
import {
  ANSWERS_TITLE,
  cellText,
  checkTable,
  columnAlign,
  displayTex,
  isFormulaCell,
  NOTE_LABELS,
  splitExercises,
} from "../doc/blocks.ts";
import { colorName } from "../figures/plot.ts";

/** A rendered handout: the text and the files it links to (path relative to it → content). */
export interface RenderedFiles {
  /** The main file's text. */
  text: string;
  /** Files beside it, by relative path (`lesson-01-figures/figure-1.svg`). */
  files: Map<string, string>;
}

/**
 * Spells out stepgrad's KaTeX macros (`\sigmoid`, `\relu`, …) for renderers that do not know
 * them (GitHub's and Jupyter's MathJax).
 *
 * @example
 * ```ts
 * import { expandMacros } from "./markdown.ts";
 * import assert from "node:assert/strict";
 * assert.equal(expandMacros("\\relu(x) + \\sigmoid_1"), "\\operatorname{relu}(x) + \\sigma_1");
 * assert.equal(expandMacros("\\reluctant"), "\\reluctant");
 * ```
 */
export function expandMacros(tex: string): string {
  return tex.replace(/\\[A-Za-z]+/g, (name) => KATEX_MACROS[name] ?? name);
}

/**
 * A trace block as Markdown: lib/render's `traceToMarkdown` (the `optimize` command's own
 * rendering) under its title, stepgrad's macros spelled out.
 */
async function traceMarkdown(trace: TraceInput, title?: string): Promise<string> {
  const { traceToMarkdown } = await import("../render/trace_markdown.ts");
  const head = title ? `### ${escapeMarkdown(title)}\n\n` : "";
  return head + expandMacros(traceToMarkdown(trace));
}

function mathInline(tex: string): string {
  return `$${expandMacros(tex).replace(/\s*\n\s*/g, " ").trim()}$`;
}

function inline(content: Inline[]): string {
  return content.map((c) => (typeof c === "string" ? escapeMarkdown(c) : mathInline(c.tex))).join(
    "",
  );
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}

function cell(text: string): string {
  return escapeMarkdown(text) || " ";
}

interface Context {
  figures: Map<number, Figure>;
  folder: string;
  files: Map<string, string>;
  tables: number;
  traces: Map<number, string>;
}

function tableMarkdown(block: Extract<Block, { kind: "table" }>, ctx: Context): string {
  checkTable(block);
  const rule = block.columns.map((_, i) => {
    const align = columnAlign(block, i);
    return align === "right" ? "---:" : align === "center" ? ":---:" : ":---";
  });
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const lines = [
    row(block.columns.map((c) => cell(c.header))),
    row(rule),
    ...block.rows.map((r) =>
      row(r.map((c) => isFormulaCell(c) ? mathInline(c.tex) : cell(cellText(c, block.digits))))
    ),
  ];
  const caption = block.caption === undefined
    ? ""
    : `**Table ${++ctx.tables}.** ${escapeMarkdown(block.caption)}\n\n`;
  return caption + lines.join("\n");
}

function figureMarkdown(figure: Figure, ctx: Context): string {
  const path = `${ctx.folder}/figure-${figure.number}.svg`;
  ctx.files.set(path, `<?xml version="1.0" encoding="UTF-8"?>\n${figure.svg}\n`);
  const alt = figure.title.replace(/[\\[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const caption = `**Figure ${figure.number}.** ${escapeMarkdown(figure.title)}`;
  const legend = figure.legend.length === 0
    ? ""
    : `<br>\n${
      figure.legend.map((e) => `${colorName(e.color)} ${e.mark}: ${escapeMarkdown(e.name)}`).join(
        "; ",
      )
    }`;
  return `![${alt}](${encodeURI(path)})\n\n${caption}${legend}`;
}

function blockMarkdown(block: Block, index: number, ctx: Context): string {
  switch (block.kind) {
    case "section":
      return `## ${escapeMarkdown(block.title)}`;
    case "heading":
      return `### ${escapeMarkdown(block.title)}`;
    case "paragraph":
      return inline(block.content);
    case "math":
      if (block.lines.length === 0) return "";
      return `$$\n${expandMacros(displayTex(block.lines, "\n"))}\n$$`;
    case "table":
      return tableMarkdown(block, ctx);
    case "note":
      return `> **${NOTE_LABELS[block.tone]}:** ${inline(block.content)}`;
    case "code": {
      const f = fence(block.text);
      return `${f}${block.language ?? "text"}\n${block.text.replace(/\n$/, "")}\n${f}`;
    }
    case "trace": {
      const rendered = ctx.traces.get(index);
      if (rendered === undefined) throw new Error(`internal: trace ${index} was not rendered`);
      return rendered.trim();
    }
    case "chart":
    case "contour":
    case "boundary":
    case "graph": {
      const figure = ctx.figures.get(index);
      if (!figure) throw new Error(`internal: figure ${index} was not drawn`);
      return figureMarkdown(figure, ctx);
    }
    default: {
      const kind = (block as { kind?: unknown }).kind;
      throw new TypeError(`unknown block kind ${JSON.stringify(kind)}`);
    }
  }
}

/** Options for {@linkcode renderMarkdown}. */
export interface MarkdownOptions {
  /** The folder (relative to the `.md` file) the figures go in (default `figures`). */
  folder?: string;
}

/**
 * Renders a handout as Markdown, and its figures as SVG files to put beside it.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./markdown.ts";
 * import assert from "node:assert/strict";
 * const { text, files } = await renderMarkdown({
 *   number: 1, title: "The update rule", summary: "Why we subtract.",
 *   blocks: [
 *     { kind: "section", title: "Subtract" },
 *     { kind: "math", lines: [{ tex: "w \\leftarrow w - \\alpha g", text: "w ← w − α·g" }] },
 *     { kind: "graph", title: "g", dot: "digraph { a -> b }" },
 *   ],
 * }, { folder: "lesson-01-figures" });
 * assert.match(text, /^# Lesson 01: The update rule$/m);
 * assert.match(text, /^\$\$\nw \\leftarrow w - \\alpha g\n\$\$$/m);
 * assert.match(text, /!\[g\]\(lesson-01-figures\/figure-1\.svg\)/);
 * assert.deepEqual([...files.keys()], ["lesson-01-figures/figure-1.svg"]);
 * ```
 */
export async function renderMarkdown(
  handout: Handout,
  options: MarkdownOptions = {},
): Promise<RenderedFiles> {
  const { blocks, answers } = splitExercises(handout.blocks);
  handout = { ...handout, blocks };
  const ctx: Context = {
    figures: await drawFigures(handout.blocks),
    folder: options.folder ?? "figures",
    files: new Map(),
    tables: 0,
    traces: new Map(),
  };
  for (const [i, block] of handout.blocks.entries()) {
    if (block.kind === "trace") ctx.traces.set(i, await traceMarkdown(block.trace, block.title));
  }
  const label = lessonLabel(handout.number);
  const masthead = mastheadLines(handout); // a teacher's --title, --author, --course
  const parts = [
    ...(handout.masthead ? [`**${escapeMarkdown(masthead.kicker)}**`] : []),
    handout.masthead?.title
      ? `# ${escapeMarkdown(masthead.heading)}`
      : `# ${label}: ${escapeMarkdown(masthead.heading)}`,
    `*${escapeMarkdown(handout.summary)}*`,
    ...handout.blocks.map((b, i) => blockMarkdown(b, i, ctx)).filter((p) => p !== ""),
    ...(answers.length > 0
      ? ["---", `## ${ANSWERS_TITLE}`, ...answers.map((b) => blockMarkdown(b, -1, ctx))]
      : []),
    "---",
    [
      "*Made with stepgrad: every number here was computed by the lesson script.",
      handout.command ? ` Run it yourself: \`${handout.command.replace(/`/g, "")}\`.` : "",
      handout.seed !== undefined ? ` Seed ${handout.seed}.` : "",
      "*",
    ].join(""),
  ];
  return { text: parts.join("\n\n") + "\n", files: ctx.files };
}
