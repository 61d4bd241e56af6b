/**
 * `optimize`'s output formats: the format from `--out`'s extension, `md` and `tex` as short
 * names, text that fits 80 columns when piped, and `--format html` a complete page that shows its
 * maths in a browser (KaTeX's CSS and fonts inside, nothing cut off).
 */
import assert from "node:assert/strict";
import { parseFormatted } from "../../lib/text/format.ts";
import { chromiumAvailable } from "../../lib/handout/browser.ts";
import { launchChromium } from "../handout/playwright.ts";
import { textWidth } from "../../lib/text/width.ts";
import { overflows } from "../handout/layout.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;
const ROSENBROCK = "(1 - x)^2 + 100 * (y - x^2)^2";
const START = [ROSENBROCK, "--start", "x=-1.2,y=1"];
const RUN = [...START, "--optimizer", "adam", "--lr", "0.05"];

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "optimize", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("optimize --out picks the format from the extension; md and tex are accepted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const read = (f: string) => Deno.readTextFile(`${dir}/${f}`);
    for (const [file, format] of [["a.md", []], ["b.markdown", ["--format", "md"]]] as const) {
      const r = await cli(...RUN, "--steps", "2", "--out", `${dir}/${file}`, ...format);
      assert.equal(r.code, 0, r.stderr);
      assert.match(await read(file), /### Step 2\n/);
      assert.match(await read(file), /\$\$\n\\begin\{aligned\}/);
    }
    for (const [file, format] of [["c.tex", []], ["d.txt", ["--format", "tex"]]] as const) {
      const r = await cli(...RUN, "--out", `${dir}/${file}`, ...format);
      assert.equal(r.code, 0, r.stderr);
      assert.match(await read(file), /\\paragraph\{Step 1\}/);
    }
    assert.equal((await cli(...RUN, "--steps", "3", "--out", `${dir}/e.json`)).code, 0);
    const json = JSON.parse(await read("e.json"));
    assert.equal(json.steps.length, 3);
    // --format wins over the extension; an unknown extension is text.
    assert.equal((await cli(...RUN, "--format", "json", "--out", `${dir}/f.html`)).code, 0);
    assert.equal(JSON.parse(await read("f.html")).steps.length, 1);
    assert.equal((await cli(...RUN, "--out", `${dir}/g.log`)).code, 0);
    assert.match(await read("g.log"), /^Adam: α = 0\.05 \(lr\)/);
    const bad = await cli(...RUN, "--format", "pdf");
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /--format expects one of text, latex, markdown, json, html, got "pdf"/,
    );
    assert.equal(bad.stderr.trim().split("\n").length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("optimize text, piped: every line at most 80 columns, every number whole", async () => {
  const r = await cli(...START, "--steps", "3", "--optimizer", "adadelta", "--lr", "1");
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  for (const l of lines) assert.ok(textWidth(l) <= 80, `(${textWidth(l)}) ${l}`);
  // Adadelta's second step: qₜ ends in ×10⁻⁶, the number the PDF once cut in half.
  assert.match(r.stdout, /\n +qₜ +=[^\n]*\n +=[^\n]*\n +=[^\n]*×10⁻⁶\n/);
});

Deno.test({
  name: "optimize --format html: a complete page whose maths renders, with nothing cut off",
  ignore: !chromiumAvailable(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    const browser = await launchChromium();
    try {
      const file = `${dir}/run.html`;
      const r = await cli(...START, "--steps", "2", "--optimizer", "rmsprop", "--out", file);
      assert.equal(r.code, 0, r.stderr);
      const html = await Deno.readTextFile(file);
      assert.match(html, /^<!doctype html>/);
      assert.match(html, /<meta http-equiv="Content-Security-Policy"/);
      assert.match(html, /font-family:KaTeX_Main;[^}]*url\(data:font\/woff2;base64,/);
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      try {
        await page.goto(`file://${file}`);
        const seen = await page.evaluate(async () => {
          await document.fonts.ready;
          const mathml = document.querySelector(".katex-mathml");
          return {
            displays: document.querySelectorAll(".katex-display").length,
            // KaTeX's CSS hides the MathML copy; without it the maths shows twice, garbled.
            mathmlHidden: mathml ? getComputedStyle(mathml).position === "absolute" : false,
            mainLoaded: document.fonts.check('16px "KaTeX_Main"') &&
              [...document.fonts].some((f) => f.family === "KaTeX_Main" && f.status === "loaded"),
          };
        });
        assert.ok(seen.displays >= 4, `${seen.displays} formulas`);
        assert.ok(seen.mathmlHidden, "KaTeX's stylesheet is on the page");
        assert.ok(seen.mainLoaded, "KaTeX_Main loaded from the page");
      } finally {
        await page.close();
      }
      const found = await overflows(browser, html);
      assert.deepEqual([...found.values()].flat(), []);
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("check, piped: a long counterexample and its hint fit 80 columns, numbers whole", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MOD,
      "check",
      "0.5*(t - o)^2",
      "--wrt",
      "w5",
      "--claim",
      "-(t - o)*h1",
      "--where",
      "o=sigmoid(w5*h1 + w6*h2 + b2)",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 1, text);
  for (const l of text.split("\n")) assert.ok(textWidth(l) <= 80, `(${textWidth(l)}) ${l}`);
  // The counterexample, rejoined, is the one line it was.
  const line = text.replaceAll("\n  ", " ").match(
    /your claim gives (\S+), the derivative is (\S+) \(finite differences: (\S+)\)/,
  );
  assert.ok(line, text);
  const [claim, derivative, numeric] = line.slice(1).map(parseFormatted);
  assert.ok([claim, derivative, numeric].every(Number.isFinite), line[0]);
  assert.notEqual(claim, derivative);
});
