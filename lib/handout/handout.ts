/**
 * A handout: a lesson run once on a {@linkcode Collector}, with its title and the seed it ran
 * with. Every format (HTML, PDF, Markdown, LaTeX) renders this same plain data.
 *
 * @module
 */
import { type Block, Collector, type Lesson, lessonLabel, lessonProblems } from "../doc/doc.ts";

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
  /** A teacher's branding for the masthead (`handout --title --author --course`). */
  masthead?: Masthead;
}

/**
 * What a teacher prints at the top of a handout: plain text, escaped by every format. With a
 * `title`, the heading is the teacher's and the lesson's own title moves into the line above it.
 */
export interface Masthead {
  /** The heading, in place of the lesson's title. */
  title?: string;
  /** Who prepared the handout. */
  author?: string;
  /** The course it is for (in place of "stepgrad" in the line above the heading). */
  course?: string;
}

/**
 * The masthead's two lines for a handout: the line above the heading (course or "stepgrad", the
 * lesson, the author) and the heading itself. Plain text, for each format to escape.
 *
 * @example
 * ```ts
 * import { mastheadLines } from "./handout.ts";
 * import assert from "node:assert/strict";
 * const lesson = { number: 3, title: "Backprop by hand", summary: "", blocks: [] };
 * assert.deepEqual(mastheadLines(lesson), {
 *   kicker: "stepgrad · Lesson 03",
 *   heading: "Backprop by hand",
 * });
 * const branded = { ...lesson, masthead: { title: "Week 3", author: "A. Teacher", course: "ML 101" } };
 * assert.deepEqual(mastheadLines(branded), {
 *   kicker: "ML 101 · Lesson 03: Backprop by hand · A. Teacher",
 *   heading: "Week 3",
 * });
 * ```
 */
export function mastheadLines(handout: Handout): { kicker: string; heading: string } {
  const m = handout.masthead ?? {};
  const label = lessonLabel(handout.number);
  return {
    kicker: [m.course || "stepgrad", m.title ? `${label}: ${handout.title}` : label, m.author]
      .filter((part) => part).join(" · "),
    heading: m.title || handout.title,
  };
}

/**
 * Checks that a module's default export is a lesson (`lessonProblems`, the check `defineLesson`
 * makes); a `TypeError` naming what is missing when it is not.
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
  const lesson = (module as { default?: unknown } | null)?.default;
  const missing = lessonProblems(lesson);
  if (typeof lesson !== "object" || lesson === null || missing.length > 0) {
    throw new TypeError(
      `${where} does not export a lesson as its default export (missing: ${
        typeof lesson === "object" && lesson !== null ? missing.join(", ") : "the export"
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
 * import { Doc } from "../doc/doc.ts";
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
