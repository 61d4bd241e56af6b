/**
 * The chain rule the way a learner writes it. Each node's local derivative comes from the op
 * table's `symbolicGrad` formulas (a formula in its inputs, and its value); per parameter, the
 * path up to the root is written as a product of factors between named nodes,
 * ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5, each factor a formula in the named
 * intermediates with its value. Cost is linear in the size of the graph: no whole-network
 * expression is ever built.
 *
 * @module
 */
import { OPS } from "../graph/ops.ts";
import { topoSort, type Value } from "../graph/value.ts";
import type { Expr } from "./ast.ts";
import { simplifyLight } from "./derivative.ts";
import { compileExpr, evaluateExpr } from "./evaluate.ts";
import { opExpr } from "./graph_to_expr.ts";
import { parseExpression } from "./parse.ts";
import { add, keyOf, mul, replaceSubtree, substitute, tidy } from "./tidy.ts";

// The op table's local derivatives, parsed once: trees in `a` and `b`, and compiled.
const RULES: { expr: Expr; value: (ab: ArrayLike<number>) => number }[][] = OPS.map((op) =>
  op.symbolicGrad.map((s) => {
    const expr = parseExpression(s, { derivativeFunctions: true }).expr;
    return { expr, value: compileExpr(expr, ["a", "b"]) };
  })
);

/** The op table's local derivative ∂node/∂input_i as a tree in `a` and `b`. */
export function localRule(node: Value, i: number): Expr {
  if (node.isLeaf) throw new TypeError("a leaf has no local derivative");
  return RULES[node._code][i].expr;
}

/**
 * The value of the op table's symbolic local derivative ∂node/∂input_i at the inputs' current
 * values (evaluated from the formula, not from the numeric `grad` backprop uses).
 */
export function localValue(node: Value, i: number): number {
  const [a, b] = node.inputs;
  const bd = b === undefined ? 0 : b.data;
  if (node.op === "pow") {
    // The formulas' limits, as the numeric rule and PyTorch take them: ∂(aᵇ)/∂a = b·a^(b−1) is 0
    // at b = 0 (a⁰ = 1 is constant; the formula reads 0·0⁻¹ at a = 0), and ∂(aᵇ)/∂b = aᵇ·log a
    // is 0 at a = 0 for b ≥ 0 (the formula reads 0·log 0).
    if (i === 0 && bd === 0) return 0;
    if (i === 1 && a.data === 0 && bd >= 0) return 0;
  }
  return RULES[node._code][i].value([a.data, bd]);
}

/**
 * ∂root/∂node for every node below `root`, by the chain rule over the op table's symbolic local
 * derivatives (evaluated): the "symbolic" column of the three-way check. Linear in the graph.
 *
 * @example
 * ```ts
 * import { symbolicGradients, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const x = new Value(3, "x");
 * const y = x.mul(x).sigmoid();
 * const s = 1 / (1 + Math.exp(-9));
 * assert.ok(Math.abs(symbolicGradients(y).get(x)! - s * (1 - s) * 6) < 1e-15);
 * ```
 */
export function symbolicGradients(
  root: Value,
  order: readonly Value[] = topoSort(root),
): Map<Value, number> {
  const grads = new Map<Value, number>();
  for (const v of order) grads.set(v, 0);
  grads.set(root, 1);
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k];
    if (v.isLeaf) continue;
    const g = grads.get(v)!;
    v.inputs.forEach((input, i) => grads.set(input, grads.get(input)! + g * localValue(v, i)));
  }
  return grads;
}

/** A named node's name in formulas: its label, or `L` for an unlabelled root. */
export function nameOf(v: Value, root: Value): string {
  return v.label || (v === root ? "L" : v.op);
}

/** One factor of a chain-rule path: ∂of/∂wrt. */
export interface ChainFactor {
  /** The upper node's name. */
  of: string;
  /** The lower node's name. */
  wrt: string;
  /** The factor as a formula in named nodes (absent for a total derivative over several paths). */
  formula?: Expr;
  /** Its value. */
  value: number;
  /**
   * For a total derivative ∂E/∂n where n feeds several named nodes: one contribution per path,
   * ∂E/∂via · ∂via/∂n.
   */
  contributions?: { via: string; value: number }[];
}

/** A parameter's gradient written as a chain of factors. */
export interface ChainRule {
  /** The root's name. */
  of: string;
  /** The parameter's name. */
  wrt: string;
  /** Factors from the root down to the parameter. */
  factors: ChainFactor[];
  /** Their product: ∂root/∂parameter. */
  value: number;
}

interface Named {
  /** The labelled nodes directly below (no other labelled node in between). */
  children: Value[];
  /** The sub-order from this node down to its named children (those included, as leaves). */
  order: Value[];
}

function isNamed(v: Value, root: Value): boolean {
  return v === root || v.label !== "";
}

function namedBelow(top: Value, root: Value): Named {
  const order: Value[] = [];
  const seen = new Set<Value>();
  const children: Value[] = [];
  const stack: [Value, number][] = [[top, 0]];
  seen.add(top);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const [v, i] = frame;
    const stop = v !== top && isNamed(v, root);
    if (!stop && i < v.inputs.length) {
      frame[1]++;
      const c = v.inputs[i];
      if (!seen.has(c)) {
        seen.add(c);
        stack.push([c, 0]);
      }
    } else {
      stack.pop();
      order.push(v);
      if (stop) children.push(v);
    }
  }
  return { children, order };
}

/** Expressions of the nodes in a sub-order, named nodes (but the top) as their names. */
function exprsOf(named: Named, top: Value, root: Value): Map<Value, Expr> {
  const exprs = new Map<Value, Expr>();
  for (const v of named.order) {
    if (v !== top && isNamed(v, root)) exprs.set(v, { kind: "sym", name: nameOf(v, root) });
    else if (v.isLeaf) exprs.set(v, { kind: "num", value: v.data });
    else {
      const [a, b] = v.inputs;
      exprs.set(v, opExpr(v.op as never, exprs.get(a)!, b && exprs.get(b)));
    }
  }
  return exprs;
}

/**
 * Reverse mode over expressions: ∂top/∂node as a formula, for the nodes of `order` (topological,
 * the top last), by the chain rule over the op table's local rules. `exprs` holds each node's
 * expression (what the rules' `a` and `b` stand for); the pass does not go below leaves, nor
 * below a node for which `stop` is true (its derivative is still given). Returns ∂top/∂node, 0
 * for a node the top does not depend on.
 */
export function reverseSymbolic(
  order: readonly Value[],
  exprs: ReadonlyMap<Value, Expr>,
  stop: (v: Value) => boolean = () => false,
): (node: Value) => Expr {
  const top = order[order.length - 1];
  const adj = new Map<Value, Expr[]>([[top, [{ kind: "num", value: 1 }]]]);
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k];
    if (v.isLeaf || stop(v)) continue;
    const g = add(...(adj.get(v) ?? []));
    const [a, b] = v.inputs;
    const by = new Map<string, Expr>([["a", exprs.get(a)!]]);
    if (b !== undefined) by.set("b", exprs.get(b)!);
    v.inputs.forEach((input, i) => {
      const list = adj.get(input) ?? [];
      list.push(mul(g, substitute(localRule(v, i), by)));
      adj.set(input, list);
    });
  }
  return (node) => add(...(adj.get(node) ?? []));
}

/**
 * ∂top/∂child as a formula in the named nodes, by the chain rule over the op table's local rules
 * on the small subgraph between them. Where the top's own expression appears in the result (σ(net)
 * in σ(net)(1 − σ(net))), the top's name stands in for it: out(1 − out).
 */
export function factorFormula(top: Value, child: Value, root: Value): Expr {
  const named = namedBelow(top, root);
  const exprs = exprsOf(named, top, root);
  const adjoint = reverseSymbolic(named.order, exprs, (v) => v !== top && isNamed(v, root));
  const formula = tidy(adjoint(child));
  if (top === root || top.isLeaf) return formula;
  return tidy(replaceSubtree(formula, keyOf(tidy(exprs.get(top)!)), {
    kind: "sym",
    name: nameOf(top, root),
  }));
}

/** The values of every named node, by name, for evaluating factor formulas. */
export function namedValues(
  root: Value,
  order: readonly Value[] = topoSort(root),
): Record<string, number> {
  const env: Record<string, number> = Object.create(null);
  for (const v of order) if (isNamed(v, root)) env[nameOf(v, root)] = v.data;
  return env;
}

/**
 * The gradient of `root` with respect to `param`, written as the chain of factors between named
 * (labelled) nodes, top first. Where the path branches (a node feeding several named nodes) the
 * first factor is the total derivative ∂root/∂node with one contribution per branch. Formulas
 * are lightly simplified with mathjs (loaded on first use).
 *
 * @example
 * ```ts
 * import { chainRule, toText, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w"), x = new Value(2, "x");
 * const z = w.mul(x); z.label = "z";
 * const a = z.sigmoid(); a.label = "a";
 * const E = a.sub(1).pow(2); E.label = "E";
 * const c = await chainRule(E, w);
 * assert.deepEqual(c.factors.map((f) => `∂${f.of}/∂${f.wrt}`), ["∂E/∂a", "∂a/∂z", "∂z/∂w"]);
 * assert.equal(toText(c.factors[1].formula!), "a·(1 − a)");
 * E.backward();
 * assert.ok(Math.abs(c.value - w.grad) < 1e-15);
 * ```
 */
export async function chainRule(root: Value, param: Value): Promise<ChainRule> {
  const order = topoSort(root);
  if (!order.includes(param)) {
    throw new RangeError(`"${param.label || param.op}" is not part of the graph below the root`);
  }
  for (const v of order) {
    if (v.label && order.some((u) => u !== v && u.label === v.label)) {
      throw new RangeError(`two nodes are labelled "${v.label}"; labels must be unique`);
    }
  }
  const parents = new Map<Value, Value[]>();
  const belowOf = new Map<Value, Named>();
  for (const v of order) {
    if (v.isLeaf || !isNamed(v, root)) continue;
    const named = namedBelow(v, root);
    belowOf.set(v, named);
    for (const c of named.children) parents.set(c, [...(parents.get(c) ?? []), v]);
  }
  const env = namedValues(root, order);
  const grads = symbolicGradients(root, order);
  const path = [param];
  let cur = param;
  while (cur !== root && (parents.get(cur)?.length ?? 0) === 1) {
    cur = parents.get(cur)![0];
    path.push(cur);
  }
  const factor = async (top: Value, child: Value): Promise<ChainFactor> => {
    const formula = await simplifyLight(factorFormula(top, child, root));
    return {
      of: nameOf(top, root),
      wrt: nameOf(child, root),
      formula,
      value: evaluateExpr(formula, env).value,
    };
  };
  const factors: ChainFactor[] = [];
  if (cur !== root) {
    factors.push({
      of: nameOf(root, root),
      wrt: nameOf(cur, root),
      value: grads.get(cur)!,
      contributions: (parents.get(cur) ?? []).map((p) => ({
        via: nameOf(p, root),
        value: grads.get(p)! * evaluateExpr(factorFormula(p, cur, root), env).value,
      })),
    });
  }
  for (let i = path.length - 1; i >= 1; i--) factors.push(await factor(path[i], path[i - 1]));
  return {
    of: nameOf(root, root),
    wrt: nameOf(param, root),
    factors,
    value: factors.reduce((p, f) => p * f.value, 1),
  };
}
