// The `check` command end to end, as a learner runs it: exit status, stdout, one-line stderr.
import assert from "node:assert/strict";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

async function run(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "check", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("a right claim exits 0 and shows the derivative", async () => {
  const r = await run("(w*x+b-y)^2", "--wrt", "w", "--claim", "2*(w*x+b-y)*x");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^right: ∂\/∂w of \(w\*x\+b-y\)\^2 is 2·x·\(w·x \+ b − y\)\n/);
  assert.equal(r.stderr, "");
});

Deno.test("a wrong claim exits 1, says where it differs, and gives the hint", async () => {
  const r = await run(
    "(w*x+b-y)^2",
    "--wrt",
    "b",
    "--claim",
    "2*(w*x+b-y)*x",
    "--at",
    "w=0.5,x=2,b=0,y=3",
  );
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^wrong: /);
  assert.match(
    r.stdout,
    /at w = 0\.5, x = 2, b = 0, y = 3: your claim gives −8, the derivative is −4\n? +\(finite differences: −4\)/,
  );
  assert.match(r.stdout, /hint: the claim is the derivative by w, not by b/);
});

Deno.test("--json prints one object with correct, derivative and counterexample", async () => {
  const wrong = await run("tanh(w*x)", "--wrt", "w", "--claim", "1 - tanh(w*x)^2", "--json");
  assert.equal(wrong.code, 1);
  const j = JSON.parse(wrong.stdout);
  assert.equal(j.correct, false);
  assert.equal(j.derivative, "x·sech(w·x)^2");
  assert.equal(typeof j.counterexample.point.w, "number");
  assert.ok(Math.abs(j.counterexample.finiteDifference - j.counterexample.derivative) < 1e-5);
  assert.match(j.hint, /inner factor/);
  const right = await run("tanh(w*x)", "--wrt", "w", "--claim", "(1 - tanh(w*x)^2)*x", "--json");
  assert.equal(right.code, 0);
  const k = JSON.parse(right.stdout);
  assert.equal(k.correct, true);
  assert.equal("counterexample" in k, false);
});

Deno.test("--where names an intermediate the claim may use; a claim may start with a minus", async () => {
  const r = await run(
    "0.5*(t - o)^2",
    "--where",
    "o=sigmoid(w5*h1 + w6*h2 + b2)",
    "--wrt",
    "w5",
    "--claim",
    "-(t - o)*o*(1 - o)*h1",
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /is −\(t − o\)·o·\(1 − o\)·h1|is \(o − t\)·o·\(1 − o\)·h1/);
});

Deno.test("input that cannot be judged exits 2 with one line on stderr, never a stack trace", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["x*(y+1", "--wrt", "x", "--claim", "1"],
      /unbalanced parenthesis: "\(" at column 3 is never closed/,
    ],
    [["foo(x)", "--wrt", "x", "--claim", "1"], /unknown function "foo" at column 1/],
    [["w*x", "--wrt", "w", "--claim", "z"], /the claim uses "z", which is neither a variable/],
    [["w*x", "--claim", "x"], /--wrt <name> is missing/],
    [["w*x", "--wrt", "w"], /--claim <expr> is missing/],
    [["", "--wrt", "w", "--claim", "1"], /no expression to check/],
    [["--wrt", "w", "--claim", "1"], /no expression to check/],
    [["w*x", "--wrt", "q", "--claim", "1"], /no variable "q"/],
    [
      ["w*x", "--wrt", "w", "--claim", "x", "--at", "w=abc"],
      /--at w: "abc" is not a finite number/,
    ],
    [
      ["w*x", "--wrt", "w", "--claim", "x", "--where", "nonsense"],
      /--where expects name=expression/,
    ],
    [["w*x", "--wrt", "w", "--claim", "x", "--frobnicate"], /Unknown option '--frobnicate'/],
    [["x = 3", "--wrt", "x", "--claim", "1"], /assignments/],
    [["import(x)", "--wrt", "x", "--claim", "1"], /unknown function "import"/],
    [
      ["(".repeat(4000) + "x" + ")".repeat(4000), "--wrt", "x", "--claim", "1"],
      /nested too deeply/,
    ],
    [["x+".repeat(50_000) + "x", "--wrt", "x", "--claim", "1"], /too long/],
  ];
  for (const [args, pattern] of cases) {
    const t0 = performance.now();
    const r = await run(...args);
    const what = args.join(" ").slice(0, 60);
    assert.equal(r.code, 2, `${what}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, "", what);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
    assert.match(lines[0], /^stepgrad check: /, what);
    assert.match(lines[0], pattern, what);
    assert.ok(!/\bat .*\.ts:\d+/.test(r.stderr), `no stack trace: ${r.stderr}`);
    assert.ok(performance.now() - t0 < 10_000, `${what}: no hang`);
  }
});

Deno.test("check --help explains the options and exits 0", async () => {
  const r = await run("--help");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /exit status: 0 right, 1 wrong, 2 cannot judge/);
});

Deno.test("a counterexample shows enough digits that the two values never print alike", async () => {
  const r = await run("pi*x^2", "--wrt", "x", "--claim", "6.283185307*x");
  assert.equal(r.code, 1, r.stderr);
  const m = r.stdout.match(/your claim gives (\S+), the derivative is (\S+?)[ \n]/);
  assert.ok(m, r.stdout);
  assert.notEqual(m[1], m[2], "the two values differ, and so must their digits");
});
