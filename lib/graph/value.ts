/**
 * `Value`: one named scalar in an expression graph, with the gradient that backprop leaves in it.
 *
 * @module
 */
import { JUPYTER_DISPLAY, type MimeBundle, renderDisplay } from "./display.ts";
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
  // One small object per node and nothing else: the inputs live in two fields (`_a`, `_b`),
  // `op` is read from the op code, and the `inputs` array is made only when someone asks for
  // it. A training step builds and walks tens of thousands of nodes, so every byte and every
  // allocation per node shows (bench/compare.ts).

  /** The number this node holds. */
  data: number;
  /** ∂root/∂this after `backward()`; accumulates across calls on leaves. */
  grad: number;
  /** A name for traces and pictures; `""` when none was given. */
  label: string;
  /** @internal op code into the op table, −1 for a leaf. */
  _code: number;
  /** @internal visit mark for topological sorting (compile() parks −(position + 1) here). */
  _mark: number;
  /** @internal the first input, `null` for a leaf. */
  _a: Value | null;
  /** @internal the second input, `null` for a leaf or a unary op. */
  _b: Value | null;

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
    this.grad = 0;
    this.label = label;
    this._code = LEAF;
    this._mark = 0;
    this._a = null;
    this._b = null;
  }

  /** The op's inputs, in order (`x.mul(x)` has inputs `[x, x]`); empty for a leaf. */
  get inputs(): readonly Value[] {
    if (this._a === null) return NO_INPUTS;
    let inputs = INPUTS.get(this);
    if (inputs === undefined) {
      inputs = Object.freeze(this._b === null ? [this._a] : [this._a, this._b]);
      INPUTS.set(this, inputs);
    }
    return inputs;
  }

  /** The op that produced this node (`"add"`, `"tanh"`, …), or `""` for a leaf. */
  get op(): OpName | "" {
    return this._code === LEAF ? "" : OPS[this._code].name;
  }

  /** True for a leaf (a node no op produced). */
  get isLeaf(): boolean {
    return this._code === LEAF;
  }

  // add, sub, mul and relu make most of a network's nodes: they compute inline (the same
  // arithmetic as their op-table entries, which the tests check bit for bit); the rest go
  // through the table.

  /** this + other */
  add(other: Value | number): Value {
    const b = other instanceof Value ? other : toValue(other, "the second input of add");
    return node(ADD_CODE, this, b, this.data + b.data);
  }
  /** this − other */
  sub(other: Value | number): Value {
    const b = other instanceof Value ? other : toValue(other, "the second input of sub");
    return node(SUB_CODE, this, b, this.data - b.data);
  }
  /** this · other */
  mul(other: Value | number): Value {
    const b = other instanceof Value ? other : toValue(other, "the second input of mul");
    return node(MUL_CODE, this, b, this.data * b.data);
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
    const x = this.data;
    return node(RELU_CODE, this, null, x > 0 ? x : 0);
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
    const order = sortNodes(this, true);
    if (this._code === LEAF) this.grad += 1;
    else this.grad = 1;
    // From the root down: input.grad += node.grad · ∂node/∂input. Each case is the op table's
    // local derivative written as the table writes it (so the rounding is the table's; the
    // tests check it bit for bit); the other ops ask the table itself.
    for (let i = order.length - 1; i >= 0; i--) {
      const v = order[i];
      const code = v._code;
      if (code === LEAF) continue;
      const g = v.grad;
      const a = v._a!;
      switch (code) {
        case ADD_CODE:
          a.grad += g * 1;
          v._b!.grad += g * 1;
          break;
        case MUL_CODE: {
          const b = v._b!;
          const ad = a.data;
          a.grad += g * b.data;
          b.grad += g * ad;
          break;
        }
        case RELU_CODE:
          a.grad += g * (a.data > 0 ? 1 : 0);
          break;
        case SUB_CODE:
          a.grad += g * 1;
          v._b!.grad += g * -1;
          break;
        default: {
          const spec = OPS[code];
          const b = v._b;
          if (b === null) {
            a.grad += g * spec.grad(0, a.data, 0, v.data);
          } else {
            a.grad += g * spec.grad(0, a.data, b.data, v.data);
            b.grad += g * spec.grad(1, a.data, b.data, v.data);
          }
        }
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

  /**
   * The expression graph ending at this node, for looking at: in a notebook it displays as a
   * picture (SVG, each node with its label, data and grad); `String()` of it is a summary.
   *
   * @example
   * ```ts
   * import { Value } from "../../mod.ts";
   * import assert from "node:assert/strict";
   * const w = new Value(0.5, "w");
   * const loss = w.mul(2).sub(3).pow(2); // w, 2, w·2, 3, w·2 − 3, 2, (w·2 − 3)²
   * assert.equal(loss.graph().root, loss);
   * assert.equal(String(loss.graph()), "expression graph: 7 nodes, 4 leaves, ending at pow(…)");
   * ```
   */
  graph(): ExpressionGraph {
    return new ExpressionGraph(this);
  }

  /** In a notebook: a small table of the label, op, data and grad. */
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle> {
    return renderDisplay("value", this, () => this.toString());
  }

  /** `console.log(value)` and the REPL: the one-line form of `toString()`, never the internals. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** The same for Node's `util.inspect`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/**
 * A `Value`'s expression graph, to display: an SVG picture in a notebook (drawn by Graphviz
 * when stepgrad's mod.ts is loaded), a one-line summary as text. Made by `value.graph()`.
 *
 * @example
 * ```ts
 * import { displayBundle, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const x = new Value(2, "x");
 * const y = x.mul(x);
 * y.backward();
 * const bundle = await displayBundle(y.graph());
 * assert.match(bundle!["image/svg+xml"], /^<svg/);
 * assert.match(bundle!["image/svg+xml"], /grad 4/);
 * ```
 */
export class ExpressionGraph {
  /** The node the graph ends at. */
  readonly root: Value;

  /** The graph ending at `root`. */
  constructor(root: Value) {
    this.root = root;
  }

  /** "expression graph: N nodes, L leaves, ending at …". */
  toString(): string {
    const nodes = topoSort(this.root);
    const leaves = nodes.filter((n) => n.isLeaf).length;
    const end = this.root.label || (this.root.op ? `${this.root.op}(…)` : "a leaf");
    const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    return `expression graph: ${count(nodes.length, "node", "nodes")}, ${
      count(leaves, "leaf", "leaves")
    }, ending at ${end}`;
  }

  /** In a notebook: the picture. */
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle> {
    return renderDisplay("graph", this, () => this.toString());
  }

  /** `console.log(graph)`: the summary line. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}

/** Six significant digits, for `toString` and `toDot` (graph code does not use the renderers). */
export function short(x: number): string {
  return String(Number(x.toPrecision(6)));
}

const NO_INPUTS: readonly Value[] = Object.freeze([]);
const INPUTS = new WeakMap<Value, readonly Value[]>();
const ADD_CODE = OP_BY_NAME.add.code;
const SUB_CODE = OP_BY_NAME.sub.code;
const MUL_CODE = OP_BY_NAME.mul.code;
const RELU_CODE = OP_BY_NAME.relu.code;

/** Makes an interior node: one object, inputs in fields, every Value the same shape. */
function node(code: number, a: Value, b: Value | null, data: number): Value {
  const v = new Value(0);
  v.data = data;
  v._code = code;
  v._a = a;
  v._b = b;
  return v;
}
const DIV = OP_BY_NAME.div;
const POW = OP_BY_NAME.pow;
const NEG = OP_BY_NAME.neg;
const EXP = OP_BY_NAME.exp;
const LOG = OP_BY_NAME.log;
const SQRT = OP_BY_NAME.sqrt;
const TANH = OP_BY_NAME.tanh;
const SIGMOID = OP_BY_NAME.sigmoid;
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

/**
 * The RangeError for an op applied outside its domain, naming the op, the numbers and the
 * inputs. `aData`/`bData` stand in for the inputs' `.data` (the compiled replay's values).
 * @internal
 */
export function domainError(
  spec: OpSpec,
  problem: string,
  a: Value,
  b?: Value,
  aData: number = a.data,
  bData: number = b === undefined ? 0 : b.data,
): RangeError {
  const name = (v: Value) => (v.label ? ` "${v.label}"` : v.op ? ` (a ${v.op} node)` : "");
  const args = b === undefined
    ? `${spec.name}(${aData}) with input${name(a)}`
    : `${spec.name}(${aData}, ${bData}) with inputs${name(a) || " (constant)"} and${
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
  return node(spec.code, a, null, out);
}

function binary(spec: OpSpec, a: Value, other: Value | number): Value {
  const b = other instanceof Value ? other : toValue(other, `the second input of ${spec.name}`);
  const out = spec.forward(a.data, b.data);
  if (spec.domain !== undefined) {
    const problem = spec.domain(a.data, b.data);
    if (problem !== undefined) throw domainError(spec, problem, a, b);
  }
  return node(spec.code, a, b, out);
}

/**
 * The nodes below `root` (root included) in topological order: every node comes after all of
 * its inputs, each node once, however often it is used: the post-order of a depth-first walk
 * from the root that takes each node's inputs in order. Iterative, with a visit mark per node
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
  return sortNodes(root, false);
}

let epoch = 0;

/**
 * topoSort's walk (depth first, inputs in order, each node listed after its inputs), optionally
 * zeroing interior gradients on the way, so backward() needs one walk before its pass. A
 * freshly built graph lies in memory in the order it was built, so this walk runs through it
 * front to back.
 */
function sortNodes(root: Value, zeroInterior: boolean): Value[] {
  const mark = ++epoch;
  const order: Value[] = [];
  const stack: Value[] = [root];
  const next: number[] = [0]; // per stack entry: 0 = visit input a next, 1 = input b, 2 = done
  let top = 0;
  root._mark = mark;
  while (top >= 0) {
    const v = stack[top];
    const i = next[top];
    const c = i === 0 ? v._a : i === 1 ? v._b : null;
    if (c !== null) {
      next[top] = i + 1;
      if (c._mark !== mark) {
        c._mark = mark;
        top++;
        stack[top] = c;
        next[top] = 0;
      }
    } else {
      top--;
      if (zeroInterior && v._code !== LEAF) v.grad = 0;
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
    const a = v._a!;
    const b = v._b ?? undefined;
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
