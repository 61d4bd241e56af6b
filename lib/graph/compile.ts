/**
 * `compile(root)`: record an expression graph once, then replay it over flat typed arrays.
 *
 * @module
 */
import { OPS, sigmoidNumber, softplusNumber } from "./ops.ts";
import { domainError, topoSort, Value } from "./value.ts";

/** A graph recorded by {@linkcode compile}: replay it forward and backward as often as needed. */
export interface CompiledGraph {
  /**
   * Recomputes every node from the leaves' current `.data`, in topological order, and returns
   * the root's value. Interior `Value`s are not written to: their `.data` keeps the value they
   * were built with.
   */
  forward(): number;
  /**
   * Backpropagation over the values of the last `forward()` (or of the graph as built, before
   * the first): seeds the root with 1 and adds ∂root/∂leaf into every leaf's `.grad`, exactly as
   * `root.backward()` would, to the last bit. Interior `Value`s' `.grad` is not written to.
   */
  backward(): void;
  /** The number of nodes recorded (leaves included). */
  readonly size: number;
  /** The distinct leaves, in topological order: what `forward()` reads and `backward()` writes. */
  readonly leaves: readonly Value[];
}

// Op kinds: small literals, so the replay loops switch through a jump table. An op without a
// case here (sin, cos, any op added later) runs through its op-table entry (GENERIC); the tests
// check every case against the table bit for bit.
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, NEG = 5, EXP = 6, LOG = 7, SQRT = 8;
const TANH = 9, SIGMOID = 10, RELU = 11, SOFTPLUS = 12, ABS = 13, GENERIC = 14, LEAF = 15;
const KIND_BY_NAME: Record<string, number> = {
  add: ADD,
  sub: SUB,
  mul: MUL,
  div: DIV,
  pow: POW,
  neg: NEG,
  exp: EXP,
  log: LOG,
  sqrt: SQRT,
  tanh: TANH,
  sigmoid: SIGMOID,
  relu: RELU,
  softplus: SOFTPLUS,
  abs: ABS,
};
const KIND_OF_CODE = Uint8Array.from(OPS, (s) => KIND_BY_NAME[s.name] ?? GENERIC);

/**
 * The recorded graph: node i (in topological order, the root last) has op kind `kind[i]`,
 * op-table code `code[i]`, inputs `ia[i]`, `ib[i]` (−1 when absent), value `val[i]` and
 * gradient `grad[i]`.
 */
class Compiled implements CompiledGraph {
  readonly size: number;
  readonly leaves: readonly Value[];
  readonly #nodes: readonly Value[];
  readonly #leafAt: Int32Array;
  readonly #code: Int16Array;
  readonly #kind: Uint8Array;
  readonly #ia: Int32Array;
  readonly #ib: Int32Array;
  readonly #val: Float64Array;
  readonly #grad: Float64Array;

  constructor(root: Value) {
    const nodes = topoSort(root);
    const n = nodes.length;
    // Each node's position, parked in its visit mark as −(i + 1): marks that topoSort hands out
    // are positive, so this can never pass for one of its marks. Every input is in `nodes` too.
    for (let i = 0; i < n; i++) nodes[i]._mark = -(i + 1);
    const code = new Int16Array(n), kind = new Uint8Array(n);
    const ia = new Int32Array(n), ib = new Int32Array(n), val = new Float64Array(n);
    const leaves: Value[] = [];
    const leafAt: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = nodes[i];
      code[i] = v._code;
      val[i] = v.data;
      if (v.isLeaf) {
        kind[i] = LEAF;
        ia[i] = ib[i] = -1;
        leaves.push(v);
        leafAt.push(i);
      } else {
        kind[i] = KIND_OF_CODE[v._code];
        ia[i] = -v._a!._mark - 1;
        ib[i] = v._b === null ? -1 : -v._b._mark - 1;
      }
    }
    this.size = n;
    this.leaves = leaves;
    this.#nodes = nodes;
    this.#leafAt = Int32Array.from(leafAt);
    this.#code = code;
    this.#kind = kind;
    this.#ia = ia;
    this.#ib = ib;
    this.#val = val;
    this.#grad = new Float64Array(n);
  }

  forward(): number {
    const kind = this.#kind, code = this.#code, ia = this.#ia, ib = this.#ib, val = this.#val;
    const leaves = this.leaves, leafAt = this.#leafAt, n = kind.length;
    for (let k = 0; k < leaves.length; k++) val[leafAt[k]] = leaves[k].data;
    for (let i = 0; i < n; i++) {
      const kd = kind[i];
      if (kd === LEAF) continue;
      const a = val[ia[i]];
      switch (kd) {
        case ADD:
          val[i] = a + val[ib[i]];
          break;
        case SUB:
          val[i] = a - val[ib[i]];
          break;
        case MUL:
          val[i] = a * val[ib[i]];
          break;
        case DIV: {
          const b = val[ib[i]];
          if (b === 0) this.#fail(i);
          val[i] = a / b;
          break;
        }
        case POW: {
          const b = val[ib[i]];
          if ((a < 0 && !Number.isInteger(b)) || (a === 0 && b < 0)) this.#fail(i);
          val[i] = Math.pow(a, b);
          break;
        }
        case NEG:
          val[i] = -a;
          break;
        case EXP:
          val[i] = Math.exp(a);
          break;
        case LOG:
          if (a <= 0) this.#fail(i);
          val[i] = Math.log(a);
          break;
        case SQRT:
          if (a < 0) this.#fail(i);
          val[i] = Math.sqrt(a);
          break;
        case TANH:
          val[i] = Math.tanh(a);
          break;
        case SIGMOID:
          val[i] = sigmoidNumber(a);
          break;
        case RELU:
          val[i] = a > 0 ? a : 0;
          break;
        case SOFTPLUS:
          val[i] = softplusNumber(a);
          break;
        case ABS:
          val[i] = Math.abs(a);
          break;
        default: {
          const spec = OPS[code[i]];
          const b = ib[i] < 0 ? 0 : val[ib[i]];
          if (spec.domain !== undefined && spec.domain(a, b) !== undefined) this.#fail(i);
          val[i] = spec.forward(a, b);
        }
      }
    }
    return val[n - 1];
  }

  backward(): void {
    const kind = this.#kind, code = this.#code, ia = this.#ia, ib = this.#ib, val = this.#val;
    const grad = this.#grad, leaves = this.leaves, leafAt = this.#leafAt, n = kind.length;
    grad.fill(0);
    for (let k = 0; k < leaves.length; k++) grad[leafAt[k]] = leaves[k].grad;
    if (kind[n - 1] === LEAF) grad[n - 1] += 1;
    else grad[n - 1] = 1;
    // As Value.backward: input.grad += g · (the op table's local derivative), written as the
    // table writes it, so the rounding is the table's.
    for (let i = n - 1; i >= 0; i--) {
      const g = grad[i];
      const ja = ia[i], jb = ib[i];
      switch (kind[i]) {
        case LEAF:
          break;
        case ADD:
          grad[ja] += g * 1;
          grad[jb] += g * 1;
          break;
        case SUB:
          grad[ja] += g * 1;
          grad[jb] += g * -1;
          break;
        case MUL: {
          const a = val[ja], b = val[jb];
          grad[ja] += g * b;
          grad[jb] += g * a;
          break;
        }
        case DIV: {
          const a = val[ja], b = val[jb];
          grad[ja] += g * (1 / b);
          grad[jb] += g * (-a / (b * b));
          break;
        }
        case POW: {
          const a = val[ja], b = val[jb], out = val[i];
          grad[ja] += g * (b === 0 ? 0 : b * Math.pow(a, b - 1));
          grad[jb] += g * (a > 0 ? out * Math.log(a) : a === 0 && b >= 0 ? 0 : NaN);
          break;
        }
        case NEG:
          grad[ja] += g * -1;
          break;
        case EXP:
          grad[ja] += g * val[i];
          break;
        case LOG:
          grad[ja] += g * (1 / val[ja]);
          break;
        case SQRT:
          grad[ja] += g * (0.5 / val[i]);
          break;
        case TANH: {
          const out = val[i];
          grad[ja] += g * (1 - out * out);
          break;
        }
        case SIGMOID: {
          const out = val[i];
          grad[ja] += g * (out * (1 - out));
          break;
        }
        case RELU:
          grad[ja] += g * (val[ja] > 0 ? 1 : 0);
          break;
        case SOFTPLUS:
          grad[ja] += g * sigmoidNumber(val[ja]);
          break;
        case ABS: {
          const a = val[ja];
          grad[ja] += g * (a > 0 ? 1 : a < 0 ? -1 : 0);
          break;
        }
        default: {
          const spec = OPS[code[i]];
          const a = val[ja], out = val[i];
          if (jb < 0) {
            grad[ja] += g * spec.grad(0, a, 0, out);
          } else {
            const b = val[jb];
            grad[ja] += g * spec.grad(0, a, b, out);
            grad[jb] += g * spec.grad(1, a, b, out);
          }
        }
      }
    }
    for (let k = 0; k < leaves.length; k++) leaves[k].grad = grad[leafAt[k]];
  }

  /** Throws the RangeError the op would throw when built from these inputs. */
  #fail(i: number): void {
    const code = this.#code, ia = this.#ia, ib = this.#ib, val = this.#val;
    const spec = OPS[code[i]];
    const a = val[ia[i]];
    const b = ib[i] < 0 ? 0 : val[ib[i]];
    const problem = spec.domain?.(a, b);
    if (problem === undefined) return; // the inline check was wider than the table's: carry on
    const v = this.#nodes[i];
    throw domainError(spec, problem, v._a!, v._b ?? undefined, a, b);
  }
}

/**
 * Records the graph below `root` once, in topological order, into flat typed arrays (op codes,
 * input indices, values, gradients), and returns a replay whose `forward()` and `backward()` do
 * what rebuilding the graph and calling `root.backward()` would do, several times faster.
 *
 * - `forward()` reads every leaf's current `.data` (parameters an optimizer has just updated,
 *   inputs held as `Value` leaves that you set to a new sample) and returns the root's value.
 * - `backward()` adds ∂root/∂leaf into every leaf's `.grad` (zero them between steps, as with
 *   `backward()`); the numbers are bit-for-bit those of `root.backward()` after the same forward.
 * - An input outside an op's domain (log of 0, division by zero, …) throws the same `RangeError`
 *   as building the node would, naming the op, the numbers and the node's inputs; `forward()`
 *   does not propagate NaN silently.
 * - Compile again when the graph's structure changes: another batch size, a different loss, a
 *   branch that now takes another path, numbers passed as plain constants (`x.mul(0.5)`) that
 *   should change. Changing the `.data` of leaves needs no recompile. Interior `Value`s are left
 *   as built; read results from `forward()`'s return value and the leaves' `.grad`.
 *
 * @example
 * ```ts
 * import { compile, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = new Value(0.5, "w"), x = new Value(2, "x");
 * const loss = w.mul(x).sub(3).pow(2); // (w·x − 3)², recorded once
 * const graph = compile(loss);
 * for (let step = 0; step < 3; step++) {
 *   const value = graph.forward();
 *   w.grad = 0;
 *   graph.backward();
 *   assert.equal(w.grad, 2 * (w.data * 2 - 3) * 2);
 *   assert.equal(value, (w.data * 2 - 3) ** 2);
 *   w.data -= 0.1 * w.grad; // the optimizer updates the same leaf
 * }
 * x.data = 0; // a leaf: no recompile needed
 * assert.equal(graph.forward(), 9);
 * ```
 */
export function compile(root: Value): CompiledGraph {
  if (!(root instanceof Value)) {
    throw new TypeError(`compile expects the Value at the root of a graph, got ${describe(root)}`);
  }
  return new Compiled(root);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "an object";
  return `${typeof x} ${String(x)}`;
}
