/**
 * A handout as one self-contained HTML page: formulas typeset by KaTeX ahead of time, its CSS
 * and fonts inlined, pictures as inline SVG, no scripts, nothing fetched (a Content Security
 * Policy forbids both), print styles with a page per section. Open it offline, print it, or
 * turn it into a PDF (lib/handout/pdf.ts).
 *
 * @module
 */
import { type Block, type Inline, lessonLabel } from "../doc/doc.ts";
import type { TraceInput } from "../optim/trace.ts";
import { type Handout, mastheadLines } from "./handout.ts";
import { escapeHtml } from "../text/escape.ts";
import { CODE_COLUMNS, commandLines } from "../render/terminal_layout.ts";
import { drawFigures, type Figure } from "../figures/figures.ts";
import { HANDOUT_CSS } from "./html_style.ts";
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
import type { LegendEntry } from "../figures/plot.ts";
import { texWidthEm } from "../text/tex_width.ts";
import { BOLD_GREEK, TEXT_GREEK } from "./katex_css.ts";

/** Nothing runs, nothing is fetched: styles inline, fonts and images only from `data:`. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:";

/**
 * Tables with more rows than this, and code blocks with more lines than twice this, may be split
 * across pages in print (about a third of an A4 page each): whatever is kept whole is small
 * enough that moving it to the next page never leaves this one half empty.
 */
const LONG_ROWS = 8;

type Tex = (tex: string, options?: { displayMode?: boolean }) => string;

interface Context {
  tex: Tex;
  figures: Map<number, Figure>;
  tables: number;
  traces: Map<number, string>;
}

/**
 * A trace block as HTML: lib/render's `traceToHtml` (the `optimize` command's own rendering)
 * under its title, the head kept with the first step.
 */
async function traceHtml(trace: TraceInput, title?: string): Promise<string> {
  const { traceToHtml } = await import("../render/trace_html.ts");
  const head = title ? `<h3>${escapeHtml(title)}</h3>\n` : "";
  return keepHeadWithFirstStep(await traceToHtml(trace), head);
}

/**
 * Puts the title, the optimizer's options and its first step in one block that print does not
 * split, so a page never ends on a trace's heading.
 *
 * @example
 * ```ts
 * import { keepHeadWithFirstStep } from "./html.ts";
 * import assert from "node:assert/strict";
 * const html = '<section class="stepgrad-trace">\n<p>SGD</p>\n<section class="stepgrad-step">1</section>\n' +
 *   '<section class="stepgrad-step">2</section>\n</section>\n';
 * assert.equal(
 *   keepHeadWithFirstStep(html, "<h3>t</h3>\n"),
 *   '<section class="stepgrad-trace"><div class="stepgrad-keep"><h3>t</h3>\n\n<p>SGD</p>\n' +
 *     '<section class="stepgrad-step">1</section></div>\n<section class="stepgrad-step">2</section>\n</section>\n',
 * );
 * ```
 */
export function keepHeadWithFirstStep(html: string, head: string): string {
  const open = '<section class="stepgrad-trace">';
  const step = html.indexOf('<section class="stepgrad-step"');
  const end = step < 0 ? -1 : html.indexOf("</section>", step);
  if (!html.startsWith(open) || end < 0) return head + html;
  const close = end + "</section>".length;
  return `${open}<div class="stepgrad-keep">${head}${html.slice(open.length, close)}</div>${
    html.slice(close)
  }`;
}

/**
 * Straight quotes as typographic ones (the page's Computer Modern draws `"` as a closing quote
 * only): “ and ‘ after a space or an opening bracket, ” and ’ elsewhere.
 *
 * @example
 * ```ts
 * import { smartQuotes } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.equal(smartQuotes(`Mazur's "A Step" ('15)`), "Mazur’s “A Step” (‘15)");
 * ```
 */
export function smartQuotes(text: string): string {
  return text.replace(/["']/g, (q, at: number) => {
    const before = at === 0 ? " " : text[at - 1];
    const opening = /[\s([{“‘—–-]/.test(before);
    return q === '"' ? (opening ? "“" : "”") : (opening ? "‘" : "’");
  });
}

/** Running text for the page: typographic quotes, then escaped. */
function prose(text: string): string {
  return escapeHtml(smartQuotes(text));
}

function inline(content: Inline[], ctx: Context): string {
  return content.map((c) => (typeof c === "string" ? prose(c) : ctx.tex(c.tex))).join("");
}

/**
 * How much a wide table or formula must shrink to fit a printed line: `""`, `" wide"` or
 * `" wider"`, from its width in characters (a table's widest cell per column plus padding, a
 * formula's plain-text spelling). Chromium would otherwise shrink the whole page to fit it.
 *
 * @example
 * ```ts
 * import { widthClass } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.equal(widthClass(60), "");
 * assert.equal(widthClass(100), " wide");
 * assert.equal(widthClass(130), " wider");
 * ```
 */
export function widthClass(chars: number): string {
  // The column is about 79 digits wide on a 1000 px screen (17 px text), 95 in print.
  return chars > 104 ? " wider" : chars > 76 ? " wide" : "";
}

/**
 * The same for a display formula, from its estimated width in ems ({@linkcode texWidthEm}): the
 * column holds about 36 ems of formula at full size on a 1000 px screen.
 *
 * @example
 * ```ts
 * import { mathWidthClass } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mathWidthClass("a = b"), "");
 * assert.equal(mathWidthClass("x = " + "1 + ".repeat(30) + "1"), " wider");
 * ```
 */
export function mathWidthClass(tex: string): string {
  const em = texWidthEm(tex);
  return em > 41 ? " wider" : em > 35 ? " wide" : "";
}

/** A header that may take two lines: a break allowed after each `/` (`∂out/∂net`). */
function headerHtml(header: string): string {
  return escapeHtml(header).replaceAll("/", "/<wbr>");
}

function tableChars(block: Extract<Block, { kind: "table" }>): number {
  return block.columns.reduce((sum, c, i) =>
    sum + 3 + Math.max(
      c.header.length,
      ...block.rows.map((r) => cellText(r[i], block.digits).length),
    ), 0);
}

function tableHtml(block: Extract<Block, { kind: "table" }>, ctx: Context): string {
  checkTable(block);
  const cls = block.columns.map((_, i) => columnAlign(block, i)[0]);
  const caption = block.caption === undefined
    ? ""
    : `<caption><b>Table ${++ctx.tables}.</b> ${prose(block.caption)}</caption>`;
  const head = block.columns.map((c, i) => `<th class="${cls[i]}">${headerHtml(c.header)}</th>`)
    .join("");
  const body = block.rows.map((r) =>
    `<tr>${
      r.map((cell, i) =>
        `<td class="${cls[i]}">${
          isFormulaCell(cell) ? ctx.tex(cell.tex) : escapeHtml(cellText(cell, block.digits))
        }</td>`
      ).join("")
    }</tr>`
  ).join("\n");
  // A long table may continue on the next page (its header row repeats); a short one may not.
  const long = block.rows.length > LONG_ROWS ? " long" : "";
  return `<div class="table${
    widthClass(tableChars(block))
  }${long}"><table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function swatch(entry: LegendEntry): string {
  const c = escapeHtml(entry.color);
  switch (entry.mark) {
    case "line":
      return `<svg viewBox="0 0 32 16" aria-hidden="true"><line x1="1" y1="8" x2="31" y2="8" stroke="${c}" stroke-width="2.5"/></svg>`;
    case "circle":
      return `<svg viewBox="0 0 32 16" aria-hidden="true"><circle cx="16" cy="8" r="5" fill="${c}"/></svg>`;
    case "triangle":
      return `<svg viewBox="0 0 32 16" aria-hidden="true"><path d="M16 2L22 13H10Z" fill="${c}"/></svg>`;
    case "cross":
      return `<svg viewBox="0 0 32 16" aria-hidden="true"><path d="M11 3L21 13M21 3L11 13" stroke="${c}" stroke-width="2.2"/></svg>`;
    case "area":
      return `<svg viewBox="0 0 32 16" aria-hidden="true"><rect x="6" y="2" width="20" height="12" fill="${c}"/></svg>`;
  }
}

function figureHtml(figure: Figure): string {
  const legend = figure.legend.length === 0
    ? ""
    : `<ul class="legend">${
      figure.legend.map((e) => `<li>${swatch(e)}${escapeHtml(e.name)}</li>`).join("")
    }</ul>`;
  return `<figure class="${figure.kind}">${figure.svg}${legend}<figcaption><b>Figure ${figure.number}.</b> ${
    prose(figure.title)
  }</figcaption></figure>`;
}

function blockHtml(block: Block, index: number, ctx: Context): string {
  switch (block.kind) {
    case "section":
      return ""; // opened by the page
    case "heading":
      return `<h3>${prose(block.title)}</h3>`;
    case "paragraph":
      return `<p>${inline(block.content, ctx)}</p>`;
    case "math":
      if (block.lines.length === 0) return "";
      return `<div class="display${mathWidthClass(displayTex(block.lines))}">${
        ctx.tex(displayTex(block.lines), { displayMode: true })
      }</div>`;
    case "table":
      return tableHtml(block, ctx);
    case "note":
      return `<aside class="note ${block.tone}"><p><span class="tone">${
        NOTE_LABELS[block.tone]
      }</span>${inline(block.content, ctx)}</p></aside>`;
    case "code":
      // One span per line: a long line wraps with a hanging indent instead of running off
      // the page (copying still gives the line as written).
      return `<pre${block.text.split("\n").length > 2 * LONG_ROWS ? ' class="long"' : ""}><code>${
        block.text.replace(/\n$/, "").split("\n").flatMap((l) => commandLines(l, CODE_COLUMNS)).map(
          (
            line,
          ) => `<span class="line">${escapeHtml(line)}</span>`,
        ).join("")
      }</code></pre>`;
    case "trace": {
      const rendered = ctx.traces.get(index);
      if (rendered === undefined) throw new Error(`internal: trace ${index} was not rendered`);
      return `<div class="trace">${rendered}</div>`;
    }
    case "chart":
    case "contour":
    case "boundary":
    case "graph": {
      const figure = ctx.figures.get(index);
      if (!figure) throw new Error(`internal: figure ${index} was not drawn`);
      return figureHtml(figure);
    }
    default: {
      const kind = (block as { kind?: unknown }).kind;
      throw new TypeError(`unknown block kind ${JSON.stringify(kind)}`);
    }
  }
}

/**
 * The class attributes on a page (KaTeX's, to choose its fonts), {@linkcode TEXT_GREEK} when the page
 * has a lowercase Greek letter in it, and {@linkcode BOLD_GREEK} when bold text (a heading, a
 * table header, `<b>`, `<strong>`) does.
 */
function pageClasses(html: string): Set<string> {
  const classes = new Set<string>();
  for (const m of html.matchAll(/class="([^"]*)"/g)) classes.add(m[1].trim());
  const greek = /[\u03b1-\u03c9\u03d1\u03d5\u03d6\u03f1\u03f5]/;
  if (greek.test(html)) classes.add(TEXT_GREEK);
  for (const m of html.matchAll(/<(h[1-3]|th|b|strong)\b[^>]*>([\s\S]*?)<\/\1>/g)) {
    if (greek.test(m[2])) classes.add(BOLD_GREEK);
  }
  return classes;
}

/** Options for {@linkcode renderHtml}. */
export interface HtmlOptions {
  /**
   * The closing note (how the page was made, how to run the lesson); default on. A PDF leaves it
   * out and says the same in every page's footer, so it never sits alone on a last page.
   */
  colophon?: boolean;
}

/**
 * Renders a handout as one offline HTML page. Throws a `SyntaxError` naming the formula when
 * KaTeX rejects one, a `RangeError` for a malformed table or plot; never writes a page with
 * an error inside.
 *
 * @example
 * ```ts
 * import { renderHtml } from "./html.ts";
 * import assert from "node:assert/strict";
 * const html = await renderHtml({
 *   number: 1, title: "The update rule", summary: "Why we subtract.",
 *   blocks: [
 *     { kind: "section", title: "Subtract <the> gradient" },
 *     { kind: "paragraph", content: ["Step: ", { tex: "w - \\alpha g", text: "w − α·g" }] },
 *   ],
 * });
 * assert.match(html, /^<!doctype html>/);
 * assert.match(html, /Subtract &lt;the&gt; gradient/);
 * assert.match(html, /class="katex"/);
 * assert.doesNotMatch(html, /<script/);
 * ```
 */
export async function renderHtml(handout: Handout, options: HtmlOptions = {}): Promise<string> {
  const { blocks, answers } = splitExercises(handout.blocks);
  handout = { ...handout, blocks };
  const { renderTex } = await import("../render/katex.ts");
  const ctx: Context = {
    tex: renderTex,
    figures: await drawFigures(handout.blocks),
    tables: 0,
    traces: new Map(),
  };
  for (const [i, block] of handout.blocks.entries()) {
    if (block.kind === "trace") ctx.traces.set(i, await traceHtml(block.trace, block.title));
  }
  const sections: { title?: string; unnumbered?: boolean; body: string[] }[] = [{ body: [] }];
  handout.blocks.forEach((block, i) => {
    if (block.kind === "section") {
      sections.push({ title: block.title, unnumbered: block.unnumbered, body: [] });
    } else sections[sections.length - 1].body.push(blockHtml(block, i, ctx));
  });
  const [intro, ...rest] = sections;
  const parts: string[] = [];
  if (intro.body.length > 0) {
    parts.push(`<section class="intro">\n${intro.body.join("\n")}\n</section>`);
  }
  rest.forEach((s, k) => {
    const first = k === 0 && intro.body.length === 0 ? " first" : "";
    parts.push(
      `<section class="section${first}${s.unnumbered ? " unnumbered" : ""}">\n<h2>${
        prose(s.title ?? "")
      }</h2>\n${s.body.join("\n")}\n</section>`,
    );
  });
  if (answers.length > 0) {
    // On a page of its own in print, so a teacher can hand out the questions without it.
    parts.push(
      `<section class="section unnumbered answers">\n<h2>${ANSWERS_TITLE}</h2>\n${
        answers.map((b) => blockHtml(b, -1, ctx)).join("\n")
      }\n</section>`,
    );
  }
  const label = lessonLabel(handout.number);
  const masthead = mastheadLines(handout); // a teacher's --title, --author, --course
  const colophon = [
    "Made with stepgrad: every number on this page was computed by the lesson script, and every gradient can be checked three ways.",
    handout.command ? ` Run it yourself: <code>${escapeHtml(handout.command)}</code>.` : "",
    handout.seed !== undefined ? ` Seed ${handout.seed}.` : "",
  ].join("");
  const body = `<body>
<div class="page">
<header class="masthead">
<p class="kicker">${prose(masthead.kicker)}</p>
<h1>${prose(masthead.heading)}</h1>
<p class="summary">${prose(handout.summary)}</p>
</header>
<main>
${parts.join("\n")}
</main>
${options.colophon === false ? "" : `<footer class="colophon">${colophon}</footer>`}
</div>
</body>
`;
  return await htmlPage(`${label}: ${masthead.heading}`, body);
}

/**
 * A fragment (an optimizer trace from `traceToHtml`, say) as one complete offline page: KaTeX's
 * CSS with the fonts the fragment uses inlined, the handout's styles, the same Content Security
 * Policy (no scripts, nothing fetched).
 *
 * @example
 * ```ts
 * import { standalonePage } from "./html.ts";
 * import { renderTex } from "../render/katex.ts";
 * import assert from "node:assert/strict";
 * const page = await standalonePage("x² <small>", `<p>${renderTex("x^2")}</p>`);
 * assert.match(page, /^<!doctype html>/);
 * assert.match(page, /<title>x² &lt;small&gt;<\/title>/);
 * assert.match(page, /@font-face\{[^}]*KaTeX_Main[^}]*url\(data:font\/woff2;base64,/);
 * assert.doesNotMatch(page, /<script/);
 * ```
 */
export async function standalonePage(title: string, fragment: string): Promise<string> {
  const body = `<body>
<div class="page">
<main>
${fragment}
</main>
</div>
</body>
`;
  return await htmlPage(title, body);
}

/**
 * The page around a `<body>`: the Content Security Policy (no scripts, nothing fetched), KaTeX's
 * CSS with only the fonts the body's classes use, the handout's styles.
 */
async function htmlPage(title: string, body: string): Promise<string> {
  const { katexCss } = await import("./katex_css.ts");
  return htmlDocument({ title, styles: [await katexCss(pageClasses(body)), HANDOUT_CSS] }, body);
}

/** What goes in a page's head: its title, its Content Security Policy and its styles. */
export interface PageHead {
  /** The title, as plain text (escaped here). */
  title: string;
  /** The Content Security Policy; default {@linkcode CONTENT_SECURITY_POLICY}. */
  policy?: string;
  /** Style sheets, each in a `<style>` element of its own, in order. */
  styles: readonly string[];
}

/**
 * The one shell of every page stepgrad writes (a handout, `optimize --format html`, the explore
 * page, a standalone trace): the doctype, the head (charset, policy, viewport, generator,
 * title, styles) and the `<body>…</body>\n` given.
 *
 * @example
 * ```ts
 * import { htmlDocument } from "./html.ts";
 * import assert from "node:assert/strict";
 * const page = htmlDocument({ title: "a < b", styles: ["p{}"] }, "<body>\n</body>\n");
 * assert.match(page, /^<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n/);
 * assert.match(page, /content="default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:"/);
 * assert.match(page, /<title>a &lt; b<\/title>\n<style>p\{\}<\/style>\n<\/head>\n<body>\n<\/body>\n<\/html>\n$/);
 * ```
 */
export function htmlDocument(head: PageHead, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${head.policy ?? CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="stepgrad">
<title>${escapeHtml(head.title)}</title>
${head.styles.map((css) => `<style>${css}</style>`).join("\n")}
</head>
${body}</html>
`;
}
