/**
 * The tape: a graph below a root, recorded into flat typed arrays, and the backward pass over
 * them. `Value.backward()`, `topoSort()` and `compile()` all go through here, so they visit the
 * nodes in the same order and do the same arithmetic.
 *
 * Why not walk the `Value` objects directly? A training step's graph has tens of thousands of
 * nodes scattered over memory. A depth-first walk over the objects waits for one cache miss per
 * node, one after another (~100 ns each on a batch-sized graph). Instead, `record` finds the
 * nodes breadth-first (the objects' fields are read in a stream the processor can fetch ahead),
 * copying each node's op, inputs and value into typed arrays; the depth-first walk that fixes the
 * topological order, and the backward pass, then run over those small arrays.
 *
 * @module
 * @internal
 */
import { OPS, sigmoidNumber } from "./ops.ts";
import type { Value } from "./value.ts";

/** `Value._code` of a leaf. */
export const LEAF_CODE = -1;

// Op kinds: small literals, so the backward loop switches through a jump table. An op without a
// case here (sin, cos, any op added later) runs through its op-table entry (`GENERIC`); the
// tests check every case against the table bit for bit.
export const ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, NEG = 5, EXP = 6, LOG = 7, SQRT = 8;
export const TANH = 9, SIGMOID = 10, RELU = 11, SOFTPLUS = 12, ABS = 13, GENERIC = 14, LEAF = 15;
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
 * A recorded graph. Nodes are numbered in the order `record` found them (the root is 0); `ord`
 * lists those numbers in topological order (every node after its inputs; the root last), the
 * same order as `topoSort`.
 */
export class Tape {
  /** Number of nodes. */
  n = 0;
  /** The nodes, by number. */
  nodes: Value[] = [];
  /** Op-table code per node (`LEAF_CODE` for leaves). */
  code: Int16Array;
  /** Op kind per node (see the constants above). */
  kind: Uint8Array;
  /** Number of the first input, −1 for a leaf. */
  ia: Int32Array;
  /** Number of the second input, −1 for a leaf or a unary op. */
  ib: Int32Array;
  /** Values: the nodes' `.data` when recorded. */
  val: Float64Array;
  /** Gradients: leaves' `.grad` when recorded, 0 for interior nodes. */
  grad: Float64Array;
  /** Node numbers in topological order. */
  ord: Int32Array;
  // scratch for the depth-first walk
  #stack: Int32Array;
  #state: Uint8Array;
  #seen: Uint8Array;

  constructor(capacity = 1024) {
    this.code = new Int16Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.ia = new Int32Array(capacity);
    this.ib = new Int32Array(capacity);
    this.val = new Float64Array(capacity);
    this.grad = new Float64Array(capacity);
    this.ord = new Int32Array(capacity);
    this.#stack = new Int32Array(capacity);
    this.#state = new Uint8Array(capacity);
    this.#seen = new Uint8Array(capacity);
  }

  /** Grows every array to hold at least `need` nodes, keeping what is recorded. */
  #grow(need: number): void {
    const cap = Math.max(need, 2 * this.code.length, 1024);
    const grow = <T extends Int16Array | Uint8Array | Int32Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.code = grow(this.code, (n) => new Int16Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.ia = grow(this.ia, (n) => new Int32Array(n));
    this.ib = grow(this.ib, (n) => new Int32Array(n));
    this.val = grow(this.val, (n) => new Float64Array(n));
    this.grad = grow(this.grad, (n) => new Float64Array(n));
    this.ord = new Int32Array(cap);
    this.#stack = new Int32Array(cap);
    this.#state = new Uint8Array(cap);
    this.#seen = new Uint8Array(cap);
  }

  /**
   * Records the graph below `root`: every node once (an input used twice, as in `x.mul(x)`, is
   * one node with two edges), its op, inputs, `.data`, and `.grad` for leaves; then the
   * topological order.
   */
  record(root: Value): void {
    // One breadth-first sweep finds the nodes and copies each one's op, inputs and numbers
    // into the arrays. A node's _idx holds `base + its number` once found in this recording;
    // every earlier recording used a smaller base, so `_idx < base` means "not found yet",
    // without a set or a per-node reset. (After the base has wrapped, see below, an _idx counts
    // only if it points back at the node.)
    const b0 = base;
    const checkBack = wrapped;
    const nodes: Value[] = [root];
    root._idx = b0;
    let { code, kind, ia, ib, val, grad } = this;
    for (let i = 0; i < nodes.length; i++) {
      if (i === code.length) {
        this.#grow(i + 1);
        ({ code, kind, ia, ib, val, grad } = this);
      }
      const v = nodes[i];
      const c = v._code;
      code[i] = c;
      val[i] = v.data;
      if (c === LEAF_CODE) {
        kind[i] = LEAF;
        grad[i] = v.grad;
        ia[i] = -1;
        ib[i] = -1;
        continue;
      }
      kind[i] = KIND_OF_CODE[c];
      grad[i] = 0;
      const a = v._a!;
      let j = a._idx - b0;
      if (j < 0 || (checkBack && (j >= nodes.length || nodes[j] !== a))) {
        j = nodes.length;
        a._idx = b0 + j;
        nodes.push(a);
      }
      ia[i] = j;
      const b = v._b;
      if (b === null) {
        ib[i] = -1;
      } else {
        j = b._idx - b0;
        if (j < 0 || (checkBack && (j >= nodes.length || nodes[j] !== b))) {
          j = nodes.length;
          b._idx = b0 + j;
          nodes.push(b);
        }
        ib[i] = j;
      }
    }
    nextBase(nodes.length);
    this.nodes = nodes;
    this.n = nodes.length;
    this.#order(); // the topological order, over the arrays
  }

  /**
   * Lets go of the recorded nodes, and of most of the arrays' memory when a graph much larger
   * than this one was recorded before (the scratch tape would otherwise keep the largest graph's
   * arrays for good).
   */
  release(): void {
    this.nodes = [];
    const cap = this.code.length;
    if (cap > 1 << 20 && 4 * this.n < cap) {
      const small = new Tape(Math.max(1024, 2 * this.n));
      this.code = small.code;
      this.kind = small.kind;
      this.ia = small.ia;
      this.ib = small.ib;
      this.val = small.val;
      this.grad = small.grad;
      this.ord = small.ord;
      this.#stack = small.#stack;
      this.#state = small.#state;
      this.#seen = small.#seen;
    }
  }

  /** The depth-first post-order from the root, inputs in order: topoSort's order. */
  #order(): void {
    const { ia, ib, ord } = this;
    const stack = this.#stack, state = this.#state, seen = this.#seen;
    seen.fill(0, 0, this.n);
    let top = 0, k = 0;
    stack[0] = 0;
    state[0] = 0;
    seen[0] = 1;
    while (top >= 0) {
      const i = stack[top];
      const s = state[top];
      const c = s === 0 ? ia[i] : s === 1 ? ib[i] : -1;
      if (c >= 0) {
        state[top] = s + 1;
        if (seen[c] === 0) {
          seen[c] = 1;
          top++;
          stack[top] = c;
          state[top] = 0;
        }
      } else {
        top--;
        ord[k++] = i;
      }
    }
  }

  /**
   * Renumbers the nodes in topological order (`ord` becomes 0, 1, 2, …), so that a replay
   * reads and writes the arrays front to back. Worth it for a graph replayed many times.
   */
  permute(): void {
    const n = this.n, ord = this.ord;
    const pos = new Int32Array(n);
    for (let k = 0; k < n; k++) pos[ord[k]] = k;
    const take = <T extends Int16Array | Uint8Array | Int32Array | Float64Array>(a: T): T => {
      const b = a.slice(0, n) as T;
      for (let k = 0; k < n; k++) b[k] = a[ord[k]];
      return b;
    };
    const link = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      for (let k = 0; k < n; k++) b[k] = a[ord[k]] < 0 ? -1 : pos[a[ord[k]]];
      return b;
    };
    const nodes: Value[] = new Array(n);
    for (let k = 0; k < n; k++) nodes[k] = this.nodes[ord[k]];
    this.ia = link(this.ia);
    this.ib = link(this.ib);
    this.code = take(this.code);
    this.kind = take(this.kind);
    this.val = take(this.val);
    this.grad = take(this.grad);
    this.nodes = nodes;
    for (let k = 0; k < n; k++) ord[k] = k;
  }

  /**
   * The backward pass over the recorded values: seeds the root (1, or +1 for a leaf root, which
   * accumulates like any leaf), then, in reverse topological order, adds each node's gradient
   * times its op's local derivative into its inputs' entries of `grad`.
   */
  backward(): void {
    const { kind, ia, ib, val, grad, ord, code } = this;
    const root = ord[this.n - 1];
    if (kind[root] === LEAF) grad[root] += 1;
    else grad[root] = 1;
    // Each case is `input.grad += g · (the op table's local derivative)`, written as the table
    // writes it, so the rounding is the table's.
    for (let k = this.n - 1; k >= 0; k--) {
      const i = ord[k];
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
          grad[jb] += g * (a > 0 ? out * Math.log(a) : a === 0 && b > 0 ? 0 : NaN);
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
  }
}

// The numbering base for `_idx` (see `record`). It grows by each recording's size; before it
// would leave the small-integer range, it starts again from 1, and from then on a node's `_idx`
// is trusted only when `nodes[_idx − base]` is that very node.
const BASE_LIMIT = 2 ** 30;
let base = 1;
let wrapped = false;

function nextBase(n: number): void {
  base += n;
  if (base > BASE_LIMIT - n) {
    base = 1;
    wrapped = true;
  }
}

/**
 * Moves the numbering base, as a long run would, so tests can reach the wrap-around.
 * @internal
 */
export function _setRecordingBase(next: number, hasWrapped: boolean): void {
  base = next;
  wrapped = hasWrapped;
}

/** Scratch tape for `Value.backward()` and `topoSort()` (neither can run inside the other). */
export const SCRATCH: Tape = new Tape();
