/**
 * Symbolic derivatives of expression trees with mathjs, plus the project's own chain rule for the
 * functions mathjs cannot differentiate (sigmoid, relu, softplus; abs too, so that abs'(0) = 0 as
 * in the op table rather than mathjs's abs(x)/x).
 *
 * Each outermost call to such a function, f(u), is replaced by a fresh symbol c; mathjs
 * differentiates the rest; then d/dx = ∂F/∂x + Σ ∂F/∂c · f'(u) · du/dx, with f'(u) the op table's
 * rule (σ(u)(1 − σ(u)), step(u), σ(u), sign(u)) and du/dx found the same way, and c is put back.
 *
 * @module
 */
import { FUNCTIONS } from "../graph/ops.ts";
import type { Expr, FunctionName } from "./ast.ts";
import { sizeOf, symbolsOf } from "./ast.ts";
import { fromMath, Names, toMath } from "./convert.ts";
import { loadSymbolic, type Symbolic } from "./mathjs.ts";
import { parseExpression } from "./parse.ts";
import { add, keyOf, mul, substitute, tidy } from "./tidy.ts";

// The functions differentiated by the op table's rule rather than by mathjs (the table's
// `mathjsDerivative` is not set): sigmoid, relu, softplus, abs, step, sign.
const CUSTOM = new Set<string>(
  Object.values(FUNCTIONS).filter((f) => !f.mathjsDerivative).map((f) => f.name),
);

/**
 * The op table's derivative of a function, as a tree in the symbol `a` (step′ = sign′ = 0, away
 * from the kink).
 */
export function ruleOf(fn: FunctionName): Expr {
  return parseExpression(FUNCTIONS[fn].symbolicGrad[0], { derivativeFunctions: true }).expr;
}

interface Placeholder {
  name: string;
  call: Expr & { kind: "call" };
}

function replaceCustoms(e: Expr, found: Map<string, Placeholder>): Expr {
  switch (e.kind) {
    case "num":
    case "sym":
    case "const":
      return e;
    case "neg":
      return { kind: "neg", arg: replaceCustoms(e.arg, found) };
    case "add":
      return {
        kind: "add",
        terms: e.terms.map((t) => ({ sign: t.sign, expr: replaceCustoms(t.expr, found) })),
      };
    case "mul":
      return {
        kind: "mul",
        factors: e.factors.map((f) => ({
          inverse: f.inverse,
          expr: replaceCustoms(f.expr, found),
        })),
      };
    case "pow":
      return {
        kind: "pow",
        base: replaceCustoms(e.base, found),
        exponent: replaceCustoms(e.exponent, found),
      };
    case "call": {
      if (!CUSTOM.has(e.fn)) return { kind: "call", fn: e.fn, arg: replaceCustoms(e.arg, found) };
      const key = keyOf(e);
      let p = found.get(key);
      if (p === undefined) {
        p = { name: `$c${found.size}`, call: e };
        found.set(key, p);
      }
      return { kind: "sym", name: p.name };
    }
  }
}

function raw(m: Symbolic, e: Expr, x: string): Expr {
  if (!symbolsOf(e).includes(x)) return { kind: "num", value: 0 };
  const found = new Map<string, Placeholder>();
  const f = replaceCustoms(e, found);
  const names = new Names();
  const node = toMath(m, f, names);
  // Placeholders are put back only in mathjs's results, never in the (already finished) inner
  // derivatives, so nested functions cost time proportional to the size of the result.
  const back = new Map([...found.values()].map((p) => [p.name, p.call as Expr]));
  const d = (v: string) =>
    substitute(fromMath(m.derivative(node, new m.SymbolNode(names.inner(v))), names), back);
  const terms: Expr[] = [symbolsOf(f).includes(x) ? d(x) : { kind: "num", value: 0 }];
  for (const p of found.values()) {
    const u = p.call.arg;
    if (!symbolsOf(u).includes(x)) continue;
    const rule = substitute(ruleOf(p.call.fn), new Map([["a", u]]));
    terms.push(mul(d(p.name), rule, raw(m, u, x)));
  }
  return add(...terms);
}

/** Expressions up to this many nodes get mathjs's light simplification; larger ones are tidied. */
export const SIMPLIFY_LIMIT = 400;

function hasLongSum(e: Expr, limit: number): boolean {
  switch (e.kind) {
    case "add":
      return e.terms.length > limit || e.terms.some((t) => hasLongSum(t.expr, limit));
    case "mul":
      return e.factors.length > limit || e.factors.some((f) => hasLongSum(f.expr, limit));
    case "neg":
    case "call":
      return hasLongSum(e.arg, limit);
    case "pow":
      return hasLongSum(e.base, limit) || hasLongSum(e.exponent, limit);
    default:
      return false;
  }
}

/**
 * mathjs's light simplification (`simplifyCore` and `simplifyConstant`: constants folded as
 * fractions, x·1 and x + 0 removed, nothing multiplied out), skipped on expressions large enough
 * for mathjs's simplifier to be slow (it is exponential in the length of a sum).
 */
export async function simplifyLight(e: Expr): Promise<Expr> {
  if (sizeOf(e) > SIMPLIFY_LIMIT || hasLongSum(e, 10)) return tidy(e);
  const m = await loadSymbolic();
  const names = new Names();
  return tidy(fromMath(m.simplifyLight(toMath(m, e, names)), names));
}

/**
 * The derivative of `expr` with respect to the variable `wrt`, lightly simplified. sigmoid,
 * relu, softplus and abs follow the op table's rules (relu'(0) = step(0) = 0, abs' = sign).
 *
 * @example
 * ```ts
 * import { differentiate, parseExpression, toText } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const d = await differentiate(parseExpression("(w*x + b - y)^2").expr, "w");
 * assert.equal(toText(d), "2·x·(w·x + b − y)");
 * const s = await differentiate(parseExpression("sigmoid(w*x)").expr, "w");
 * assert.equal(toText(s), "sigmoid(w·x)·(1 − sigmoid(w·x))·x");
 * ```
 */
export async function differentiate(expr: Expr, wrt: string): Promise<Expr> {
  const m = await loadSymbolic();
  return simplifyLight(tidy(raw(m, expr, wrt)));
}

/**
 * True when mathjs's full simplifier reduces a − b to 0 (a proof that they are equal); false when
 * it does not (which proves nothing) or when the expressions are too large to try safely.
 */
export async function provablyEqual(a: Expr, b: Expr): Promise<boolean> {
  const diff = add(a, { kind: "neg", arg: b });
  if (sizeOf(diff) > 80 || hasLongSum(diff, 8)) return false;
  const m = await loadSymbolic();
  try {
    const names = new Names();
    const s = m.simplifyFull(toMath(m, diff, names));
    return s.type === "ConstantNode" && Number(s.value) === 0;
  } catch {
    return false;
  }
}
