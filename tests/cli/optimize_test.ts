import assert from "node:assert/strict";
import { parseOptimizeArgs, renderRun, runRequest } from "../../lib/cli/optimize.ts";
import { UsageError } from "../../lib/cli/usage_error.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;
const ROSENBROCK = "(1 - x)^2 + 100 * (y - x^2)^2";

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "optimize", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("optimize: one SGD step on Rosenbrock shows the gradient (−215.6, −88) and the point (−0.9844, 1.088)", async () => {
  const { code, stdout, stderr } = await cli(
    ROSENBROCK,
    "--start",
    "x=-1.2,y=1",
    "--optimizer",
    "SGD",
    "--lr",
    "0.001",
  );
  assert.equal(code, 0, stderr);
  assert.equal(stderr, "");
  assert.match(stdout, /∂L\/∂x = −215\.6\n/);
  assert.match(stdout, /∂L\/∂y = −88\n/);
  assert.match(stdout, /x +← x − α·∂L\/∂x = −1\.2 − 0\.001 · \(−215\.6\) = −0\.9844\n/);
  assert.match(stdout, /y +← y − α·∂L\/∂y = 1 − 0\.001 · \(−88\) += 1\.088\n/);
  assert.match(stdout, /after 1 step: x = −0\.9844, y = 1\.088/);
});

Deno.test("optimize --format json --out: the file holds the JSON; a diverging run exits 1 and says why", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/run.json`;
    const ok = await cli(
      ROSENBROCK,
      "--start",
      "x=-1.2,y=1",
      "--optimizer",
      "adam",
      "--lr",
      "0.01",
      "--steps",
      "5",
      "--format",
      "json",
      "--out",
      out,
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, "");
    const doc = JSON.parse(await Deno.readTextFile(out));
    assert.equal(doc.steps.length, 5);
    assert.deepEqual(Object.keys(doc.steps[4].params), ["x", "y"]);
    assert.equal(doc.steps[0].loss, doc.start.loss);
    const bad = await cli(
      ROSENBROCK,
      "--start",
      "x=-1.2,y=1",
      "--lr",
      "0.01",
      "--steps",
      "50",
      "--format",
      "json",
    );
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.stdout).divergence.step, 3);
    assert.match(
      bad.stderr,
      /^stepgrad optimize: diverged: step 3: the loss grew from 24\.2 to .* the learning rate α = 0\.01 is likely too large for the curvature here; try a smaller lr\n$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("optimize: bad input is one clear line, exit 2, and nothing written to --out", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/never.txt`;
    const cases: [string[], RegExp][] = [
      [
        ["x^2", "--start", "x=1", "--lr", "-1"],
        /^stepgrad optimize: SGD: invalid lr -1: must be ≥ 0\n$/,
      ],
      [["x^2 +", "--start", "x=1"], /^stepgrad optimize: .*"x\^2 \+".*\n$/],
      [
        ["x^2", "--start", "x=1", "--optimizer", "adam", "--momentum", "0.9"],
        /--momentum is not an option of Adam/,
      ],
      [["x^2", "--start", "x=1", "--betas", "0.9,1"], /--betas is not an option of SGD/],
      [
        ["x^2", "--start", "x=1", "--optimizer", "adam", "--betas", "0.9,1"],
        /Adam: invalid betas\[1\] 1: each beta must be in \[0, 1\)/,
      ],
      [["x^2", "--start", "x=1", "--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args, "--out", out);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, "one line");
      assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/, "no stack trace");
      assert.equal(r.stdout, "");
      await assert.rejects(Deno.stat(out), Deno.errors.NotFound);
    }
    const unwritable = await cli("x^2", "--start", "x=1", "--out", `${dir}/no/such/dir/out.txt`);
    assert.equal(unwritable.code, 2);
    assert.match(unwritable.stderr, /cannot write --out /);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "no temporary file left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("optimize arguments: every mistake named (checked in-process)", () => {
  const bad: [string[], RegExp][] = [
    [[], /no expression to optimize/],
    [["x^2", "y^2", "--start", "x=1"], /one expression expected, got 2/],
    [["x^2"], /--start is required/],
    [["x^2", "--start", "x"], /--start expects name=value pairs like x=-1\.2,y=1, got "x"/],
    [["x^2", "--start", "x=abc"], /--start x expects a finite number, got "abc"/],
    [["x^2", "--start", "x=1,x=2"], /--start gives x twice/],
    [
      ["x^2", "--start", "x=1", "--steps", "2.5"],
      /--steps expects a whole number from 1 to 100000, got "2\.5"/,
    ],
    [
      ["x^2", "--start", "x=1", "--format", "pdf"],
      /--format expects one of text, latex, markdown, json, html, got "pdf"/,
    ],
    [
      ["x^2", "--start", "x=1", "--optimizer", "lbfgs"],
      /unknown optimizer "lbfgs"; expected one of SGD, RMSprop/,
    ],
    [["x^2", "--start", "x=1", "--lr", "fast"], /--lr expects a finite number, got "fast"/],
    [["x^2", "--start", "x=1", "--lr"], /--lr/],
  ];
  for (const [args, message] of bad) {
    assert.throws(
      () => parseOptimizeArgs(args),
      (e: Error) => (e instanceof UsageError || e instanceof RangeError) && message.test(e.message),
      args.join(" "),
    );
  }
  assert.equal(parseOptimizeArgs(["--help"]), undefined);
  const req = parseOptimizeArgs([
    "w^2",
    "--start",
    "w=-3",
    "--optimizer",
    "NADAM",
    "--lr",
    "-0",
    "--betas",
    "0.8,0.99",
    "--momentum-decay",
    "0.01",
    "--decoupled-weight-decay",
    "--weight-decay",
    "0.1",
    "--maximize",
  ])!;
  assert.equal(req.optimizer, "NAdam");
  assert.deepEqual(req.options, {
    lr: -0,
    weightDecay: 0.1,
    momentumDecay: 0.01,
    maximize: true,
    decoupledWeightDecay: true,
    betas: [0.8, 0.99],
  });
  assert.deepEqual({ ...req.start }, { w: -3 });
  assert.throws(
    () => runRequest({ ...req, expression: "x^2", start: { x: 1, z: 2 } }),
    /--start gives z, which the expression does not use \(its variables: x\)/,
  );
  assert.throws(
    () => runRequest({ ...req, expression: "x^2 + y", start: { x: 1 } }),
    /no value for the variable "y"/,
  );
  assert.throws(
    () => runRequest({ ...req, expression: "3 * 4", start: {} }),
    /has no variables to optimize/,
  );
});

Deno.test("optimize renders every format from the same run", async () => {
  const req = parseOptimizeArgs([
    ROSENBROCK,
    "--start",
    "x=-1.2,y=1",
    "--optimizer",
    "radam",
    "--steps",
    "7",
  ])!;
  const run = runRequest(req);
  assert.match(await renderRun(run, "latex"), /\\begin\{aligned\}/);
  assert.match(await renderRun(run, "markdown"), /^### Step 7$/m);
  assert.match(await renderRun(run, "html"), /class="katex-display"/);
  assert.equal(JSON.parse(await renderRun(run, "json")).steps.length, 7);
  assert.match(await renderRun(run, "text"), /κₜ > 5: the variance estimate is usable/);
});

// mod.ts re-exports the optimizers and renderers, and `optimize` loads them: none of them may pull
// in KaTeX (HTML renders it on demand) or mathjs, which cost hundreds of milliseconds at start-up.
for (const root of ["../../lib/cli/optimize.ts", "../../lib/render/trace_html.ts"]) {
  Deno.test(`start-up: the static imports of ${root.slice(6)} reach neither katex nor mathjs`, async () => {
    const path = new URL(root, import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", path],
      stdout: "piped",
    }).output();
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      roots: string[];
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
      }[];
    };
    const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
    const seen = new Set<string>();
    const stack = [...info.roots];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      for (const d of bySpec.get(s)?.dependencies ?? []) {
        if (!d.isDynamic && d.code) stack.push(d.code.specifier);
      }
    }
    assert.ok(seen.size > 3, "the graph was read");
    assert.deepEqual([...seen].filter((s) => /katex|mathjs/.test(s)), []);
  });
}

Deno.test("optimize --scheduler: PyTorch's schedules, the lr of each step in the trace", () => {
  const lrs = (scheduler: string, steps = 5) =>
    runRequest(
      parseOptimizeArgs([
        "x^2",
        "--start",
        "x=1",
        "--lr",
        "0.1",
        "--steps",
        String(steps),
        "--scheduler",
        scheduler,
      ])!,
    )
      .steps.map((s) => s.lr);
  assert.deepEqual(lrs("step:2,0.5"), [0.1, 0.1, 0.05, 0.05, 0.025]);
  assert.deepEqual(lrs("exponential:0.5", 3), [0.1, 0.05, 0.025]);
  const cos = lrs("cosine:4", 5); // (1 + cos(πt/4))/2 · 0.1
  cos.forEach((lr, t) => assert.ok(Math.abs(lr - 0.05 * (1 + Math.cos(Math.PI * t / 4))) < 1e-15));
  const lin = lrs("linear", 6); // 1/3 → 1 over 5 steps
  lin.forEach((lr, t) =>
    assert.ok(Math.abs(lr - 0.1 * (1 / 3 + (2 / 3) * Math.min(t, 5) / 5)) < 1e-15)
  );
  for (
    const [bad, message] of [
      ["warmup:3", /--scheduler expects one of step:SIZE\[,GAMMA\], exponential:GAMMA/],
      ["step", /--scheduler step takes step:SIZE\[,GAMMA\], got "step"/],
      ["cosine:x", /--scheduler cosine expects a finite number, got "x"/],
    ] as const
  ) {
    assert.throws(() => parseOptimizeArgs(["x^2", "--start", "x=1", "--scheduler", bad]), message);
  }
  assert.throws(
    () => runRequest(parseOptimizeArgs(["x^2", "--start", "x=1", "--scheduler", "step:0"])!),
    /StepLR: invalid stepSize 0: must be a whole number ≥ 1/,
  );
});
