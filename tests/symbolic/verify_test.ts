import assert from "node:assert/strict";
import { centralDifference, evaluateExpr, parseExpression, verifyGradient } from "../../mod.ts";

interface Case {
  expr: string;
  wrt: string;
  claim: string;
  where?: Record<string, string>;
  correct: boolean;
  hint?: RegExp;
}

// Claims a learner might write. Right ones include forms that look nothing like mathjs's answer.
const CASES: Case[] = [
  // right
  { expr: "(w*x + b - y)^2", wrt: "w", claim: "2*(w*x + b - y)*x", correct: true },
  { expr: "(w*x + b - y)^2", wrt: "b", claim: "2*(w*x + b - y)", correct: true },
  { expr: "(w*x + b - y)^2", wrt: "x", claim: "2*w*(w*x + b - y)", correct: true },
  { expr: "tanh(w)", wrt: "w", claim: "sech(w)^2", correct: true },
  { expr: "tanh(w)", wrt: "w", claim: "1 - tanh(w)^2", correct: true }, // identity
  { expr: "tanh(w)", wrt: "w", claim: "1/cosh(w)^2", correct: true },
  { expr: "sigmoid(z)", wrt: "z", claim: "sigmoid(z)*(1 - sigmoid(z))", correct: true },
  { expr: "sigmoid(z)", wrt: "z", claim: "exp(-z)/(1 + exp(-z))^2", correct: true }, // expanded
  { expr: "sigmoid(z)", wrt: "z", claim: "sigmoid(z)*sigmoid(-z)", correct: true }, // 1 − σ(z) = σ(−z)
  { expr: "softplus(z)", wrt: "z", claim: "1/(1 + exp(-z))", correct: true },
  { expr: "log(1 + exp(z))", wrt: "z", claim: "sigmoid(z)", correct: true },
  { expr: "relu(w*x)", wrt: "w", claim: "step(w*x)*x", correct: true },
  { expr: "relu(w*x)", wrt: "w", claim: "relu(w*x)/w", correct: true }, // defined where w ≠ 0
  { expr: "abs(w)", wrt: "w", claim: "w/abs(w)", correct: true },
  { expr: "sin(w)^2 + cos(w)^2", wrt: "w", claim: "0", correct: true },
  { expr: "exp(2*log(w))", wrt: "w", claim: "2*w", correct: true }, // domain w > 0 only
  { expr: "sqrt(w^2 + 1)", wrt: "w", claim: "w/sqrt(w^2 + 1)", correct: true },
  { expr: "sinh(w)", wrt: "w", claim: "(exp(w) + exp(-w))/2", correct: true },
  {
    expr: "(o - t)^2",
    where: { o: "sigmoid(w5*h1 + w6*h2 + b2)" },
    wrt: "w5",
    claim: "2*(o - t)*o*(1 - o)*h1",
    correct: true,
  },
  {
    expr: "0.5*(t - o)^2",
    where: { o: "sigmoid(net)", net: "w*h + b" },
    wrt: "b",
    claim: "-(t - o)*o*(1 - o)",
    correct: true,
  },
  // wrong
  {
    expr: "(w*x + b - y)^2",
    wrt: "b",
    claim: "2*(w*x + b - y)*x",
    correct: false,
    hint: /derivative by w, not by b/,
  },
  {
    expr: "(w*x + b - y)^2",
    wrt: "w",
    claim: "(w*x + b - y)*x",
    correct: false,
    hint: /factor of 2 is missing/,
  },
  {
    expr: "(w*x + b - y)^2",
    wrt: "w",
    claim: "2*(w*x + b - y)",
    correct: false,
    hint: /missing inner factor.*= x/,
  },
  {
    expr: "(y - w*x)^2",
    wrt: "w",
    claim: "2*(y - w*x)*x",
    correct: false,
    hint: /sign is flipped/,
  },
  { expr: "tanh(w)", wrt: "w", claim: "1 + tanh(w)^2", correct: false },
  {
    expr: "sigmoid(w*x)",
    wrt: "w",
    claim: "sigmoid(w*x)*(1 - sigmoid(w*x))",
    correct: false,
    hint: /inner factor/,
  },
  { expr: "relu(w)", wrt: "w", claim: "1", correct: false }, // right only where w > 0
  { expr: "abs(w)", wrt: "w", claim: "1", correct: false },
  { expr: "w^3", wrt: "w", claim: "3*w^2*abs(w)/w", correct: false }, // agrees only for w > 0
  { expr: "w^2", wrt: "w", claim: "4*w", correct: false, hint: /factor of 2 too many/ },
  { expr: "log(w)", wrt: "w", claim: "1/abs(w)", correct: true }, // same where log is defined
  { expr: "exp(w*x)", wrt: "w", claim: "exp(w*x)", correct: false, hint: /inner factor/ },
  { expr: "1e-12*w^2", wrt: "w", claim: "1e-12*w", correct: false }, // tiny, still wrong
  { expr: "sqrt(w)", wrt: "w", claim: "1/sqrt(w)", correct: false, hint: /factor of 2/ },
];

Deno.test(`the checker on ${CASES.length} claims, right and wrong`, async () => {
  assert.ok(CASES.length >= 25);
  for (const c of CASES) {
    const r = await verifyGradient(c);
    const what = `${c.expr} d/d${c.wrt} claim ${c.claim}`;
    assert.equal(r.correct, c.correct, `${what}: ${JSON.stringify(r)}`);
    assert.ok(r.points >= 20, what);
    if (!c.correct) {
      const ce = r.counterexample!;
      assert.ok(ce, `${what}: a counterexample`);
      // the counterexample is real: the claim differs from the true derivative, and the
      // finite-difference value (an independent estimate) agrees with the derivative
      const fd = centralDifference(
        (t) =>
          evaluateExpr(
            parseExpression(c.expr).expr,
            { ...ce.point, [c.wrt]: t },
          ).value,
        ce.point[c.wrt],
        1e-6 * Math.max(1, Math.abs(ce.point[c.wrt])),
      );
      if (!c.where) {
        assert.ok(Math.abs(fd - ce.derivative) <= 1e-5 * Math.max(1, Math.abs(fd)), what);
      }
      assert.ok(!(Math.abs(ce.claim - ce.derivative) <= 1e-9 * Math.abs(ce.derivative)), what);
    } else {
      assert.equal(r.counterexample, undefined);
    }
    if (c.hint) assert.match(r.hint ?? "(no hint)", c.hint, what);
  }
});

Deno.test("the true derivative is shown, with --where names standing for their definitions", async () => {
  const r = await verifyGradient({
    expr: "(o - t)^2",
    where: [["o", "sigmoid(w*h + b)"]],
    wrt: "w",
    claim: "2*(o - t)*h",
  });
  assert.equal(r.correct, false);
  assert.equal(r.derivative, "2·(o − t)·o·(1 − o)·h");
  assert.equal(
    r.hint,
    "a missing factor: the derivative of o = sigmoid(w·h + b) with respect to its argument, o·(1 − o)",
  );
});

Deno.test("symbolic proof where mathjs settles it; sampling where it cannot", async () => {
  const a = await verifyGradient({ expr: "x^2*y", wrt: "x", claim: "2*x*y" });
  assert.equal(a.method, "symbolic");
  const b = await verifyGradient({ expr: "tanh(x)", wrt: "x", claim: "1 - tanh(x)^2" });
  assert.equal(b.correct, true);
  assert.equal(b.method, "numeric"); // mathjs does not know sech² = 1 − tanh²
});

Deno.test("--at: the values at the learner's point are shown, and used first", async () => {
  const r = await verifyGradient({
    expr: "(w*x - y)^2",
    wrt: "w",
    claim: "2*(w*x - y)",
    at: { w: 0.5, x: 2, y: 3 },
  });
  assert.deepEqual(r.counterexample!.point, { w: 0.5, x: 2, y: 3 });
  assert.equal(r.counterexample!.claim, -4);
  assert.equal(r.counterexample!.derivative, -8);
  assert.ok(Math.abs(r.counterexample!.finiteDifference + 8) < 1e-6);
});

Deno.test("every kind of bad input is refused with one clear line", async () => {
  const bad: [Parameters<typeof verifyGradient>[0], RegExp][] = [
    [{ expr: "(w*x + b", wrt: "w", claim: "x" }, /unbalanced parenthesis: "\(" at column 1/],
    [{ expr: "w*x", wrt: "w", claim: "x)" }, /"\)" at column 2 has no matching/],
    [{ expr: "foo(w)", wrt: "w", claim: "1" }, /unknown function "foo"/],
    [{ expr: "w*x", wrt: "w", claim: "z" }, /the claim uses "z", which is neither a variable/],
    [{ expr: "w*x", wrt: "", claim: "x" }, /give --wrt/],
    [{ expr: "w*x", wrt: "v", claim: "x" }, /no variable "v"; its variables are w, x/],
    [{ expr: "", wrt: "w", claim: "1" }, /empty expression/],
    [{ expr: "w", wrt: "w", claim: "" }, /empty expression/],
    [{ expr: "o^2", wrt: "o", claim: "2*o", where: { o: "w*x" } }, /is a --where intermediate/],
    [{ expr: "a", wrt: "w", claim: "1", where: { a: "b*w", b: "a" } }, /circular/],
    [{ expr: "w", wrt: "w", claim: "q", where: { q: "z*2" } }, /through a --where definition.*"z"/],
    [
      { expr: "w", wrt: "w", claim: "1", where: { "2x": "w" } },
      /not a usable name|must be a variable name/,
    ],
    [{ expr: "w", wrt: "w", claim: "1", at: { q: 1 } }, /--at q: "q" is not a variable/],
    [{ expr: "log(-w^2 - 1)", wrt: "w", claim: "1" }, /cannot judge/],
    [{ expr: "import(w)", wrt: "w", claim: "1" }, /unknown function "import"/],
    [{ expr: "w", wrt: "w", claim: "evaluate(1)" }, /unknown function "evaluate"/],
    [{ expr: "w.constructor", wrt: "w", claim: "1" }, /property access/],
    [{ expr: "x".repeat(20_000), wrt: "w", claim: "1" }, /too long/],
  ];
  for (const [input, pattern] of bad) {
    await assert.rejects(() => verifyGradient(input), (e: unknown) => {
      assert.ok(
        e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError,
        `${JSON.stringify(input).slice(0, 80)}: ${e}`,
      );
      const message = (e as Error).message;
      assert.ok(!message.includes("\n"), message);
      assert.match(message, pattern, `${JSON.stringify(input).slice(0, 80)}`);
      return true;
    });
  }
});

Deno.test("deterministic: the same question gives the same answer, byte for byte", async () => {
  const q = { expr: "sigmoid(w*x + b)^2", wrt: "b", claim: "2*sigmoid(w*x + b)" };
  assert.equal(JSON.stringify(await verifyGradient(q)), JSON.stringify(await verifyGradient(q)));
});
