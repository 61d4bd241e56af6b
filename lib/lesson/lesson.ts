/**
 * The lesson runner: a lesson script ends with `export default defineLesson(import.meta, {...})`.
 * Imported (by the handout command or a test), that is just the {@linkcode Lesson}; run directly
 * (`deno run lessons/01-the-update-rule.ts [--seed N]`), it prints itself on the terminal.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type Lesson, lessonLabel, lessonProblems, type Sink } from "../doc/doc.ts";
import { TerminalSink } from "../render/terminal.ts";

/** Display-math lines aligned at their first relation (defined with the document model). */
export { aligned } from "../doc/doc.ts";

/** What the command line asked for. */
export interface LessonArgs {
  /** `--seed N`, when given. */
  seed?: number;
  /** `--help` or `-h`. */
  help: boolean;
}

/**
 * Reads a lesson's command line: `--seed N` (a whole number) and `--help`. Anything else is a
 * `RangeError` with one line that says what was wrong.
 *
 * @example
 * ```ts
 * import { parseLessonArgs } from "./lesson.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseLessonArgs(["--seed", "7"]), { seed: 7, help: false });
 * assert.deepEqual(parseLessonArgs(["--seed=-3"]), { seed: -3, help: false });
 * assert.throws(() => parseLessonArgs(["--seed", "x"]), /--seed must be a whole number, got "x"/);
 * assert.throws(() => parseLessonArgs(["--speed"]), /unknown option "--speed"/);
 * ```
 */
export function parseLessonArgs(args: readonly string[]): LessonArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { seed: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const option = message.match(/option '([^']+)'/)?.[1]?.split(" ")[0];
    if (/Unknown option/i.test(message) && option) {
      throw new RangeError(`unknown option "${option}"; a lesson takes --seed N and --help`);
    }
    if (/argument missing/i.test(message)) {
      throw new RangeError("--seed needs a value, e.g. --seed 7");
    }
    if (/positional/i.test(message)) {
      const extra = args.find((a) => !a.startsWith("-"));
      throw new RangeError(
        `unexpected argument "${extra ?? ""}"; a lesson takes --seed N and --help`,
      );
    }
    throw new RangeError(message);
  }
  const out: LessonArgs = { help: parsed.values.help === true };
  const seed = parsed.values.seed;
  if (seed !== undefined) {
    if (!/^-?\d{1,15}$/.test(seed)) {
      throw new RangeError(`--seed must be a whole number, got "${seed}"`);
    }
    out.seed = Number(seed);
  }
  return out;
}

function scriptName(url: string): string {
  const name = url.split("/").pop() ?? url;
  return `lessons/${decodeURIComponent(name)}`;
}

/**
 * The `--help` text of a lesson.
 *
 * @example
 * ```ts
 * import { lessonHelp } from "./lesson.ts";
 * import assert from "node:assert/strict";
 * const help = lessonHelp(
 *   { number: 6, title: "Training an MLP", summary: "Two moons.", defaultSeed: 1337, run: () => {} },
 *   "lessons/06-training-an-mlp.ts",
 * );
 * assert.match(help, /^Lesson 06: Training an MLP\nTwo moons\./);
 * assert.match(help, /--seed N   seed for the random numbers \(default 1337\)/);
 * ```
 */
export function lessonHelp(lesson: Lesson, script: string): string {
  const seed = lesson.defaultSeed === undefined
    ? "  --seed N   accepted, but this lesson draws no random numbers"
    : `  --seed N   seed for the random numbers (default ${lesson.defaultSeed})`;
  return [
    `${lessonLabel(lesson.number)}: ${lesson.title}`,
    lesson.summary,
    "",
    `usage: deno run ${script} [--seed N]`,
    "",
    seed,
    "  --help     this text",
  ].join("\n");
}

/**
 * The heading a lesson is printed under: `Lesson 03 · Backprop by hand`. (A handout shows the
 * title in its own header, so lessons do not write it themselves.)
 *
 * @example
 * ```ts
 * import { lessonHeading } from "./lesson.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lessonHeading({ number: 3, title: "Backprop by hand", summary: "", run: () => {} }), "Lesson 03 · Backprop by hand");
 * ```
 */
export function lessonHeading(lesson: Lesson): string {
  return `${lessonLabel(lesson.number)} · ${lesson.title}`;
}

/** Where {@linkcode runLesson} writes: standard output and error unless told otherwise. */
export interface RunIO {
  /** The sink the lesson writes to (default: a {@linkcode TerminalSink}). */
  sink?: Sink;
  /** Prints help text (default: console.log). */
  out?: (text: string) => void;
  /** Prints one-line errors (default: console.error). */
  err?: (text: string) => void;
  /** The script's name for usage lines (default `lessons/<file>`). */
  script?: string;
}

/**
 * Runs a lesson from a command line and returns the exit status: 0 when it ran, 2 for a bad
 * command line (one line on stderr), 1 when the lesson failed (its message, no stack trace).
 *
 * @example
 * ```ts
 * import { runLesson } from "./lesson.ts";
 * import { Collector } from "../doc/doc.ts";
 * import assert from "node:assert/strict";
 * const sink = new Collector();
 * const lesson = {
 *   number: 99, title: "Seeds", summary: "Shows its seed.", defaultSeed: 5,
 *   run: (s: Collector, o?: { seed?: number }) => s.emit({ kind: "section", title: `seed ${o?.seed}` }),
 * };
 * assert.equal(await runLesson(lesson, ["--seed", "8"], { sink }), 0);
 * assert.deepEqual(sink.blocks, [
 *   { kind: "section", title: "Lesson 99 · Seeds" },
 *   { kind: "section", title: "seed 8" },
 * ]);
 * let error = "";
 * assert.equal(await runLesson(lesson, ["--seed"], { sink, err: (t) => (error = t) }), 2);
 * assert.match(error, /--seed needs a value/);
 * ```
 */
export async function runLesson(
  lesson: Lesson,
  args: readonly string[],
  io: RunIO = {},
): Promise<number> {
  const err = io.err ?? ((t: string) => console.error(t));
  const script = io.script ?? `lesson ${lesson.number}`;
  let parsed: LessonArgs;
  try {
    parsed = parseLessonArgs(args);
  } catch (e) {
    err(`${script}: ${(e as Error).message}`);
    return 2;
  }
  if (parsed.help) {
    (io.out ?? ((t: string) => console.log(t)))(lessonHelp(lesson, script));
    return 0;
  }
  const seed = parsed.seed ?? lesson.defaultSeed;
  const sink = io.sink ?? new TerminalSink();
  try {
    sink.emit({ kind: "section", title: lessonHeading(lesson) });
    await lesson.run(sink, seed === undefined ? {} : { seed });
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError || e instanceof SyntaxError) {
      err(`${script}: ${e.message}`);
      return 1;
    }
    throw e;
  }
  return 0;
}

/**
 * Declares a lesson: checks its fields (`lessonProblems`, the check the handout command makes
 * with `asLesson`; a `TypeError` naming what is missing) and returns it, and when the script is the program being
 * run (`import.meta.main`), runs it on the terminal with the command line's `--seed` and sets the
 * exit status.
 *
 * @example
 * ```ts
 * import { defineLesson } from "./lesson.ts";
 * import assert from "node:assert/strict";
 * const lesson = defineLesson(import.meta, {
 *   number: 1, title: "The update rule", summary: "Why W ← W − α·dW.",
 *   run: (sink) => sink.emit({ kind: "section", title: "The update rule" }),
 * });
 * assert.equal(lesson.title, "The update rule");
 * ```
 */
export function defineLesson(meta: ImportMeta, lesson: Lesson): Lesson {
  const missing = lessonProblems(lesson);
  if (missing.length > 0) {
    throw new TypeError(
      `${scriptName(meta.url)} does not define a lesson (missing: ${missing.join(", ")})`,
    );
  }
  if (meta.main) {
    runLesson(lesson, Deno.args, { script: scriptName(meta.url) }).then((code) => {
      Deno.exitCode = code;
    });
  }
  return lesson;
}
