import assert from "node:assert/strict";
import {
  buildGraph,
  ExpressionError,
  gradcheck,
  MAX_NESTING_DEPTH,
  parseExpression,
  USER_FUNCTIONS,
  Value,
} from "../../mod.ts";

function fails(text: string, pattern: RegExp, kind: ErrorConstructor = SyntaxError): void {
  assert.throws(() => parseExpression(text), (e: unknown) => {
    assert.ok(e instanceof kind, `${text}: ${e}`);
    const message = (e as Error).message;
    assert.ok(!message.includes("\n"), `one line: ${message}`);
    assert.match(message, pattern, `${text}: ${message}`);
    return true;
  });
}

Deno.test("precedence and associativity follow the usual rules", () => {
  const at = (text: string, values: Record<string, number> = {}) =>
    buildGraph(parseExpression(text), values).root.data;
  assert.equal(at("1 + 2 * 3"), 7);
  assert.equal(at("2 ^ 3 ^ 2"), 512); // right-associative
  assert.equal(at("-2 ^ 2"), -4); // the sign applies to the power
  assert.equal(at("2 ^ -1"), 0.5);
  assert.equal(at("8 / 4 / 2"), 1); // left-associative
  assert.equal(at("10 - 4 - 3"), 3);
  assert.equal(at("(1 + 2) * 3"), 9);
  assert.equal(at("2 ** 3"), 8);
  assert.equal(at("6 − 2 · 2 × 1"), 2); // the characters stepgrad prints read back
  assert.equal(at("x*x - --x", { x: 3 }), 6);
  assert.equal(at("pi"), Math.PI);
  assert.equal(at("log(e)"), 1);
  assert.equal(at("1.5e-3 * .5e3"), 0.75);
  assert.equal(at("+x", { x: 4 }), 4);
});

Deno.test("every allowed function builds the op of the same name", () => {
  const x = 0.7;
  const expected: Record<string, number> = {
    exp: Math.exp(x),
    log: Math.log(x),
    sqrt: Math.sqrt(x),
    abs: x,
    tanh: Math.tanh(x),
    sinh: Math.sinh(x),
    cosh: Math.cosh(x),
    sech: 1 / Math.cosh(x),
    sin: Math.sin(x),
    cos: Math.cos(x),
    sigmoid: 1 / (1 + Math.exp(-x)),
    relu: x,
    softplus: Math.log(1 + Math.exp(x)),
  };
  for (const fn of USER_FUNCTIONS) {
    const { root } = buildGraph(parseExpression(`${fn}(x)`), { x });
    assert.equal(root.op, fn);
    assert.ok(Math.abs(root.data - expected[fn]) < 1e-15, `${fn}: ${root.data}`);
  }
});

Deno.test("a variable is one labelled leaf, reused at every occurrence", () => {
  const { root, leaves } = buildGraph("x*x + sin(x)*y", { x: 0.3, y: -2, unused: 1 });
  assert.deepEqual(Object.keys(leaves), ["x", "y"]);
  assert.equal(leaves.x.label, "x");
  root.backward();
  assert.ok(Math.abs(leaves.x.grad - (2 * 0.3 + Math.cos(0.3) * -2)) < 1e-15);
  assert.equal(leaves.y.grad, Math.sin(0.3));
  // numbers are unlabelled constants, so gradcheck sees only the variables
  const g = buildGraph("3*w^2 + 2", { w: 1.5 });
  assert.deepEqual(gradcheck(g.root).rows.map((r) => r.label), ["w"]);
  assert.ok(g.leaves.w instanceof Value);
});

Deno.test("buildGraph: missing, non-finite values and domain errors are clear", () => {
  assert.throws(() => buildGraph("w*x", { w: 1 }), /no value for the variable "x"/);
  assert.throws(() => buildGraph("w*x", { w: 1, x: NaN }), /"x" must be a finite number/);
  assert.throws(() => buildGraph("log(x)", { x: -1 }), RangeError);
  assert.throws(() => buildGraph("x / (y - y)", { x: 1, y: 2 }), /division by zero/);
  // inherited properties are not values
  assert.throws(() => buildGraph("toString2 * x", { x: 1 }), /toString2/);
});

Deno.test("unbalanced parentheses are reported with their column", () => {
  fails("sin(x*(y+1)", /unbalanced parenthesis: "\(" at column 4 is never closed/);
  fails("(x+1))", /unbalanced parenthesis: "\)" at column 6 has no matching "\("/);
  fails("x + 1)", /column 6/);
  fails("((x)", /"\(" at column 1 is never closed/);
  fails("()", /empty parentheses at column 1/);
  assert.throws(
    () => parseExpression("x + (y"),
    (e) => e instanceof ExpressionError && e.column === 5,
  );
});

Deno.test("hostile and malformed input is refused before mathjs sees it", () => {
  fails("import(x)", /unknown function "import" at column 1/);
  fails("evaluate(x)", /unknown function "evaluate"/);
  fails("createUnit(x)", /unknown function "createUnit"/);
  fails("max(x)", /unknown function "max" at column 1; expected one of exp, log/);
  fails("constructor", /"constructor" at column 1 is a reserved name/);
  fails("x + import", /reserved name/);
  fails("__proto__", /must start with a letter/);
  fails("a.b", /unexpected "\." at column 2.*property access/);
  fails("[1,2]", /unexpected "\[" at column 1.*matrices/);
  fails("x = 3", /unexpected "=" at column 3.*assignments/);
  fails("f(x) = x^2", /unexpected "=" at column 6.*assignments and definitions/);
  fails("g = x^2", /assignments/);
  fails("log(x, 2)", /unexpected "," at column 6.*one argument/);
  fails('"x"', /strings are not allowed/);
  fails("x; y", /one expression/);
  fails("x!", /unexpected "!" at column 2/);
  fails("2x", /missing operator before "x" at column 2/);
  fails("2 (x+1)", /missing operator before "\(" at column 3/);
  fails("x y", /missing operator/);
  fails("sin x", /"sin" at column 1 is a function; write sin\(…\)/);
  fails("sin()", /needs an argument/);
  fails("x +", /ends too early after "\+" at column 3/);
  fails("* x", /unexpected operator "\*" at column 1/);
  fails("x ^^ 2", /unexpected operator "\^" at column 4/);
  fails("x 😀", /unexpected "😀" at column 3/);
  fails("", /empty expression/);
  fails("   ", /empty expression/);
  fails("step(x)", /unknown function "step"/); // only for claims
  assert.equal(parseExpression("step(x)", { derivativeFunctions: true }).variables[0], "x");
  fails("1e999", /too large/, RangeError);
});

Deno.test("length and nesting depth are bounded; no hang, no stack overflow", () => {
  const t0 = performance.now();
  fails("x+".repeat(50_000) + "x", /too long: 100001 characters; the limit is 10000/, RangeError);
  fails("(".repeat(50_000) + "x" + ")".repeat(50_000), /too long/, RangeError);
  const deep = "(".repeat(4000) + "x" + ")".repeat(4000);
  fails(deep, new RegExp(`nested too deeply at column ${MAX_NESTING_DEPTH + 1}`), RangeError);
  fails("-".repeat(5000) + "x", /nested too deeply/, RangeError);
  fails("x^".repeat(3000) + "x", /nested too deeply/, RangeError);
  fails("sin(".repeat(1500) + "x" + ")".repeat(1500), /nested too deeply/, RangeError);
  // a nesting of exactly the limit works
  const ok = "(".repeat(MAX_NESTING_DEPTH) + "x" + ")".repeat(MAX_NESTING_DEPTH);
  assert.deepEqual(parseExpression(ok).variables, ["x"]);
  // a long flat sum is one n-ary node, not a deep chain
  const sum = parseExpression(Array.from({ length: 1500 }, (_, i) => `x${i}`).join("+"));
  assert.equal(sum.expr.kind, "add");
  assert.equal(sum.variables.length, 1500);
  assert.ok(performance.now() - t0 < 2000);
});

Deno.test("non-string input is a TypeError", () => {
  assert.throws(() => parseExpression(42 as unknown as string), TypeError);
});
