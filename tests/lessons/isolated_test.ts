/**
 * `handout` runs the lesson as `lesson` does (issue 10, points 13–14): in its own process with no
 * permissions and a time limit. Every way a file can fail to be a lesson gives exit 2 and one
 * line, and nothing written; a missing permission is one line naming the flag; a closed pipe ends
 * quietly.
 */
import assert from "node:assert/strict";
import { main } from "../../lib/cli/main.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const errs: string[] = [];
  const error = console.error, log = console.log;
  console.error = (...a: unknown[]) => errs.push(a.join(" "));
  console.log = () => {};
  try {
    return { code: await main(args), err: errs.join("\n") };
  } finally {
    console.error = error;
    console.log = log;
  }
}

const LESSON = (body: string) =>
  `export default { number: 9, title: "t", summary: "s", run(sink) { ${body} } };\n`;

Deno.test("a lesson that is not one, or misbehaves: exit 2, one line, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files: [string, string, RegExp, string[]?][] = [
      ["exit.ts", LESSON("Deno.exit(0);"), /ended its process itself/],
      ["never.ts", LESSON("return new Promise(() => {});"), /never finished/],
      ["loop.ts", LESSON("for (;;) {}"), /did not finish within 1 s.*--timeout/, [
        "--timeout",
        "1",
      ]],
      ["syntax.ts", "export default {{{\n", /cannot load the lesson/],
      ["none.ts", "export const x = 1;\n", /does not export a lesson/],
      ["hostname", "vm\n", /is not a lesson/],
    ];
    for (const [name, text, message, extra] of files) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
      const out = `${dir}/out-${name}.md`;
      const t0 = performance.now();
      const { code, err } = await run([
        "handout",
        `${dir}/${name}`,
        "--out",
        out,
        ...(extra ?? []),
      ]);
      assert.equal(code, 2, `${name}: ${err}`);
      assert.equal(err.trim().split("\n").length, 1, err);
      assert.match(err, message, name);
      assert.ok(performance.now() - t0 < 15_000, `${name} answered in time`);
      await assert.rejects(Deno.stat(out), Deno.errors.NotFound, `${name}: nothing written`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lesson runs with no permissions: it cannot write a file, and says so", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/pwned.txt`;
    await Deno.writeTextFile(
      `${dir}/write.ts`,
      LESSON(`Deno.writeTextFileSync(${JSON.stringify(target)}, "x");`),
    );
    const { code, err } = await run(["handout", `${dir}/write.ts`, "--out", `${dir}/o.md`]);
    assert.equal(code, 1);
    assert.match(err, /lesson 9 failed: .*write access/);
    await assert.rejects(Deno.stat(target), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(`${dir}/o.md`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("handout --seed -1 reads the negative seed; --timeout must be a positive number", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/seeded.ts`,
      `export default { number: 9, title: "t", summary: "s", defaultSeed: 1,
        run(sink, o) { sink.emit({ kind: "paragraph", content: ["seed " + o.seed] }); } };\n`,
    );
    const { code, err } = await run([
      "handout",
      `${dir}/seeded.ts`,
      "--seed",
      "-1",
      "--out",
      `${dir}/s.md`,
    ]);
    assert.equal(code, 0, err);
    assert.match(await Deno.readTextFile(`${dir}/s.md`), /seed -1/);
    for (const bad of ["0", "-5", "abc", ""]) {
      const r = await run(["handout", "1", "--timeout", bad, "--out", `${dir}/t.md`]);
      assert.equal(r.code, 2);
      assert.match(r.err, /--timeout/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function process(args: string[], perms: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...perms, MOD, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, err: new TextDecoder().decode(out.stderr) };
}

Deno.test("a missing permission: one line naming the flag, exit 2, no stack trace", async () => {
  for (
    const [args, perms, flag] of [
      [["lesson", "1"], [], /--allow-read/],
      [["handout", "1", "--out", "/tmp/never-written.md"], ["--allow-read"], /--allow-write/],
      [
        ["handout", "./lessons/01-the-update-rule.ts", "--out", "/tmp/x.md"],
        [],
        /read access.*--allow-read/,
      ],
    ] as const
  ) {
    const { code, err } = await process([...args], [...perms]);
    assert.equal(code, 2, err);
    assert.equal(err.trim().split("\n").length, 1, err);
    assert.match(err, flag);
    assert.doesNotMatch(err, /\n\s+at |NotCapable|Uncaught/);
  }
});

Deno.test("a closed pipe (optimize … | head -1) ends quietly", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "optimize", "x^2", "--start", "x=1", "--steps", "5000"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read(); // the first chunk, as head -1 reads it, then close the pipe
  await reader.cancel();
  const err = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
  const { code } = await child.status;
  assert.equal(err, "");
  assert.equal(code, 0);
});
