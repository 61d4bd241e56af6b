/**
 * Between stepgrad's expression trees and mathjs nodes. Variables are renamed on the way in
 * (`v_0`, `v_1`, …) and back on the way out, so mathjs never sees a name a person typed, and names
 * that mathjs would read as units or constants (`t`, `m`, `i`, `E`) stay plain variables.
 *
 * @module
 */
// deno-lint-ignore-file no-explicit-any
import { DERIVATIVE_FUNCTIONS, type Expr, type FunctionName, USER_FUNCTIONS } from "./ast.ts";
import type { Symbolic } from "./mathjs.ts";
import { neg, pow, product, sum } from "./tidy.ts";

const FUNCTIONS = new Set<string>([...USER_FUNCTIONS, ...DERIVATIVE_FUNCTIONS]);
const CONSTANT_SYMBOLS: Record<string, "pi" | "e"> = { k_pi: "pi", k_e: "e" };

/** The renaming between people's variable names and mathjs symbols. */
export class Names {
  private readonly toInner = new Map<string, string>();
  private readonly toOuter = new Map<string, string>();

  /** The mathjs name for a variable (allocated on first use). */
  inner(name: string): string {
    let s = this.toInner.get(name);
    if (s === undefined) {
      s = `v_${this.toInner.size}`;
      this.toInner.set(name, s);
      this.toOuter.set(s, name);
    }
    return s;
  }

  /** The variable a mathjs name stands for. */
  outer(inner: string): string {
    const s = this.toOuter.get(inner);
    if (s === undefined) throw new Error(`internal: mathjs returned an unknown symbol ${inner}`);
    return s;
  }
}

/** Builds the mathjs node of an expression. */
export function toMath(m: Symbolic, e: Expr, names: Names): any {
  const { OperatorNode, SymbolNode, ConstantNode, FunctionNode } = m;
  const go = (x: Expr): any => {
    switch (x.kind) {
      case "num":
        return x.value < 0
          ? new OperatorNode("-", "unaryMinus", [new ConstantNode(-x.value)])
          : new ConstantNode(x.value);
      case "sym":
        return new SymbolNode(names.inner(x.name));
      case "const":
        return new SymbolNode(`k_${x.name}`);
      case "neg":
        return new OperatorNode("-", "unaryMinus", [go(x.arg)]);
      case "add": {
        const terms = x.terms.map((t) => go(t.expr));
        // All terms added: one n-ary node (mathjs differentiates it term by term).
        if (x.terms.every((t) => t.sign > 0)) return new OperatorNode("+", "add", terms);
        let acc = x.terms[0].sign > 0 ? terms[0] : new OperatorNode("-", "unaryMinus", [terms[0]]);
        for (let i = 1; i < terms.length; i++) {
          acc = x.terms[i].sign > 0
            ? new OperatorNode("+", "add", [acc, terms[i]])
            : new OperatorNode("-", "subtract", [acc, terms[i]]);
        }
        return acc;
      }
      case "mul": {
        const top = x.factors.filter((f) => !f.inverse).map((f) => go(f.expr));
        const bottom = x.factors.filter((f) => f.inverse).map((f) => go(f.expr));
        const prod = (xs: any[]) =>
          xs.length === 0
            ? new ConstantNode(1)
            : xs.length === 1
            ? xs[0]
            : new OperatorNode("*", "multiply", xs);
        return bottom.length === 0
          ? prod(top)
          : new OperatorNode("/", "divide", [prod(top), prod(bottom)]);
      }
      case "pow":
        return new OperatorNode("^", "pow", [go(x.base), go(x.exponent)]);
      case "call":
        return new FunctionNode(new SymbolNode(x.fn), [go(x.arg)]);
    }
  };
  return go(e);
}

function isDecimalFraction(a: Expr, b: Expr): boolean {
  return a.kind === "num" && b.kind === "num" && Number.isInteger(a.value) &&
    /^10+$/.test(String(b.value));
}

/** Reads a mathjs node back into an expression tree (tidied on the way). */
export function fromMath(node: any, names: Names): Expr {
  const go = (n: any): Expr => {
    switch (n.type) {
      case "ParenthesisNode":
        return go(n.content);
      case "ConstantNode": {
        const v = typeof n.value === "number" ? n.value : Number(n.value);
        if (Number.isNaN(v)) throw new Error(`internal: mathjs constant ${String(n.value)}`);
        return { kind: "num", value: v };
      }
      case "SymbolNode":
        return n.name in CONSTANT_SYMBOLS
          ? { kind: "const", name: CONSTANT_SYMBOLS[n.name] }
          : { kind: "sym", name: names.outer(n.name) };
      case "OperatorNode": {
        const args: Expr[] = n.args.map(go);
        switch (n.fn) {
          case "add":
            return sum(args.map((expr) => ({ sign: 1, expr })));
          case "subtract":
            return sum([{ sign: 1, expr: args[0] }, { sign: -1, expr: args[1] }]);
          case "multiply":
            return product(args.map((expr) => ({ inverse: false, expr })));
          case "divide":
            // mathjs writes decimals as fractions (0.01 → 1/100); a power-of-ten fraction goes
            // back to the decimal a person typed, other fractions (1/2, 1/3) stay fractions.
            if (isDecimalFraction(args[0], args[1])) {
              return {
                kind: "num",
                value: (args[0] as { value: number }).value / (args[1] as { value: number }).value,
              };
            }
            return product([{ inverse: false, expr: args[0] }, { inverse: true, expr: args[1] }]);
          case "pow":
            return pow(args[0], args[1]);
          case "unaryMinus":
            return neg(args[0]);
          case "unaryPlus":
            return args[0];
        }
        throw new Error(`internal: mathjs operator ${n.fn}`);
      }
      case "FunctionNode": {
        const fn = n.fn?.name ?? n.name;
        if (!FUNCTIONS.has(fn) || n.args.length !== 1) {
          throw new Error(`internal: mathjs function ${fn}/${n.args.length}`);
        }
        return { kind: "call", fn: fn as FunctionName, arg: go(n.args[0]) };
      }
    }
    throw new Error(`internal: mathjs node ${n.type}`);
  };
  return go(node);
}
