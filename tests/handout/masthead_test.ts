/**
 * A teacher's branding: `handout --title --author --course` printed in the masthead of every
 * format, escaped (hostile text stays text), the same bytes every time, and the default masthead
 * unchanged when no option is given.
 */
import assert from "node:assert/strict";
import { type Handout, renderFormat } from "../../mod.ts";
import { mastheadLines } from "../../lib/handout/handout.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

const HOSTILE = {
  title: `Week 3: <script>alert(1)</script> & "you"`,
  author: String.raw`Dr. $\input{/etc/passwd}$ O'Neil #1`,
  course: "ML_101 *intro* [x](javascript:y) 100%",
};

const handout: Handout = {
  number: 3,
  title: "Backprop by hand",
  summary: "A summary.",
  blocks: [{ kind: "paragraph", content: ["Body text."] }],
};

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

Deno.test("HTML: the teacher's title is the heading; course, lesson and author above it, escaped", async () => {
  const html = String((await renderFormat({ ...handout, masthead: HOSTILE }, "html")).main);
  const kicker = html.match(/<p class="kicker">([^<]*)<\/p>/)?.[1];
  const h1 = html.match(/<h1>([^<]*)<\/h1>/)?.[1];
  assert.ok(kicker && h1, "a kicker and a heading, with no tag inside either");
  // Read back as text, they are what the teacher typed (quotes may be typographic).
  const plain = (s: string) => unescapeHtml(s).replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
  assert.equal(plain(h1), HOSTILE.title);
  assert.equal(
    plain(kicker),
    `${HOSTILE.course} · Lesson 03: Backprop by hand · ${HOSTILE.author}`,
  );
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /<title>Lesson 03: Week 3: &lt;script&gt;/);
});

Deno.test("LaTeX and Markdown: the same masthead, escaped for each", async () => {
  const tex = String((await renderFormat({ ...handout, masthead: HOSTILE }, "tex")).main);
  assert.doesNotMatch(tex, /(?<!\\textbackslash\{\})\\input/, "no command from the author's name");
  assert.match(tex, /\\LARGE\\bfseries Week 3: \\textless\{\}script\\textgreater\{\}/);
  assert.match(tex, /ML\\_101 \*intro\* \{\[\}x\{\]\}\(javascript:y\) 100\\%/);
  assert.match(tex, /O'Neil \\#1/);
  const md = String((await renderFormat({ ...handout, masthead: HOSTILE }, "md")).main);
  const [kicker, , heading] = md.split("\n");
  assert.equal(heading, '# Week 3: &lt;script&gt;alert(1)&lt;/script&gt; &amp; "you"');
  assert.match(kicker, /^\*\*ML\\_101 \\\*intro\\\* \\\[x\\\]\(javascript:y\) 100% · Lesson 03/);
  assert.match(kicker, /Dr\. \\\$\\\\input\{\/etc\/passwd\}\\\$ O'Neil \\#1\*\*$/);
});

Deno.test("without options the masthead is the lesson's, as before", async () => {
  assert.deepEqual(mastheadLines(handout), {
    kicker: "stepgrad · Lesson 03",
    heading: "Backprop by hand",
  });
  const html = String((await renderFormat(handout, "html")).main);
  assert.match(html, /<p class="kicker">stepgrad · Lesson 03<\/p>\n<h1>Backprop by hand<\/h1>/);
  const md = String((await renderFormat(handout, "md")).main);
  assert.equal(md.split("\n")[0], "# Lesson 03: Backprop by hand");
  // Only the course: the lesson keeps its title and "stepgrad" gives way to the course.
  assert.deepEqual(mastheadLines({ ...handout, masthead: { course: "ML 101" } }), {
    kicker: "ML 101 · Lesson 03",
    heading: "Backprop by hand",
  });
});

async function handoutCli(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-run", MOD, "handout", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("handout --title --author --course: same bytes twice; a bad value is one line, exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const flags = [
      "--title",
      HOSTILE.title,
      "--author",
      HOSTILE.author,
      "--course",
      HOSTILE.course,
    ];
    for (const name of ["a", "b"]) {
      const r = await handoutCli(["1", "--out", `${dir}/${name}.html`, ...flags]);
      assert.equal(r.code, 0, r.stderr);
    }
    const a = await Deno.readFile(`${dir}/a.html`);
    assert.deepEqual(a, await Deno.readFile(`${dir}/b.html`));
    assert.match(new TextDecoder().decode(a), /<h1>Week 3: &lt;script&gt;/);
    for (
      const bad of [["--title", ""], ["--author", "two\nlines"], ["--course", "x".repeat(201)]]
    ) {
      const r = await handoutCli(["1", "--out", `${dir}/c.html`, ...bad]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`${bad[0]} must be one line`));
    }
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["a.html", "b.html"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
