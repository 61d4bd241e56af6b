/**
 * `Value`: one named scalar in an expression graph, with the gradient that backprop leaves in it.
 *
 * @module
 */
import { OP_BY_NAME, type OpName, OPS, type OpSpec } from "./ops.ts";

const LEAF = -1;

/**
 * A scalar in an expression graph. Leaves are created with `new Value(data, label)`; every op
 * (`add`, `mul`, `tanh`, …) returns a new `Value` that remembers its op and its ordered inputs.
 * `backward()` then fills `.grad` of every node with ∂root/∂node.
 *
 * Numbers passed to ops become unlabelled constant leaves, so `x.mul(2)` has inputs `[x, 2]`.
 *
 * @example
 * ```ts
 * import { Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = new Value(0.5, "w");
 * const x = new Value(2, "x");
 * const loss = w.mul(x).sub(3).pow(2); // (w·x − 3)²
 * loss.backward();
 * assert.equal(loss.data, 4);
 * assert.equal(w.grad, 2 * (0.5 * 2 - 3) * 2); // −8
 * ```
 */
export class Value {
  /** The number this node holds. */
  data: number;
  /** ∂root/∂this after `backward()`; accumulates across calls on leaves. */
  grad = 0;
  /** A name for traces and pictures; `""` when none was given. */
  label: string;
  /** The op that produced this node (`"add"`, `"tanh"`, …), or `""` for a leaf. */
  readonly op: OpName | "";
  /** The op's inputs, in order (`x.mul(x)` has inputs `[x, x]`); empty for a leaf. */
  readonly inputs: readonly Value[];
  /** @internal op code into the op table, −1 for a leaf. */
  _code: number;
  /** @internal visit mark for topological sorting. */
  _mark = 0;

  /**
   * Creates a leaf.
   *
   * @param data the number it holds (a finite number, or ±Infinity; never NaN)
   * @param label a name for traces and pictures
   */
  constructor(data: number, label = "") {
    if (typeof data !== "number") {
      throw new TypeError(
        `Value: data must be a number, got ${typeof data} ${JSON.stringify(data)}`,
      );
    }
    if (Number.isNaN(data)) {
      throw new RangeError(`Value${label ? ` "${label}"` : ""}: data is NaN; expected a number`);
    }
    this.data = data;
    this.label = label;
    this.op = "";
    this.inputs = NO_INPUTS;
    this._code = LEAF;
  }

  /** True for a leaf (a node no op produced). */
  get isLeaf(): boolean {
    return this._code === LEAF;
  }

  /**
   * Builds the node `spec(inputs)` without the leaf constructor's checks.
   * @internal
   */
  static _node(spec: OpSpec, a: Value, b: Value | undefined, data: number): Value {
    // Built through the constructor so every Value shares one object shape.
    const v = new Value(0);
    v.data = data;
    (v as { op: string }).op = spec.name;
    (v as { inputs: readonly Value[] }).inputs = b === undefined ? [a] : [a, b];
    v._code = spec.code;
    return v;
  }

  /** this + other */
  add(other: Value | number): Value {
    return binary(ADD, this, other);
  }
  /** this − other */
  sub(other: Value | number): Value {
    return binary(SUB, this, other);
  }
  /** this · other */
  mul(other: Value | number): Value {
    return binary(MUL, this, other);
  }
  /** this / other; a zero divisor throws a `RangeError`. */
  div(other: Value | number): Value {
    return binary(DIV, this, other);
  }
  /** this ^ exponent; the exponent may be a number or a `Value`. */
  pow(exponent: Value | number): Value {
    return binary(POW, this, exponent);
  }
  /** −this */
  neg(): Value {
    return unary(NEG, this);
  }
  /** e^this */
  exp(): Value {
    return unary(EXP, this);
  }
  /** ln(this); this ≤ 0 throws a `RangeError`. */
  log(): Value {
    return unary(LOG, this);
  }
  /** √this; this < 0 throws a `RangeError`. √'(0) = ∞, as in PyTorch. */
  sqrt(): Value {
    return unary(SQRT, this);
  }
  /** tanh(this) */
  tanh(): Value {
    return unary(TANH, this);
  }
  /** σ(this) = 1 / (1 + e^−this) */
  sigmoid(): Value {
    return unary(SIGMOID, this);
  }
  /** max(this, 0); relu'(0) = 0, as in PyTorch. */
  relu(): Value {
    return unary(RELU, this);
  }
  /** ln(1 + e^this); its derivative is σ(this). */
  softplus(): Value {
    return unary(SOFTPLUS, this);
  }
  /** |this|; abs'(0) = 0, as in PyTorch. */
  abs(): Value {
    return unary(ABS, this);
  }
  /** sin(this), in radians. */
  sin(): Value {
    return unary(OP_BY_NAME.sin, this);
  }
  /** cos(this), in radians. */
  cos(): Value {
    return unary(OP_BY_NAME.cos, this);
  }
  /** sinh(this) = (e^this − e^−this) / 2 */
  sinh(): Value {
    return unary(OP_BY_NAME.sinh, this);
  }
  /** cosh(this) = (e^this + e^−this) / 2 */
  cosh(): Value {
    return unary(OP_BY_NAME.cosh, this);
  }
  /** sech(this) = 1 / cosh(this) */
  sech(): Value {
    return unary(OP_BY_NAME.sech, this);
  }

  /**
   * Backpropagation: sets this node's grad to 1 and adds ∂this/∂node to the `.grad` of every
   * node below it. Leaves accumulate across calls (as in PyTorch and micrograd; call `zeroGrad`
   * on the parameters between steps); interior nodes are reset first, so they always show this
   * pass's gradient. Iterative: a chain of a million nodes works.
   *
   * @example
   * ```ts
   * import { Value } from "../../mod.ts";
   * import assert from "node:assert/strict";
   * const a = new Value(3, "a");
   * const b = a.add(a); // inputs [a, a]
   * const c = b.add(b);
   * c.backward();
   * assert.equal(a.grad, 4);
   * ```
   */
  backward(): void {
    const order = topoSort(this);
    for (let i = 0; i < order.length; i++) {
      const v = order[i];
      if (v._code !== LEAF) v.grad = 0;
    }
    if (this._code === LEAF) this.grad += 1;
    else this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const v = order[i];
      const code = v._code;
      if (code === LEAF) continue;
      const g = v.grad;
      const spec = OPS[code];
      const ins = v.inputs;
      const a = ins[0];
      if (spec.arity === 1) {
        a.grad += g * spec.grad(0, a.data, 0, v.data);
      } else {
        const b = ins[1];
        a.grad += g * spec.grad(0, a.data, b.data, v.data);
        b.grad += g * spec.grad(1, a.data, b.data, v.data);
      }
    }
  }

  /**
   * A one-line description: the label (or the op), the data and the gradient.
   *
   * @example
   * ```ts
   * import { Value } from "../../mod.ts";
   * import assert from "node:assert/strict";
   * assert.equal(String(new Value(-0.25, "w")), "Value(w = -0.25, grad 0)");
   * ```
   */
  toString(): string {
    const name = this.label || (this.op ? `${this.op}(…)` : "const");
    return `Value(${name} = ${short(this.data)}, grad ${short(this.grad)})`;
  }
}

/** Six significant digits, for `toString` and `toDot` (graph code does not use the renderers). */
export function short(x: number): string {
  return String(Number(x.toPrecision(6)));
}

const NO_INPUTS: readonly Value[] = Object.freeze([]);
const ADD = OP_BY_NAME.add;
const SUB = OP_BY_NAME.sub;
const MUL = OP_BY_NAME.mul;
const DIV = OP_BY_NAME.div;
const POW = OP_BY_NAME.pow;
const NEG = OP_BY_NAME.neg;
const EXP = OP_BY_NAME.exp;
const LOG = OP_BY_NAME.log;
const SQRT = OP_BY_NAME.sqrt;
const TANH = OP_BY_NAME.tanh;
const SIGMOID = OP_BY_NAME.sigmoid;
const RELU = OP_BY_NAME.relu;
const SOFTPLUS = OP_BY_NAME.softplus;
const ABS = OP_BY_NAME.abs;

/** Wraps a number as an unlabelled constant leaf; passes a `Value` through. */
export function toValue(x: Value | number, what = "operand"): Value {
  if (x instanceof Value) return x;
  if (typeof x !== "number") {
    throw new TypeError(`expected a Value or a number as ${what}, got ${describe(x)}`);
  }
  return new Value(x);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "an object";
  return `${typeof x} ${String(x)}`;
}

function domainError(spec: OpSpec, problem: string, a: Value, b?: Value): RangeError {
  const show = (v: Value) => String(v.data);
  const name = (v: Value) => (v.label ? ` "${v.label}"` : v.op ? ` (a ${v.op} node)` : "");
  const args = b === undefined
    ? `${spec.name}(${show(a)}) with input${name(a)}`
    : `${spec.name}(${show(a)}, ${show(b)}) with inputs${name(a) || " (constant)"} and${
      name(b) || " (constant)"
    }`;
  return new RangeError(`${problem}: ${args}`);
}

function unary(spec: OpSpec, a: Value): Value {
  const x = a.data;
  const out = spec.forward(x, 0);
  if (spec.domain !== undefined) {
    const problem = spec.domain(x, 0);
    if (problem !== undefined) throw domainError(spec, problem, a);
  }
  return Value._node(spec, a, undefined, out);
}

function binary(spec: OpSpec, a: Value, other: Value | number): Value {
  const b = other instanceof Value ? other : toValue(other, `the second input of ${spec.name}`);
  const out = spec.forward(a.data, b.data);
  if (spec.domain !== undefined) {
    const problem = spec.domain(a.data, b.data);
    if (problem !== undefined) throw domainError(spec, problem, a, b);
  }
  return Value._node(spec, a, b, out);
}

let epoch = 0;

/**
 * The nodes below `root` (root included) in topological order: every node comes after all of
 * its inputs, each node once, however often it is used. Iterative, with a visit mark per node
 * instead of a set, so it is cheap and safe on deep graphs.
 *
 * @example
 * ```ts
 * import { Value, topoSort } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const x = new Value(2, "x");
 * const y = x.mul(x).add(x);
 * assert.deepEqual(topoSort(y).map((v) => v.label || v.op), ["x", "mul", "add"]);
 * ```
 */
export function topoSort(root: Value): Value[] {
  const mark = ++epoch;
  const order: Value[] = [];
  const stack: Value[] = [root];
  const next: number[] = [0];
  root._mark = mark;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const v = stack[top];
    const i = next[top];
    const ins = v.inputs;
    if (i < ins.length) {
      next[top] = i + 1;
      const c = ins[i];
      if (c._mark !== mark) {
        c._mark = mark;
        stack.push(c);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(v);
    }
  }
  return order;
}

/**
 * Recomputes every node's `.data` from its inputs, in topological order, from the leaves'
 * current values (as after a change to a parameter). Domain checks apply as when the graph was
 * built. Returns the root's new value.
 *
 * @example
 * ```ts
 * import { Value, recompute, topoSort } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const x = new Value(2, "x");
 * const y = x.mul(x);
 * x.data = 3;
 * assert.equal(recompute(topoSort(y)), 9);
 * ```
 */
export function recompute(order: readonly Value[]): number {
  for (let i = 0; i < order.length; i++) {
    const v = order[i];
    if (v._code === LEAF) continue;
    const spec = OPS[v._code];
    const a = v.inputs[0];
    const b = v.inputs[1];
    const bd = b === undefined ? 0 : b.data;
    if (spec.domain !== undefined) {
      const problem = spec.domain(a.data, bd);
      if (problem !== undefined) throw domainError(spec, problem, a, b);
    }
    v.data = spec.forward(a.data, bd);
  }
  return order[order.length - 1].data;
}

/**
 * The distinct leaves below `root` that carry a label, in the order they are first reached (a
 * depth-first walk over inputs in order). Unlabelled leaves are constants.
 *
 * @example
 * ```ts
 * import { Value, labelledLeaves } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(1, "w"), x = new Value(2, "x");
 * assert.deepEqual(labelledLeaves(w.mul(x).add(1)).map((v) => v.label), ["w", "x"]);
 * ```
 */
export function labelledLeaves(root: Value): Value[] {
  return topoSort(root).filter((v) => v.isLeaf && v.label !== "");
}
