/**
 * The handouts under test: every lesson in lessons/ and the fixture that uses every block kind,
 * each run once per test process (lesson 06 trains a network for seconds).
 */
import { listLessons } from "../../lib/cli/lesson.ts";
import { asLesson, collectHandout, type Handout } from "../../lib/handout/handout.ts";

/** The fixture lesson's path, relative to the project. */
export const FIXTURE = "tests/fixtures/handout/every_block.ts";

const ROOT = new URL("../../", import.meta.url);

let cache: Promise<{ name: string; handout: Handout }[]> | undefined;

/** Every lesson and the fixture, collected with their default seeds. */
export function allHandouts(): Promise<{ name: string; handout: Handout }[]> {
  cache ??= (async () => {
    const files = [...listLessons().map((n) => `lessons/${n}`), FIXTURE];
    const out = [];
    for (const file of files) {
      const lesson = asLesson(await import(new URL(file, ROOT).href), file);
      out.push({
        name: file,
        handout: await collectHandout(lesson, { command: `deno run ${file}` }),
      });
    }
    return out;
  })();
  return cache;
}

/** The fixture alone (fast). */
export async function fixtureHandout(seed?: number): Promise<Handout> {
  const lesson = asLesson(await import(new URL(FIXTURE, ROOT).href), FIXTURE);
  return collectHandout(lesson, { seed, command: `deno run ${FIXTURE}` });
}
