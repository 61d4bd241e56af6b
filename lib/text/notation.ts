/**
 * The course's notation table: every symbol the lessons and the optimizer traces write, once,
 * with its TeX, its Unicode text, what it means (one phrase a learner reads) and, for a
 * hyperparameter, the PyTorch option it writes. One symbol, one meaning: `tests/text/notation_test.ts`
 * checks that no two entries share a spelling.
 *
 * Decisions a reader may look for:
 * - α is the learning rate everywhere (never η); αₜ the rate at step t (a schedule, Adagrad's
 *   decay). η is only Adagrad's `lr_decay`.
 * - λ is only weight decay. A quadratic bowl's curvatures are h_max and h_min.
 * - mₜ is the momentum buffer (SGD, RMSprop) and Adam's first moment: the same running sum of past
 *   gradients (SGD with dampening τ = β₁ keeps Adam's m). b is only a bias.
 * - ρ is the decay of a running mean of squares: RMSprop's `alpha` and Adadelta's `rho` options.
 *   RAdam's length of the approximated moving average (ρₜ in the RAdam paper) is κₜ.
 * - uₜ is only Adamax's infinity norm; Adadelta's running mean of squared updates is qₜ.
 * - dₜ is only the adaptive step's denominator (RMSprop, NAdam); Nesterov's direction is nₜ.
 * - t is the step number; the target a network should output is y (its prediction ŷ).
 *
 * @module
 */
import { SUBSCRIPT } from "./formula.ts";

/** A PyTorch option a symbol writes: stepgrad's camelCase name and PyTorch's own. */
export interface OptionRef {
  /** stepgrad's option name (`weightDecay`). */
  readonly name: string;
  /** PyTorch's keyword argument (`weight_decay`; `betas[0]` for one of a pair). */
  readonly pytorch: string;
  /** The optimizers whose option it is, when not every optimizer that has the name. */
  readonly optimizers?: readonly string[];
}

/** A symbol of the course: its two spellings, its meaning and the options it writes. */
export interface MathSymbol {
  /** LaTeX (KaTeX's strict mode accepts it). */
  readonly tex: string;
  /** Unicode text, as the terminal shows it. */
  readonly text: string;
  /** What it means, in one short phrase a learner reads. */
  readonly meaning: string;
  /** The PyTorch options it writes, for a hyperparameter. */
  readonly options?: readonly OptionRef[];
  /** For a symbol indexed by the step (`mₜ`): the parts {@linkcode at} re-indexes. */
  readonly indexed?: Indexed;
}

/** The parts of a step-indexed symbol: `v^{\max}` + `_t`, `v` + `ₜ` + `ᵐᵃˣ`. */
export interface Indexed {
  /** TeX before the subscript (`\hat{m}`, `v^{\max}`). */
  readonly texBase: string;
  /** Text before the subscript (`m̂`, `v`). */
  readonly textBase: string;
  /** Text after the subscript (`ᵐᵃˣ`), or empty. */
  readonly textAfter: string;
  /** The index (`t`, `t-1`, `t+1`, `0`). */
  readonly index: string;
}

function subscriptText(index: string): string {
  return [...index].map((c) => {
    const s = SUBSCRIPT[c];
    if (s === undefined) throw new RangeError(`no subscript for "${c}" in index "${index}"`);
    return s;
  }).join("");
}

function indexedSymbol(
  parts: Indexed,
  meaning: string,
  options?: readonly OptionRef[],
): MathSymbol {
  const { texBase, textBase, textAfter, index } = parts;
  const sub = index.length === 1 ? `_${index}` : `_{${index}}`;
  const sym: MathSymbol = {
    tex: `${texBase}${sub}`,
    text: `${textBase}${subscriptText(index)}${textAfter}`.normalize("NFC"),
    meaning,
    indexed: parts,
  };
  return Object.freeze(options ? { ...sym, options } : sym);
}

/** A symbol that is not indexed by the step (`α`, `L`). */
export function symbol(
  tex: string,
  text: string,
  meaning: string,
  options?: readonly OptionRef[],
): MathSymbol {
  return Object.freeze(options ? { tex, text, meaning, options } : { tex, text, meaning });
}

/** A symbol indexed by the step: `stepSymbol("m", "m", …)` is `mₜ` (TeX `m_t`). */
export function stepSymbol(
  texBase: string,
  textBase: string,
  meaning: string,
  options: { textAfter?: string; index?: string; options?: readonly OptionRef[] } = {},
): MathSymbol {
  return indexedSymbol(
    { texBase, textBase, textAfter: options.textAfter ?? "", index: options.index ?? "t" },
    meaning,
    options.options,
  );
}

function parts(sym: MathSymbol, what: string): Indexed {
  if (!sym.indexed) throw new TypeError(`${what}: ${sym.text} is not indexed by the step`);
  return sym.indexed;
}

/** The same symbol at another index: `at(m, "t+1")` is `mₜ₊₁`, `at(s, "0")` is `s₀`. */
export function at(sym: MathSymbol, index: string): MathSymbol {
  return indexedSymbol({ ...parts(sym, "at"), index }, `${sym.meaning} (at ${index})`);
}

/** The previous step's value: `prev(mₜ)` is `mₜ₋₁` (TeX `m_{t-1}`). */
export function prev(sym: MathSymbol): MathSymbol {
  return indexedSymbol(
    { ...parts(sym, "prev"), index: "t-1" },
    `${sym.meaning}, at the previous step`,
  );
}

/** With a hat (bias-corrected): `hat(mₜ)` is `m̂ₜ` (TeX `\hat{m}_t`). */
export function hat(sym: MathSymbol, meaning = `${sym.meaning}, bias-corrected`): MathSymbol {
  const p = parts(sym, "hat");
  return indexedSymbol(
    { ...p, texBase: `\\hat{${p.texBase}}`, textBase: `${p.textBase}\u0302` },
    meaning,
  );
}

/** With a bar (a running mean): `bar(gₜ)` is `ḡₜ` (TeX `\bar{g}_t`). */
export function bar(sym: MathSymbol, meaning = `running mean of ${sym.meaning}`): MathSymbol {
  const p = parts(sym, "bar");
  return indexedSymbol(
    { ...p, texBase: `\\bar{${p.texBase}}`, textBase: `${p.textBase}\u0304` },
    meaning,
  );
}

/** The running maximum: `runningMax(vₜ)` is `vₜᵐᵃˣ` (TeX `v^{\max}_t`). */
export function runningMax(
  sym: MathSymbol,
  meaning = `running maximum of ${sym.meaning}`,
): MathSymbol {
  const p = parts(sym, "runningMax");
  return indexedSymbol(
    { ...p, texBase: `${p.texBase}^{\\max}`, textAfter: `${p.textAfter}ᵐᵃˣ` },
    meaning,
  );
}

/** ∂L/∂name in both spellings (`∂L/∂W`). */
function gradientOf(tex: string, text: string, meaning: string): MathSymbol {
  return symbol(`\\frac{\\partial L}{\\partial ${tex}}`, `∂L/∂${text}`, meaning);
}

const opt = (name: string, pytorch: string, optimizers?: readonly string[]): OptionRef =>
  Object.freeze(optimizers ? { name, pytorch, optimizers } : { name, pytorch });

const g: MathSymbol = stepSymbol(
  "g",
  "g",
  "the gradient the rule uses (after maximize and weight decay)",
);
const m: MathSymbol = stepSymbol(
  "m",
  "m",
  "momentum buffer: a running sum of past gradients (Adam's first moment)",
);
const v: MathSymbol = stepSymbol(
  "v",
  "v",
  "running mean of squared gradients (Adam's second moment)",
);
const s: MathSymbol = stepSymbol("s", "s", "Adagrad's sum of all squared gradients so far");

/** The keys of the notation table. */
export type NotationKey =
  | "lr"
  | "lrAt"
  | "momentum"
  | "dampening"
  | "weightDecay"
  | "eps"
  | "beta1"
  | "beta2"
  | "rho"
  | "lrDecay"
  | "momentumDecay"
  | "s0"
  | "t"
  | "theta"
  | "g"
  | "m"
  | "v"
  | "mHat"
  | "vHat"
  | "vMax"
  | "bc1"
  | "bc2"
  | "gBar"
  | "d"
  | "n"
  | "s"
  | "u"
  | "q"
  | "gradSum"
  | "delta"
  | "muAt"
  | "muProduct"
  | "kappaInf"
  | "kappa"
  | "r"
  | "l"
  | "loss"
  | "error"
  | "errorTotal"
  | "W"
  | "w"
  | "b"
  | "dW"
  | "dw"
  | "db"
  | "x"
  | "z"
  | "a"
  | "sigmoid"
  | "fPrime"
  | "layerError"
  | "y"
  | "yHat"
  | "hMax"
  | "hMin";

/**
 * The notation table. Optimizer symbols first (hyperparameters, then the quantities a step
 * computes), then the lessons' symbols (loss, network, curvatures).
 */
export const NOTATION: Readonly<Record<NotationKey, MathSymbol>> = Object.freeze({
  // Hyperparameters: the options they write.
  lr: symbol("\\alpha", "α", "learning rate", [opt("lr", "lr")]),
  lrAt: symbol(
    "\\alpha_t",
    "αₜ",
    "learning rate at step t (after a schedule, or Adagrad's decay)",
  ),
  momentum: symbol("\\mu", "μ", "momentum factor", [opt("momentum", "momentum")]),
  dampening: symbol("\\tau", "τ", "dampening of the momentum", [opt("dampening", "dampening")]),
  weightDecay: symbol("\\lambda", "λ", "weight decay", [opt("weightDecay", "weight_decay")]),
  eps: symbol("\\varepsilon", "ε", "a small constant that keeps a denominator from 0", [
    opt("eps", "eps"),
  ]),
  beta1: symbol("\\beta_1", "β₁", "decay of the running mean of gradients", [
    opt("betas", "betas[0]"),
  ]),
  beta2: symbol("\\beta_2", "β₂", "decay of the running mean of squared gradients", [
    opt("betas", "betas[1]"),
  ]),
  rho: symbol("\\rho", "ρ", "decay of a running mean of squares", [
    opt("alpha", "alpha", ["RMSprop"]),
    opt("rho", "rho", ["Adadelta"]),
  ]),
  lrDecay: symbol("\\eta", "η", "Adagrad's learning-rate decay", [opt("lrDecay", "lr_decay")]),
  momentumDecay: symbol("\\psi", "ψ", "NAdam's momentum decay", [
    opt("momentumDecay", "momentum_decay"),
  ]),
  s0: stepSymbol("s", "s", "Adagrad's starting sum of squares", {
    index: "0",
    options: [opt("initialAccumulatorValue", "initial_accumulator_value")],
  }),

  // What a step computes.
  t: symbol("t", "t", "the step number (1 on the first step)"),
  theta: symbol("\\theta", "θ", "a parameter"),
  g,
  m,
  v,
  mHat: hat(m, "bias-corrected first moment"),
  vHat: hat(v, "bias-corrected second moment"),
  vMax: runningMax(v, "AMSGrad's running maximum of vₜ"),
  bc1: symbol("\\mathrm{bc}_1", "bc₁", "β₁'s bias correction 1 − β₁ᵗ"),
  bc2: symbol("\\mathrm{bc}_2", "bc₂", "β₂'s bias correction 1 − β₂ᵗ"),
  gBar: bar(g, "running mean of gradients (centered RMSprop)"),
  d: stepSymbol("d", "d", "the adaptive step's denominator: a root of a mean of squares, plus ε"),
  n: stepSymbol("n", "n", "Nesterov's direction: the gradient plus μ times the buffer"),
  s,
  u: stepSymbol("u", "u", "Adamax's infinity norm: a decaying maximum of |g|"),
  q: stepSymbol("q", "q", "Adadelta's running mean of squared updates"),
  gradSum: stepSymbol("G", "G", "the sum of every gradient so far (.grad never zeroed)"),
  delta: stepSymbol("\\Delta", "Δ", "Adadelta's update before the learning rate"),
  muAt: stepSymbol("\\mu", "μ", "NAdam's momentum coefficient at step t"),
  muProduct: stepSymbol("\\Pi", "Π", "NAdam's product of the momentum coefficients so far"),
  kappaInf: symbol("\\kappa_\\infty", "κ∞", "RAdam's longest approximated moving average"),
  kappa: stepSymbol("\\kappa", "κ", "RAdam's length of the approximated moving average"),
  r: stepSymbol("r", "r", "RAdam's variance rectification"),
  l: stepSymbol("l", "l", "RAdam's adaptive factor √(1 − β₂ᵗ)/(√vₜ + ε)"),

  // The lessons: loss, network, curvatures.
  loss: symbol("L", "L", "the loss"),
  error: symbol("E", "E", "the error (Mazur's name for one output's loss)"),
  errorTotal: symbol("E_{\\text{total}}", "Eₜₒₜₐₗ", "the total error, summed over the outputs"),
  W: symbol("W", "W", "a layer's weight matrix"),
  w: symbol("w", "w", "a weight"),
  b: symbol("b", "b", "a bias"),
  dW: gradientOf("W", "W", "the loss's gradient with respect to W"),
  dw: gradientOf("w", "w", "the loss's gradient with respect to one weight"),
  db: gradientOf("b", "b", "the loss's gradient with respect to the bias"),
  x: symbol("x", "x", "an input"),
  z: symbol("z", "z", "pre-activation: the weighted sum plus the bias"),
  a: symbol("a", "a", "activation: a neuron's output"),
  sigmoid: symbol("\\sigma", "σ", "the sigmoid function"),
  fPrime: symbol("f'", "f′", "the activation function's derivative"),
  layerError: symbol("\\delta", "δ", "a layer's error: ∂L/∂z"),
  y: symbol("y", "y", "the target (the output the network should give)"),
  yHat: symbol("\\hat{y}", "ŷ", "the prediction (the output the network gives)"),
  hMax: symbol("h_{\\max}", "hₘₐₓ", "a quadratic bowl's largest curvature"),
  hMin: symbol("h_{\\min}", "hₘᵢₙ", "a quadratic bowl's smallest curvature"),
});

/**
 * The symbol that writes an option (stepgrad's camelCase name), for the given optimizer when
 * the name means different things in different optimizers (RMSprop's `alpha` is ρ).
 */
export function optionSymbol(name: string, optimizer?: string): MathSymbol | undefined {
  for (const sym of Object.values(NOTATION) as MathSymbol[]) {
    for (const o of sym.options ?? []) {
      if (o.name !== name) continue;
      if (o.optimizers && optimizer !== undefined && !o.optimizers.includes(optimizer)) continue;
      return sym;
    }
  }
  return undefined;
}
