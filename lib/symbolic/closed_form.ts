/**
 * A closed-form derivative of a small graph: the chain rule over the op table's local rules,
 * every intermediate written out, then mathjs's light simplification (constants folded as
 * fractions, x·1 removed; nothing multiplied out, so 2·(ŷ − t) stays recognisable). Refused for
 * graphs whose written-out expression would be large: those are explained factor by factor
 * (`chainRule`) instead.
 *
 * @module
 */
import type { OpName } from "../graph/ops.ts";
import { topoSort, type Value } from "../graph/value.ts";
import type { Expr } from "./ast.ts";
import { simplifyLight } from "./derivative.ts";
import { evaluateExpr } from "./evaluate.ts";
import { opExpr } from "./graph_to_expr.ts";
import { nameOf, reverseSymbolic } from "./local.ts";
import { toText } from "./print.ts";
import { tidy } from "./tidy.ts";
import { toTex } from "./tex.ts";

/** The largest written-out expression (in tree nodes) a closed form is built for. */
export const CLOSED_FORM_LIMIT = 2000;

/** A closed-form derivative. */
export interface ClosedForm {
  /** The root's name. */
  of: string;
  /** The parameter's name. */
  wrt: string;
  /** The derivative as a tree in the labelled leaves. */
  expr: Expr;
  /** As text. */
  text: string;
  /** As LaTeX. */
  tex: string;
  /** Its value at the leaves' current values. */
  value: number;
}

/**
 * The derivative of `root` with respect to the leaf `param`, written out in the labelled leaves.
 * Throws a `RangeError` when the written-out expression would exceed
 * {@linkcode CLOSED_FORM_LIMIT} nodes.
 *
 * @example
 * ```ts
 * import { closedForm, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w"), x = new Value(2, "x"), y = new Value(3, "y");
 * const loss = w.mul(x).sub(y).pow(2);
 * const d = await closedForm(loss, w);
 * assert.equal(d.text, "2·(w·x − y)·x");
 * assert.equal(d.value, -8);
 * ```
 */
export async function closedForm(root: Value, param: Value): Promise<ClosedForm> {
  const order = topoSort(root);
  if (!order.includes(param)) {
    throw new RangeError(`"${param.label || param.op}" is not part of the graph below the root`);
  }
  const size = new Map<Value, number>();
  for (const v of order) size.set(v, v.inputs.reduce((n, c) => n + size.get(c)!, 1));
  if (size.get(root)! > CLOSED_FORM_LIMIT / 4) {
    throw new RangeError(
      `this graph written out has ${
        size.get(root)
      } terms, too many for a readable closed form (limit ${
        CLOSED_FORM_LIMIT / 4
      }); use chainRule for the derivative factor by factor`,
    );
  }
  const exprs = new Map<Value, Expr>();
  const env: Record<string, number> = Object.create(null);
  for (const v of order) {
    if (v.isLeaf) {
      exprs.set(v, v.label ? { kind: "sym", name: v.label } : { kind: "num", value: v.data });
      if (v.label) env[v.label] = v.data;
    } else {
      const [a, b] = v.inputs;
      exprs.set(v, opExpr(v.op as OpName, exprs.get(a)!, b && exprs.get(b)));
    }
  }
  const expr = await simplifyLight(tidy(reverseSymbolic(order, exprs)(param)));
  return {
    of: nameOf(root, root),
    wrt: nameOf(param, root),
    expr,
    text: toText(expr),
    tex: toTex(expr),
    value: evaluateExpr(expr, env).value,
  };
}
