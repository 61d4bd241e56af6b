/**
 * micrograd's demo workload, run four ways for bench/compare.ts: stepgrad's natural loop (the
 * graph rebuilt every step), stepgrad compiled (recorded once, replayed), a hand-fused
 * Float64Array floor, and a Python engine of micrograd's design (bench/micrograd.py).
 *
 * The workload (micrograd's demo.ipynb): two moons, 100 points, noise 0.1; MLP(2, [16, 16, 1]);
 * loss = (1/n) Σ relu(1 − yᵢ·scoreᵢ) + 1e-4·Σp²; SGD with lr = 1 − 0.9·k/100 at step k.
 *
 * @module
 */
import { compile } from "../lib/graph/compile.ts";
import { topoSort, Value } from "../lib/graph/value.ts";
import { makeMoons } from "../lib/nn/data.ts";
import { maxMarginLoss } from "../lib/nn/losses.ts";
import { MLP } from "../lib/nn/mlp.ts";
import { FusedMLP } from "./fused.ts";

/** Everything the four engines share: data, layer sizes, initial weights, step count. */
export interface Workload {
  /** The points. */
  X: number[][];
  /** The ±1 labels. */
  y: number[];
  /** Layer sizes, inputs first: [2, 16, 16, 1]. */
  sizes: number[];
  /** The initial parameters in `MLP.parameters()` order. */
  initial: number[];
  /** The L2 strength. */
  alpha: number;
  /** Training steps. */
  steps: number;
}

/** One engine's run: the loss at each step (before that step's update) and each step's time. */
export interface Run {
  /** Loss at step k, computed before the step's update. */
  losses: number[];
  /** Wall time of each timed step, in seconds. */
  seconds: number[];
  /** One-off preparation before the first step (compiling), in seconds. */
  setup?: number;
}

/** The demo's workload: makeMoons(100, { noise: 0.1 }), MLP(2, [16, 16, 1]) with seed 1337. */
export function demoWorkload(steps = 100): Workload {
  const { X, y } = makeMoons(100, { noise: 0.1 });
  const model = new MLP(2, [16, 16, 1], { seed: 1337 });
  return {
    X,
    y,
    sizes: [2, 16, 16, 1],
    initial: model.parameters().map((p) => p.data),
    alpha: 1e-4,
    steps,
  };
}

/** micrograd's schedule, 1.0 − 0.9·k/100, written in its operation order. */
export function learningRate(k: number): number {
  return 1.0 - 0.9 * k / 100;
}

function freshModel(w: Workload): { model: MLP; params: Value[] } {
  const model = new MLP(w.sizes[0], w.sizes.slice(1));
  const params = model.parameters();
  params.forEach((p, i) => (p.data = w.initial[i]));
  return { model, params };
}

/** The loss graph for the whole batch, built as micrograd's demo builds it. */
function buildLoss(w: Workload, model: MLP, params: Value[]): Value {
  const inputs = w.X.map((row) => row.map((x) => new Value(x)));
  const scores = inputs.map((x) => model.forwardScalar(x));
  return maxMarginLoss(scores, w.y, { params, alpha: w.alpha });
}

/** The number of nodes in one step's graph (leaves included). */
export function graphSize(w: Workload): number {
  const { model, params } = freshModel(w);
  return topoSort(buildLoss(w, model, params)).length;
}

/** (a) The natural loop: rebuild the graph, zero the grads, backward, update, every step. */
export function runNatural(w: Workload): Run {
  const { model, params } = freshModel(w);
  const losses: number[] = [], seconds: number[] = [];
  for (let k = 0; k < w.steps; k++) {
    const t0 = performance.now();
    const loss = buildLoss(w, model, params);
    for (const p of params) p.grad = 0;
    loss.backward();
    const lr = learningRate(k);
    for (const p of params) p.data -= lr * p.grad;
    seconds.push((performance.now() - t0) / 1000);
    losses.push(loss.data);
  }
  return { losses, seconds };
}

/**
 * (b) Compiled: the graph is built and compiled once (timed apart, as `setup`), then replayed
 * every step; the optimizer updates the same `Value` leaves.
 */
export function runCompiled(w: Workload): Run {
  const { model, params } = freshModel(w);
  const losses: number[] = [], seconds: number[] = [];
  const t = performance.now();
  const graph = compile(buildLoss(w, model, params));
  const setup = (performance.now() - t) / 1000;
  for (let k = 0; k < w.steps; k++) {
    const t0 = performance.now();
    const loss = graph.forward();
    for (const p of params) p.grad = 0;
    graph.backward();
    const lr = learningRate(k);
    for (const p of params) p.data -= lr * p.grad;
    seconds.push((performance.now() - t0) / 1000);
    losses.push(loss);
  }
  return { losses, seconds, setup };
}

/** (c) The floor: the same arithmetic by hand over Float64Arrays, no graph. */
export function runFused(w: Workload): Run {
  const net = new FusedMLP(w.sizes, w.initial);
  const losses: number[] = [], seconds: number[] = [];
  for (let k = 0; k < w.steps; k++) {
    const t0 = performance.now();
    const loss = net.lossAndGrad(w.X, w.y, w.alpha);
    net.sgd(learningRate(k));
    seconds.push((performance.now() - t0) / 1000);
    losses.push(loss);
  }
  return { losses, seconds };
}

/**
 * (d) bench/micrograd.py under `python3`, fed the workload as JSON on stdin. All `w.steps` steps
 * run (so the losses can be compared to the end); only the first `timedSteps` are timed.
 * Returns `undefined` when `python3` is not installed.
 */
export async function runPython(w: Workload, timedSteps = w.steps): Promise<Run | undefined> {
  const script = new URL("./micrograd.py", import.meta.url).pathname;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("python3", {
      args: [script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  const job = { ...w, timed_steps: timedSteps };
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(job)));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
    throw new Error(`bench/micrograd.py failed: ${err}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout)) as Run;
}
