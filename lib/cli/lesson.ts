/**
 * `lesson <number or path>`: runs a lesson script in its own Deno process, with no permissions.
 *
 * @module
 */
import { UsageError } from "./main.ts";

const LESSONS_DIR = new URL("../../lessons/", import.meta.url);

/** The lesson files, sorted by number. */
export function listLessons(): string[] {
  return [...Deno.readDirSync(LESSONS_DIR)]
    .map((e) => e.name)
    .filter((n) => /^\d\d-.*\.ts$/.test(n))
    .sort();
}

/** Finds a lesson by number (`3`, `03`) or path; a clear error when there is none. */
export function resolveLesson(which: string | undefined): string {
  if (which === undefined || which === "") {
    throw new UsageError(
      `which lesson? give a number or a path; lessons: ${listLessons().join(", ")}`,
    );
  }
  if (/^\d{1,2}$/.test(which)) {
    const prefix = which.padStart(2, "0") + "-";
    const name = listLessons().find((n) => n.startsWith(prefix));
    if (!name) {
      throw new UsageError(`there is no lesson ${which}; lessons: ${listLessons().join(", ")}`);
    }
    return new URL(name, LESSONS_DIR).pathname;
  }
  try {
    if (!Deno.statSync(which).isFile) throw new Error();
  } catch (e) {
    // Without read access the file may well be there: say that, not that there is none.
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) throw e;
    throw new UsageError(`no lesson file at "${which}"`);
  }
  return which;
}

/** Runs the lesson; its exit status is the command's. */
export async function lesson(args: string[]): Promise<number> {
  const [which, ...rest] = args;
  const path = resolveLesson(which);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", path, ...rest],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}
