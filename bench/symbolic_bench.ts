// Cost of the three-way check (symbolic, backprop, finite differences) for every parameter of an
// MLP on one sample, at two sizes, to show the growth stays near-linear in the graph's size.
// Run: deno bench -A bench/symbolic_bench.ts
import { MLP, mse, symbolicGradients, threeWayCheck, topoSort } from "../mod.ts";

function problem(sizes: number[]) {
  const model = new MLP(2, sizes, { seed: 42 });
  const loss = mse([model.forwardScalar([0.5, -1.5])], [1]);
  return { loss, params: model.parameters() };
}

const small = problem([8, 8, 1]);
const large = problem([16, 16, 1]);
for (const [name, p] of [["MLP(2, [8, 8, 1])", small], ["MLP(2, [16, 16, 1])", large]] as const) {
  const t0 = performance.now();
  const report = threeWayCheck(p.loss, p.params);
  const ms = performance.now() - t0;
  console.log(
    `${name}: ${p.params.length} parameters, ${topoSort(p.loss).length} nodes, ` +
      `ok=${report.ok}, first run ${ms.toFixed(1)} ms`,
  );
}

Deno.bench("three-way check, MLP(2, [8, 8, 1]), 105 parameters", { group: "three-way" }, () => {
  threeWayCheck(small.loss, small.params);
});

Deno.bench(
  "three-way check, MLP(2, [16, 16, 1]), 337 parameters",
  { group: "three-way", baseline: true },
  () => {
    threeWayCheck(large.loss, large.params);
  },
);

// The symbolic column alone (the op table's formulas chained along the graph): linear in nodes.
Deno.bench("symbolic column only, MLP(2, [8, 8, 1])", { group: "symbolic" }, () => {
  symbolicGradients(small.loss);
});
Deno.bench(
  "symbolic column only, MLP(2, [16, 16, 1])",
  { group: "symbolic", baseline: true },
  () => {
    symbolicGradients(large.loss);
  },
);
