/**
 * Learners' update code for the diagnose tests, written the way a learner writes it (plain loops
 * over arrays, as numpy code would be), independently of lib/: each correct rule from
 * reference/optimizers.md and each catalogued mistake, deliberately wrong in its one place.
 *
 * @module
 */
import type { LearnerRun } from "../../lib/diagnose/input.ts";

/** A loss's gradient at a point. */
export type Grad = (p: number[]) => number[];

/** Test functions: names, a start, and the gradient. */
export const FUNCTIONS: Record<string, { names: string[]; start: number[]; grad: Grad }> = {
  // (w − 2)² + 3(b + 1)²
  bowl: { names: ["w", "b"], start: [0.5, 0.25], grad: ([w, b]) => [2 * (w - 2), 6 * (b + 1)] },
  // mean squared error of ŷ = w·x + b on three points
  line: {
    names: ["w", "b"],
    start: [0.5, 0],
    grad: ([w, b]) => {
      const xs = [1, 2, 3], ys = [3, 5, 7];
      let dw = 0, db = 0;
      xs.forEach((x, i) => {
        const e = w * x + b - ys[i];
        dw += (2 / 3) * e * x;
        db += (2 / 3) * e;
      });
      return [dw, db];
    },
  },
  // Rosenbrock from (−1.2, 1), as the PyTorch fixtures
  rosen: {
    names: ["x", "y"],
    start: [-1.2, 1],
    grad: ([x, y]) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  },
};

/** One update: the parameters before, the gradients, the step number t (1 first). */
export type Update = (p: number[], g: number[], t: number) => number[];

/** Runs a learner's update for `steps` steps and records what they would print. */
export function record(
  fn: { names: string[]; start: number[]; grad: Grad },
  makeUpdate: () => Update,
  steps: number,
  known: LearnerRun["known"],
  intended?: string,
): LearnerRun {
  const update = makeUpdate();
  let p = [...fn.start];
  const out: LearnerRun["steps"] = [];
  for (let t = 1; t <= steps; t++) {
    const g = fn.grad(p);
    if (!g.every(Number.isFinite)) break;
    p = update(p, g, t);
    out.push({ grads: g, params: [...p] });
  }
  return { names: [...fn.names], start: [...fn.start], steps: out, known, intended };
}

/** Options of the learners below. */
export interface O {
  lr: number;
  momentum?: number;
  dampening?: number;
  b1?: number;
  b2?: number;
  eps?: number;
  wd?: number;
  rho?: number;
}

const zeros = (n: number) => new Array<number>(n).fill(0);

/** A learner's Adam with switches for each slip (t0: the counter starts at 0). */
function adam(o: O, slip: {
  bc?: "none" | "mul" | "m" | "v";
  t0?: boolean;
  epsIn?: boolean;
  decay?: "l2" | "decoupled" | "after";
}): () => Update {
  return () => {
    let m: number[] | undefined, v: number[] | undefined;
    const b1 = o.b1!, b2 = o.b2!, eps = o.eps!, wd = o.wd ?? 0;
    return (p, grad, t) => {
      m ??= zeros(p.length);
      v ??= zeros(p.length);
      const tt = slip.t0 ? t - 1 : t;
      return p.map((th0, i) => {
        let th = th0;
        let g = grad[i];
        if (slip.decay === "l2") g += wd * th;
        if (slip.decay === "decoupled") th = th * (1 - o.lr * wd);
        m![i] = b1 * m![i] + (1 - b1) * g;
        v![i] = b2 * v![i] + (1 - b2) * g * g;
        let mh = m![i], vh = v![i];
        if (slip.bc === undefined || slip.bc === "m") mh = m![i] / (1 - b1 ** tt);
        if (slip.bc === undefined || slip.bc === "v") vh = v![i] / (1 - b2 ** tt);
        if (slip.bc === "mul") {
          mh = m![i] * (1 - b1 ** tt);
          vh = v![i] * (1 - b2 ** tt);
        }
        const den = slip.epsIn ? Math.sqrt(vh + eps) : Math.sqrt(vh) + eps;
        const next = th - o.lr * mh / den;
        return slip.decay === "after" ? next * (1 - o.lr * wd) : next;
      });
    };
  };
}

/** Every catalogued mistake, as a learner writes it. */
export const WRONG: Record<string, (o: O) => () => Update> = {
  "gradient-added": (o) => () => (p, g) => p.map((x, i) => x + o.lr * g[i]),
  "gradient-multiplied": (o) => () => (p, g) => p.map((x, i) => x * (o.lr * g[i])),
  "bias-updated-with-dw": (o) => () => (p, g) => [p[0] - o.lr * g[0], p[1] - o.lr * g[0]],
  "lr-applied-twice": (o) => () => (p, g) => p.map((x, i) => x - o.lr * (o.lr * g[i])),
  "grads-not-zeroed": (o) => () => {
    let acc: number[] | undefined;
    return (p, g) => {
      acc = (acc ?? zeros(p.length)).map((a, i) => a + g[i]);
      return p.map((x, i) => x - o.lr * acc![i]);
    };
  },
  "momentum-buffer-zero-start": (o) => () => {
    let v: number[] | undefined;
    return (p, g) => {
      v = (v ?? zeros(p.length)).map((b, i) => o.momentum! * b + (1 - o.dampening!) * g[i]);
      return p.map((x, i) => x - o.lr * v![i]);
    };
  },
  "nesterov-wrong-lookahead": (o) => () => {
    let buf: number[] | undefined;
    return (p, g) => {
      buf = buf ? buf.map((b, i) => o.momentum! * b + g[i]) : [...g];
      return p.map((x, i) => x - o.lr * (o.momentum! * buf![i]));
    };
  },
  "rmsprop-no-sqrt": (o) => () => {
    let v: number[] | undefined;
    return (p, g) => {
      v = (v ?? zeros(p.length)).map((s, i) => o.rho! * s + (1 - o.rho!) * g[i] * g[i]);
      return p.map((x, i) => x - o.lr * g[i] / (v![i] + o.eps!));
    };
  },
  "eps-inside-sqrt": (o) => adam(o, { epsIn: true, decay: "l2" }),
  "adam-no-bias-correction": (o) => adam(o, { bc: "none", decay: "l2" }),
  "adam-bias-correction-multiplied": (o) => adam(o, { bc: "mul", decay: "l2" }),
  "adam-step-from-zero": (o) => adam(o, { t0: true, decay: "l2" }),
  "adam-bias-correction-on-one-moment": (o) => adam(o, { bc: "m", decay: "l2" }),
  "adamw-as-l2": (o) => adam(o, { decay: "l2" }),
  "weight-decay-after-step": (o) => adam(o, { decay: "after" }),
  "adamw-no-bias-correction": (o) => adam(o, { bc: "none", decay: "decoupled" }),
  "adagrad-no-accumulation": (o) => () => (p, g) =>
    p.map((x, i) => x - o.lr * g[i] / (Math.sqrt(g[i] * g[i]) + o.eps!)),
  "adadelta-swapped-accumulators": (o) => () => {
    let v: number[] | undefined, u: number[] | undefined;
    return (p, g) => {
      v = (v ?? zeros(p.length)).map((s, i) => o.rho! * s + (1 - o.rho!) * g[i] * g[i]);
      u ??= zeros(p.length);
      return p.map((x, i) => {
        const d = Math.sqrt(v![i] + o.eps!) / Math.sqrt(u![i] + o.eps!) * g[i];
        u![i] = o.rho! * u![i] + (1 - o.rho!) * d * d;
        return x - o.lr * d;
      });
    };
  },
  "nadam-momentum-product-twice": (o) => () => {
    let m: number[] | undefined, v: number[] | undefined, prod = 1;
    const psi = 4e-3;
    return (p, g, t) => {
      m ??= zeros(p.length);
      v ??= zeros(p.length);
      const mu = o.b1! * (1 - 0.5 * 0.96 ** (t * psi));
      const muNext = o.b1! * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
      prod *= mu;
      return p.map((x, i) => {
        m![i] = o.b1! * m![i] + (1 - o.b1!) * g[i];
        v![i] = o.b2! * v![i] + (1 - o.b2!) * g[i] * g[i];
        const den = Math.sqrt(v![i] / (1 - o.b2! ** t)) + o.eps!;
        return x - o.lr * (1 - mu) / (1 - prod) * g[i] / den -
          o.lr * muNext / (1 - prod * mu * muNext) * m![i] / den;
      });
    };
  },
};
