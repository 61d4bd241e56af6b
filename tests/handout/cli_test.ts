/**
 * The handout command as a user runs it: `deno run -A mod.ts handout …` in its own process.
 * Success writes the file (and Markdown's figures); a mistake prints one line, exits 2 and
 * leaves nothing behind; two runs give the same bytes.
 */
import assert from "node:assert/strict";
import { chromiumAvailable } from "../../lib/handout/browser.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURE = "tests/fixtures/handout/every_block.ts";

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "handout", ...args],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

function listing(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("handout writes HTML, Markdown with its figures, and LaTeX; twice gives the same bytes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const ext of ["html", "md", "tex"]) {
      const a = await run([FIXTURE, "--out", `${dir}/a.${ext}`, "--seed", "5"]);
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stderr, new RegExp(`^wrote ${dir}/a\\.${ext}`));
      const b = await run([FIXTURE, "--out", `${dir}/b.${ext}`, "--seed", "5"]);
      assert.equal(b.code, 0, b.stderr);
      const first = await Deno.readTextFile(`${dir}/a.${ext}`);
      const second = await Deno.readTextFile(`${dir}/b.${ext}`);
      // Markdown names its figure folder after the file; otherwise the bytes are the same.
      assert.equal(first.replaceAll("a-figures/", "b-figures/"), second);
    }
    assert.deepEqual(listing(`${dir}/a-figures`), [
      "figure-1.svg",
      "figure-2.svg",
      "figure-3.svg",
      "figure-4.svg",
    ]);
    for (const name of listing(`${dir}/a-figures`)) {
      assert.equal(
        await Deno.readTextFile(`${dir}/a-figures/${name}`),
        await Deno.readTextFile(`${dir}/b-figures/${name}`),
      );
    }
    const other = await run([FIXTURE, "--out", `${dir}/c.html`, "--seed", "6"]);
    assert.equal(other.code, 0);
    assert.notEqual(
      await Deno.readTextFile(`${dir}/c.html`),
      await Deno.readTextFile(`${dir}/a.html`),
    );
    assert.ok(
      (await Deno.readTextFile(`${dir}/a.html`)).includes(
        "deno run tests/fixtures/handout/every_block.ts --seed 5",
      ),
    );
    assert.deepEqual(listing(dir).filter((n) => n.startsWith(".")), [], "no temporary files left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("handout input it cannot use: one line on stderr, exit 2, nothing written", async (t) => {
  const dir = await Deno.makeTempDir();
  const broken = `${dir}/broken_lesson.ts`;
  await Deno.writeTextFile(
    broken,
    `export default { number: 1, title: "t", summary: "s", run(sink) {
      sink.emit({ kind: "paragraph", content: [{ tex: "\\\\frac{1}{", text: "1/" }] });
    } };\n`,
  );
  await Deno.writeTextFile(`${dir}/not_a_lesson.ts`, "export const x = 1;\n");
  await Deno.writeTextFile(`${dir}/unparsable.ts`, "export default {\n");
  const cases: [string, string[], RegExp][] = [
    [
      "a file that does not parse",
      [`${dir}/unparsable.ts`, "--out", `${dir}/x.html`],
      /cannot load the lesson/,
    ],
    ["no --out", ["1"], /give --out FILE\.html, FILE\.pdf, FILE\.md or FILE\.tex/],
    ["unknown format", ["1", "--out", `${dir}/x.docx`], /must end in \.html, \.pdf, \.md or \.tex/],
    ["no such lesson", ["42", "--out", `${dir}/x.html`], /there is no lesson 42; lessons: 01-/],
    ["no such file", [`${dir}/nope.ts`, "--out", `${dir}/x.html`], /no lesson file at/],
    ["no such folder", ["1", "--out", `${dir}/no/such/x.html`], /there is no folder/],
    [
      "bad seed",
      ["1", "--out", `${dir}/x.html`, "--seed", "1.5"],
      /--seed must be a whole number, got "1\.5"/,
    ],
    ["bad paper", ["1", "--out", `${dir}/x.pdf`, "--paper", "a5"], /--paper must be a4 or letter/],
    ["unknown option", ["1", "--out", `${dir}/x.html`, "--colour"], /unknown option "--colour"/],
    [
      "not a lesson",
      [`${dir}/not_a_lesson.ts`, "--out", `${dir}/x.html`],
      /does not export a lesson/,
    ],
    [
      "a formula KaTeX rejects",
      [broken, "--out", `${dir}/x.html`],
      /KaTeX cannot render "\\\\frac\{1\}\{"/,
    ],
  ];
  try {
    for (const [name, args, message] of cases) {
      await t.step(name, async () => {
        const r = await run(args);
        assert.equal(r.code, 2, `${r.stderr}`);
        const lines = r.stderr.trimEnd().split("\n");
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], /^stepgrad handout: /);
        assert.match(lines[0], message);
        assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+/, "no stack trace");
      });
    }
    assert.deepEqual(
      listing(dir),
      ["broken_lesson.ts", "not_a_lesson.ts", "unparsable.ts"],
      "nothing written",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "handout --out FILE.pdf prints with Chromium (Letter on request)",
  ignore: !chromiumAvailable(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const r = await run([FIXTURE, "--out", `${dir}/x.pdf`, "--paper", "letter"]);
      assert.equal(r.code, 0, r.stderr);
      const pdf = new TextDecoder("latin1").decode(await Deno.readFile(`${dir}/x.pdf`));
      assert.match(pdf, /^%PDF-/);
      assert.match(pdf, /\/MediaBox \[0 0 612 792\]/);
      assert.match(pdf, /\/CreationDate \(D:20000101000000/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("handout --out FILE.pdf without Chromium names the package to install", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await run([FIXTURE, "--out", `${dir}/x.pdf`], {
      STEPGRAD_CHROMIUM: `${dir}/no-chromium-here`,
    });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /Debian's "chromium" package \(apt-get install -y chromium\)/);
    assert.deepEqual(listing(dir), [], "nothing written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Markdown figures of an earlier run that the new handout does not use are removed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal((await run([FIXTURE, "--out", `${dir}/notes.md`])).code, 0);
    assert.equal(listing(`${dir}/notes-figures`).length, 4);
    await Deno.writeTextFile(`${dir}/notes-figures/mine.txt`, "a file of the user's");
    // Lesson 01 draws one picture: the old run's other figures go, the user's file stays.
    const r = await run(["1", "--out", `${dir}/notes.md`, "--seed", "3"]);
    assert.equal(r.code, 0, r.stderr);
    const md = await Deno.readTextFile(`${dir}/notes.md`);
    const left = listing(`${dir}/notes-figures`);
    assert.ok(left.includes("mine.txt"));
    assert.ok(left.length < 4 + 1, `${left}`);
    for (const f of left.filter((f) => f !== "mine.txt")) {
      assert.ok(md.includes(`notes-figures/${f}`), `${f} is not the new handout's`);
    }
    assert.match(r.stderr, /lesson 1 draws no random numbers; --seed changes nothing/);
    assert.doesNotMatch(await Deno.readTextFile(`${dir}/notes.md`), /--seed|Seed 3/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lesson that fails while running: its message, exit 1, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/fails.ts`,
      'export default { number: 9, title: "t", summary: "s", run() { throw new Error("out of data"); } };\n',
    );
    const r = await run([`${dir}/fails.ts`, "--out", `${dir}/x.html`]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.trim(), "stepgrad handout: lesson 9 failed: out of data");
    assert.deepEqual(listing(dir), ["fails.ts"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
