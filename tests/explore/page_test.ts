/**
 * The explore page as a file and the `explore` command from the outside: a Content Security Policy
 * that allows exactly the page's two inline scripts by hash and fetches nothing; no address
 * outside the page; only the fonts the traces use; under 1.5 MB; a hostile title escaped; the
 * command writes the page, and refuses bad input with one line, exit status 2 and no file.
 */
import assert from "node:assert/strict";
import { explorePage, type ExploreSpec, scriptHash } from "../../lib/explore/page.ts";

const SPEC: ExploreSpec = {
  expression: "(1 - x)^2 + 100 * (y - x^2)^2",
  start: { x: -1.2, y: 1 },
  state: { optimizer: "Adam", options: { lr: 0.05 }, steps: 2000, step: 1 },
};

Deno.test("the policy allows the page's own scripts by hash and nothing else", async () => {
  const html = await explorePage(SPEC);
  const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)![1];
  const scripts = [...html.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 2, "KaTeX and stepgrad");
  const hashes = await Promise.all(scripts.map(scriptHash));
  assert.equal(
    policy,
    `default-src 'none'; script-src ${
      hashes.join(" ")
    }; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'`,
  );
  assert.doesNotMatch(policy, /unsafe-eval|https?:|\*/);
  // every other script element is data, not code
  const others = [...html.matchAll(/<script ([^>]*)>/g)].map((m) => m[1]);
  for (const attrs of others) assert.match(attrs, /^type="application\/json"/);
  // nothing in the markup or the styles points outside the page
  const markup = html.replace(/<script>[^]*?<\/script>/g, "<script></script>");
  assert.doesNotMatch(markup, /\s(?:src|href|action|srcset|poster)=/i);
  for (const m of markup.matchAll(/url\(([^)]*)\)/g)) assert.match(m[1], /^data:/);
  assert.doesNotMatch(markup, /@import/);
  // no eval-like code in what runs
  for (const s of scripts) assert.doesNotMatch(s, /\bnew Function\(|\beval\(/);
});

Deno.test("only the fonts the traces use, and under 1.5 MB whatever the steps", async () => {
  const html = await explorePage(SPEC);
  const families = new Set(
    [...html.matchAll(/@font-face\{[^}]*?font-family:"?([^;"]+)"?;/g)].map((m) => m[1]),
  );
  assert.deepEqual([...families].sort(), [
    "KaTeX_AMS",
    "KaTeX_Main",
    "KaTeX_Math",
    "KaTeX_Size1",
    "KaTeX_Size2",
    "KaTeX_Size3",
    "KaTeX_Size4",
  ]);
  const bytes = new TextEncoder().encode(html).length;
  assert.ok(bytes < 1.5e6, `${bytes} bytes`);
  const small = await explorePage({ ...SPEC, state: { ...SPEC.state, steps: 5 } });
  assert.ok(
    Math.abs(new TextEncoder().encode(small).length - bytes) < 100,
    "size does not grow with steps",
  );
});

Deno.test("a hostile title is text", async () => {
  const html = await explorePage(SPEC, { title: `</title><script>alert(1)</script>` });
  assert.match(html, /<h1>&lt;\/title&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/h1>/);
  assert.equal(html.match(/<script>/g)?.length, 2);
});

async function cli(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "mod.ts", "explore", ...args],
    cwd: new URL("../../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("the explore command writes the page; bad input is one line, exit 2, no file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/page.html`;
    const ok = await cli([
      SPEC.expression,
      "--start",
      "x=-1.2,y=1",
      "--optimizer",
      "adam",
      "--lr",
      "0.05",
      "--steps",
      "30",
      "--out",
      out,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /^wrote .*page\.html \(\d+ kB\)\n$/);
    const html = await Deno.readTextFile(out);
    assert.match(
      html,
      /"state":\{"optimizer":"Adam","options":\{"lr":0\.05\},"steps":30,"step":1\}/,
    );
    const scheduled = await cli([
      "x^2",
      "--start",
      "x=1",
      "--scheduler",
      "step:5,0.5",
      "--out",
      `${dir}/s.html`,
    ]);
    assert.equal(scheduled.code, 0, scheduled.stderr);
    assert.match(
      await Deno.readTextFile(`${dir}/s.html`),
      /"steps":50,"step":1,"scheduler":"step:5,0\.5"\}/,
    );
    const diverging = await cli(["x^2", "--start", "x=1", "--lr", "5", "--out", `${dir}/d.html`]);
    assert.equal(diverging.code, 0);
    assert.match(diverging.stderr, /note: with these settings the run diverges: step \d+: /);
    const bad: [string[], RegExp][] = [
      [["x^2", "--start", "x=1"], /^stepgrad explore: where to\? give --out FILE\.html$/],
      [["x^2", "--start", "x=1", "--out", `${dir}/p.md`], /--out must end in \.html/],
      [
        ["x^2", "--start", "x=1", "--format", "json", "--out", `${dir}/p.html`],
        /always writes an HTML page/,
      ],
      [
        ["x^2", "--start", "x=1", "--scheduler", "weekly:3", "--out", `${dir}/p.html`],
        /--scheduler expects one of step:SIZE/,
      ],
      [
        ["x^2", "--start", "x=1", "--steps", "5000", "--out", `${dir}/p.html`],
        /at most 2000 steps/,
      ],
      [
        ["x^2", "--start", "x=1", "--step", "0", "--out", `${dir}/p.html`],
        /--step expects a whole number from 1 to 50/,
      ],
      [["x^2", "--start", "x=1", "--colour", "red", "--out", `${dir}/p.html`], /explore --help/],
      [[
        "x^2",
        "--start",
        "x=1",
        "--optimizer",
        "sgd",
        "--betas",
        "0.9,0.99",
        "--out",
        `${dir}/p.html`,
      ], /--betas is not an option of SGD/],
      [
        ["<script>alert(1)</script>", "--start", "x=1", "--out", `${dir}/p.html`],
        /unexpected "<" at column 1/,
      ],
      [["x^2", "--start", "x=1", "--lr", "-1", "--out", `${dir}/p.html`], /invalid lr -1/],
      [
        ["x^2", "--start", "y=1", "--out", `${dir}/p.html`],
        /--start gives y, which the expression does not use/,
      ],
      [["x^2", "--start", "x=1", "--out", `${dir}/no/such/p.html`], /cannot write --out/],
    ];
    for (const [args, message] of bad) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^stepgrad explore: /);
      assert.match(lines[0], message);
    }
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(left, ["d.html", "page.html", "s.html"], "nothing else written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
