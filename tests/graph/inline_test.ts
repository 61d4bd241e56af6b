/**
 * The inline copies of the op table: `Value`'s builders (add, sub, mul, relu compute inline),
 * `Value.backward` (add, sub, mul, relu inline) and the compiled replay's forward and backward
 * (every op it has a case for). Each must equal the table bit for bit, for every op, over edge
 * values (±0, ±Infinity, NaN, subnormals, the largest and smallest normals, overflow points) and
 * random values, random bit patterns included. Ops that ask the table itself pass trivially; they
 * are checked too, so an inline case added later is covered without editing this file.
 */
import assert from "node:assert/strict";
import { compile, OPS, type OpSpec, seededRandom, Value } from "../../mod.ts";

/** Same float64, bit for bit (NaN equals NaN, 0 differs from −0). */
function same(actual: number, expected: number, what: string): void {
  if (!Object.is(actual, expected)) assert.fail(`${what}: ${actual} !== ${expected}`);
}

const EDGE = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.5,
  2,
  3,
  -3,
  20,
  1e-8,
  -1e-8,
  710, // exp overflows past 709.78
  -745, // exp underflows to a subnormal, then 0
  Infinity,
  -Infinity,
  NaN,
  Number.MIN_VALUE, // the smallest subnormal
  -Number.MIN_VALUE,
  2.2250738585072014e-308, // the smallest normal
  1e-300,
  1e300,
  -1e300,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
];

const rng = seededRandom(12);
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** A float64 from random bits: any sign, exponent and mantissa (NaN payloads included). */
function randomBits(): number {
  words[0] = Math.floor(rng.next() * 2 ** 32);
  words[1] = Math.floor(rng.next() * 2 ** 32);
  return bits[0];
}
const VALUES = [
  ...EDGE,
  ...Array.from({ length: 20 }, () => rng.uniform(-6, 6)),
  ...Array.from({ length: 20 }, randomBits),
];
// Gradient seeds reaching the node: 1 (the root), and others through a product with a leaf.
const SEEDS = [2.5, -0, Infinity, NaN, 1e-310, -3];

type Method = (this: Value, b?: Value) => Value;

/** A leaf holding any number (the constructor refuses NaN; a leaf's data may become NaN). */
function leaf(x: number, label: string): Value {
  const v = new Value(0, label);
  v.data = x;
  return v;
}

/** The op applied the natural way, through the `Value` method of its name. */
function apply(spec: OpSpec, a: Value, b: Value): Value {
  const method = (a as unknown as Record<string, Method>)[spec.name];
  return spec.arity === 1 ? method.call(a) : method.call(a, b);
}

/** The pairs an op is checked at (unary ops ignore b). */
function pairs(spec: OpSpec): [number, number][] {
  return spec.arity === 1
    ? VALUES.map((a) => [a, 0])
    : VALUES.flatMap((a) => VALUES.map((b): [number, number] => [a, b]));
}

Deno.test("Value's builders compute every op as the table's forward, bit for bit, domain errors included", () => {
  for (const spec of OPS) {
    for (const [a, b] of pairs(spec)) {
      const what = `${spec.name}(${a}, ${b})`;
      const refused = spec.domain?.(a, b) !== undefined;
      let node: Value;
      try {
        node = apply(spec, leaf(a, "a"), leaf(b, "b"));
      } catch (e) {
        assert.ok(refused && e instanceof RangeError, `${what}: threw ${e}`);
        continue;
      }
      assert.ok(!refused, `${what}: built although outside the domain`);
      same(node.data, spec.forward(a, b), what);
    }
  }
});

Deno.test("Value.backward applies every op's local derivative as the table's grad, bit for bit", () => {
  for (const spec of OPS) {
    for (const [a, b] of pairs(spec)) {
      if (spec.domain?.(a, b) !== undefined) continue;
      for (const seed of [1, ...SEEDS]) {
        const x = leaf(a, "a"), y = leaf(b, "b"), s = leaf(seed, "s");
        const node = apply(spec, x, y);
        const root = seed === 1 ? node : node.mul(s);
        // From −0, an added −0 stays −0 and anything else is itself: the sum is the term exactly.
        x.grad = -0;
        y.grad = -0;
        root.backward();
        const g = node.grad;
        const what = `${spec.name}(${a}, ${b}) with ∂root/∂node = ${g}`;
        same(x.grad, -0 + g * spec.grad(0, a, b, node.data), `${what}: ∂/∂a`);
        if (spec.arity === 2) same(y.grad, -0 + g * spec.grad(1, a, b, node.data), `${what}: ∂/∂b`);
      }
    }
  }
});

Deno.test("compile: the replay's forward and backward apply every op as the table does, bit for bit", () => {
  for (const spec of OPS) {
    // Recorded once at a point inside every domain, then replayed at every pair.
    const x = leaf(0.5, "a"), y = leaf(2, "b"), s = leaf(1, "s");
    const node = apply(spec, x, y);
    const forward = compile(node);
    const seeded = compile(node.mul(s));
    for (const [a, b] of pairs(spec)) {
      const what = `${spec.name}(${a}, ${b})`;
      x.data = a;
      y.data = b;
      if (spec.domain?.(a, b) !== undefined) {
        assert.throws(() => forward.forward(), RangeError, what);
        continue;
      }
      const out = forward.forward();
      same(out, spec.forward(a, b), `${what}: forward`);
      for (const seed of [1, ...SEEDS]) {
        s.data = seed;
        same(seeded.forward(), out * seed, `${what}: forward of node·s`);
        x.grad = -0;
        y.grad = -0;
        s.grad = 0;
        seeded.backward();
        const g = 0 + 1 * seed; // the replay's ∂root/∂node: its zeroed slot plus 1·s
        const at = `${what} with ∂root/∂node = ${g}`;
        same(x.grad, -0 + g * spec.grad(0, a, b, out), `${at}: ∂/∂a`);
        if (spec.arity === 2) same(y.grad, -0 + g * spec.grad(1, a, b, out), `${at}: ∂/∂b`);
      }
    }
  }
});
