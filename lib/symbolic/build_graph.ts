/**
 * From a parsed expression to a `Value` graph: each variable one labelled leaf (the same leaf at
 * every occurrence), numbers as constants, functions as the op table's ops.
 *
 * @module
 */
import { Value } from "../graph/value.ts";
import type { Expr } from "./ast.ts";
import { type ParsedExpression, parseExpression } from "./parse.ts";

/** A graph built from an expression. */
export interface BuiltGraph {
  /** The expression's value node. */
  root: Value;
  /** One labelled leaf per variable, by name, in the order the variables first appear. */
  leaves: Record<string, Value>;
}

/**
 * Builds the `Value` graph of an expression at the given variable values. Every variable needs a
 * finite number (a `RangeError` names the missing or bad one); values of names the expression does
 * not use are ignored. An expression that leaves an op's domain at these values (`log(x)` at
 * x = −1) throws the op's `RangeError`. `step` and `sign` (derivative-only functions) have no
 * graph op and are refused.
 *
 * @param parsed a {@linkcode ParsedExpression} or the text to parse
 * @param values a number for each variable
 *
 * @example
 * ```ts
 * import { buildGraph, parseExpression } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { root, leaves } = buildGraph(parseExpression("(w*x + b - y)^2"), { w: 0.5, x: 2, b: 0, y: 3 });
 * assert.equal(root.data, 4);
 * root.backward();
 * assert.equal(leaves.w.grad, 2 * (0.5 * 2 - 3) * 2); // −8
 * assert.equal(leaves.w.label, "w");
 * ```
 */
export function buildGraph(
  parsed: ParsedExpression | string,
  values: Readonly<Record<string, number>>,
): BuiltGraph {
  const p = typeof parsed === "string" ? parseExpression(parsed) : parsed;
  if (values === null || typeof values !== "object") {
    throw new TypeError(`buildGraph: values must be an object of numbers, got ${values}`);
  }
  const leaves: Record<string, Value> = Object.create(null);
  for (const name of p.variables) {
    const v = Object.hasOwn(values, name) ? values[name] : undefined;
    if (v === undefined) {
      throw new RangeError(
        `no value for the variable "${name}" in ${JSON.stringify(p.source)}; give ${name}=<number>`,
      );
    }
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`the variable "${name}" must be a finite number, got ${v}`);
    }
    leaves[name] = new Value(v, name);
  }
  const build = (e: Expr): Value => {
    switch (e.kind) {
      case "num":
        return new Value(e.value);
      case "const":
        return new Value(e.name === "pi" ? Math.PI : Math.E);
      case "sym":
        return leaves[e.name];
      case "neg":
        return e.arg.kind === "num" ? new Value(-e.arg.value) : build(e.arg).neg();
      case "add": {
        let acc = build(e.terms[0].expr);
        if (e.terms[0].sign < 0) acc = acc.neg();
        for (let i = 1; i < e.terms.length; i++) {
          const t = build(e.terms[i].expr);
          acc = e.terms[i].sign > 0 ? acc.add(t) : acc.sub(t);
        }
        return acc;
      }
      case "mul": {
        let acc = build(e.factors[0].expr);
        if (e.factors[0].inverse) acc = new Value(1).div(acc);
        for (let i = 1; i < e.factors.length; i++) {
          const f = build(e.factors[i].expr);
          acc = e.factors[i].inverse ? acc.div(f) : acc.mul(f);
        }
        return acc;
      }
      case "pow":
        return build(e.base).pow(build(e.exponent));
      case "call":
        if (e.fn === "step" || e.fn === "sign") {
          throw new TypeError(
            `${e.fn}(…) has no graph op; it may appear in a claimed derivative, not in a graph`,
          );
        }
        return build(e.arg)[e.fn]();
    }
  };
  return { root: build(p.expr), leaves };
}
