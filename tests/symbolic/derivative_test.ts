import assert from "node:assert/strict";
import {
  buildGraph,
  centralDifference,
  closedForm,
  differentiate,
  evaluateExpr,
  graphToExpr,
  loadSymbolic,
  OP_NAMES,
  OPS,
  parseExpression,
  seededRandom,
  symbolicGradients,
  toText,
  Value,
} from "../../mod.ts";
import { fromMath, Names, toMath } from "../../lib/symbolic/convert.ts";

const rng = seededRandom(31337);
const close = (a: number, b: number, tol: number) =>
  Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

// Inputs inside each op's domain, away from kinks.
function inputs(name: string): [number, number] {
  const u = (lo: number, hi: number) => rng.uniform(lo, hi);
  switch (name) {
    case "log":
    case "sqrt":
      return [u(0.05, 20), 0];
    case "pow":
      return [u(0.1, 4), u(-3, 3)];
    case "div":
      return [u(-5, 5), u(0.3, 5) * (rng.next() < 0.5 ? -1 : 1)];
    case "relu":
    case "abs": {
      const x = u(0.05, 5);
      return [rng.next() < 0.5 ? -x : x, 0];
    }
    default:
      return [u(-4, 4), u(-4, 4)];
  }
}

function apply(name: string, a: Value, b: Value): Value {
  const m = (a as unknown as Record<string, (b?: Value) => Value>)[name];
  return OPS.find((o) => o.name === name)!.arity === 1 ? m.call(a) : m.call(a, b);
}

Deno.test("every op: the symbolic derivative matches backprop to 1e-10 and finite differences", async () => {
  for (const name of OP_NAMES) {
    for (let k = 0; k < 25; k++) {
      const [x, y] = inputs(name);
      const a = new Value(x, "a"), b = new Value(y, "b");
      const out = apply(name, a, b);
      out.backward();
      // 1. the op table's symbolic rule, chained (the three-way check's symbolic column)
      const s = symbolicGradients(out);
      assert.ok(
        close(s.get(a)!, a.grad, 1e-10),
        `${name}(${x}, ${y}) rule: ${s.get(a)} vs ${a.grad}`,
      );
      // 2. mathjs's derivative of the op's expression
      const e = graphToExpr(out);
      const d = await differentiate(e, "a");
      const dv = evaluateExpr(d, { a: x, b: y }).value;
      assert.ok(close(dv, a.grad, 1e-10), `${name}: mathjs ${toText(d)} = ${dv} vs ${a.grad}`);
      // 3. finite differences
      const fd = centralDifference((t) => apply(name, new Value(t), new Value(y)).data, x, 1e-6);
      assert.ok(close(fd, a.grad, 1e-5), `${name}: fd ${fd} vs ${a.grad}`);
      if (OPS.find((o) => o.name === name)!.arity === 2) {
        assert.ok(close(s.get(b)!, b.grad, 1e-10), `${name} ∂/∂b rule`);
        const db = evaluateExpr(await differentiate(e, "b"), { a: x, b: y }).value;
        assert.ok(close(db, b.grad, 1e-10), `${name} ∂/∂b mathjs ${db} vs ${b.grad}`);
      }
    }
  }
});

Deno.test("the op table's symbolic rules equal mathjs's own derivative of each op", async () => {
  const m = await loadSymbolic();
  const custom = new Set(["sigmoid", "relu", "softplus", "abs"]); // mathjs cannot (or, abs, differs at 0)
  for (const op of OPS) {
    if (custom.has(op.name)) continue;
    const names = new Names();
    const node = toMath(m, parseExpression(op.symbolic).expr, names);
    ["a", "b"].slice(0, op.arity).forEach((v, i) => {
      const mine = parseExpression(op.symbolicGrad[i], { derivativeFunctions: true }).expr;
      const theirs = fromMath(m.derivative(node, new m.SymbolNode(names.inner(v))), names);
      for (let k = 0; k < 10; k++) {
        const [x, y] = inputs(op.name);
        const env = { a: x, b: y };
        const p = evaluateExpr(mine, env).value, q = evaluateExpr(theirs, env).value;
        assert.ok(
          close(p, q, 1e-12),
          `${op.name} ∂/∂${v}: table ${p}, mathjs ${q} (${toText(theirs)})`,
        );
      }
    });
  }
});

Deno.test("composed graphs: mathjs derivative = closed form = backprop, across random points", async () => {
  const exprs = [
    "(w*x + b - y)^2",
    "sigmoid(w1*x1 + w2*x2 + b)",
    "0.5*(t - tanh(w*x + b))^2",
    "softplus(w*x) - log(1 + exp(w*x))",
    "relu(w*x + b)*v + sigmoid(v*w)",
    "exp(-w^2/2)/sqrt(2*pi)",
    "sin(w)*cos(x*w) + sinh(w)/cosh(w) - sech(w)",
    "abs(w - x)^3 + w^x",
    "x*w/(1 + w^2)",
  ];
  for (const text of exprs) {
    const p = parseExpression(text);
    for (let k = 0; k < 8; k++) {
      const values: Record<string, number> = {};
      for (const v of p.variables) values[v] = rng.uniform(0.2, 2) * (rng.next() < 0.3 ? -1 : 1);
      if (/x\)?\^|w\^x/.test(text)) values.w = Math.abs(values.w); // w^x needs w > 0
      const { root, leaves } = buildGraph(p, values);
      root.backward();
      for (const v of p.variables) {
        const d = await differentiate(p.expr, v);
        const dv = evaluateExpr(d, values).value;
        assert.ok(close(dv, leaves[v].grad, 1e-10), `${text} ∂/∂${v}: ${dv} vs ${leaves[v].grad}`);
        const cf = await closedForm(root, leaves[v]);
        assert.ok(close(cf.value, leaves[v].grad, 1e-10), `${text} closed form ∂/∂${v}`);
      }
    }
  }
});

Deno.test("sigmoid, relu, softplus follow the project's rules, written recognisably", async () => {
  const d = async (text: string, v: string) =>
    toText(await differentiate(parseExpression(text).expr, v));
  assert.equal(await d("sigmoid(z)", "z"), "sigmoid(z)·(1 − sigmoid(z))");
  assert.equal(await d("relu(z)", "z"), "step(z)");
  assert.equal(await d("softplus(z)", "z"), "sigmoid(z)");
  assert.equal(await d("abs(z)", "z"), "sign(z)");
  assert.equal(await d("sigmoid(w*x)", "w"), "sigmoid(w·x)·(1 − sigmoid(w·x))·x");
  // nested custom functions: the chain rule applies through each
  const nested = parseExpression("softplus(sigmoid(relu(x)*3))").expr;
  const dn = await differentiate(nested, "x");
  for (const x of [-2, -0.5, 0.3, 1.7]) {
    const f = (t: number) => evaluateExpr(nested, { x: t }).value;
    const fd = centralDifference(f, x, 1e-6);
    assert.ok(close(evaluateExpr(dn, { x }).value, fd, 1e-7), `at ${x}`);
  }
  // a function of a variable-free argument differentiates to 0
  assert.equal(
    toText(await differentiate(parseExpression("sigmoid(3)*w").expr, "w")),
    "sigmoid(3)",
  );
});

Deno.test("kinks: relu'(0) = abs'(0) = 0 in both the rule and backprop; finite differences average", () => {
  for (const op of ["relu", "abs"] as const) {
    const x = new Value(0, "x");
    const out = x[op]();
    out.backward();
    assert.equal(x.grad, 0);
    assert.equal(symbolicGradients(out).get(x), 0);
    const fd = centralDifference((t) => new Value(t)[op]().data, 0, 1e-6);
    assert.ok(close(fd, op === "relu" ? 0.5 : 0, 1e-9), `${op}: fd ${fd}`);
  }
  const k = evaluateExpr(parseExpression("step(x)", { derivativeFunctions: true }).expr, { x: 0 });
  assert.equal(k.value, 0);
  assert.equal(k.kink, true);
});

Deno.test("closed form keeps the structure a person recognises: no decimals for 1/2, no expanding", async () => {
  const yhat = new Value(0.8, "yhat"), t = new Value(1, "t");
  const loss = yhat.sub(t).pow(2).mul(0.5);
  const d = await closedForm(loss, yhat);
  assert.equal(d.text, "yhat − t");
  const w = new Value(0.5, "w"), x = new Value(2, "x");
  const sq = await closedForm(w.mul(x).sub(t).pow(2), w);
  assert.equal(sq.text, "2·(w·x − t)·x"); // the 2(ŷ − t) factor stays, not multiplied out
  const half = await closedForm(w.pow(2).div(3), w);
  assert.match(half.text, /2·w\/3|2\/3·w/);
  assert.ok(!/0\.666/.test(half.text));
});

Deno.test("closed form refuses graphs that would be too large to read, with a pointer", async () => {
  let y = new Value(1.01, "x");
  const x = y;
  for (let i = 0; i < 12; i++) y = y.mul(y); // 2^12 leaves written out
  await assert.rejects(() => closedForm(y, x), /too many for a readable closed form.*chainRule/);
});
