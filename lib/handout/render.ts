/**
 * One entry point for every handout format: HTML, PDF, Markdown (with its figure files) and
 * LaTeX, each loaded only when asked for. Optimizer traces are drawn by lib/render's trace
 * renderers, the same ones the `optimize` command uses.
 *
 * @module
 */
import { lessonLabel } from "../doc/doc.ts";
import type { Handout } from "./handout.ts";
import type { Paper } from "./pdf.ts";

/** A rendered handout: the main file and any files that go beside it. */
export interface Rendered {
  /** The handout itself (text, or bytes for a PDF). */
  main: string | Uint8Array;
  /** Files beside it, by path relative to it (Markdown's figures). */
  files: Map<string, string>;
}

/** Options for {@linkcode renderFormat}. */
export interface RenderOptions {
  /** Paper size of a PDF (default A4). */
  paper?: Paper;
  /** Folder for Markdown's figures, relative to the `.md` file (default `figures`). */
  figuresFolder?: string;
}

/**
 * Renders a handout in one format.
 *
 * @example
 * ```ts
 * import { renderFormat } from "./render.ts";
 * import assert from "node:assert/strict";
 * const handout = {
 *   number: 1, title: "T", summary: "S.",
 *   blocks: [{ kind: "paragraph" as const, content: ["100% sure"] }],
 * };
 * const tex = await renderFormat(handout, "tex");
 * assert.match(String(tex.main), /100\\% sure/);
 * const md = await renderFormat(handout, "md");
 * assert.match(String(md.main), /100% sure/);
 * ```
 */
export async function renderFormat(
  handout: Handout,
  format: "html" | "pdf" | "md" | "tex",
  options: RenderOptions = {},
): Promise<Rendered> {
  switch (format) {
    case "html": {
      const { renderHtml } = await import("./html.ts");
      return { main: await renderHtml(handout), files: new Map() };
    }
    case "pdf": {
      const [{ renderHtml }, { htmlToPdf }] = await Promise.all([
        import("./html.ts"),
        import("./pdf.ts"),
      ]);
      const html = await renderHtml(handout, { colophon: false });
      const footer = [
        `stepgrad · ${lessonLabel(handout.number)}: ${handout.title}`,
        handout.command,
      ].filter((part) => part).join(" · ");
      return { main: await htmlToPdf(html, { paper: options.paper, footer }), files: new Map() };
    }
    case "md": {
      const { renderMarkdown } = await import("./markdown.ts");
      const { text, files } = await renderMarkdown(handout, { folder: options.figuresFolder });
      return { main: text, files };
    }
    case "tex": {
      const { renderLatex } = await import("./latex.ts");
      return { main: await renderLatex(handout), files: new Map() };
    }
    default:
      throw new RangeError(
        `unknown handout format ${JSON.stringify(format)}; expected html, pdf, md or tex`,
      );
  }
}
