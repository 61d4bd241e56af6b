/**
 * A handout as a standalone LaTeX document: one `.tex` file that pdflatex compiles with packages
 * every TeX distribution has (amsmath, booktabs, xcolor, TikZ, geometry, lmodern). Every piece
 * of user text is escaped; the pictures are redrawn in TikZ; stepgrad's macros (`\sigmoid`,
 * `\relu`, …) are defined in the preamble.
 *
 * @module
 */
import { type Block, type Inline, lessonLabel } from "../doc/doc.ts";
import type { TraceInput } from "../optim/trace.ts";
import { type Handout, mastheadLines } from "./handout.ts";
import { escapeTex } from "../text/escape.ts";
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
import { unicodeToLatex } from "../text/latex_text.ts";
import { CODE_COLUMNS, commandLines } from "../render/terminal_layout.ts";
import { latexMacroPreamble } from "../text/macros.ts";
import { svgToTikz } from "../figures/svg_tikz.ts";
import { colorName } from "../figures/plot.ts";

/** Options for {@linkcode renderLatex}. */
export interface LatexOptions {
  /** Paper size (default A4). */
  paper?: "a4" | "letter";
}

/** The text width of the document, in points, that figures are scaled to fit. */
const TEXT_WIDTH_PT = 440;

/**
 * Escapes user text for LaTeX: the special characters print as themselves, and Unicode
 * symbols become commands pdflatex knows.
 *
 * @example
 * ```ts
 * import { escapeLatexText } from "./latex.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeLatexText("}{ 100% #1 w_1 $5"), "\\}\\{ 100\\% \\#1 w\\_1 \\$5");
 * assert.equal(escapeLatexText("\\href{x}"), "\\textbackslash{}href\\{x\\}");
 * assert.equal(
 *   escapeLatexText("--seed <<1>>"),
 *   "-{}-seed \\textless{}\\textless{}1\\textgreater{}\\textgreater{}",
 * );
 * ```
 */
export function escapeLatexText(text: string): string {
  // Pairs that T1 fonts turn into other characters (-- –, ,, „, `` “, '' ”, !` ¡, ?` ¿) are
  // split with an empty group, so `--seed` prints as typed (< and > become \textless and
  // \textgreater in escapeTex, so << and >> make no guillemets).
  const noLigatures = text.replace(/\r?\n/g, " ").replace(
    /([-,`'])(?=\1)|([!?])(?=`)/g,
    "$1$2\u0000",
  );
  return unicodeToLatex(escapeTex(noLigatures)).replaceAll("\u0000", "{}");
}

/**
 * A trace block as LaTeX: lib/render's `traceToLatex` (the `optimize` command's own rendering)
 * under its title.
 */
async function traceLatex(trace: TraceInput, title?: string): Promise<string> {
  const { traceToLatex } = await import("../render/trace_latex.ts");
  const head = title ? `\\subsection*{${escapeTex(title)}}\n` : "";
  return head + traceToLatex(trace);
}

function inline(content: Inline[]): string {
  return content.map((c) =>
    typeof c === "string" ? escapeLatexText(c) : `\\(${unicodeToLatex(c.tex)}\\)`
  ).join("");
}

interface Context {
  figures: Map<number, Figure>;
  tikz: Map<number, string>;
  traces: Map<number, string>;
  tables: number;
}

function tableLatex(block: Extract<Block, { kind: "table" }>, ctx: Context): string {
  const spec = block.columns.map((_, i) => columnAlign(block, i)[0]).join("");
  const row = (cells: string[]) => `${cells.join(" & ")} \\\\`;
  checkTable(block);
  const rows = block.rows.map((r) =>
    row(r.map((c) => isFormulaCell(c) ? inline([c]) : escapeLatexText(cellText(c, block.digits))))
  );
  const caption = block.caption === undefined
    ? ""
    : `\\handoutcaption{Table ${++ctx.tables}.}{${escapeLatexText(block.caption)}}\n`;
  return [
    "\\par\\medskip\\noindent\\begin{minipage}{\\linewidth}\\centering",
    caption + `\\begin{lrbox}{\\handoutbox}\\begin{tabular}{${spec}}`,
    "\\toprule",
    row(block.columns.map((c) => `\\textbf{${escapeLatexText(c.header)}}`)),
    "\\midrule",
    ...rows,
    "\\bottomrule",
    "\\end{tabular}\\end{lrbox}\\handoutfit",
    "\\end{minipage}\\par\\medskip",
  ].join("\n");
}

function codeLatex(text: string): string {
  const lines = text.replace(/\n$/, "").split("\n").flatMap((l) => commandLines(l, CODE_COLUMNS))
    .map((
      line,
    ) => line === "" ? "\\mbox{}" : escapeLatexText(line).replace(/ /g, "\\ "));
  return `\\begin{handoutcode}\n${lines.join("\\\\\n")}\n\\end{handoutcode}`;
}

function figureLatex(figure: Figure, tikz: string): string {
  const legend = figure.legend.length === 0
    ? ""
    : `\\\\[2pt]{\\footnotesize ${
      figure.legend.map((e) => `${colorName(e.color)} ${e.mark}: ${escapeLatexText(e.name)}`).join(
        "; ",
      )
    }}`;
  return [
    "\\par\\medskip\\noindent\\begin{minipage}{\\linewidth}\\centering",
    tikz,
    `${legend}\\par\\smallskip`,
    `\\raggedright\\handoutcaption{Figure ${figure.number}.}{${escapeLatexText(figure.title)}}`,
    "\\end{minipage}\\par\\medskip",
  ].join("\n");
}

function blockLatex(block: Block, index: number, ctx: Context): string {
  switch (block.kind) {
    case "section":
      return `\\section${block.unnumbered ? "*" : ""}{${escapeLatexText(block.title)}}`;
    case "heading":
      return `\\subsection*{${escapeLatexText(block.title)}}`;
    case "paragraph":
      return inline(block.content);
    case "math":
      if (block.lines.length === 0) return "";
      return `\\begin{handoutmath}\n${
        unicodeToLatex(displayTex(block.lines, "\n"))
      }\n\\end{handoutmath}`;
    case "table":
      return tableLatex(block, ctx);
    case "note":
      return `\\begin{handoutnote}{${block.tone}}{${NOTE_LABELS[block.tone]}}\n${
        inline(block.content)
      }\n\\end{handoutnote}`;
    case "code":
      return codeLatex(block.text);
    case "trace": {
      const rendered = ctx.traces.get(index);
      if (rendered === undefined) throw new Error(`internal: trace ${index} was not rendered`);
      return unicodeToLatex(rendered.trim());
    }
    case "chart":
    case "contour":
    case "boundary":
    case "graph": {
      const figure = ctx.figures.get(index);
      const tikz = ctx.tikz.get(index);
      if (!figure || tikz === undefined) throw new Error(`internal: figure ${index} was not drawn`);
      return figureLatex(figure, tikz);
    }
    default: {
      const kind = (block as { kind?: unknown }).kind;
      throw new TypeError(`unknown block kind ${JSON.stringify(kind)}`);
    }
  }
}

function preamble(paper: "a4" | "letter", title: string): string {
  return String.raw`\documentclass[11pt]{article}
\usepackage[${paper === "a4" ? "a4paper" : "letterpaper"},margin=22mm]{geometry}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{amsmath,amssymb}
\usepackage{booktabs}
\usepackage{xcolor}
\usepackage{graphicx}
\usepackage{tikz}
\usepackage{parskip}
${latexMacroPreamble()}
\definecolor{noteinfo}{HTML}{0D4F7C}
\definecolor{notewarning}{HTML}{9A4A08}
\definecolor{notekey}{HTML}{17613D}
\newcommand{\handoutcaption}[2]{\par\noindent{\small\textbf{#1} #2}\par\medskip}
\newenvironment{handoutnote}[2]{\par\smallskip\noindent\begin{minipage}{\linewidth}%
  \color{note#1}\rule[-0.5ex]{2pt}{2.2ex}\hspace{6pt}{\sffamily\scriptsize\bfseries\MakeUppercase{#2}}\par
  \color{black}\leftskip=8pt}{\end{minipage}\par\smallskip}
\newenvironment{handoutcode}{\par\smallskip\noindent\begin{minipage}{\linewidth}\ttfamily\small}%
  {\end{minipage}\par\smallskip}
\newsavebox{\handoutbox}
\newcommand{\handoutfit}{\ifdim\wd\handoutbox>\linewidth
  \resizebox{\linewidth}{!}{\usebox{\handoutbox}}\else\usebox{\handoutbox}\fi}
\newenvironment{handoutmath}{\par\smallskip\noindent\begin{center}\begin{lrbox}{\handoutbox}$\displaystyle}%
  {$\end{lrbox}\handoutfit\end{center}\par\smallskip}
\setcounter{secnumdepth}{1}
\title{${title}}
`;
}

/**
 * Renders a handout as a standalone LaTeX document.
 *
 * @example
 * ```ts
 * import { renderLatex } from "./latex.ts";
 * import assert from "node:assert/strict";
 * const tex = await renderLatex({
 *   number: 1, title: "The update rule", summary: "Why we subtract.",
 *   blocks: [
 *     { kind: "section", title: "100% of w_1" },
 *     { kind: "math", lines: [{ tex: "w \\leftarrow w - \\alpha g", text: "w ← w − α·g" }] },
 *   ],
 * });
 * assert.match(tex, /^\\documentclass/);
 * assert.match(tex, /\\section\{100\\% of w\\_1\}/);
 * assert.match(tex, /\\end\{document\}\n$/);
 * ```
 */
export async function renderLatex(handout: Handout, options: LatexOptions = {}): Promise<string> {
  const { blocks, answers } = splitExercises(handout.blocks);
  handout = { ...handout, blocks };
  const paper = options.paper ?? "a4";
  const figures = await drawFigures(handout.blocks);
  const tikz = new Map<number, string>();
  for (const [i, figure] of figures) tikz.set(i, await svgToTikz(figure.svg, TEXT_WIDTH_PT));
  const ctx: Context = { figures, tikz, traces: new Map(), tables: 0 };
  for (const [i, block] of handout.blocks.entries()) {
    if (block.kind === "trace") ctx.traces.set(i, await traceLatex(block.trace, block.title));
  }
  const label = lessonLabel(handout.number);
  const masthead = mastheadLines(handout); // a teacher's --title, --author, --course
  const body = handout.blocks.map((b, i) => blockLatex(b, i, ctx)).filter((p) => p !== "");
  if (answers.length > 0) {
    // On a page of its own, so a teacher can hand out the questions without it.
    body.push(
      `\\clearpage\n\\section*{${ANSWERS_TITLE}}`,
      ...answers.map((b) => blockLatex(b, -1, ctx)),
    );
  }
  const colophon = [
    "Made with stepgrad: every number here was computed by the lesson script.",
    handout.command ? `\\\\ Run it yourself: \\texttt{${escapeLatexText(handout.command)}}.` : "",
    handout.seed !== undefined ? ` Seed ${handout.seed}.` : "",
  ].join("");
  return [
    preamble(paper, escapeLatexText(`${label}: ${masthead.heading}`)),
    "\\begin{document}",
    `{\\sffamily\\footnotesize\\bfseries\\color{noteinfo}\\MakeUppercase{${
      masthead.kicker.split(" · ").map(escapeLatexText).join(" \\textperiodcentered\\ ")
    }}}\\par`,
    `{\\LARGE\\bfseries ${escapeLatexText(masthead.heading)}\\par}`,
    `\\medskip{\\itshape ${escapeLatexText(handout.summary)}\\par}`,
    "\\medskip\\hrule\\bigskip",
    ...body,
    `\\par\\bigskip\\noindent\\begin{minipage}{\\linewidth}\\rule{\\linewidth}{0.4pt}\\\\\n{\\footnotesize\\sffamily ${colophon}}\\end{minipage}`,
    "\\end{document}",
  ].join("\n\n") + "\n";
}
