/**
 * Every lesson, as a learner runs it: `deno run lessons/NN-name.ts` with no permission flags, in
 * its own process. It must exit 0, print its first line fast, print the same bytes for the same
 * seed, and refuse a bad command line with one clear line.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
const LESSONS = [...Deno.readDirSync(new URL("lessons/", ROOT))]
  .map((e) => e.name)
  .filter((n) => /^\d\d-.*\.ts$/.test(n))
  .sort();

async function runLesson(
  name: string,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", `lessons/${name}`, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("the lessons are 01 to 10, one file each", () => {
  assert.deepEqual(
    LESSONS.map((n) => n.slice(0, 2)),
    ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"],
  );
});

Deno.test("each lesson file exports the Lesson its name promises", async () => {
  for (const name of LESSONS) {
    const lesson = (await import(new URL(`lessons/${name}`, ROOT).href)).default;
    assert.equal(lesson.number, Number(name.slice(0, 2)), name);
    assert.ok(lesson.title.length > 0 && lesson.summary.length > 0, name);
    assert.equal(typeof lesson.run, "function", name);
  }
});

for (const name of LESSONS) {
  Deno.test(`${name} runs with plain deno run, exits 0, same bytes twice`, async () => {
    const first = await runLesson(name);
    assert.equal(first.code, 0, `exit ${first.code}; stderr:\n${first.stderr}`);
    assert.equal(first.stderr, "", "nothing on stderr when it is not a terminal");
    const number = name.slice(0, 2);
    assert.match(first.stdout.split("\n")[0], new RegExp(`^Lesson ${number} · `));
    assert.ok(!first.stdout.includes("NaN"), "no NaN shown to the learner");
    assert.ok(!/\/work\/|file:\/\//.test(first.stdout), "no machine paths");
    const second = await runLesson(name);
    assert.equal(second.stdout, first.stdout);
  });

  Deno.test(`${name}: --help and a bad command line`, async () => {
    const help = await runLesson(name, ["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, new RegExp(`usage: deno run lessons/${name} \\[--seed N\\]`));
    const bad = await runLesson(name, ["--seed", "seven"]);
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr.trim(),
      `lessons/${name}: --seed must be a whole number, got "seven"`,
    );
    const unknown = await runLesson(name, ["--fast"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option "--fast"; a lesson takes --seed N and --help/);
    assert.equal(unknown.stderr.trim().split("\n").length, 1, "one line, no stack trace");
  });
}
