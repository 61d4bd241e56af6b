/** `stepgrad lesson N`: the same lesson, in its own process, with the same exit statuses. */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
const dec = new TextDecoder();

async function run(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("stepgrad lesson 1 prints what deno run lessons/01-… prints", async () => {
  const direct = await run(["run", "lessons/01-the-update-rule.ts"]);
  const viaTool = await run(["run", "-A", "mod.ts", "lesson", "1"]);
  assert.equal(viaTool.code, 0);
  assert.equal(viaTool.stdout, direct.stdout);
  const byPath = await run(["run", "-A", "mod.ts", "lesson", "lessons/01-the-update-rule.ts"]);
  assert.equal(byPath.stdout, direct.stdout);
});

Deno.test("stepgrad lesson: unknown lessons and bad options, one line and exit 2", async () => {
  const missing = await run(["run", "-A", "mod.ts", "lesson", "99"]);
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /^stepgrad lesson: there is no lesson 99; lessons: 01-the-update-rule\.ts, /,
  );
  const none = await run(["run", "-A", "mod.ts", "lesson"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /which lesson\? give a number or a path/);
  const badSeed = await run(["run", "-A", "mod.ts", "lesson", "6", "--seed", "1.5"]);
  assert.equal(badSeed.code, 2);
  assert.equal(
    badSeed.stderr.trim(),
    'lessons/06-training-an-mlp.ts: --seed must be a whole number, got "1.5"',
  );
});
