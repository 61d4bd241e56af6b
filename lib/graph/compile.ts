/**
 * `compile(root)`: record an expression graph once, then replay it over flat typed arrays.
 *
 * @module
 */
import { OPS, sigmoidNumber, softplusNumber } from "./ops.ts";
import {
  ABS,
  ADD,
  DIV,
  EXP,
  LEAF,
  LOG,
  MUL,
  NEG,
  POW,
  RELU,
  SIGMOID,
  SOFTPLUS,
  SQRT,
  SUB,
  TANH,
  Tape,
} from "./tape.ts";
import { domainError, Value } from "./value.ts";

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

class Compiled implements CompiledGraph {
  readonly size: number;
  readonly leaves: readonly Value[];
  readonly #tape: Tape;
  readonly #leafAt: Int32Array;

  constructor(root: Value) {
    const tape = new Tape(0);
    tape.record(root);
    tape.permute(); // replays then stream through the arrays front to back
    const { n, ord, kind, nodes } = tape;
    const leaves: Value[] = [];
    const leafAt: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = ord[k];
      if (kind[i] === LEAF) {
        leaves.push(nodes[i]);
        leafAt.push(i);
      }
    }
    this.size = n;
    this.leaves = leaves;
    this.#leafAt = Int32Array.from(leafAt);
    this.#tape = tape;
  }

  forward(): number {
    const { n, kind, code, ia, ib, val } = this.#tape; // in topological order (permuted)
    const leaves = this.leaves, leafAt = this.#leafAt;
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
    const tape = this.#tape;
    const leaves = this.leaves, leafAt = this.#leafAt, grad = tape.grad;
    grad.fill(0, 0, tape.n);
    for (let k = 0; k < leaves.length; k++) grad[leafAt[k]] = leaves[k].grad;
    tape.backward();
    for (let k = 0; k < leaves.length; k++) leaves[k].grad = grad[leafAt[k]];
  }

  /** Throws the RangeError the op would throw when built from these inputs. */
  #fail(i: number): void {
    const { nodes, code, ia, ib, val } = this.#tape;
    const spec = OPS[code[i]];
    const a = val[ia[i]];
    const b = ib[i] < 0 ? 0 : val[ib[i]];
    const problem = spec.domain?.(a, b);
    if (problem === undefined) return; // the inline check was wider than the table's: carry on
    const v = nodes[i];
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
