/**
 * The tool's front door: `--version`, `help` and `--help` (aligned, on stdout, exit 0),
 * `lesson --help`, `deno task` with descriptions, and `deno install` giving a working `stepgrad`.
 */
import assert from "node:assert/strict";
import { VERSION } from "../../lib/cli/version.ts";

const root = new URL("../../", import.meta.url);
const MOD = new URL("mod.ts", root).pathname;
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function run(args: string[], options: { cwd?: string; cmd?: string } = {}) {
  const out = await new Deno.Command(options.cmd ?? Deno.execPath(), {
    args: options.cmd ? args : ["run", "-A", MOD, ...args],
    cwd: options.cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("--version prints deno.json's version and Deno's, on stdout, exit 0", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  assert.equal(VERSION, config.version, "lib/cli/version.ts and deno.json agree");
  for (const flag of ["--version", "-V", "version"]) {
    const r = await run([flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, `stepgrad ${config.version} (deno ${Deno.version.deno})\n`);
  }
});

Deno.test("help, --help and -h: every command, descriptions in one column, stdout, exit 0", async () => {
  const outputs = [];
  for (const flag of ["help", "--help", "-h"]) {
    const r = await run([flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    outputs.push(r.stdout);
  }
  assert.equal(outputs[0], outputs[1]);
  assert.equal(outputs[1], outputs[2]);
  const lines = outputs[0].split("\n");
  const start = lines.indexOf("commands:");
  const end = lines.indexOf("", start);
  const rows = lines.slice(start + 1, end);
  for (const name of ["lesson", "optimize", "check", "handout", "help"]) {
    assert.ok(rows.some((row) => row.startsWith(`  ${name} `)), `${name} is listed`);
  }
  // The description column: where the last run of two or more spaces ends, the same in each row.
  const column = (row: string) => [...row].length - [...row.replace(/^.*\S {2,}/, "")].length;
  const cols = new Set(rows.map(column));
  assert.equal(cols.size, 1, `aligned:\n${rows.join("\n")}`);
  assert.ok(rows.every((row) => [...row].length <= 100), "fits a wide terminal");
  assert.match(outputs[0], /usage: stepgrad <command>/);
  assert.match(outputs[0], /--version/);
});

Deno.test("help <command> is that command's --help", async () => {
  for (const name of ["handout", "lesson", "check"]) {
    const a = await run(["help", name]);
    const b = await run([name, "--help"]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    assert.match(a.stdout, /usage:/);
  }
});

Deno.test("lesson --help lists every lesson with its own title; exit 0, stdout", async () => {
  const r = await run(["lesson", "--help"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /^usage: stepgrad lesson <number or path>/);
  const files = [...Deno.readDirSync(new URL("lessons/", root))].map((e) => e.name)
    .filter((n) => /^\d\d-.*\.ts$/.test(n)).sort();
  assert.ok(files.length >= 7);
  for (const file of files) {
    const lesson = (await import(new URL(`lessons/${file}`, root).href)).default;
    const n = String(lesson.number).padStart(2);
    assert.ok(r.stdout.includes(`  ${n}  ${lesson.title}\n`), `${file}: "${lesson.title}"`);
  }
  // After a lesson's number, --help is the lesson's own.
  const own = await run(["lesson", "1", "--help"]);
  assert.equal(own.code, 0, own.stderr);
  assert.match(own.stdout, /^Lesson 01: The update rule/);
});

Deno.test("deno task lists every task with its description", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const r = await run(["task"], { cmd: Deno.execPath(), cwd: root.pathname });
  const listing = r.stdout + r.stderr;
  for (const [name, task] of Object.entries(config.tasks as Record<string, unknown>)) {
    assert.ok(typeof task === "object" && task !== null, `${name} is an object`);
    const { description, command } = task as { description?: string; command?: string };
    assert.ok(description && description.length > 10, `${name} has a description`);
    assert.ok(command, `${name} has a command`);
    assert.ok(listing.includes(`- ${name}\n`), `${name} listed`);
    assert.ok(listing.includes(description), `${name}'s description shown`);
  }
});

Deno.test("deno install -g gives a stepgrad command that works from any folder", async () => {
  const rootDir = await Deno.makeTempDir({ prefix: "stepgrad-install-" });
  const elsewhere = await Deno.makeTempDir({ prefix: "stepgrad-cwd-" });
  try {
    const install = await run(
      ["install", "-g", "-A", "-n", "stepgrad", "--root", rootDir, MOD],
      { cmd: Deno.execPath(), cwd: elsewhere },
    );
    assert.equal(install.code, 0, install.stderr);
    const bin = Deno.build.os === "windows"
      ? `${rootDir}\\bin\\stepgrad.cmd`
      : `${rootDir}/bin/stepgrad`;
    const version = await run(["--version"], { cmd: bin, cwd: elsewhere });
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `stepgrad ${VERSION} (deno ${Deno.version.deno})\n`);
    const lesson = await run(["lesson", "1"], { cmd: bin, cwd: elsewhere });
    assert.equal(lesson.code, 0, lesson.stderr);
    assert.match(lesson.stdout, /^Lesson 01 · The update rule/);
    const handout = await run(["handout", "1", "--out", "week1.md"], { cmd: bin, cwd: elsewhere });
    assert.equal(handout.code, 0, handout.stderr);
    assert.match(await Deno.readTextFile(`${elsewhere}/week1.md`), /The update rule/);
  } finally {
    await Deno.remove(rootDir, { recursive: true });
    await Deno.remove(elsewhere, { recursive: true });
  }
});
