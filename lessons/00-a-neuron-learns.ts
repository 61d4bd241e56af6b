/**
 * Lesson 00: one neuron learns. The smallest complete story: forward, backward, W ← W − α·dW.
 *
 * Run: deno run lessons/00-a-neuron-learns.ts
 */
import { formatNumber, Neuron } from "../mod.ts";

const f = (x: number) => formatNumber(x).padStart(13);
const neuron = new Neuron(2, { activation: "tanh", seed: 3 });
const [w0, w1] = neuron.w;
const b = neuron.b;
const x = [1.5, -0.5];
const target = -0.5;
const lr = 0.1;

console.log("One neuron, tanh(w0·x0 + w1·x1 + b), learning to output −0.5 for x = (1.5, −0.5).");
console.log(
  `Each step: forward, loss = (out − target)², backward, then W ← W − α·dW with α = ${lr}.\n`,
);
const head = ["out", "loss", "w0", "w1", "b", "dw0", "dw1", "db"].map((h) => h.padStart(13)).join(
  "",
);
console.log(` step${head}`);
for (let step = 1; step <= 10; step++) {
  const out = neuron.forward(x);
  const loss = out.sub(target).pow(2);
  for (const p of neuron.parameters()) p.grad = 0;
  loss.backward();
  console.log(
    `${String(step).padStart(5)}${f(out.data)}${f(loss.data)}${f(w0.data)}${f(w1.data)}${
      f(b.data)
    }${f(w0.grad)}${f(w1.grad)}${f(b.grad)}`,
  );
  for (const p of neuron.parameters()) p.data -= lr * p.grad;
}
console.log("\nThe loss falls step by step: subtracting α·dW moves each weight downhill.");
