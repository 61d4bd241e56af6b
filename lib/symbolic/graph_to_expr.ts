/**
 * A `Value` graph as an expression tree: labelled leaves become variables, unlabelled leaves
 * their numbers, each op its expression. Labelled interior nodes can stand for themselves (the
 * named intermediates of the chain rule, `net_o1`, `out_o1`) instead of being written out.
 *
 * @module
 */
import type { OpName } from "../graph/ops.ts";
import { topoSort, type Value } from "../graph/value.ts";
import type { Expr, FunctionName } from "./ast.ts";

/** Options for {@linkcode graphToExpr}. */
export interface GraphToExprOptions {
  /**
   * Write labelled interior nodes (other than the root) as variables named by their labels,
   * instead of expanding them (default false).
   */
  namedIntermediates?: boolean;
}

/** The expression of one op applied to its inputs' expressions. */
export function opExpr(op: OpName, a: Expr, b?: Expr): Expr {
  switch (op) {
    case "add":
      return { kind: "add", terms: [{ sign: 1, expr: a }, { sign: 1, expr: b! }] };
    case "sub":
      return { kind: "add", terms: [{ sign: 1, expr: a }, { sign: -1, expr: b! }] };
    case "mul":
      return { kind: "mul", factors: [{ inverse: false, expr: a }, { inverse: false, expr: b! }] };
    case "div":
      return { kind: "mul", factors: [{ inverse: false, expr: a }, { inverse: true, expr: b! }] };
    case "pow":
      return { kind: "pow", base: a, exponent: b! };
    case "neg":
      return { kind: "neg", arg: a };
    default:
      return { kind: "call", fn: op as FunctionName, arg: a };
  }
}

/**
 * The expression a node computes. Shared subgraphs are shared subtrees (the tree is written out
 * in full only when printed). Built in topological order, without recursion.
 *
 * @example
 * ```ts
 * import { graphToExpr, toText, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.4, "w5"), h = new Value(0.59, "out_h1");
 * const net = w.mul(h).add(0.6);
 * net.label = "net_o1";
 * const out = net.sigmoid();
 * assert.equal(toText(graphToExpr(out)), "sigmoid(w5·out_h1 + 0.6)");
 * assert.equal(toText(graphToExpr(out, { namedIntermediates: true })), "sigmoid(net_o1)");
 * ```
 */
export function graphToExpr(root: Value, options: GraphToExprOptions = {}): Expr {
  const named = options.namedIntermediates ?? false;
  const exprs = new Map<Value, Expr>();
  for (const v of topoSort(root)) {
    if (v.isLeaf) {
      exprs.set(v, v.label ? { kind: "sym", name: v.label } : { kind: "num", value: v.data });
    } else if (named && v.label && v !== root) {
      exprs.set(v, { kind: "sym", name: v.label });
    } else {
      const [a, b] = v.inputs;
      exprs.set(v, opExpr(v.op as OpName, exprs.get(a)!, b && exprs.get(b)));
    }
  }
  return exprs.get(root)!;
}
