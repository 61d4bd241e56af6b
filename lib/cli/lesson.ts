/**
 * `lesson <number or path>`: runs a lesson script in its own Deno process, with no permissions.
 *
 * @module
 */
import { UsageError } from "./usage_error.ts";

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

/** `lesson --help`: how to run one, its own options, and the lessons there are. */
export function lessonHelp(): string {
  const rows = listLessons().map((name) => {
    const m = name.match(/^(\d\d)-(.*)\.ts$/)!;
    let title = m[2].replaceAll("-", " ");
    try {
      const source = Deno.readTextFileSync(new URL(name, LESSONS_DIR));
      const lesson = source.slice(source.indexOf("defineLesson(import.meta, {"));
      title = lesson.match(/^ {2}title: "([^"\\]+)",$/m)?.[1] ?? title; // defineLesson's own
    } catch { /* the file name will do */ }
    return `  ${String(Number(m[1])).padStart(2)}  ${title}`;
  });
  return [
    "usage: stepgrad lesson <number or path> [the lesson's options]",
    "",
    "Runs a lesson in its own Deno process, with no permissions, as",
    "`deno run lessons/NN-name.ts` would. Options after the lesson go to it:",
    "  --seed N   where the lesson draws random numbers",
    "  --help     that lesson's own help (stepgrad lesson 6 --help)",
    "",
    "lessons:",
    ...rows,
    "",
    "options:",
    "  --help, -h  this text",
  ].join("\n");
}

/** Runs the lesson; its exit status is the command's. */
export async function lesson(args: string[]): Promise<number> {
  const [which, ...rest] = args;
  if (which === "--help" || which === "-h") {
    console.log(lessonHelp());
    return 0;
  }
  const path = resolveLesson(which);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", path, ...rest],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}
