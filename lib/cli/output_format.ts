/**
 * Which format `optimize` writes: `--format` when given (with `md` and `tex` as the short names
 * `handout` uses), else the one `--out`'s extension names (`.md`, `.tex`, `.json`, `.html`),
 * else text.
 *
 * @module
 */
import { UsageError } from "./usage_error.ts";

/** The formats `optimize` writes. */
export const OUTPUT_FORMATS = ["text", "latex", "markdown", "json", "html"] as const;

/** One of {@linkcode OUTPUT_FORMATS}. */
export type OutputFormat = typeof OUTPUT_FORMATS[number];

const ALIASES: Record<string, OutputFormat> = {
  text: "text",
  txt: "text",
  latex: "latex",
  tex: "latex",
  markdown: "markdown",
  md: "markdown",
  json: "json",
  html: "html",
  htm: "html",
};

/**
 * The format to write.
 *
 * @example
 * ```ts
 * import { outputFormat } from "./output_format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(outputFormat(undefined, "run.html"), "html");
 * assert.equal(outputFormat(undefined, "notes/run.MD"), "markdown");
 * assert.equal(outputFormat("tex", "run.html"), "latex"); // --format wins
 * assert.equal(outputFormat(undefined, undefined), "text");
 * assert.equal(outputFormat(undefined, "run.log"), "text");
 * assert.throws(() => outputFormat("pdf", undefined), /--format expects one of/);
 * ```
 */
export function outputFormat(format: string | undefined, out: string | undefined): OutputFormat {
  if (format !== undefined) {
    const f = ALIASES[format.toLowerCase()];
    if (f === undefined) {
      throw new UsageError(
        `--format expects one of ${
          OUTPUT_FORMATS.join(", ")
        }, got "${format}" (md and tex are short for markdown and latex)`,
      );
    }
    return f;
  }
  const ext = /\.([A-Za-z]+)$/.exec(out ?? "")?.[1]?.toLowerCase();
  return (ext !== undefined && ALIASES[ext]) || "text";
}
