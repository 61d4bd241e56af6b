/**
 * The op table drives its readers: for every function in the table (the ops written f(x), and
 * step and sign), the parser accepts it, the TeX printer writes it as the table's `latex`, the
 * evaluator and the judge compute it and its slope as the table does, kinks are where the table
 * says, the symbolic derivative follows the table's rule, and the macros (KaTeX, the LaTeX
 * preamble, the formula helper) are the table's. Nothing here lists an op: a new entry in
 * ops.ts is checked by these tests as it stands.
 */
import assert from "node:assert/strict";
import {
  DERIVATIVE_FUNCTION_NAMES,
  FUNCTION_OP_NAMES,
  FUNCTION_PRECEDENCE,
  FUNCTIONS,
  type FunctionSpec,
  OP_BY_NAME,
  OPS,
} from "../../lib/graph/ops.ts";
import { Value } from "../../lib/graph/value.ts";
import { graphDifference } from "../../lib/check/finite_difference.ts";
import { DERIVATIVE_FUNCTIONS, USER_FUNCTIONS } from "../../lib/symbolic/ast.ts";
import { parseExpression } from "../../lib/symbolic/parse.ts";
import { toTex } from "../../lib/symbolic/tex.ts";
import { PRECEDENCE, toText } from "../../lib/symbolic/print.ts";
import { evaluateExpr } from "../../lib/symbolic/evaluate.ts";
import { evaluateGraph, kinkedCalls } from "../../lib/symbolic/judge.ts";
import { differentiate, ruleOf } from "../../lib/symbolic/derivative.ts";
import { KATEX_MACROS, latexMacroPreamble } from "../../lib/text/macros.ts";
import { texToText } from "../../lib/text/formula.ts";
import { renderTex } from "../../lib/render/katex.ts";

const ALL: FunctionSpec[] = Object.values(FUNCTIONS);
const isDerivative = (f: FunctionSpec) =>
  (DERIVATIVE_FUNCTION_NAMES as readonly string[]).includes(f.name);
const parse = (f: FunctionSpec, arg = "x") =>
  parseExpression(`${f.name}(${arg})`, { derivativeFunctions: isDerivative(f) }).expr;
const inDomain = (f: FunctionSpec, a: number) => f.domain?.(a, 0) === undefined;
const U = Number.EPSILON / 2;

// Points spread over signs and magnitudes, with each function's kinks and points beside them.
const POINTS = [-30, -4, -2.5, -1, -0.3, -1e-9, 0, 1e-9, 0.3, 0.7, 1, 2.5, 4, 30];

Deno.test("the functions are the table's: every unary op but neg, then step and sign", () => {
  const unary = OPS.filter((o) => o.arity === 1 && o.name !== "neg").map((o) => o.name);
  assert.deepEqual([...FUNCTION_OP_NAMES], unary);
  assert.deepEqual([...USER_FUNCTIONS], unary);
  assert.deepEqual([...DERIVATIVE_FUNCTIONS], ["step", "sign"]);
  assert.deepEqual(ALL.map((f) => f.name), [...unary, "step", "sign"]);
  for (const name of unary) {
    assert.equal((FUNCTIONS as Record<string, FunctionSpec>)[name], OP_BY_NAME[name]);
  }
});

Deno.test("every function: the parser accepts it, toTex writes the table's latex, toText a call that parses back", () => {
  for (const f of ALL) {
    const e = parse(f);
    assert.deepEqual({ kind: e.kind, fn: e.kind === "call" && e.fn }, { kind: "call", fn: f.name });
    if (isDerivative(f)) {
      assert.throws(() => parseExpression(`${f.name}(x)`), /unknown function/);
    }
    assert.equal(toTex(e), f.latex("x", ""), f.name);
    assert.equal(toTex(parse(f, "w1 + 2")), f.latex("w_{1} + 2", ""), f.name);
    assert.equal(toText(e), `${f.name}(x)`);
    assert.doesNotThrow(() => renderTex(toTex(e)), f.name);
  }
});

Deno.test("precedence: the printers parenthesise by the table's binding strengths", () => {
  assert.deepEqual(PRECEDENCE, {
    sum: OP_BY_NAME.add.precedence,
    product: OP_BY_NAME.mul.precedence,
    sign: OP_BY_NAME.neg.precedence,
    power: OP_BY_NAME.pow.precedence,
    atom: FUNCTION_PRECEDENCE,
  });
  assert.equal(OP_BY_NAME.sub.precedence, PRECEDENCE.sum);
  assert.equal(OP_BY_NAME.div.precedence, PRECEDENCE.product);
  for (const f of ALL) assert.equal(f.precedence, FUNCTION_PRECEDENCE, f.name);
  // A call binds like an atom: never parenthesised as a factor, a base or an exponent.
  assert.equal(
    toText(parseExpression("tanh(x)^exp(y)*-relu(z)").expr),
    "tanh(x)^exp(y)·(−relu(z))",
  );
});

Deno.test("the evaluator computes every function as the table's forward (NaN outside the domain), rounding carried by the table's slope", () => {
  for (const f of ALL) {
    for (const a of [...POINTS, NaN, Infinity, -Infinity]) {
      const want = inDomain(f, a) ? f.forward(a, 0) : NaN;
      const got = evaluateExpr(parse(f), { x: a });
      assert.ok(Object.is(got.value, want), `${f.name}(${a}): ${got.value} !== ${want}`);
    }
    // A written decimal carries a rounding error of U·|a|, which the function scales by |f′(a)|.
    for (const text of ["0.1", "0.7", "2.5", "30.1"]) {
      const a = Number(text);
      if (!inDomain(f, a) || f.kinks?.includes(a)) continue;
      const v = f.forward(a, 0);
      const got = evaluateExpr(parse(f, text), {});
      const want = Math.abs(f.grad(0, a, 0, v)) * (U * a) + U * Math.abs(v);
      assert.ok(Object.is(got.error, want), `${f.name}(${text}): error ${got.error} !== ${want}`);
    }
  }
});

Deno.test("the judge computes every function and its derivative as the table does", () => {
  for (const f of ALL) {
    for (const a of POINTS) {
      if (!inDomain(f, a) || f.kinks?.includes(a)) continue;
      const v = f.forward(a, 0);
      const d = f.grad(0, a, 0, v);
      const got = evaluateGraph(parse(f), { x: a }, "x");
      const close = (x: number, y: number) => Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y));
      assert.ok(close(got.value, v), `${f.name}(${a}): ${got.value} vs ${v}`);
      assert.ok(close(got.derivative, d), `${f.name}′(${a}): ${got.derivative} vs ${d}`);
    }
  }
});

Deno.test("kinks come from the table: the evaluator, the judge and finite differences see exactly them", () => {
  for (const f of ALL) {
    const jumps = f.kinks !== undefined && f.kinkJumps === true;
    for (const k of f.kinks ?? []) {
      assert.equal(evaluateExpr(parse(f), { x: k }).kink, jumps, `${f.name} at its kink ${k}`);
      assert.equal(evaluateExpr(parse(f), { x: k + 0.5 }).kink, false, `${f.name} beside it`);
    }
    assert.equal(kinkedCalls(parse(f)).length, jumps ? 1 : 0, f.name);
  }
  for (const op of OPS.filter((o) => o.arity === 1)) {
    const at = (x0: number) => {
      const x = new Value(x0, "x");
      const y = (x as unknown as Record<string, () => Value>)[op.name].call(x);
      return graphDifference(y, x, 6e-8).crossesKink; // x ± h stays on one side of 0
    };
    for (const k of op.kinks ?? []) assert.ok(at(k + 1e-7), `${op.name}: a step across ${k}`);
    if (op.kinks === undefined) assert.ok(!at(1e-7), `${op.name} has no kink at 0`);
  }
});

Deno.test("the symbolic derivative of every function is the table's rule", async () => {
  for (const f of ALL) {
    const rule = parseExpression(f.symbolicGrad[0], { derivativeFunctions: true }).expr;
    assert.deepEqual(ruleOf(f.name), rule);
    const d = await differentiate(parse(f), "x");
    for (const a of POINTS) {
      if (!inDomain(f, a) || f.kinks?.includes(a)) continue;
      const want = f.grad(0, a, 0, f.forward(a, 0));
      const got = evaluateExpr(d, { x: a }).value;
      const close = Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want));
      assert.ok(close, `d/dx ${f.name}(x) at ${a}: ${toText(d)} = ${got}, table ${want}`);
    }
  }
});

Deno.test("the macros are the table's: KaTeX's, the LaTeX preamble's and the formula helper's", () => {
  const macro = ALL.filter((f) => f.macro);
  assert.deepEqual(
    KATEX_MACROS,
    Object.fromEntries(macro.map((f) => [`\\${f.name}`, f.texName])),
  );
  const preamble = latexMacroPreamble().split("\n");
  assert.equal(preamble.length, macro.length);
  for (const f of macro) {
    const operator = /^\\operatorname\{(\w+)\}$/.exec(f.texName);
    assert.ok(
      preamble.includes(
        operator
          ? `\\DeclareMathOperator{\\${f.name}}{${operator[1]}}`
          : `\\newcommand{\\${f.name}}{${f.texName}}`,
      ),
      f.name,
    );
    assert.doesNotThrow(() => renderTex(`\\${f.name}\\left(x\\right)`), f.name);
    assert.equal(texToText(`\\${f.name}\\left(x\\right)`), `${f.name}(x)`);
  }
  // Every function the table writes as a command of its own name reads back as that name.
  for (const f of ALL) {
    if (f.latex("x", "") === `\\${f.name}\\left(x\\right)`) {
      assert.equal(texToText(f.latex("x", "")), `${f.name}(x)`, f.name);
    }
  }
});
