/**
 * `handout <lesson number or path> --out FILE.html|.pdf|.md|.tex [--seed N] [--paper a4|letter]`:
 * runs a lesson on a collector and writes it as a worked example. The output is written only
 * once everything has rendered (to a temporary name, then renamed), so a mistake leaves no
 * half-written file.
 *
 * @module
 */
import { UsageError } from "./usage_error.ts";
import { readArgs } from "./args.ts";
import { resolveLesson } from "./lesson.ts";
import { basename, dirname, firstLine, writeOutput } from "./write.ts";

/** The formats `--out` can name, by extension. */
export const FORMATS = ["html", "pdf", "md", "tex"] as const;
/** A handout format. */
export type Format = typeof FORMATS[number];

const HELP = `usage: deno run -A mod.ts handout <lesson number or path> --out FILE [options]

Writes a lesson as a handout; the format follows FILE's extension:
  .html  one self-contained page (works offline, prints a page per section)
  .pdf   the same page printed by headless Chromium (Debian's "chromium" package)
  .md    Markdown with $$ math (GitHub, Jupyter); figures as SVG files in FILE-figures/
  .tex   a standalone LaTeX document (pdflatex; figures drawn with TikZ)

options:
  --out FILE              where to write (required)
  --seed N                seed for lessons that draw random numbers
  --paper a4|letter       paper size of a PDF (default a4)
  --interactive           live panels (.html only) where the lesson discusses a choice
  --title TEXT            the heading, in place of the lesson's title
  --author TEXT           who prepared it, printed in the masthead
  --course TEXT           the course, printed in the masthead
  --timeout SECONDS       how long the lesson may run (default 60); it runs in its own
                          process with no permissions, as "lesson" runs it
  --help                  this text`;

/** What the command line asked for. */
export interface HandoutArgs {
  /** The lesson file. */
  lesson: string;
  /** The output file. */
  out: string;
  /** The format, from the output's extension. */
  format: Format;
  /** `--seed`. */
  seed?: number;
  /** `--paper`. */
  paper: "a4" | "letter";
  /** `--interactive`: live panels in an HTML handout. */
  interactive?: boolean;
  /** `--title`, `--author`, `--course`: a teacher's branding for the masthead. */
  masthead?: { title?: string; author?: string; course?: string };
  /** `--timeout`: seconds the lesson may run (default 60). */
  timeout: number;
}

/**
 * Reads the command line; a `UsageError` (one line) for anything it cannot use.
 *
 * @example
 * ```ts
 * import { parseHandoutArgs } from "./handout.ts";
 * import assert from "node:assert/strict";
 * const args = parseHandoutArgs(["1", "--out", "week1.md", "--seed", "3"]);
 * assert.equal(args.format, "md");
 * assert.equal(args.seed, 3);
 * assert.throws(() => parseHandoutArgs(["1", "--out", "week1.docx"]), /\.html, \.pdf, \.md or \.tex/);
 * ```
 */
export function parseHandoutArgs(args: string[]): HandoutArgs {
  const parsed = readArgs(
    args,
    {
      out: { type: "string", short: "o" },
      seed: { type: "string" },
      paper: { type: "string" },
      timeout: { type: "string" },
      interactive: { type: "boolean" },
      title: { type: "string" },
      author: { type: "string" },
      course: { type: "string" },
    },
    (flag) =>
      `unknown option "${flag}"; handout takes --out FILE, --seed N, --paper a4|letter, --timeout SECONDS, --interactive, --title, --author, --course`,
  );
  const { positionals } = parsed;
  const values = parsed.values as {
    out?: string;
    seed?: string;
    paper?: string;
    timeout?: string;
    interactive?: true;
    title?: string;
    author?: string;
    course?: string;
  };
  if (positionals.length > 1) {
    throw new UsageError(
      `one lesson at a time, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const out = values.out;
  if (out === undefined || out === "") {
    throw new UsageError("where to? give --out FILE.html, FILE.pdf, FILE.md or FILE.tex");
  }
  const ext = out.match(/\.([A-Za-z]+)$/)?.[1]?.toLowerCase();
  if (!ext || !(FORMATS as readonly string[]).includes(ext)) {
    throw new UsageError(
      `cannot tell the format of "${out}": the file must end in .html, .pdf, .md or .tex`,
    );
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    if (!/^-?\d{1,15}$/.test(values.seed)) {
      throw new UsageError(`--seed must be a whole number, got "${values.seed}"`);
    }
    seed = Number(values.seed);
  }
  const paper = (values.paper ?? "a4").toLowerCase();
  if (paper !== "a4" && paper !== "letter") {
    throw new UsageError(`--paper must be a4 or letter, got "${values.paper}"`);
  }
  if (values.interactive && ext !== "html") {
    throw new UsageError(`--interactive needs an HTML handout (--out FILE.html), got "${out}"`);
  }
  const masthead: NonNullable<HandoutArgs["masthead"]> = {};
  for (const key of ["title", "author", "course"] as const) {
    const text = values[key];
    if (text === undefined) continue;
    // deno-lint-ignore no-control-regex -- a line break or other control character is refused
    if (text.trim() === "" || /[\u0000-\u001f\u007f]/.test(text) || text.length > 200) {
      throw new UsageError(`--${key} must be one line of 1 to 200 characters`);
    }
    masthead[key] = text.trim();
  }
  let timeout = 60;
  if (values.timeout !== undefined) {
    timeout = Number(values.timeout);
    if (values.timeout.trim() === "" || !(timeout > 0) || timeout > 86_400) {
      throw new UsageError(
        `--timeout must be a number of seconds from 0 to 86400, got "${values.timeout}"`,
      );
    }
  }
  return {
    lesson: positionals[0],
    out,
    format: ext as Format,
    seed,
    paper,
    timeout,
    ...(values.interactive ? { interactive: true } : {}),
    ...(Object.keys(masthead).length > 0 ? { masthead } : {}),
  };
}

function checkFolder(out: string): void {
  const dir = dirname(out);
  let info;
  try {
    info = Deno.statSync(dir);
  } catch {
    throw new UsageError(`cannot write "${out}": there is no folder "${dir}"`);
  }
  if (!info.isDirectory) throw new UsageError(`cannot write "${out}": "${dir}" is not a folder`);
  try {
    if (Deno.statSync(out).isDirectory) {
      throw new UsageError(`cannot write "${out}": it is a folder`);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
}

/** Figures an earlier run left in the folder that this handout no longer links to. */
async function removeStaleFigures(folder: string, files: Map<string, string>): Promise<void> {
  const current = new Set([...files.keys()].map(basename));
  try {
    for (const entry of Deno.readDirSync(folder)) {
      if (/^figure-\d+\.svg$/.test(entry.name) && !current.has(entry.name)) {
        await Deno.remove(`${folder}/${entry.name}`);
      }
    }
    if ([...Deno.readDirSync(folder)].length === 0) await Deno.remove(folder);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** How a reader runs the lesson: a path relative to the project, never a machine path. */
function runCommand(which: string, path: string, seed: number | undefined): string {
  const lessons = path.match(/(?:^|\/)(lessons\/\d\d-[^/]+\.ts)$/)?.[1];
  const script = lessons ?? (which.startsWith("/") ? basename(which) : which);
  return `deno run ${script}${seed === undefined ? "" : ` --seed ${seed}`}`;
}

/** Runs the command; exit status 0 when the handout was written. */
export async function handout(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const options = parseHandoutArgs(args);
  const path = resolveLesson(options.lesson);
  if (!/\.(ts|mts|js|mjs|tsx|jsx)$/i.test(path)) {
    throw new UsageError(
      `"${options.lesson}" is not a lesson: a lesson is a .ts or .js file that exports one`,
    );
  }
  checkFolder(options.out);
  // The lesson runs in its own process with no permissions and a time limit, as `lesson` runs it.
  const { collectIsolated, LessonRunError } = await import("../lesson/isolated.ts");
  let collected;
  try {
    collected = await collectIsolated(path, {
      seed: options.seed,
      timeoutMs: options.timeout * 1000,
      where: options.lesson,
    });
  } catch (e) {
    if (!(e instanceof LessonRunError)) throw e;
    if (e.kind === "failed") {
      const which = e.lessonNumber ?? `"${options.lesson}"`;
      console.error(`stepgrad handout: lesson ${which} failed: ${e.message}`);
      return 1;
    }
    throw new UsageError(
      e.kind === "not-a-lesson" || e.kind === "seed"
        ? e.message
        : `lesson "${options.lesson}": ${e.message}`,
    );
  }
  const { seeded } = collected;
  const data = {
    ...collected.handout,
    command: runCommand(options.lesson, path, seeded ? options.seed : undefined),
    ...(options.masthead ? { masthead: options.masthead } : {}),
  };
  if (options.seed !== undefined && !seeded) {
    console.error(
      `stepgrad handout: lesson ${data.number} draws no random numbers; --seed changes nothing`,
    );
  }
  const [{ renderFormat }, { ChromiumMissingError }] = await Promise.all([
    import("../handout/render.ts"),
    import("../handout/browser.ts"),
  ]);
  const stem = basename(options.out).replace(/\.[^.]+$/, "");
  let rendered;
  try {
    rendered = await renderFormat(data, options.format, {
      paper: options.paper,
      figuresFolder: `${stem}-figures`,
    });
  } catch (e) {
    if (e instanceof ChromiumMissingError) throw new UsageError(e.message);
    throw e;
  }
  if (options.interactive) {
    const { interactiveHandout, lessonPanels } = await import("../explore/handout.ts");
    const panels = lessonPanels({ EXPLORE: collected.explore });
    if (panels.length === 0) {
      console.error(
        `stepgrad handout: lesson ${data.number} has no live panels; --interactive adds nothing`,
      );
    }
    rendered = { ...rendered, main: await interactiveHandout(rendered.main as string, panels) };
  }
  try {
    for (const [relative, content] of rendered.files) {
      const target = `${dirname(options.out)}/${relative}`;
      await Deno.mkdir(dirname(target), { recursive: true });
      await writeOutput(target, content, `--out ${options.out} (figure ${relative})`);
    }
    if (options.format === "md") {
      await removeStaleFigures(`${dirname(options.out)}/${stem}-figures`, rendered.files);
    }
    await writeOutput(options.out, rendered.main);
  } catch (e) {
    if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotFound) {
      throw new UsageError(`cannot write "${options.out}": ${firstLine(e)}`);
    }
    throw e;
  }
  const extra = rendered.files.size > 0
    ? ` (and ${rendered.files.size} figure${
      rendered.files.size === 1 ? "" : "s"
    } in ${stem}-figures/)`
    : "";
  console.error(`wrote ${options.out}${extra}`);
  return 0;
}
