import assert from "node:assert/strict";
import {
  Adam,
  compile,
  makeMoons,
  maxMarginLoss,
  MLP,
  OP_NAMES,
  OPS,
  recompute,
  seededRandom,
  topoSort,
  Value,
} from "../../mod.ts";

// ---- independent references: the textbook algorithms over the public fields ----

/** Depth-first post-order over `.inputs` with a Set: the definition topoSort must meet. */
function referenceOrder(root: Value): Value[] {
  const seen = new Set<Value>([root]);
  const order: Value[] = [];
  const stack: [Value, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const ins = top[0].inputs;
    if (top[1] < ins.length) {
      const c = ins[top[1]++];
      if (!seen.has(c)) {
        seen.add(c);
        stack.push([c, 0]);
      }
    } else {
      stack.pop();
      order.push(top[0]);
    }
  }
  return order;
}

/**
 * micrograd's backward written against the op table: interior grads reset, the root seeded,
 * then input.grad += g · spec.grad(...) in reverse order. Returns the gradient of every node
 * without touching the graph (leaves start from their current .grad).
 */
function referenceBackward(root: Value): Map<Value, number> {
  const order = referenceOrder(root);
  const grad = new Map<Value, number>(order.map((v) => [v, v.isLeaf ? v.grad : 0]));
  grad.set(root, root.isLeaf ? root.grad + 1 : 1);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i];
    if (v.isLeaf) continue;
    const spec = OPS.find((s) => s.name === v.op)!;
    const g = grad.get(v)!;
    const [a, b] = v.inputs;
    const bd = b === undefined ? 0 : b.data;
    grad.set(a, grad.get(a)! + g * spec.grad(0, a.data, bd, v.data));
    if (b !== undefined) grad.set(b, grad.get(b)! + g * spec.grad(1, a.data, bd, v.data));
  }
  return grad;
}

/** Same float64, bit for bit (NaN equals NaN, 0 differs from −0). */
function same(actual: number, expected: number, what: string): void {
  assert.ok(Object.is(actual, expected), `${what}: ${actual} !== ${expected}`);
}

// ---- random graphs over every op, kinks and domain edges included ----

interface Recipe {
  leaves: number[];
  steps: { op: number; a: number; b: number; constant: number | null }[];
}

const SPECIAL = [0, -0, 1, -1, 0.5, 2, -2, 3];

function randomRecipe(rng: ReturnType<typeof seededRandom>): Recipe {
  const pick = (n: number) => Math.floor(rng.next() * n);
  const number = () => (rng.next() < 0.3 ? SPECIAL[pick(SPECIAL.length)] : rng.uniform(-3, 3));
  const leaves = Array.from({ length: 1 + pick(4) }, number);
  const steps = Array.from({ length: 1 + pick(30) }, () => ({
    op: pick(OPS.length),
    a: pick(1000),
    b: pick(1000),
    constant: rng.next() < 0.3 ? number() : null,
  }));
  return { leaves, steps };
}

/**
 * Builds a recipe's graph from leaf values. A step whose op refuses its inputs becomes an add,
 * decided by `shape` when given (so a rebuild from other leaf values has the same structure).
 */
function build(r: Recipe, leafValues: number[], shape?: boolean[]) {
  const leaves = leafValues.map((x, i) => new Value(x, `x${i}`));
  const nodes: Value[] = [...leaves];
  const applied: boolean[] = [];
  const ops = new Set<string>();
  r.steps.forEach((s, k) => {
    const spec = OPS[s.op];
    const a = nodes[s.a % nodes.length];
    const b = s.constant ?? nodes[s.b % nodes.length];
    const call = () => {
      const method = (a as unknown as Record<string, (x?: Value | number) => Value>)[spec.name];
      return spec.arity === 1 ? method.call(a) : method.call(a, b);
    };
    let out: Value;
    if (shape === undefined) {
      try {
        out = call();
        applied.push(true);
        ops.add(spec.name);
      } catch {
        out = a.add(b);
        applied.push(false);
      }
    } else {
      out = shape[k] ? call() : a.add(b); // may throw: the point of a rebuild
    }
    nodes.push(out);
  });
  return { root: nodes[nodes.length - 1], leaves, applied, ops };
}

const GRAPHS = 400;

Deno.test("compile: forward and backward match the built graph and Value.backward bit for bit, every op", () => {
  const rng = seededRandom(6);
  const seen = new Set<string>();
  for (let g = 0; g < GRAPHS; g++) {
    const r = randomRecipe(rng);
    const { root, ops } = build(r, r.leaves);
    ops.forEach((o) => seen.add(o));
    const graph = compile(root);
    same(graph.forward(), root.data, `graph ${g}: forward`);
    assert.equal(graph.size, topoSort(root).length);

    // backward from non-zero leaf grads: both accumulate from where the leaves stand
    const all = graph.leaves;
    const reset = () => all.forEach((l, i) => (l.grad = i * 0.25));
    reset();
    const expected = referenceBackward(root);
    graph.backward();
    for (const l of all) same(l.grad, expected.get(l)!, `graph ${g}: compiled ${l}.grad`);
    assert.deepEqual(new Set(all), new Set(referenceOrder(root).filter((v) => v.isLeaf)));
    reset();
    root.backward();
    for (const [v, want] of expected) same(v.grad, want, `graph ${g}: Value.backward ${v}`);
  }
  for (const op of OP_NAMES) assert.ok(seen.has(op), `no random graph exercised ${op}`);
});

Deno.test("compile: after the leaves change, forward and backward equal recompute's and a rebuild's, errors included", () => {
  const rng = seededRandom(66);
  let thrown = 0, rebuilt = 0;
  for (let g = 0; g < GRAPHS; g++) {
    const r = randomRecipe(rng);
    const first = build(r, r.leaves);
    const graph = compile(first.root);
    const next = r.leaves.map((x) => (rng.next() < 0.5 ? x : rng.uniform(-3, 3)));
    first.leaves.forEach((l, i) => (l.data = next[i]));
    // the table-driven recompute, node by node in topological order, is the reference
    let expected: number | undefined;
    let error: unknown;
    try {
      expected = recompute(topoSort(first.root));
    } catch (e) {
      error = e;
    }
    if (expected === undefined) {
      thrown++;
      assert.ok(error instanceof RangeError);
      assert.throws(() => graph.forward(), (e: unknown) => {
        assert.ok(e instanceof RangeError);
        assert.equal(e.message, (error as RangeError).message);
        return true;
      });
      continue;
    }
    same(graph.forward(), expected, `graph ${g}: forward after a change`);
    first.leaves.forEach((l) => (l.grad = 0));
    graph.backward();
    const viaGraph = first.leaves.map((l) => l.grad);
    first.leaves.forEach((l) => (l.grad = 0));
    first.root.backward();
    first.leaves.forEach((l, i) => same(viaGraph[i], l.grad, `graph ${g}: grad of x${i}`));
    // and a graph built afresh from the new values agrees (when every node of it can be built)
    let again: ReturnType<typeof build> | undefined;
    try {
      again = build(r, next, first.applied);
    } catch {
      continue; // a node outside the root's graph failed
    }
    rebuilt++;
    same(again.root.data, expected, `graph ${g}: rebuilt`);
    again.root.backward();
    again.leaves.forEach((l, i) => same(viaGraph[i], l.grad, `graph ${g}: rebuilt grad of x${i}`));
  }
  assert.ok(thrown > 5, `only ${thrown} changes hit a domain error; the test needs some`);
  assert.ok(rebuilt > GRAPHS / 2, `only ${rebuilt} graphs could be rebuilt`);
});

Deno.test("compile: domain errors are the ops' own RangeErrors, naming op, numbers and inputs", () => {
  const x = new Value(2, "x");
  const y = new Value(1, "y");
  const graphs = {
    log: compile(x.log()),
    sqrt: compile(x.sqrt()),
    div: compile(y.div(x)),
    pow: compile(x.pow(y)),
  };
  x.data = 0;
  assert.throws(
    () => graphs.log.forward(),
    /^RangeError: log of a non-positive number: log\(0\) with input "x"$/,
  );
  assert.throws(
    () => graphs.div.forward(),
    /division by zero: div\(1, 0\) with inputs "y" and "x"/,
  );
  y.data = -1;
  assert.throws(
    () => graphs.pow.forward(),
    /division by zero \(0 to a negative power\): pow\(0, -1\)/,
  );
  x.data = -4;
  assert.throws(
    () => graphs.sqrt.forward(),
    /sqrt of a negative number: sqrt\(-4\) with input "x"/,
  );
  y.data = 0.5;
  assert.throws(
    () => graphs.pow.forward(),
    /a negative base to a non-integer power: pow\(-4, 0.5\)/,
  );
  // an interior input is named by its op, with the value the replay computed
  const z = new Value(4, "z");
  const inner = compile(z.sub(3).log());
  z.data = 3;
  assert.throws(() => inner.forward(), /log\(0\) with input \(a sub node\)/);
  x.data = 4;
  assert.equal(graphs.sqrt.forward(), 2);
});

Deno.test("compile: a leaf root, a node used twice, and bad input", () => {
  const w = new Value(3, "w");
  const leaf = compile(w);
  assert.equal(leaf.forward(), 3);
  leaf.backward();
  leaf.backward();
  assert.equal(w.grad, 2); // seeded with +1 each time, as w.backward() does
  w.grad = 0;
  const sq = compile(w.mul(w)); // inputs [w, w]: two edges into one leaf
  assert.deepEqual(sq.leaves, [w]);
  assert.equal(sq.forward(), 9);
  sq.backward();
  assert.equal(w.grad, 6);
  assert.throws(
    () => compile(3 as unknown as Value),
    /^TypeError: compile expects the Value at the root of a graph, got number 3$/,
  );
  assert.throws(() => compile({} as Value), /got Object/);
});

Deno.test("compile: interior Values are left as built; leaves are read and written", () => {
  const x = new Value(1, "x");
  const h = x.mul(3);
  const y = h.add(1);
  const graph = compile(y);
  x.data = 2;
  assert.equal(graph.forward(), 7);
  assert.equal(h.data, 3); // not written by the replay
  graph.backward();
  assert.equal(x.grad, 3);
  assert.equal(h.grad, 0);
  assert.deepEqual(graph.leaves.map((v) => v.label || v.data), ["x", 3, 1]);
});

Deno.test("compile: an MLP trained with Adam, compiled and natural, gives the same numbers bit for bit", () => {
  const { X, y } = makeMoons(24, { noise: 0.1, seed: 5 });
  const run = (compiled: boolean) => {
    const model = new MLP(2, [6, 6, 1], { seed: 9 });
    const params = model.parameters();
    const opt = new Adam(params, { lr: 0.01 });
    const inputs = X.map((row) => row.map((v) => new Value(v)));
    const lossOf = () =>
      maxMarginLoss(inputs.map((x) => model.forwardScalar(x)), y, { params, alpha: 1e-4 });
    const graph = compiled ? compile(lossOf()) : undefined;
    const losses: number[] = [];
    for (let step = 0; step < 25; step++) {
      let loss: number;
      if (graph) {
        loss = graph.forward();
        opt.zeroGrad();
        graph.backward();
      } else {
        const root = lossOf();
        loss = root.data;
        opt.zeroGrad();
        root.backward();
      }
      losses.push(loss);
      opt.step();
    }
    return { losses, params: params.map((p) => p.data) };
  };
  const natural = run(false), compiled = run(true);
  assert.ok(natural.losses[24] < natural.losses[0] * 0.9, "the network should learn something");
  natural.losses.forEach((l, i) => same(compiled.losses[i], l, `loss at step ${i}`));
  natural.params.forEach((p, i) => same(compiled.params[i], p, `parameter ${i}`));
});

Deno.test("compile and backward: deep chains need no recursion", () => {
  const x = new Value(1, "x");
  let y = x;
  for (let i = 0; i < 200_000; i++) y = y.mul(1.000001).add(0);
  const graph = compile(y);
  assert.equal(graph.size, 1 + 4 * 200_000);
  graph.backward();
  const viaGraph = x.grad;
  x.grad = 0;
  y.backward();
  same(viaGraph, x.grad, "chain gradient");
  assert.ok(Math.abs(x.grad - Math.pow(1.000001, 200_000)) < 1e-9 * x.grad);
});

Deno.test("topoSort and backward: the reference depth-first order, on random graphs", () => {
  const rng = seededRandom(606);
  for (let g = 0; g < GRAPHS; g++) {
    const r = randomRecipe(rng);
    const { root } = build(r, r.leaves);
    assert.deepEqual(topoSort(root), referenceOrder(root));
  }
});

Deno.test("the inline forward of add, sub, mul and relu is the op table's, bit for bit", () => {
  const xs = [0, -0, 1, -1, 0.1, -2.5, 1e308, -1e308, Infinity, -Infinity, 5e-324, 3];
  for (const name of ["add", "sub", "mul"] as const) {
    const spec = OPS.find((s) => s.name === name)!;
    for (const a of xs) {
      for (const b of xs) {
        same(new Value(a)[name](b).data, spec.forward(a, b), `${name}(${a}, ${b})`);
      }
    }
  }
  const relu = OPS.find((s) => s.name === "relu")!;
  for (const a of xs) same(new Value(a).relu().data, relu.forward(a, 0), `relu(${a})`);
});
