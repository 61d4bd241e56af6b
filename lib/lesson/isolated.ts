/**
 * Runs a lesson for a handout the way `lesson` runs one: in its own Deno process with no
 * permissions (it cannot read, write, run or reach the network) and a time limit. The process
 * imports the lesson and stepgrad's collector, runs the lesson on the collector, and prints the
 * handout as JSON (non-finite numbers and −0 kept); this process renders it. A lesson that is
 * not a lesson, fails to load, ends the process itself (`Deno.exit`), never settles or runs past
 * the limit is a {@linkcode LessonRunError} with one line that says which.
 *
 * @module
 */
import type { Handout } from "../handout/handout.ts";

/** Why a lesson could not be collected. */
export type LessonRunFailure =
  | "load" // the file could not be loaded as a module (syntax error, not code)
  | "not-a-lesson" // it loaded but exports no lesson
  | "exit" // it ended the process itself
  | "unsettled" // it waited on a promise that never settles
  | "timeout" // it ran past the time limit
  | "seed" // the seed cannot be used
  | "failed"; // the lesson threw

/** A lesson that could not be collected; `message` is one line. */
export class LessonRunError extends Error {
  override name = "LessonRunError";
  /** Creates the error. */
  constructor(
    readonly kind: LessonRunFailure,
    message: string,
    /** The lesson's number, when it was read before the failure. */
    readonly lessonNumber?: number,
  ) {
    super(message);
  }
}

/** What the lesson process reports. */
export interface IsolatedResult {
  /** The handout, without its `command`. */
  handout: Handout;
  /** The lesson draws random numbers (it has a default seed). */
  seeded: boolean;
  /** The lesson module's `EXPLORE` export (live panels for `--interactive`), as plain data. */
  explore?: unknown;
}

const MARK = "@@stepgrad-handout";

/** JSON with NaN, ±Infinity and −0 kept (as `{"$n": "NaN"}` and the like). */
export function encodeNumbers(_key: string, v: unknown): unknown {
  return typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0)) ? { $n: String(v) } : v;
}

/** The inverse of {@linkcode encodeNumbers}. */
export function decodeNumbers(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "$n") {
      return Number((v as { $n: string }).$n);
    }
  }
  return v;
}

function childSource(
  lessonUrl: string,
  where: string,
  seed: number | undefined,
  mark: string,
): string {
  const here = (p: string) => JSON.stringify(new URL(p, import.meta.url).href);
  return `import * as mod from ${JSON.stringify(lessonUrl)};
import { asLesson, collectHandout } from ${here("../handout/handout.ts")};
import { encodeNumbers } from ${here("./isolated.ts")};
let out, lesson;
try {
  try {
    lesson = asLesson(mod, ${JSON.stringify(where)});
  } catch (e) {
    throw Object.assign(e, { kind: "not-a-lesson" });
  }
  const handout = await collectHandout(lesson, { seed: ${
    seed === undefined ? "undefined" : seed
  } });
  out = { ok: true, handout, seeded: lesson.defaultSeed !== undefined, explore: mod.EXPLORE };
} catch (e) {
  const kind = e?.kind ?? (e instanceof RangeError && /seed/.test(e.message) ? "seed" : "failed");
  out = { ok: false, kind, number: lesson?.number, message: String(e?.message ?? e).split("\\n")[0] };
}
const bytes = new TextEncoder().encode("\\n${mark}\\n" + JSON.stringify(out, encodeNumbers));
for (let done = 0; done < bytes.length;) done += await Deno.stdout.write(bytes.subarray(done));
`;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function firstError(stderr: string): string {
  const lines = stderr.replace(ANSI, "").split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const line = lines.find((l) => /^error:/i.test(l)) ?? lines[0] ?? "";
  return line.replace(/^error:\s*/i, "").replace(/\s+/g, " ").slice(0, 300);
}

/**
 * Runs the lesson at `path` in its own process (no permissions, `timeoutMs` limit) and returns
 * its handout.
 *
 * @example
 * ```ts ignore
 * import { collectIsolated } from "./isolated.ts";
 * const { handout } = await collectIsolated("lessons/01-the-update-rule.ts", { timeoutMs: 60_000 });
 * ```
 */
export async function collectIsolated(
  path: string,
  options: { seed?: number; timeoutMs: number; where?: string },
): Promise<IsolatedResult> {
  const absolute = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  const lessonUrl = new URL(`file://${absolute}`).href;
  const dir = await Deno.makeTempDir({ prefix: "stepgrad-handout-" });
  try {
    const entry = `${dir}/collect.ts`;
    // A mark the lesson cannot guess, so nothing it prints passes for the result.
    const mark = `${MARK}-${crypto.randomUUID()}@@`;
    await Deno.writeTextFile(
      entry,
      childSource(lessonUrl, options.where ?? path, options.seed, mark),
    );
    const config = new URL("../../deno.json", import.meta.url);
    let hasConfig = false;
    try {
      hasConfig = config.protocol === "file:" && Deno.statSync(config).isFile;
    } catch {
      hasConfig = false;
    }
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--quiet",
        ...(hasConfig ? ["--config", config.pathname] : []),
        entry,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    let out;
    try {
      out = await child.output();
    } finally {
      clearTimeout(timer);
    }
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    const seconds = options.timeoutMs / 1000;
    if (timedOut) {
      throw new LessonRunError(
        "timeout",
        `the lesson did not finish within ${seconds} s (give more time with --timeout SECONDS)`,
      );
    }
    const at = stdout.lastIndexOf(`\n${mark}\n`);
    if (at < 0) {
      if (/never resolved/i.test(stderr)) {
        throw new LessonRunError(
          "unsettled",
          "the lesson never finished: it waits on a promise that never settles",
        );
      }
      if (out.code !== 0 && stderr.trim() !== "") {
        throw new LessonRunError("load", `cannot load the lesson: ${firstError(stderr)}`);
      }
      throw new LessonRunError(
        "exit",
        `the lesson ended its process itself (exit status ${out.code}, e.g. Deno.exit) before it finished`,
      );
    }
    const result = JSON.parse(stdout.slice(at + mark.length + 2), decodeNumbers);
    if (!result.ok) throw new LessonRunError(result.kind, result.message, result.number);
    return {
      handout: result.handout as Handout,
      seeded: result.seeded === true,
      ...(result.explore === undefined ? {} : { explore: result.explore }),
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
