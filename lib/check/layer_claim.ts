/**
 * Judging a learner's matrix derivation for one layer: `dW2 = delta2 @ a1.T`, right or wrong, and
 * why. The claim is written in a small language over the network's named matrices (numpy's
 * operators, or the maths' own):
 *
 * - `A @ B` or `A · B`: the matrix product; `A * B` or `A ⊙ B`: the element-wise product (a
 *   number times a matrix scales it); `+`, `-`, `/` element-wise; `A.T`, `A^T` or `A'`: transpose;
 * - `sigmoid tanh relu exp step`, applied entry by entry; numbers; parentheses.
 *
 * The names, for a network of layers 1…L on one example (vectors are columns): `x` (= `a0`), `t`
 * (the target), and per layer k: `Wk`, `bk`, `zk` (= Wk·a(k−1) + bk), `ak` (= f(zk)), `fpk`
 * (= f′(zk)) and `deltak` (= ∂E/∂zk, from backprop), plus `dEda` (= ∂E/∂aL, the loss's own
 * derivative). The truth is backprop on the scalar graph, and the claim is judged on the given
 * network and on randomly moved copies of it (the same shapes), so a formula that agrees by chance
 * at one point is still caught.
 *
 * @module
 */
import { FUNCTIONS as OP_FUNCTIONS, OP_BY_NAME } from "../graph/ops.ts";
import { Value } from "../graph/value.ts";
import { formatShape, matmul, type Matrix, shapeOf, transpose } from "../nn/matrix.ts";
import type { Activation } from "../nn/neuron.ts";
import { seededRandom } from "../nn/random.ts";

/** One layer of a network for {@linkcode judgeLayerClaim}. */
export interface LayerSpec {
  /** rows = neurons, columns = inputs. */
  W: number[][];
  /** One per neuron. */
  b: number[];
  /** f. */
  activation: Activation;
}

/** A small network on one example, and its loss. */
export interface NetworkSpec {
  /** The input x. */
  input: number[];
  /** The target t. */
  target: number[];
  /** Input side first. */
  layers: LayerSpec[];
  /** `half-sse`: E = Σ ½(t − a)² (Mazur's, the default); `sse`: Σ (t − a)²; `mse`: the mean. */
  loss?: "half-sse" | "sse" | "mse";
}

/** Mazur's 2-2-2 network (shared/reference/worked-example.md), with a bias per neuron. */
export const MAZUR_NETWORK: NetworkSpec = {
  input: [0.05, 0.1],
  target: [0.01, 0.99],
  layers: [
    { W: [[0.15, 0.2], [0.25, 0.3]], b: [0.35, 0.35], activation: "sigmoid" },
    { W: [[0.4, 0.45], [0.5, 0.55]], b: [0.6, 0.6], activation: "sigmoid" },
  ],
  loss: "half-sse",
};

/** The verdict. */
export interface LayerVerdict {
  /** True when the claim equals the truth on every network tried. */
  correct: boolean;
  /** What was judged (`dW2`). */
  of: string;
  /** The true shape. */
  expectedShape: [number, number];
  /** The claim's shape on the given network (absent when it could not be evaluated). */
  claimedShape?: [number, number];
  /** The truth on the given network. */
  expected: Matrix;
  /** The claim's value on the given network, when it has one. */
  claimed?: Matrix;
  /** Entries that differ on the given network (or on the moved copy that showed it). */
  wrongEntries: { row: number; col: number; expected: number; claimed: number }[];
  /** One sentence: the likely mistake, only when it is demonstrably that one. */
  hint?: string;
  /** The slip the hint names, as a short id. */
  slip?: LayerSlip;
}

/**
 * The slips {@linkcode judgeLayerClaim} names: `transposed` (a·δᵀ for δ·aᵀ), `missing-fprime`
 * (no f′(z) factor), `wrong-layer` (another layer's input, sums or slope), `shape` (shapes
 * that do not fit).
 */
export type LayerSlip = "transposed" | "missing-fprime" | "wrong-layer" | "shape";

// ---------------------------------------------------------------- the claim language

type Node =
  | { k: "num"; v: number }
  | { k: "name"; name: string; pos: number }
  | { k: "call"; fn: string; arg: Node; pos: number }
  | { k: "T"; arg: Node }
  | { k: "neg"; arg: Node }
  | { k: "bin"; op: "@" | "*" | "+" | "-" | "/"; a: Node; b: Node; pos: number };

// The functions a layer claim may call, computed as the op table computes them.
const FUNCTIONS: Record<string, (x: number) => number> = Object.fromEntries(
  (["sigmoid", "tanh", "relu", "exp", "step"] as const).map((name) => {
    const f = OP_FUNCTIONS[name];
    return [name, (x: number) => f.forward(x, 0)];
  }),
);

const MAX_LENGTH = 2000, MAX_DEPTH = 100;

/** An error in the claim, naming the position. */
export class ClaimSyntaxError extends SyntaxError {
  /** The error's name. */
  override name = "ClaimSyntaxError";
}

/**
 * Parses a claim in the layer language; a `SyntaxError` naming the position and what was expected.
 *
 * @example
 * ```ts
 * import { parseLayerClaim } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.doesNotThrow(() => parseLayerClaim("(W2.T @ delta2) * fp1 @ x.T"));
 * assert.throws(() => parseLayerClaim("delta2 @ "), /position 10: expected a name, a number or "\("/);
 * ```
 */
export function parseLayerClaim(src: string): unknown {
  if (src.length > MAX_LENGTH) {
    throw new ClaimSyntaxError(`the claim is ${src.length} characters; at most ${MAX_LENGTH}`);
  }
  const tokens: { t: string; pos: number }[] = [];
  const re =
    /\s*(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z_0-9]*|\.T|\^T|'|\.\*|[@·*⊙+\-−/()])/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) {
      const at = i + (src.slice(i).length - src.slice(i).trimStart().length);
      throw new ClaimSyntaxError(
        `position ${at + 1}: unexpected ${JSON.stringify(src[at])} in ${JSON.stringify(src)}`,
      );
    }
    tokens.push({ t: m[1], pos: m.index + m[0].length - m[1].length + 1 });
    i = re.lastIndex;
  }
  let p = 0, depth = 0;
  const peek = () => tokens[p]?.t;
  const end = src.length + 1;
  const expect = (what: string): never => {
    const tok = tokens[p];
    throw new ClaimSyntaxError(
      `position ${tok ? tok.pos : end}: expected ${what}${
        tok ? `, got ${JSON.stringify(tok.t)}` : ""
      }`,
    );
  };
  const nest = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH) throw new ClaimSyntaxError(`the claim nests deeper than ${MAX_DEPTH}`);
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const sum = (): Node =>
    nest(() => {
      let a = product();
      while (peek() === "+" || peek() === "-" || peek() === "−") {
        const { t, pos } = tokens[p++];
        a = { k: "bin", op: t === "+" ? "+" : "-", a, b: product(), pos };
      }
      return a;
    });
  const product = (): Node => {
    let a = unary();
    for (;;) {
      const t = peek();
      const op = t === "@" || t === "·"
        ? "@"
        : t === "*" || t === "⊙" || t === ".*"
        ? "*"
        : t === "/"
        ? "/"
        : undefined;
      if (!op) return a;
      const pos = tokens[p++].pos;
      a = { k: "bin", op, a, b: unary(), pos };
    }
  };
  const unary = (): Node =>
    peek() === "-" || peek() === "−" ? (p++, { k: "neg", arg: nest(unary) }) : postfix();
  const postfix = (): Node => {
    let a = atom();
    while (peek() === ".T" || peek() === "^T" || peek() === "'") p++, (a = { k: "T", arg: a });
    return a;
  };
  const atom = (): Node => {
    const tok = tokens[p];
    if (!tok) return expect(`a name, a number or "("`);
    if (tok.t === "(") {
      p++;
      const e = sum();
      if (peek() !== ")") expect(`")"`);
      p++;
      return e;
    }
    if (/^[\d.]/.test(tok.t)) return p++, { k: "num", v: Number(tok.t) };
    if (/^[A-Za-z_]/.test(tok.t)) {
      p++;
      if (peek() === "(") {
        if (!Object.hasOwn(FUNCTIONS, tok.t)) {
          throw new ClaimSyntaxError(
            `position ${tok.pos}: unknown function "${tok.t}"; the functions are ${
              Object.keys(FUNCTIONS).join(", ")
            }`,
          );
        }
        p++;
        const arg = sum();
        if (peek() !== ")") expect(`")"`);
        p++;
        return { k: "call", fn: tok.t, arg, pos: tok.pos };
      }
      return { k: "name", name: tok.t, pos: tok.pos };
    }
    return expect(`a name, a number or "("`);
  };
  const tree = sum();
  if (p < tokens.length) expect("an operator or the end");
  return tree;
}

type Val = number | Matrix;

function evaluate(node: Node, env: Map<string, Matrix>): Val {
  switch (node.k) {
    case "num":
      return node.v;
    case "name": {
      const m = env.get(node.name);
      if (!m) {
        throw new ClaimSyntaxError(
          `position ${node.pos}: unknown name "${node.name}"; the names are ${
            [...env.keys()].join(", ")
          }`,
        );
      }
      return m;
    }
    case "call": {
      const f = FUNCTIONS[node.fn];
      const v = evaluate(node.arg, env);
      return typeof v === "number" ? f(v) : v.map((r) => r.map(f));
    }
    case "T": {
      const v = evaluate(node.arg, env);
      return typeof v === "number" ? v : transpose(v);
    }
    case "neg": {
      const v = evaluate(node.arg, env);
      return typeof v === "number" ? -v : v.map((r) => r.map((x) => -x));
    }
    case "bin": {
      const a = evaluate(node.a, env), b = evaluate(node.b, env);
      const f = {
        "@": (x: number, y: number) => x * y,
        "*": (x: number, y: number) => x * y,
        "+": (x: number, y: number) => x + y,
        "-": (x: number, y: number) => x - y,
        "/": (x: number, y: number) => x / y,
      }[node.op];
      if (typeof a === "number" && typeof b === "number") return f(a, b);
      if (typeof a === "number") return (b as Matrix).map((r) => r.map((y) => f(a, y)));
      if (typeof b === "number") return a.map((r) => r.map((x) => f(x, b)));
      if (node.op === "@") {
        const sa = shapeOf(a), sb = shapeOf(b);
        if (sa[1] !== sb[0]) {
          throw new LayerShapeError(
            `position ${node.pos}: @ multiplies a ${formatShape(sa)} matrix by a ${
              formatShape(sb)
            } one, but the first's columns (${sa[1]}) must equal the second's rows (${sb[0]})`,
          );
        }
        return matmul(a, b);
      }
      const sa = shapeOf(a), sb = shapeOf(b);
      if (sa[0] !== sb[0] || sa[1] !== sb[1]) {
        throw new LayerShapeError(
          `position ${node.pos}: ${
            node.op === "*" ? "an element-wise product" : `"${node.op}"`
          } needs equal shapes, got ${formatShape(sa)} and ${formatShape(sb)}`,
        );
      }
      return a.map((r, i) => r.map((x, j) => f(x, b[i][j])));
    }
  }
}

/** A claim whose shapes do not fit together (a wrong derivation, not a typing mistake). */
export class LayerShapeError extends RangeError {
  /** The error's name. */
  override name = "LayerShapeError";
}

// ---------------------------------------------------------------- the truth, by backprop

/** The network's named matrices on one example, with δ and the gradients from backprop. */
export function layerEnvironment(
  net: NetworkSpec,
): { env: Map<string, Matrix>; grads: Map<string, Matrix> } {
  checkNetwork(net);
  const col = (v: number[]) => v.map((x) => [x]);
  const env = new Map<string, Matrix>([["x", col(net.input)], ["a0", col(net.input)], [
    "t",
    col(net.target),
  ]]);
  const grads = new Map<string, Matrix>();
  let a: (Value | number)[] = net.input;
  const layers = net.layers.map((spec, l) => {
    const W = spec.W.map((row) => row.map((w) => new Value(w)));
    const b = spec.b.map((x) => new Value(x));
    const z = W.map((row, j) => row.reduce((s: Value, w, i) => s.add(w.mul(a[i])), b[j]));
    const out = z.map((zj) => activate(zj, spec.activation));
    a = out;
    return { W, b, z, out, k: l + 1, spec };
  });
  const outs = layers.at(-1)!.out;
  const terms = outs.map((o, j) => o.sub(net.target[j]).pow(2));
  const total = terms.reduce((s: Value, x) => s.add(x), new Value(0));
  const loss = net.loss === "sse"
    ? total
    : net.loss === "mse"
    ? total.div(outs.length)
    : total.mul(0.5);
  loss.backward();
  for (const { W, b, z, out, k, spec } of layers) {
    env.set(`W${k}`, W.map((r) => r.map((w) => w.data)));
    env.set(`b${k}`, col(b.map((x) => x.data)));
    env.set(`z${k}`, col(z.map((x) => x.data)));
    env.set(`a${k}`, col(out.map((x) => x.data)));
    env.set(`fp${k}`, col(z.map((x, j) => fprime(spec.activation, x.data, out[j].data))));
    env.set(`delta${k}`, col(z.map((x) => x.grad)));
    grads.set(`dW${k}`, W.map((r) => r.map((w) => w.grad)));
    grads.set(`db${k}`, col(b.map((x) => x.grad)));
    grads.set(`delta${k}`, col(z.map((x) => x.grad)));
  }
  env.set("dEda", col(outs.map((o) => o.grad)));
  return { env, grads };
}

function activate(z: Value, f: Activation): Value {
  return f === "relu" ? z.relu() : f === "tanh" ? z.tanh() : f === "sigmoid" ? z.sigmoid() : z;
}

/** f′(z) for an activation, given z and f(z): the op table's derivative (1 for linear). */
function fprime(f: Activation, z: number, out: number): number {
  return f === "linear" ? 1 : OP_BY_NAME[f].grad(0, z, 0, out);
}

function checkNetwork(net: NetworkSpec): void {
  const finite = (v: unknown, what: string) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`${what} must be a finite number, got ${JSON.stringify(v)}`);
    }
  };
  if (!Array.isArray(net.input) || net.input.length === 0) {
    throw new RangeError("the network needs an input vector");
  }
  if (!Array.isArray(net.layers) || net.layers.length === 0) {
    throw new RangeError("the network needs at least one layer");
  }
  net.input.forEach((x, i) => finite(x, `input[${i}]`));
  let nin = net.input.length;
  net.layers.forEach((l, k) => {
    const name = `layer ${k + 1}`;
    if (!Array.isArray(l.W) || l.W.length === 0 || !Array.isArray(l.W[0])) {
      throw new RangeError(`${name}: W must be a matrix (rows of numbers)`);
    }
    const [rows, cols] = shapeOf(l.W);
    if (cols !== nin) {
      throw new RangeError(
        `${name}: W is ${
          formatShape([rows, cols])
        } but its input has ${nin} entries (W needs ${nin} columns)`,
      );
    }
    if (!Array.isArray(l.b) || l.b.length !== rows) {
      throw new RangeError(`${name}: b needs ${rows} entries, one per row of W`);
    }
    l.W.forEach((r, j) => r.forEach((w, i) => finite(w, `${name} W[${j}][${i}]`)));
    l.b.forEach((x, j) => finite(x, `${name} b[${j}]`));
    if (!["relu", "tanh", "sigmoid", "linear"].includes(l.activation)) {
      throw new RangeError(
        `${name}: unknown activation ${
          JSON.stringify(l.activation)
        }; expected relu, tanh, sigmoid or linear`,
      );
    }
    nin = rows;
  });
  if (!Array.isArray(net.target) || net.target.length !== nin) {
    throw new RangeError(`the target needs ${nin} entries, one per output`);
  }
  net.target.forEach((x, i) => finite(x, `target[${i}]`));
  if (net.loss !== undefined && !["half-sse", "sse", "mse"].includes(net.loss)) {
    throw new RangeError(`unknown loss ${JSON.stringify(net.loss)}; expected half-sse, sse or mse`);
  }
}

// ---------------------------------------------------------------- the judge

const close = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const same = (a: Matrix, b: Matrix) => {
  const sa = shapeOf(a), sb = shapeOf(b);
  return sa[0] === sb[0] && sa[1] === sb[1] &&
    a.every((r, i) => r.every((x, j) => close(x, b[i][j])));
};

/** Copies of the network with every number moved at random (same shapes), for a sampled judgement. */
function moved(net: NetworkSpec, seed: number): NetworkSpec {
  const rng = seededRandom(seed);
  const nudge = (x: number) => x + rng.uniform(-0.5, 0.5) * (1 + Math.abs(x));
  return {
    ...net,
    input: net.input.map(nudge),
    target: net.target.map(nudge),
    layers: net.layers.map((l) => ({ ...l, W: l.W.map((r) => r.map(nudge)), b: l.b.map(nudge) })),
  };
}

/**
 * Judges a claim for `of` (`dWk`, `dbk` or `deltak`) on `net` (default: Mazur's 2-2-2 network).
 *
 * @example
 * ```ts
 * import { judgeLayerClaim } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(judgeLayerClaim("dW2", "delta2 @ a1.T").correct, true);
 * const wrong = judgeLayerClaim("dW2", "a1 @ delta2.T");
 * assert.equal(wrong.correct, false);
 * assert.match(wrong.hint!, /transpose/);
 * ```
 */
export function judgeLayerClaim(
  of: string,
  claim: string,
  net: NetworkSpec = MAZUR_NETWORK,
): LayerVerdict {
  const tree = parseLayerClaim(claim) as Node;
  const m = /^(dW|db|delta)(\d+)$/.exec(of);
  const L = net.layers.length;
  if (!m || Number(m[2]) < 1 || Number(m[2]) > L) {
    throw new RangeError(
      `--of must name dWk, dbk or deltak for a layer k from 1 to ${L}, got "${of}"`,
    );
  }
  const k = Number(m[2]);
  // A δ is judged from the layers above it: δk and the δs below it are not given.
  const given = (e: { env: Map<string, Matrix>; grads: Map<string, Matrix> }) => {
    if (m[1] === "delta") { for (let j = 1; j <= k; j++) e.env.delete(`delta${j}`); }
    return e;
  };
  const base = given(layerEnvironment(net));
  const expected = base.grads.get(of)!;
  const expectedShape = shapeOf(expected) as [number, number];
  const verdict = (fields: Partial<LayerVerdict>): LayerVerdict => ({
    correct: false,
    of,
    expectedShape,
    expected,
    wrongEntries: [],
    ...fields,
  });
  const tryEval = (env: Map<string, Matrix>): Matrix | LayerShapeError => {
    try {
      const v = evaluate(tree, env);
      return typeof v === "number" ? [[v]] : v;
    } catch (e) {
      if (e instanceof LayerShapeError) return e;
      throw e;
    }
  };
  const claimed = tryEval(base.env);
  const shapeHint = `${of} must have ${m[1] === "dW" ? `W${k}'s` : `z${k}'s`} shape, ${
    formatShape(expectedShape)
  }`;
  if (claimed instanceof LayerShapeError) {
    return verdict({
      hint: `the shapes do not fit: ${claimed.message}; ${shapeHint}`,
      slip: "shape",
    });
  }
  const claimedShape = shapeOf(claimed) as [number, number];
  const diffs = (want: Matrix, got: Matrix) =>
    want.flatMap((r, i) =>
      r.flatMap((
        x,
        j,
      ) => (close(x, got[i][j]) ? [] : [{ row: i, col: j, expected: x, claimed: got[i][j] }]))
    );

  // Judge on the given network, then on moved copies: a chance agreement at one point is caught.
  const envs = [base, ...[1, 2, 3].map((s) => given(layerEnvironment(moved(net, 7919 * s + k))))];
  for (const { env, grads } of envs) {
    const want = grads.get(of)!;
    const got = env === base.env ? claimed : tryEval(env);
    if (got instanceof LayerShapeError) {
      return verdict({ claimed, claimedShape, hint: got.message, slip: "shape" });
    }
    const s = shapeOf(got);
    if (s[0] !== expectedShape[0] || s[1] !== expectedShape[1]) {
      const transposed = s[0] === expectedShape[1] && s[1] === expectedShape[0] &&
        same(transpose(got), want);
      return verdict({
        claimed,
        claimedShape,
        slip: transposed ? "transposed" : "shape",
        hint: transposed
          ? `your result is the transpose of ${of} (${formatShape(s)} for ${
            formatShape(expectedShape)
          }): the outer product is δ·aᵀ, delta${k} @ a${k - 1}.T, not a${k - 1} @ delta${k}.T`
          : `your result is ${formatShape(s)}; ${shapeHint}`,
      });
    }
    const wrong = diffs(want, got);
    if (wrong.length > 0) {
      return verdict({
        claimed,
        claimedShape,
        wrongEntries: wrong,
        ...diagnose(tree, env, want, got, k, of),
      });
    }
  }
  return { correct: true, of, expectedShape, claimedShape, expected, claimed, wrongEntries: [] };
}

/** A hint, only when a named slip turns the claim into the truth on this network. */
function diagnose(
  tree: Node,
  env: Map<string, Matrix>,
  want: Matrix,
  got: Matrix,
  k: number,
  of: string,
): { hint: string; slip: LayerSlip } | undefined {
  const fp = env.get(`fp${k}`)!;
  const times = (a: Matrix, col: Matrix) => a.map((r, i) => r.map((x) => x * col[i][0]));
  if (same(times(got, fp), want)) {
    return {
      slip: "missing-fprime",
      hint:
        `a factor f′(z${k}) is missing: δ${k} = ∂E/∂a${k} ⊙ f′(z${k}), so multiply by fp${k} element-wise`,
    };
  }
  if (same(transpose(got), want)) {
    return {
      slip: "transposed",
      hint: `your result is the transpose of ${of}: the outer product is δ·aᵀ (delta${k} @ a${
        k - 1
      }.T), not a·δᵀ`,
    };
  }
  // The wrong layer's input or activation: the claim with one name swapped for its neighbour.
  for (const [from, to] of swaps(k)) {
    if (!mentions(tree, from)) continue;
    const swapped = new Map(env);
    swapped.set(from, env.get(to)!);
    try {
      const v = evaluate(tree, swapped);
      if (typeof v !== "number" && same(v, want)) {
        return {
          slip: "wrong-layer",
          hint: `you used ${from} where ${to} belongs: layer ${k}'s input is a${
            k - 1
          }, its activation's slope is fp${k}`,
        };
      }
    } catch {
      // a swap whose shapes do not fit says nothing
    }
  }
  return undefined;
}

function swaps(k: number): [string, string][] {
  const out: [string, string][] = [];
  for (let j = 0; j <= k + 1; j++) {
    if (j !== k - 1) out.push([`a${j}`, `a${k - 1}`]);
    if (j !== k - 1 && j === 0) out.push(["x", `a${k - 1}`]);
    if (j >= 1 && j !== k) out.push([`fp${j}`, `fp${k}`], [`z${j}`, `z${k}`]);
  }
  return out;
}

function mentions(node: Node, name: string): boolean {
  switch (node.k) {
    case "name":
      return node.name === name;
    case "num":
      return false;
    case "bin":
      return mentions(node.a, name) || mentions(node.b, name);
    default:
      return mentions(node.arg, name);
  }
}
