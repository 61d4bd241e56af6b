/**
 * The floor for bench/compare.ts: micrograd's demo workload (an MLP with ReLU hidden layers and a
 * linear output, max-margin loss + α·L2, plain SGD) written by hand over Float64Arrays, with no
 * graph at all. The forward pass follows the graph's operation order (b + w₀x₀ + w₁x₁ + …, then
 * relu; the losses summed from 0 left to right), so its loss matches the engine's; gradients are
 * the same sums taken in a different order, so they agree to rounding.
 *
 * @module
 */

/** A dense ReLU MLP whose parameters live in one Float64Array, in `MLP.parameters()` order. */
export class FusedMLP {
  /** The parameters: layer by layer, neuron by neuron, weights then bias. */
  readonly params: Float64Array;
  /** ∂loss/∂param after {@linkcode FusedMLP.lossAndGrad}. */
  readonly grads: Float64Array;
  readonly #sizes: readonly number[];
  readonly #offsets: number[];
  #acts: Float64Array[] = []; // per layer k: activations of layer k (k = 0 the input), per sample
  #delta: Float64Array[] = [];

  /** An MLP with layer sizes `sizes` (inputs first) and these initial parameters. */
  constructor(sizes: readonly number[], initial: readonly number[]) {
    this.#sizes = sizes;
    this.#offsets = [];
    let n = 0;
    for (let k = 0; k + 1 < sizes.length; k++) {
      this.#offsets.push(n);
      n += (sizes[k] + 1) * sizes[k + 1];
    }
    if (initial.length !== n) {
      throw new RangeError(`expected ${n} parameters, got ${initial.length}`);
    }
    this.params = Float64Array.from(initial);
    this.grads = new Float64Array(n);
  }

  /**
   * micrograd's demo loss on the whole batch, (1/n) Σ relu(1 − yᵢ·scoreᵢ) + α·Σp², with its
   * gradient left in `grads` (overwritten, not accumulated). Returns the loss.
   */
  lossAndGrad(X: readonly (readonly number[])[], y: readonly number[], alpha: number): number {
    const sizes = this.#sizes, L = sizes.length - 1, n = X.length;
    const p = this.params, g = this.grads;
    if (this.#acts.length === 0 || this.#acts[0].length !== n * sizes[0]) {
      this.#acts = sizes.map((s) => new Float64Array(n * s));
      this.#delta = sizes.map((s) => new Float64Array(n * s));
    }
    const acts = this.#acts, delta = this.#delta;
    const x0 = acts[0];
    for (let s = 0; s < n; s++) for (let i = 0; i < sizes[0]; i++) x0[s * sizes[0] + i] = X[s][i];

    // forward, sample by sample, layer by layer
    for (let k = 0; k < L; k++) {
      const nin = sizes[k], nout = sizes[k + 1], off = this.#offsets[k];
      const hin = acts[k], hout = acts[k + 1], relu = k < L - 1;
      for (let s = 0; s < n; s++) {
        const base = s * nin;
        for (let j = 0; j < nout; j++) {
          const w = off + j * (nin + 1);
          let act = p[w + nin];
          for (let i = 0; i < nin; i++) act = act + p[w + i] * hin[base + i];
          hout[s * nout + j] = relu ? (act > 0 ? act : 0) : act;
        }
      }
    }

    // loss: the graph's order, Σ from 0, then · (1/n); L2 likewise
    const scores = acts[L], dScores = delta[L];
    const inv = 1 / n;
    let dataSum = 0;
    for (let s = 0; s < n; s++) {
      const m = scores[s] * -y[s] + 1;
      dataSum = dataSum + (m > 0 ? m : 0);
      dScores[s] = m > 0 ? inv * -y[s] : 0;
    }
    let regSum = 0;
    for (let q = 0; q < p.length; q++) regSum = regSum + p[q] * p[q];
    const loss = dataSum * inv + regSum * alpha;

    // backward
    for (let q = 0; q < p.length; q++) g[q] = alpha * p[q] + alpha * p[q];
    for (let k = L - 1; k >= 0; k--) {
      const nin = sizes[k], nout = sizes[k + 1], off = this.#offsets[k];
      const hin = acts[k], hout = acts[k + 1], dout = delta[k + 1], din = delta[k];
      const relu = k < L - 1;
      din.fill(0);
      for (let s = 0; s < n; s++) {
        const base = s * nin;
        for (let j = 0; j < nout; j++) {
          let d = dout[s * nout + j];
          if (relu && !(hout[s * nout + j] > 0)) d = 0;
          if (d === 0) continue;
          const w = off + j * (nin + 1);
          g[w + nin] += d;
          for (let i = 0; i < nin; i++) {
            g[w + i] += d * hin[base + i];
            din[base + i] += d * p[w + i];
          }
        }
      }
    }
    return loss;
  }

  /** p ← p − lr·∂loss/∂p for every parameter. */
  sgd(lr: number): void {
    const p = this.params, g = this.grads;
    for (let q = 0; q < p.length; q++) p[q] -= lr * g[q];
  }
}
