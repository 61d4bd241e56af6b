/**
 * `diagnose` end to end, as a learner runs it: the JSON contract, exit statuses (0 a correct
 * optimizer, 1 a mistake or nothing, 2 unusable input), JSON and CSV input, --list, the formats,
 * and hostile input (one line on stderr, nothing on stdout, within 2 s).
 */
import assert from "node:assert/strict";
import { MISTAKE_IDS } from "../../lib/diagnose/catalogue.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

async function run(args: string[], input?: string) {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "diagnose", ...args],
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const w = child.stdin.getWriter();
    try {
      await w.write(new TextEncoder().encode(input));
      await w.close();
    } catch (e) {
      // The command may stop reading early (input too large): that is its answer.
      if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
    }
  }
  const out = await child.output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return {
    code: out.code,
    stdout: text(out.stdout),
    stderr: text(out.stderr),
    ms: performance.now() - started,
  };
}

async function withFile<T>(
  name: string,
  text: string,
  f: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/${name}`;
    await Deno.writeTextFile(path, text);
    return await f(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// SGD, lr 0.1, on (w − 2)² + 3(b + 1)², from w = 0.5, b = 0.25: w ← w − 0.1·2(w − 2), b ← b − 0.1·6(b + 1).
function sgdSteps(sign: 1 | -1, steps = 4) {
  let w = 0.5, b = 0.25;
  const out = [];
  for (let k = 0; k < steps; k++) {
    const gw = 2 * (w - 2), gb = 6 * (b + 1);
    w = w - sign * 0.1 * gw;
    b = b - sign * 0.1 * gb;
    out.push({ grads: { w: gw, b: gb }, params: { w, b } });
  }
  return out;
}

Deno.test("a correct optimizer: exit 0, and the JSON contract", async () => {
  const json = JSON.stringify({ start: { w: 0.5, b: 0.25 }, steps: sgdSteps(1) });
  const r = await withFile("run.json", json, (p) => run([p, "--json"]));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const d = JSON.parse(r.stdout);
  assert.equal(d.match, "SGD");
  assert.equal(d.kind, "optimizer");
  assert.equal(d.options.lr, 0.1);
  assert.equal(d.options.momentum, 0);
  assert.equal(d.firstDeparture, null);
  assert.ok(Array.isArray(d.candidates) && d.candidates[0].id === "SGD");
});

Deno.test("a mistake: exit 1, named, with the first departure", async () => {
  const json = JSON.stringify({ lr: 0.1, start: { w: 0.5, b: 0.25 }, steps: sgdSteps(-1) });
  const r = await withFile("run.json", json, (p) => run([p, "--json"]));
  assert.equal(r.code, 1, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.match, "gradient-added");
  assert.equal(d.kind, "mistake");
  // Step 1, w: SGD gives 0.5 − 0.1·(−3) = 0.8; the learner's code gave 0.5 + 0.1·(−3) ≈ 0.2.
  assert.deepEqual(d.firstDeparture, {
    step: 1,
    param: "w",
    expected: 0.8,
    observed: 0.5 + 0.1 * -3,
  });
  // The text says the same, with both traces.
  const t = await withFile("run.json", json, (p) => run([p]));
  assert.equal(t.code, 1);
  assert.match(t.stdout, /your update rule is the mistake gradient-added/);
  assert.match(t.stdout, /step 1, w: SGD gives 0\.8, your run has 0\.2/);
  assert.match(t.stdout, /w +← w − α·∂L\/∂w = 0\.5 − 0\.1 · \(−3\) = 0\.8/);
  assert.match(t.stdout, /w +← w \+ α·∂L\/∂w = 0\.5 \+ 0\.1 · \(−3\) = 0\.2/);
});

Deno.test("CSV input gives the same verdict as JSON; hyperparameters from flags", async () => {
  const steps = sgdSteps(-1);
  const rows = ["step,name,grad,value", "0,w,,0.5", "0,b,,0.25"];
  steps.forEach((s, k) => {
    rows.push(`${k + 1},w,${s.grads.w},${s.params.w}`, `${k + 1},b,${s.grads.b},${s.params.b}`);
  });
  const r = await withFile(
    "run.csv",
    rows.join("\n") + "\n",
    (p) => run([p, "--json", "--lr", "0.1"]),
  );
  assert.equal(r.code, 1, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.match, "gradient-added");
  assert.deepEqual(d.firstDeparture, {
    step: 1,
    param: "w",
    expected: 0.8,
    observed: 0.5 + 0.1 * -3,
  });
  // Standard input works too.
  const s = await run(["-", "--json", "--lr", "0.1"], rows.join("\n"));
  assert.equal(JSON.parse(s.stdout).match, "gradient-added");
});

Deno.test("Python's NaN in the parameters: the step counter started at 0", async () => {
  // numpy's Adam with t = 0 on the first step: m̂ = m/(1 − β₁⁰) = m/0, and w becomes NaN.
  const json = '{"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weightDecay": 0, ' +
    '"start": {"w": 0.5, "b": 0.25}, "steps": [{"grads": {"w": -3, "b": 7.5}, "params": {"w": NaN, "b": NaN}}]}';
  const r = await withFile("run.json", json, (p) => run([p, "--json"]));
  assert.equal(r.code, 1, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.match, "adam-step-from-zero");
  assert.equal(d.firstDeparture.observed, "NaN");
  // Adam's first step: m̂ = −3, √v̂ = 3, so w = 0.5 − 0.01·(−3)/(3 + 10⁻⁸).
  assert.ok(Math.abs(d.firstDeparture.expected - (0.5 + 0.01 * 3 / (3 + 1e-8))) < 1e-15);
});

Deno.test("--list prints every catalogued mistake; --help the formats", async () => {
  const r = await run(["--list"]);
  assert.equal(r.code, 0);
  for (const id of MISTAKE_IDS) assert.match(r.stdout, new RegExp(`^${id}$`, "m"));
  assert.match(r.stdout, /why: /);
  const h = await run(["--help"]);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /--format +text \(default\), markdown, latex, html/);
});

Deno.test("--format markdown, latex and html write the verdict and both traces", async () => {
  const json = JSON.stringify({ lr: 0.1, start: { w: 0.5, b: 0.25 }, steps: sgdSteps(-1) });
  await withFile("run.json", json, async (p) => {
    const md = await run([p, "--format", "markdown"]);
    assert.equal(md.code, 1);
    assert.match(md.stdout, /\*\*your update rule is the mistake gradient-added\*\*/);
    assert.match(md.stdout, /### Step 1, the correct rule/);
    assert.match(md.stdout, /\$\$\n\\begin\{aligned\}/);
    const tex = await run([p, "--format", "latex"]);
    assert.equal(tex.code, 1);
    assert.match(tex.stdout, /\\paragraph\{The correct rule\}/);
    assert.match(tex.stdout, /= 0\.5 \+ 0\.1 \\cdot \\left\(-3\\right\) = 0\.2/);
    const html = await run([p, "--format", "html"]);
    assert.equal(html.code, 1);
    assert.match(html.stdout, /^<!doctype html>/);
    assert.match(html.stdout, /class="katex-display"/);
    assert.doesNotMatch(html.stdout, /katex-error/);
  });
});

const HOSTILE: [string, string, string, RegExp][] = [
  ["malformed JSON", "run.json", '{"start": {"w": 1}, "steps": [', /not valid JSON/],
  [
    "malformed CSV",
    "run.csv",
    "step,name,grad\n0,w,1\n",
    /header must name the columns step,name,grad,value/,
  ],
  [
    "a CSV cell that is not a number",
    "run.csv",
    "step,name,grad,value\n0,w,,0.5\n1,w,abc,0.4\n",
    /the grad of w must be a number, got "abc"/,
  ],
  [
    "a missing step",
    "run.csv",
    "step,name,grad,value\n0,w,,0.5\n1,w,1,0.4\n3,w,1,0.3\n",
    /no rows for step 2/,
  ],
  [
    "a missing parameter",
    "run.json",
    '{"start": {"w": 1, "b": 0}, "steps": [{"grads": {"w": 1}, "params": {"w": 0.9, "b": 0}}]}',
    /step 1 grads is missing "b"/,
  ],
  [
    "NaN in a gradient",
    "run.json",
    '{"start": {"w": 1}, "steps": [{"grads": {"w": NaN}, "params": {"w": 0.9}}]}',
    /step 1 grads\.w is NaN; it must be a finite number/,
  ],
  [
    "mismatched names",
    "run.json",
    '{"start": {"w": 1}, "steps": [{"grads": {"W": 1}, "params": {"W": 0.9}}]}',
    /step 1 grads names "W", which "start" does not/,
  ],
  ["no steps", "run.json", '{"start": {"w": 1}, "steps": []}', /"steps" is empty/],
  [
    "an unknown hyperparameter",
    "run.json",
    '{"learning": 0.1, "start": {"w": 1}, "steps": [{"grads": {"w": 1}, "params": {"w": 0.9}}]}',
    /unknown hyperparameter "learning"/,
  ],
  [
    "a negative lr",
    "run.json",
    '{"lr": -0.1, "start": {"w": 1}, "steps": [{"grads": {"w": 1}, "params": {"w": 0.9}}]}',
    /lr is -0\.1; it must be ≥ 0/,
  ],
  [
    "an unknown optimizer",
    "run.json",
    '{"optimizer": "Adamm", "start": {"w": 1}, "steps": [{"grads": {"w": 1}, "params": {"w": 0.9}}]}',
    /unknown optimizer "Adamm"/,
  ],
  ["a JSON list", "run.json", "[1, 2, 3]", /must be a JSON object/],
];

for (const [what, name, text, message] of HOSTILE) {
  Deno.test(`hostile input: ${what} → exit 2, one line, nothing else, within 2 s`, async () => {
    const r = await withFile(name, text, (p) => run([p]));
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.split("\n").filter((l) => l).length, 1, r.stderr);
    assert.match(r.stderr, /^stepgrad diagnose: /);
    assert.match(r.stderr, message);
    assert.ok(r.ms < 2000, `${r.ms} ms`);
  });
}

Deno.test("hostile input: 10⁶ rows → exit 2 with one line within 2 s", async () => {
  const rows = ["step,name,grad,value", "0,w,,0.5"];
  for (let k = 1; k < 1_000_000; k++) rows.push(`${k},w,0.1,0.5`);
  const r = await withFile("big.csv", rows.join("\n"), (p) => run([p]));
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trim().split("\n").length, 1);
  assert.match(r.stderr, /diagnose reads at most/);
  assert.ok(r.ms < 2000, `${r.ms} ms`);
  // Through standard input as well (no size to look at first).
  const s = await run(["-"], rows.join("\n"));
  assert.equal(s.code, 2);
  assert.equal(s.stderr.trim().split("\n").length, 1);
});

Deno.test("a missing file and a bad flag → exit 2, one line", async () => {
  const r = await run(["/nonexistent/run.json"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^stepgrad diagnose: cannot read \/nonexistent\/run\.json: no such file\n$/,
  );
  const f = await run(["x.json", "--format", "pdf"]);
  assert.equal(f.code, 2);
  assert.match(f.stderr, /--format must be one of text, markdown, latex, html, json/);
});

const HAS_PDFLATEX = (() => {
  try {
    return new Deno.Command("pdflatex", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "--format latex compiles with pdflatex, for a mistake and for no match",
  ignore: !HAS_PDFLATEX,
  fn: async () => {
    const mistake = JSON.stringify({ lr: 0.1, start: { w: 0.5, b: 0.25 }, steps: sgdSteps(-1) });
    // Adam without bias correction and with ε = 0, while the learner says ε = 10⁻⁸: nothing fits.
    const none = await Deno.readTextFile(new URL("./no_match.json", import.meta.url));
    for (const json of [mistake, none]) {
      await withFile("run.json", json, async (p) => {
        const r = await run([p, "--format", "latex"]);
        assert.ok(r.code === 1, r.stderr);
        const dir = p.replace(/\/run\.json$/, "");
        await Deno.writeTextFile(`${dir}/body.tex`, r.stdout);
        await Deno.writeTextFile(
          `${dir}/main.tex`,
          "\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage[T1]{fontenc}\n" +
            "\\usepackage[utf8]{inputenc}\n\\begin{document}\n\\input{body.tex}\n\\end{document}\n",
        );
        const out = await new Deno.Command("pdflatex", {
          args: ["-interaction=nonstopmode", "-halt-on-error", "main.tex"],
          cwd: dir,
          stdout: "piped",
          stderr: "piped",
        }).output();
        const log = new TextDecoder().decode(out.stdout);
        assert.ok(out.success, log.split("\n").filter((l) => l.startsWith("!")).join("\n"));
      });
    }
  },
});

Deno.test("no match: exit 1, match null, the closest candidates and where each departs", async () => {
  // Adam without bias correction, but with ε = 0 where the learner says ε = 10⁻⁸: close to
  // adam-no-bias-correction (within 10⁻⁸ relative) yet beyond float64's precision.
  const file = new URL("./no_match.json", import.meta.url).pathname;
  const r = await run([file, "--json"]);
  assert.equal(r.code, 1, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.match, null);
  assert.equal(d.kind, null);
  assert.ok(d.candidates.length >= 3);
  for (const c of d.candidates) {
    assert.equal(c.fits, false);
    assert.equal(c.firstDeparture.step, 1);
  }
  assert.ok(d.candidates.some((c: { id: string }) => c.id === "adam-no-bias-correction"));
  assert.equal(d.firstDeparture.step, 1);
  const t = await run([file]);
  assert.match(t.stdout, /^no rule matches/m);
  assert.match(t.stdout, /^closest candidates:/m);
});
