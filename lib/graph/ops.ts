/**
 * The op table: every operation stepgrad knows, defined once, as data.
 *
 * Each entry says how to compute the op (`forward`), how gradient flows back through it (`grad`,
 * the local derivative with respect to each input, as numbers), where it is defined (`domain`),
 * the same local derivatives as mathjs expressions in the input names `a` and `b` (`symbolic`),
 * and how it is written (`latex`, `text`). Backprop, the compiled replay, the symbolic bridge and
 * the renderers all read this one table, so adding an op is adding one entry.
 *
 * @module
 */

/** The names of all ops, in op-code order. */
export const OP_NAMES = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "neg",
  "exp",
  "log",
  "sqrt",
  "tanh",
  "sigmoid",
  "relu",
  "softplus",
  "abs",
  "sin",
  "cos",
  "sinh",
  "cosh",
  "sech",
] as const;

/** The name of an op in the table. */
export type OpName = typeof OP_NAMES[number];

/** One entry of the op table. */
export interface OpSpec {
  /** The op's name, as stored in `Value.op`. */
  readonly name: OpName;
  /** Its index in {@linkcode OPS}; the compiled replay stores this code per node. */
  readonly code: number;
  /** 1 for unary ops (`b` is ignored), 2 for binary ones. */
  readonly arity: 1 | 2;
  /** The forward computation. */
  forward(a: number, b: number): number;
  /**
   * The local derivative ∂out/∂input as a number, for input `i` (0 or 1), given the input values
   * and the output value (so `exp` and `tanh` reuse their result, as micrograd does).
   */
  grad(i: number, a: number, b: number, out: number): number;
  /**
   * Where the op is defined. Returns `undefined` for inputs inside the domain, else a phrase
   * describing the violation ("log of a non-positive number"). Overflow to ±Infinity from valid
   * inputs is not a domain violation.
   */
  domain?(a: number, b: number): string | undefined;
  /** The op as a mathjs expression in `a` (and `b`), e.g. `"a * b"`. */
  readonly symbolic: string;
  /**
   * The local derivatives as mathjs expressions in `a` and `b`, one per input. Functions mathjs
   * cannot differentiate (`sigmoid`, `relu`, `softplus`) appear here as the project's own rules,
   * with `step(a)` the Heaviside step (step(0) = 0, matching relu'(0) = 0).
   */
  readonly symbolicGrad: readonly string[];
  /** Writes the op in LaTeX around already-rendered operands. */
  latex(a: string, b: string): string;
  /** Writes the op as plain Unicode text around already-rendered operands. */
  text(a: string, b: string): string;
  /** Binding strength for parenthesising infix text: higher binds tighter. */
  readonly precedence: number;
  /**
   * Where the derivative with respect to the first input is undefined or jumps (relu and abs at
   * 0, where the slope jumps; sqrt at 0, where it is infinite). Finite differences across such a
   * point average two slopes (or none), so checkers treat a step that reaches one as a kink.
   */
  readonly kinks?: readonly number[];
}

const sigmoid = (x: number): number => {
  // Two branches keep exp from overflowing for large |x|.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

// softplus(x) = log(1 + e^x), written to stay finite and exact for large |x|.
const softplus = (x: number): number =>
  x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));

const FUNCTION_PRECEDENCE = 10;

type Entry = Omit<OpSpec, "code">;

const unary = (
  name: OpName,
  forward: (a: number) => number,
  grad: (a: number, out: number) => number,
  symbolicGrad: string,
  latexName: string,
  domain?: (a: number) => string | undefined,
): Entry => ({
  name,
  arity: 1,
  forward,
  grad: (_i, a, _b, out) => grad(a, out),
  domain,
  symbolic: `${name}(a)`,
  symbolicGrad: [symbolicGrad],
  latex: (a) => `${latexName}\\left(${a}\\right)`,
  text: (a) => `${name}(${a})`,
  precedence: FUNCTION_PRECEDENCE,
});

const ENTRIES: Entry[] = [
  {
    name: "add",
    arity: 2,
    forward: (a, b) => a + b,
    grad: () => 1,
    symbolic: "a + b",
    symbolicGrad: ["1", "1"],
    latex: (a, b) => `${a} + ${b}`,
    text: (a, b) => `${a} + ${b}`,
    precedence: 1,
  },
  {
    name: "sub",
    arity: 2,
    forward: (a, b) => a - b,
    grad: (i) => (i === 0 ? 1 : -1),
    symbolic: "a - b",
    symbolicGrad: ["1", "-1"],
    latex: (a, b) => `${a} - ${b}`,
    text: (a, b) => `${a} − ${b}`,
    precedence: 1,
  },
  {
    name: "mul",
    arity: 2,
    forward: (a, b) => a * b,
    grad: (i, a, b) => (i === 0 ? b : a),
    symbolic: "a * b",
    symbolicGrad: ["b", "a"],
    latex: (a, b) => `${a} \\cdot ${b}`,
    text: (a, b) => `${a}·${b}`,
    precedence: 2,
  },
  {
    name: "div",
    arity: 2,
    forward: (a, b) => a / b,
    grad: (i, a, b) => (i === 0 ? 1 / b : -a / (b * b)),
    domain: (_a, b) => (b === 0 ? "division by zero" : undefined),
    symbolic: "a / b",
    symbolicGrad: ["1 / b", "-a / b^2"],
    latex: (a, b) => `\\frac{${a}}{${b}}`,
    text: (a, b) => `${a}/${b}`,
    precedence: 2,
  },
  {
    name: "pow",
    arity: 2,
    forward: (a, b) => Math.pow(a, b),
    // d/db a^b = a^b·ln a exists only for a > 0; at a = 0 with b ≥ 0 PyTorch takes 0.
    grad: (i, a, b, out) =>
      i === 0
        ? (b === 0 ? 0 : b * Math.pow(a, b - 1))
        : a > 0
        ? out * Math.log(a)
        : a === 0 && b >= 0
        ? 0
        : NaN,
    domain: (a, b) =>
      a < 0 && !Number.isInteger(b)
        ? "a negative base to a non-integer power"
        : a === 0 && b < 0
        ? "division by zero (0 to a negative power)"
        : undefined,
    symbolic: "a ^ b",
    symbolicGrad: ["b * a ^ (b - 1)", "a ^ b * log(a)"],
    latex: (a, b) => `{${a}}^{${b}}`,
    text: (a, b) => `${a}^${b}`,
    precedence: 4,
  },
  {
    name: "neg",
    arity: 1,
    forward: (a) => -a,
    grad: () => -1,
    symbolic: "-a",
    symbolicGrad: ["-1"],
    latex: (a) => `-${a}`,
    text: (a) => `−${a}`,
    precedence: 3,
  },
  unary("exp", Math.exp, (_a, out) => out, "exp(a)", "\\exp"),
  unary(
    "log",
    Math.log,
    (a) => 1 / a,
    "1 / a",
    "\\log",
    (a) => (a <= 0 ? "log of a non-positive number" : undefined),
  ),
  {
    ...unary(
      "sqrt",
      Math.sqrt,
      (_a, out) => 0.5 / out,
      "1 / (2 * sqrt(a))",
      "\\sqrt",
      (a) => (a < 0 ? "sqrt of a negative number" : undefined),
    ),
    kinks: [0],
  },
  unary("tanh", Math.tanh, (_a, out) => 1 - out * out, "1 - tanh(a)^2", "\\tanh"),
  unary(
    "sigmoid",
    sigmoid,
    (_a, out) => out * (1 - out),
    "sigmoid(a) * (1 - sigmoid(a))",
    "\\sigma",
  ),
  {
    ...unary(
      "relu",
      (a) => (a > 0 ? a : 0),
      (a) => (a > 0 ? 1 : 0),
      "step(a)",
      "\\operatorname{relu}",
    ),
    kinks: [0],
  },
  unary("softplus", softplus, (a) => sigmoid(a), "sigmoid(a)", "\\operatorname{softplus}"),
  {
    ...unary(
      "abs",
      Math.abs,
      (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
      "sign(a)",
      "\\operatorname{abs}",
    ),
    kinks: [0],
  },
  unary("sin", Math.sin, (a) => Math.cos(a), "cos(a)", "\\sin"),
  unary("cos", Math.cos, (a) => -Math.sin(a), "-sin(a)", "\\cos"),
  unary("sinh", Math.sinh, (a) => Math.cosh(a), "cosh(a)", "\\sinh"),
  unary("cosh", Math.cosh, (a) => Math.sinh(a), "sinh(a)", "\\cosh"),
  // sech(x) = 1 / cosh(x); it tends to 0 (never overflows) for large |x|.
  unary(
    "sech",
    (a) => 1 / Math.cosh(a),
    (a, out) => -out * Math.tanh(a),
    "-sech(a) * tanh(a)",
    "\\operatorname{sech}",
  ),
];
// sqrt is written with its own LaTeX form: \sqrt{a}, not \sqrt\left(a\right).
ENTRIES[OP_NAMES.indexOf("sqrt")].latex = (a) => `\\sqrt{${a}}`;
ENTRIES[OP_NAMES.indexOf("abs")].latex = (a) => `\\left|${a}\\right|`;
ENTRIES[OP_NAMES.indexOf("abs")].text = (a) => `|${a}|`;

/** The op table, indexed by op code (the order of {@linkcode OP_NAMES}). */
export const OPS: readonly OpSpec[] = ENTRIES.map((e, code) => {
  if (e.name !== OP_NAMES[code]) throw new Error(`op table out of order at ${e.name}`);
  return Object.freeze({ ...e, code });
});

/** The op table by name. */
export const OP_BY_NAME: Readonly<Record<OpName, OpSpec>> = Object.freeze(
  Object.fromEntries(OPS.map((o) => [o.name, o])) as Record<OpName, OpSpec>,
);

/**
 * Looks up an op by name.
 *
 * @example
 * ```ts
 * import { opSpec } from "./ops.ts";
 * import assert from "node:assert/strict";
 * const mul = opSpec("mul");
 * assert.equal(mul.forward(3, 4), 12);
 * assert.equal(mul.grad(0, 3, 4, 12), 4); // ∂(a·b)/∂a = b
 * ```
 */
export function opSpec(name: string): OpSpec {
  const spec = (OP_BY_NAME as Record<string, OpSpec | undefined>)[name];
  if (spec === undefined) {
    throw new TypeError(`unknown op "${name}"; expected one of ${OP_NAMES.join(", ")}`);
  }
  return spec;
}

/** The numeric sigmoid used by the op table (stable for large |x|). */
export { sigmoid as sigmoidNumber, softplus as softplusNumber };
