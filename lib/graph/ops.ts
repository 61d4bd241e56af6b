/**
 * The op table: every operation stepgrad knows, defined once, as data.
 *
 * Each entry says how to compute the op (`forward`), how gradient flows back through it (`grad`,
 * the local derivative with respect to each input, as numbers), where it is defined (`domain`),
 * the same local derivatives as mathjs expressions in the input names `a` and `b` (`symbolic`),
 * and how it is written (`latex`, `text`, `texName`, `macro`); for a function, where its slope
 * jumps (`kinks`) and how to compute it in any arithmetic (`arith`). Backprop, the compiled
 * replay, the parser, the printers, the evaluators and the claim checker's judge, the symbolic
 * derivatives, finite differences' kink detection and the KaTeX and LaTeX macros all read this one
 * table, so adding an op is adding one entry (and its tests).
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

/**
 * An arithmetic a function's rules run in besides float64 (see {@linkcode ArithmeticRules}): the
 * claim checker's judge runs them in JavaScript numbers and in decimals of any precision.
 */
export interface Arithmetic<T> {
  /** The number `x` in this arithmetic. */
  num(x: number): T;
  /** a + b */
  add(a: T, b: T): T;
  /** a − b */
  sub(a: T, b: T): T;
  /** a · b */
  mul(a: T, b: T): T;
  /** a / b */
  div(a: T, b: T): T;
  /** −a */
  neg(a: T): T;
  /** |a| */
  abs(a: T): T;
  /** The sign of a: 1, 0 or −1 (NaN for NaN). */
  sign(a: T): number;
  /** A standard function, computed by the arithmetic itself. */
  call(name: StandardFunction, a: T): T;
}

/** The functions every {@linkcode Arithmetic} provides. */
export type StandardFunction = "exp" | "log" | "sqrt" | "tanh" | "sinh" | "cosh" | "sin" | "cos";

/**
 * A function's value, derivative and curvature in any {@linkcode Arithmetic}, for the claim
 * checker's judge (forward-mode differentiation with a running bound on rounding errors).
 */
export interface ArithmeticRules {
  /** f(a); NaN (`A.num(NaN)`) outside the domain. */
  value<T>(A: Arithmetic<T>, a: T): T;
  /** f′(a), given a and v = f(a). */
  slope<T>(A: Arithmetic<T>, a: T, v: T): T;
  /** A bound on |f″| near a, given a and v = f(a) (0 where f is piecewise linear). */
  curvature<T>(A: Arithmetic<T>, a: T, v: T): T;
}

/**
 * A function of one argument that an expression may call, `f(x)`: every unary op but `neg`, and
 * the two functions derivatives are written with ({@linkcode DERIVATIVE_FUNCTION_SPECS}).
 */
export interface FunctionSpec {
  /** The name it is called by. */
  readonly name: FunctionName;
  /** The forward computation (`b` is ignored). */
  forward(a: number, b: number): number;
  /** The derivative (`i` is 0, `b` ignored), given the input and the output, as for ops. */
  grad(i: number, a: number, b: number, out: number): number;
  /** Where it is defined, as for ops. */
  domain?(a: number, b: number): string | undefined;
  /** Writes a call in LaTeX around the already-rendered argument (`b` is ignored). */
  latex(a: string, b: string): string;
  /** Its name in LaTeX (`\tanh`, `\sigma`, `\operatorname{relu}`). */
  readonly texName: string;
  /** How tightly a call binds: {@linkcode FUNCTION_PRECEDENCE}, tighter than any operator. */
  readonly precedence: number;
  /**
   * True when `\name` is a command stepgrad defines as `texName` for anyone writing LaTeX (KaTeX
   * macros, the LaTeX handout's preamble, the formula helper): `\relu`, `\sigmoid`, `\sech`.
   */
  readonly macro?: boolean;
  /**
   * Where the derivative is undefined or jumps (relu and abs at 0, where the slope jumps; sqrt at
   * 0, where it is infinite). Finite differences across such a point average two slopes (or
   * none), so checkers treat a step that reaches one as a kink.
   */
  readonly kinks?: readonly number[];
  /**
   * True when the slope jumps at the kinks, so that the derivative there is a convention (relu′(0)
   * = abs′(0) = 0, as in PyTorch); false or absent when it is infinite there (sqrt).
   */
  readonly kinkJumps?: boolean;
  /** The function in any arithmetic, for the claim checker's judge. */
  readonly arith: ArithmeticRules;
  /** Its derivative as a mathjs expression in `a` (step′ and sign′ are 0, away from the kink). */
  readonly symbolicGrad: readonly string[];
  /**
   * True when mathjs knows the function and differentiates it by the same rule as `grad`, so the
   * symbolic layer lets mathjs do it; otherwise the symbolic layer applies `symbolicGrad` itself
   * (sigmoid, relu and softplus mathjs does not know; abs it differentiates as abs(x)/x).
   */
  readonly mathjsDerivative?: boolean;
}

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
  /**
   * Binding strength for parenthesising infix text: higher binds tighter; functions (and atoms)
   * bind tightest, with {@linkcode FUNCTION_PRECEDENCE}.
   */
  readonly precedence: number;
  /** For a function (a unary op written `f(x)`): its name in LaTeX; see {@linkcode FunctionSpec}. */
  readonly texName?: string;
  /** See {@linkcode FunctionSpec.macro}. */
  readonly macro?: boolean;
  /** See {@linkcode FunctionSpec.kinks}. */
  readonly kinks?: readonly number[];
  /** See {@linkcode FunctionSpec.kinkJumps}. */
  readonly kinkJumps?: boolean;
  /** For a function: its rules in any arithmetic; see {@linkcode FunctionSpec}. */
  readonly arith?: ArithmeticRules;
  /** See {@linkcode FunctionSpec.mathjsDerivative}. */
  readonly mathjsDerivative?: boolean;
}

/** The names of the ops written as a function call, `f(x)`: every unary op but `neg`. */
export type FunctionOpName = Exclude<OpName, "add" | "sub" | "mul" | "div" | "pow" | "neg">;

/** The names of the functions derivatives are written with (see {@linkcode DERIVATIVE_FUNCTION_SPECS}). */
export type DerivativeFunctionName = "step" | "sign";

/** The name of a function an expression may call. */
export type FunctionName = FunctionOpName | DerivativeFunctionName;

const sigmoid = (x: number): number => {
  // Two branches keep exp from overflowing for large |x|.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

// softplus(x) = log(1 + e^x), written to stay finite and exact for large |x|.
const softplus = (x: number): number =>
  x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));

// The same in any arithmetic (for the judge): sigmoid in two branches; σ(a)(1 − σ(a)) without
// cancellation, as e^−|a| / (1 + e^−|a|)²; sech² as 1 / cosh².
const arithSigmoid = <T>(A: Arithmetic<T>, a: T): T => {
  const one = A.num(1);
  if (A.sign(a) >= 0) return A.div(one, A.add(one, A.call("exp", A.neg(a))));
  const e = A.call("exp", a);
  return A.div(e, A.add(one, e));
};
const arithSigmoidSlope = <T>(A: Arithmetic<T>, a: T): T => {
  const e = A.call("exp", A.neg(A.abs(a)));
  const d = A.add(A.num(1), e);
  return A.div(e, A.mul(d, d));
};
const arithSech2 = <T>(A: Arithmetic<T>, a: T): T => {
  const c = A.call("cosh", a);
  return A.div(A.num(1), A.mul(c, c));
};
const ZERO_CURVATURE = <T>(A: Arithmetic<T>): T => A.num(0);

/** The precedence of a function call (and of an atom): tighter than any operator. */
export const FUNCTION_PRECEDENCE = 10;

type Entry = Omit<OpSpec, "code">;

// A function of one argument, written `name(a)`: a unary op, or a derivative function.
interface FunctionEntry {
  name: FunctionName;
  forward: (a: number) => number;
  grad: (a: number, out: number) => number;
  symbolicGrad: string;
  texName: string;
  arith: ArithmeticRules;
  domain?: (a: number) => string | undefined;
  latex?: (a: string) => string;
  text?: (a: string) => string;
  macro?: boolean;
  kinks?: readonly number[];
  kinkJumps?: boolean;
  mathjsDerivative?: boolean;
}

const fn = (f: FunctionEntry): Entry => {
  const { forward, grad, domain, symbolicGrad, texName } = f;
  return {
    ...f,
    name: f.name as OpName,
    arity: 1,
    forward,
    grad: (_i, a, _b, out) => grad(a, out),
    domain: domain && ((a) => domain(a)),
    symbolic: `${f.name}(a)`,
    symbolicGrad: [symbolicGrad],
    latex: f.latex ?? ((a) => `${texName}\\left(${a}\\right)`),
    text: f.text ?? ((a) => `${f.name}(${a})`),
    precedence: FUNCTION_PRECEDENCE,
  };
};

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
  fn({
    name: "exp",
    forward: Math.exp,
    grad: (_a, out) => out,
    symbolicGrad: "exp(a)",
    texName: "\\exp",
    mathjsDerivative: true,
    arith: {
      value: (A, a) => A.call("exp", a),
      slope: (_A, _a, v) => v,
      curvature: (A, _a, v) => A.abs(v),
    },
  }),
  fn({
    name: "log",
    forward: Math.log,
    grad: (a) => 1 / a,
    symbolicGrad: "1 / a",
    texName: "\\log",
    domain: (a) => (a <= 0 ? "log of a non-positive number" : undefined),
    mathjsDerivative: true,
    arith: {
      value: (A, a) => (A.sign(a) > 0 ? A.call("log", a) : A.num(NaN)),
      slope: (A, a) => A.div(A.num(1), a),
      curvature: (A, a) => A.div(A.num(1), A.mul(a, a)),
    },
  }),
  fn({
    name: "sqrt",
    forward: Math.sqrt,
    grad: (_a, out) => 0.5 / out,
    symbolicGrad: "1 / (2 * sqrt(a))",
    texName: "\\sqrt",
    latex: (a) => `\\sqrt{${a}}`,
    domain: (a) => (a < 0 ? "sqrt of a negative number" : undefined),
    kinks: [0],
    mathjsDerivative: true,
    arith: {
      value: (A, a) => (A.sign(a) >= 0 ? A.call("sqrt", a) : A.num(NaN)),
      slope: (A, _a, v) => A.div(A.num(1), A.mul(A.num(2), v)),
      curvature: (A, _a, v) => A.abs(A.div(A.num(1), A.mul(A.num(4), A.mul(v, A.mul(v, v))))),
    },
  }),
  fn({
    name: "tanh",
    forward: Math.tanh,
    grad: (_a, out) => 1 - out * out,
    symbolicGrad: "1 - tanh(a)^2",
    texName: "\\tanh",
    mathjsDerivative: true,
    arith: {
      value: (A, a) => A.call("tanh", a),
      slope: (A, a) => arithSech2(A, a),
      // |tanh″| = 2|tanh|·sech² ≤ 2 sech²
      curvature: (A, a) => A.mul(A.num(2), arithSech2(A, a)),
    },
  }),
  fn({
    name: "sigmoid",
    forward: sigmoid,
    grad: (_a, out) => out * (1 - out),
    symbolicGrad: "sigmoid(a) * (1 - sigmoid(a))",
    texName: "\\sigma",
    macro: true,
    arith: {
      value: arithSigmoid,
      slope: (A, a) => arithSigmoidSlope(A, a),
      curvature: (A, a) => arithSigmoidSlope(A, a),
    },
  }),
  fn({
    name: "relu",
    forward: (a) => (a > 0 ? a : 0),
    grad: (a) => (a > 0 ? 1 : 0),
    symbolicGrad: "step(a)",
    texName: "\\operatorname{relu}",
    macro: true,
    kinks: [0],
    kinkJumps: true,
    arith: {
      value: (A, a) => (A.sign(a) > 0 ? a : A.num(0)),
      slope: (A, a) => A.num(A.sign(a) > 0 ? 1 : 0),
      curvature: ZERO_CURVATURE,
    },
  }),
  fn({
    name: "softplus",
    forward: softplus,
    grad: (a) => sigmoid(a),
    symbolicGrad: "sigmoid(a)",
    texName: "\\operatorname{softplus}",
    macro: true,
    arith: {
      // log(1 + e^a) = max(a, 0) + log(1 + e^−|a|)
      value: (A, a) =>
        A.add(
          A.sign(a) > 0 ? a : A.num(0),
          A.call("log", A.add(A.num(1), A.call("exp", A.neg(A.abs(a))))),
        ),
      slope: (A, a) => arithSigmoid(A, a),
      curvature: (A, a) => arithSigmoidSlope(A, a),
    },
  }),
  fn({
    name: "abs",
    forward: Math.abs,
    grad: (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
    symbolicGrad: "sign(a)",
    texName: "\\operatorname{abs}",
    latex: (a) => `\\left|${a}\\right|`,
    text: (a) => `|${a}|`,
    kinks: [0],
    kinkJumps: true,
    arith: {
      value: (A, a) => A.abs(a),
      slope: (A, a) => A.num(A.sign(a)),
      curvature: ZERO_CURVATURE,
    },
  }),
  fn({
    name: "sin",
    forward: Math.sin,
    grad: (a) => Math.cos(a),
    symbolicGrad: "cos(a)",
    texName: "\\sin",
    mathjsDerivative: true,
    arith: {
      value: (A, a) => A.call("sin", a),
      slope: (A, a) => A.call("cos", a),
      curvature: (A) => A.num(1),
    },
  }),
  fn({
    name: "cos",
    forward: Math.cos,
    grad: (a) => -Math.sin(a),
    symbolicGrad: "-sin(a)",
    texName: "\\cos",
    mathjsDerivative: true,
    arith: {
      value: (A, a) => A.call("cos", a),
      slope: (A, a) => A.neg(A.call("sin", a)),
      curvature: (A) => A.num(1),
    },
  }),
  fn({
    name: "sinh",
    forward: Math.sinh,
    grad: (a) => Math.cosh(a),
    symbolicGrad: "cosh(a)",
    texName: "\\sinh",
    mathjsDerivative: true,
    arith: {
      value: (A, a) => A.call("sinh", a),
      slope: (A, a) => A.call("cosh", a),
      curvature: (A, a) => A.call("cosh", a),
    },
  }),
  fn({
    name: "cosh",
    forward: Math.cosh,
    grad: (a) => Math.sinh(a),
    symbolicGrad: "sinh(a)",
    texName: "\\cosh",
    mathjsDerivative: true,
    arith: {
      value: (A, a) => A.call("cosh", a),
      slope: (A, a) => A.call("sinh", a),
      curvature: (A, a) => A.call("cosh", a),
    },
  }),
  // sech(x) = 1 / cosh(x); it tends to 0 (never overflows) for large |x|.
  fn({
    name: "sech",
    forward: (a) => 1 / Math.cosh(a),
    grad: (a, out) => -out * Math.tanh(a),
    symbolicGrad: "-sech(a) * tanh(a)",
    texName: "\\operatorname{sech}",
    macro: true,
    mathjsDerivative: true,
    arith: {
      value: (A, a) => A.div(A.num(1), A.call("cosh", a)),
      slope: (A, a, v) => A.neg(A.mul(v, A.call("tanh", a))),
      // 2 sech², as for tanh. (|sech″| = sech·|tanh² − sech²| ≤ sech, which 2 sech² bounds only
      // while cosh(a) ≤ 2.)
      curvature: (A, a) => A.mul(A.num(2), arithSech2(A, a)),
    },
  }),
];

// Every entry with the same fields in the same order (absent ones undefined), so that backprop's
// calls through the table meet one object shape.
function spec(e: Entry, code: number): OpSpec {
  return Object.freeze({
    name: e.name,
    code,
    arity: e.arity,
    forward: e.forward,
    grad: e.grad,
    domain: e.domain,
    symbolic: e.symbolic,
    symbolicGrad: e.symbolicGrad,
    latex: e.latex,
    text: e.text,
    precedence: e.precedence,
    texName: e.texName,
    macro: e.macro,
    kinks: e.kinks,
    kinkJumps: e.kinkJumps,
    arith: e.arith,
    mathjsDerivative: e.mathjsDerivative,
  });
}

/** The op table, indexed by op code (the order of {@linkcode OP_NAMES}). */
export const OPS: readonly OpSpec[] = ENTRIES.map((e, code) => {
  if (e.name !== OP_NAMES[code]) throw new Error(`op table out of order at ${e.name}`);
  return spec(e, code);
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

/**
 * The functions derivatives are written with, beside the ops: `step` (the Heaviside step,
 * step(0) = 0, relu's derivative) and `sign` (abs's derivative, sign(0) = 0). The op table's
 * `symbolicGrad` uses them; a claim may too.
 */
export const DERIVATIVE_FUNCTION_SPECS: readonly FunctionSpec[] = [
  fn({
    name: "step",
    forward: (a) => (a > 0 ? 1 : 0),
    grad: () => 0,
    symbolicGrad: "0",
    texName: "\\operatorname{step}",
    macro: true,
    kinks: [0],
    kinkJumps: true,
    arith: {
      value: (A, a) => A.num(A.sign(a) > 0 ? 1 : 0),
      slope: (A) => A.num(0),
      curvature: ZERO_CURVATURE,
    },
  }),
  fn({
    name: "sign",
    forward: (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
    grad: () => 0,
    symbolicGrad: "0",
    texName: "\\operatorname{sign}",
    kinks: [0],
    kinkJumps: true,
    arith: {
      value: (A, a) => A.num(A.sign(a)),
      slope: (A) => A.num(0),
      curvature: ZERO_CURVATURE,
    },
  }),
].map((f, i) => spec(f, -1 - i) as FunctionSpec);

/**
 * Every function an expression may call, by name: the ops written `f(x)` (in op-code order),
 * then {@linkcode DERIVATIVE_FUNCTION_SPECS}.
 */
export const FUNCTIONS: Readonly<Record<FunctionName, FunctionSpec>> = Object.freeze(
  Object.fromEntries(
    [...OPS.filter((o) => o.texName !== undefined), ...DERIVATIVE_FUNCTION_SPECS].map((
      f,
    ) => [f.name, f]),
  ) as Record<FunctionName, FunctionSpec>,
);

/** The names of the ops written `f(x)`, in op-code order: the functions a person may type. */
export const FUNCTION_OP_NAMES: readonly FunctionOpName[] = Object.freeze(
  OPS.filter((o) => o.texName !== undefined).map((o) => o.name as FunctionOpName),
);

/** The names of {@linkcode DERIVATIVE_FUNCTION_SPECS}, in order. */
export const DERIVATIVE_FUNCTION_NAMES: readonly DerivativeFunctionName[] = Object.freeze(
  DERIVATIVE_FUNCTION_SPECS.map((f) => f.name as DerivativeFunctionName),
);

/** The numeric sigmoid used by the op table (stable for large |x|). */
export { sigmoid as sigmoidNumber, softplus as softplusNumber };
