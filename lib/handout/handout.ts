/**
 * A handout: a lesson run once on a {@linkcode Collector}, with its title and the seed it ran
 * with. Every format (HTML, PDF, Markdown, LaTeX) renders this same plain data.
 *
 * @module
 */
import { type Block, Collector, type Lesson } from "./doc.ts";

/** What every handout format renders. */
export interface Handout {
  /** The lesson's number. */
  number: number;
  /** The lesson's title. */
  title: string;
  /** One sentence: what the reader will see. */
  summary: string;
  /** The seed the lesson ran with, when it draws random numbers. */
  seed?: number;
  /** How to run the lesson (`deno run lessons/01-the-update-rule.ts`), shown in the footer. */
  command?: string;
  /** The lesson's blocks, in order. */
  blocks: Block[];
}

/**
 * Checks that a module's default export is a lesson; a `TypeError` naming what is missing when
 * it is not.
 *
 * @example
 * ```ts
 * import { asLesson } from "./handout.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => asLesson({ default: 1 }, "x.ts"), TypeError);
 * const lesson = { number: 1, title: "t", summary: "s", run() {} };
 * assert.equal(asLesson({ default: lesson }, "x.ts"), lesson);
 * ```
 */
export function asLesson(module: unknown, where: string): Lesson {
  const lesson = (module as { default?: unknown } | null)?.default as Partial<Lesson> | undefined;
  const missing = [
    typeof lesson?.number === "number" && Number.isInteger(lesson.number) ? "" : "number",
    typeof lesson?.title === "string" ? "" : "title",
    typeof lesson?.summary === "string" ? "" : "summary",
    typeof lesson?.run === "function" ? "" : "run",
  ].filter((m) => m !== "");
  if (lesson === undefined || typeof lesson !== "object" || missing.length > 0) {
    throw new TypeError(
      `${where} does not export a lesson as its default export (missing: ${
        missing.join(", ") || "the export"
      })`,
    );
  }
  return lesson as Lesson;
}

/**
 * Runs a lesson on a collector and returns its handout. The seed (the one asked for, else the
 * lesson's default) is recorded only for lessons that draw random numbers (`defaultSeed`).
 *
 * @example
 * ```ts
 * import { collectHandout } from "./handout.ts";
 * import { Doc } from "./doc.ts";
 * import assert from "node:assert/strict";
 * const handout = await collectHandout({
 *   number: 9, title: "Nine", summary: "A test.",
 *   run(sink) { new Doc(sink).say("hello"); },
 * });
 * assert.equal(handout.blocks.length, 1);
 * assert.equal(handout.seed, undefined);
 * ```
 */
export async function collectHandout(
  lesson: Lesson,
  options: { seed?: number; command?: string } = {},
): Promise<Handout> {
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new RangeError(`the seed must be a whole number, got ${options.seed}`);
  }
  const sink = new Collector();
  // A lesson without randomness has no seed to show, whatever was asked for.
  const seed = lesson.defaultSeed === undefined ? undefined : options.seed ?? lesson.defaultSeed;
  await lesson.run(sink, seed === undefined ? {} : { seed });
  return {
    number: lesson.number,
    title: lesson.title,
    summary: lesson.summary,
    ...(seed === undefined ? {} : { seed }),
    ...(options.command ? { command: options.command } : {}),
    blocks: sink.blocks,
  };
}
