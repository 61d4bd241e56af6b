/**
 * Random expression graphs for property tests: every op, values inside each op's domain and away
 * from kinks, magnitudes kept where float64 differences are meaningful.
 */
import fc from "npm:fast-check@4.11.0";
import { OP_NAMES, OPS, Value } from "../../mod.ts";

/** How many runs a property gets: FUZZ_RUNS for the long run (`deno task fuzz`), else `ci`. */
export function runs(ci: number): number {
  const env = Deno.env.get("FUZZ_RUNS");
  return env ? Number(env) : ci;
}

/** The seed: FUZZ_SEED for the long run, else a fixed one so CI is reproducible. */
export function seed(): number {
  const env = Deno.env.get("FUZZ_SEED");
  return env ? Number(env) : 20261129;
}

/** A recipe for a graph: leaf values, then steps (op index, input picks, a constant). */
export interface Recipe {
  leaves: number[];
  steps: { op: number; a: number; b: number; useConst: boolean; c: number }[];
}

/** fast-check arbitrary for recipes. */
export const recipe: fc.Arbitrary<Recipe> = fc.record({
  leaves: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 4 }),
  steps: fc.array(
    fc.record({
      op: fc.integer({ min: 0, max: OPS.length - 1 }),
      a: fc.nat(),
      b: fc.nat(),
      useConst: fc.boolean(),
      c: fc.double({ min: -2.5, max: 2.5, noNaN: true }),
    }),
    { minLength: 1, maxLength: 25 },
  ),
});

/**
 * Builds the graph a recipe describes. A step whose op would leave its domain, sit within 1e-3
 * of a kink, or produce a magnitude over 1e4 (or under 1e-3 as a divisor/log argument) is
 * replaced by an add, so every graph is smooth and well-conditioned around its point.
 */
export function build(r: Recipe): { root: Value; leaves: Value[]; ops: Set<string> } {
  const leaves = r.leaves.map((x, i) => new Value(x, `x${i}`));
  const nodes: Value[] = [...leaves];
  const ops = new Set<string>();
  for (const s of r.steps) {
    const spec = OPS[s.op];
    const a = nodes[s.a % nodes.length];
    const b: Value | number = s.useConst ? s.c : nodes[s.b % nodes.length];
    const bd = typeof b === "number" ? b : b.data;
    let ok = spec.domain?.(a.data, bd) === undefined;
    if (spec.kinks?.some((k) => Math.abs(a.data - k) < 1e-3)) ok = false; // the table's kinks
    if (spec.name === "log" || spec.name === "sqrt") ok &&= a.data > 1e-2;
    if (spec.name === "div") ok &&= Math.abs(bd) > 1e-2;
    // a^b with a Value exponent needs a > 0 (∂/∂b = a^b·ln a); a constant integer power allows a < 0
    if (spec.name === "pow") {
      ok &&= (a.data > 1e-2 || (typeof b === "number" && Number.isInteger(bd))) &&
        Math.abs(bd) < 4 && Math.abs(a.data) > 1e-2;
    }
    let out: Value | undefined;
    if (ok) {
      const method = (a as unknown as Record<string, (x?: Value | number) => Value>)[spec.name];
      out = spec.arity === 1 ? method.call(a) : method.call(a, b);
      if (!(Math.abs(out.data) < 1e4)) out = undefined;
    }
    if (out === undefined) out = a.add(b);
    else ops.add(spec.name);
    nodes.push(out);
  }
  return { root: nodes[nodes.length - 1], leaves, ops };
}

/** All op names, for coverage checks. */
export const ALL_OPS: readonly string[] = OP_NAMES;
