import { compile } from "../lib/graph/compile.ts";
import { topoSort, Value } from "../lib/graph/value.ts";
import { makeMoons } from "../lib/nn/data.ts";
import { maxMarginLoss } from "../lib/nn/losses.ts";
import { MLP } from "../lib/nn/mlp.ts";

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
const chainGraph = compile(chain);
Deno.bench("compiled forward + backward, 100,000-node chain", () => {
  chainGraph.forward();
  chainGraph.backward();
});

const model = new MLP(2, [16, 16, 1], { seed: 1 });
Deno.bench("MLP(2, [16, 16, 1]) forward + backward, one sample", () => {
  model.forwardScalar([0.5, -0.25]).backward();
});

// micrograd's demo step (bench/compare.ts has the side-by-side run)
const { X, y } = makeMoons(100, { noise: 0.1 });
const params = model.parameters();
const inputs = X.map((row) => row.map((v) => new Value(v)));
const lossOf = () =>
  maxMarginLoss(inputs.map((x) => model.forwardScalar(x)), y, { params, alpha: 1e-4 });
Deno.bench("demo step, natural loop: build 100 samples' graph, zero, backward", () => {
  const loss = lossOf();
  for (const p of params) p.grad = 0;
  loss.backward();
});
const demoRoot = lossOf();
const demo = compile(demoRoot);
Deno.bench("demo step, compiled: forward, zero, backward", () => {
  demo.forward();
  for (const p of params) p.grad = 0;
  demo.backward();
});
Deno.bench("compile the demo step's graph (65,818 nodes)", () => void compile(demoRoot));
