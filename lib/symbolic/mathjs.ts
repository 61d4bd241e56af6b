/**
 * The mathjs instance stepgrad uses: created lazily (importing mathjs costs ~220 ms, so nothing
 * loads it until a symbolic function is called) and locked down. The few functions stepgrad needs
 * (`derivative`, `simplify` with light rules, the node classes) are taken from the instance first;
 * then the instance's evaluator entry points (`import`, `createUnit`, `evaluate`, `parse`,
 * `compile`, `simplify`, `derivative`, `resolve`, `reviver`) are replaced with throwing stubs.
 * User text never reaches mathjs in any case: stepgrad's own parser (parse.ts) validates it and
 * builds mathjs nodes directly, with variables renamed.
 *
 * @module
 */
// deno-lint-ignore-file no-explicit-any

/** The part of mathjs stepgrad uses, taken from a locked-down instance. */
export interface Symbolic {
  /** `derivative(node, symbol, { simplify: false })`. */
  derivative(node: any, variable: any): any;
  /** A light simplification: `simplify(node, [simplifyCore, simplifyConstant])`. */
  simplifyLight(node: any): any;
  /** mathjs's full `simplify`, for small expressions only (it is exponential on long sums). */
  simplifyFull(node: any): any;
  /** The node classes. */
  readonly OperatorNode: any;
  /** See `OperatorNode`. */
  readonly SymbolNode: any;
  /** See `OperatorNode`. */
  readonly ConstantNode: any;
  /** See `OperatorNode`. */
  readonly FunctionNode: any;
  /** The instance itself, locked down (exported for tests of the lock-down). */
  readonly instance: any;
}

const LOCKED = [
  "import",
  "createUnit",
  "evaluate",
  "parse",
  "compile",
  "simplify",
  "derivative",
  "resolve",
  "reviver",
] as const;

let loading: Promise<Symbolic> | undefined;

/**
 * Loads mathjs (once) and returns the locked-down functions stepgrad uses. Every symbolic
 * function awaits this itself; call it early to pay the load time up front.
 *
 * @example
 * ```ts
 * import { loadSymbolic } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const m = await loadSymbolic();
 * assert.throws(() => m.instance.evaluate("1 + 1"), /disabled/);
 * ```
 */
export function loadSymbolic(): Promise<Symbolic> {
  loading ??= create();
  return loading;
}

async function create(): Promise<Symbolic> {
  // The single-file build: the same mathjs, loaded in a third of a second instead of the
  // 1.2 s the 1,262 modules of its ESM build take to resolve and evaluate.
  const bundle: any = await import("npm:mathjs@15.2.0/lib/browser/math.js");
  const mathjs = bundle.default ?? bundle;
  const math = mathjs.create(mathjs.all);
  const { derivative, simplify, simplifyCore, simplifyConstant } = math;
  const light = [simplifyCore, simplifyConstant];
  const symbolic: Symbolic = Object.freeze({
    derivative: (node: any, variable: any) => derivative(node, variable, { simplify: false }),
    simplifyLight: (node: any) => simplify(node, light),
    simplifyFull: (node: any) => simplify(node),
    OperatorNode: math.OperatorNode,
    SymbolNode: math.SymbolNode,
    ConstantNode: math.ConstantNode,
    FunctionNode: math.FunctionNode,
    instance: math,
  });
  const stubs: Record<string, () => never> = {};
  for (const name of LOCKED) {
    stubs[name] = () => {
      throw new Error(`mathjs.${name} is disabled in stepgrad's locked-down instance`);
    };
  }
  math.import(stubs, { override: true });
  return symbolic;
}
