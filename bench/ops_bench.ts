import { MLP, topoSort, Value } from "../mod.ts";

Deno.bench("build a 10,000-node chain of mul", () => {
  let y = new Value(1, "x");
  for (let i = 0; i < 5_000; i++) y = y.mul(1.0001);
});

const chain = (() => {
  let y = new Value(1, "x");
  for (let i = 0; i < 50_000; i++) y = y.mul(1.0000001);
  return y;
})();
Deno.bench("backward on a 100,000-node chain", () => chain.backward());
Deno.bench("topoSort of a 100,000-node chain", () => void topoSort(chain));

const model = new MLP(2, [16, 16, 1], { seed: 1 });
Deno.bench("MLP(2, [16, 16, 1]) forward + backward, one sample", () => {
  model.forwardScalar([0.5, -0.25]).backward();
});
