/**
 * A small notation builder for trace equations: each term carries its symbolic spelling
 * (`β₁·mₜ₋₁`) and the same with numbers substituted (`0.9 · 0.2`), in LaTeX and in Unicode text,
 * with parentheses placed by precedence. It only writes; the optimizers compute the values.
 *
 * @module
 */
import { escapeTex } from "../text/escape.ts";
import { greekTex } from "../text/greek.ts";
import {
  formatNumber,
  formatNumberLatex,
  SUPERSCRIPT as DIGIT_SUPERSCRIPTS,
} from "../text/format.ts";
import type { Equation, TraceFormula } from "./trace.ts";

// NEG: a negative number, which may lead a product or a quotient but not follow an operator.
const SUM = 1, NEG = 1.5, PROD = 2, UNARY = 3, POW = 4, ATOM = 5;

/** A term in two spellings: symbols, and numbers substituted. */
export interface NotationTerm {
  /** Symbols. */
  sym: TraceFormula;
  /** Numbers. */
  num: TraceFormula;
  /** Precedence of the symbolic spelling's top operator. */
  symPrec: number;
  /** Precedence of the numeric spelling's top operator. */
  numPrec: number;
}

function wrap(f: TraceFormula, prec: number, need: number): TraceFormula {
  return prec >= need ? f : { tex: `\\left(${f.tex}\\right)`, text: `(${f.text})` };
}

function numberTerm(value: number, digits: number): { num: TraceFormula; prec: number } {
  const text = formatNumber(value, { digits });
  const tex = formatNumberLatex(value, { digits });
  const prec = value < 0 || Object.is(value, -0) || text.startsWith("−")
    ? NEG
    : text.includes("×")
    ? PROD
    : ATOM;
  return { num: { tex, text }, prec };
}

/**
 * A named quantity: a symbol (from the notation table, `lib/text/notation.ts`, or the parameter's
 * name) substituted by `value`. A symbol written as a fraction (`∂L/∂w`) binds like a product, so
 * a power wraps it: `(∂L/∂w)²`.
 */
export function q(sym: TraceFormula, value: number, digits = 6): NotationTerm {
  return new Quantity(sym, value, digits);
}

// A quantity formats its number only when a spelling is read: an untraced step builds terms it
// never writes, and formatting is most of a term's cost.
class Quantity implements NotationTerm {
  readonly sym: TraceFormula;
  readonly symPrec: number;
  #number: { num: TraceFormula; prec: number } | undefined;
  readonly #value: number;
  readonly #digits: number;

  constructor(sym: TraceFormula, value: number, digits: number) {
    this.sym = { tex: sym.tex, text: sym.text };
    this.symPrec = sym.tex.startsWith("\\frac") ? PROD : ATOM;
    this.#value = value;
    this.#digits = digits;
  }

  get num(): TraceFormula {
    return (this.#number ??= numberTerm(this.#value, this.#digits)).num;
  }

  get numPrec(): number {
    return (this.#number ??= numberTerm(this.#value, this.#digits)).prec;
  }
}

/** A constant that reads the same in both spellings (`1`, `0.5`). */
export function k(value: number): NotationTerm {
  const { num, prec } = numberTerm(value, 6);
  return { sym: num, num, symPrec: prec, numPrec: prec };
}

function binary(
  a: NotationTerm,
  b: NotationTerm,
  prec: number,
  leftNeed: number,
  rightNeed: number,
  join: (x: TraceFormula, y: TraceFormula, spelling: "sym" | "num") => TraceFormula,
): NotationTerm {
  const side = (s: "sym" | "num") =>
    join(
      wrap(a[s], s === "sym" ? a.symPrec : a.numPrec, leftNeed),
      wrap(b[s], s === "sym" ? b.symPrec : b.numPrec, rightNeed),
      s,
    );
  return {
    sym: side("sym"),
    num: side("num"),
    symPrec: leading(prec, a.symPrec, leftNeed),
    numPrec: leading(prec, a.numPrec, leftNeed),
  };
}

// A result that starts with an unwrapped negative number binds like one: `0.1 · (−2 · x)`.
function leading(prec: number, leftPrec: number, leftNeed: number): number {
  return leftPrec >= leftNeed ? Math.min(prec, Math.max(leftPrec, NEG)) : prec;
}

/** a + b */
export function add(a: NotationTerm, b: NotationTerm): NotationTerm {
  return binary(a, b, SUM, SUM, SUM + 1, (x, y) => ({
    tex: `${x.tex} + ${y.tex}`,
    text: `${x.text} + ${y.text}`,
  }));
}

/** a − b */
export function sub(a: NotationTerm, b: NotationTerm): NotationTerm {
  return binary(a, b, SUM, SUM, SUM + 1, (x, y) => ({
    tex: `${x.tex} - ${y.tex}`,
    text: `${x.text} − ${y.text}`,
  }));
}

/** a · b (`α·g` with symbols, `0.1 · 0.23` with numbers) */
export function mul(a: NotationTerm, b: NotationTerm): NotationTerm {
  return binary(a, b, PROD, NEG, PROD, (x, y, s) => ({
    tex: `${x.tex} \\cdot ${y.tex}`,
    text: s === "sym" ? `${x.text}·${y.text}` : `${x.text} · ${y.text}`,
  }));
}

/** a / b (a fraction in LaTeX) */
export function div(a: NotationTerm, b: NotationTerm): NotationTerm {
  const side = (s: "sym" | "num") => {
    const x = a[s], y = b[s];
    const xt = wrap(x, s === "sym" ? a.symPrec : a.numPrec, NEG).text;
    const yt = wrap(y, s === "sym" ? b.symPrec : b.numPrec, POW).text;
    return {
      tex: `\\frac{${x.tex}}{${y.tex}}`,
      text: s === "sym" ? `${xt}/${yt}` : `${xt} / ${yt}`,
    };
  };
  return {
    sym: side("sym"),
    num: side("num"),
    symPrec: leading(PROD, a.symPrec, NEG),
    numPrec: leading(PROD, a.numPrec, NEG),
  };
}

/** −a */
export function neg(a: NotationTerm): NotationTerm {
  const side = (s: "sym" | "num") => {
    const w = wrap(a[s], s === "sym" ? a.symPrec : a.numPrec, PROD);
    return { tex: `-${w.tex}`, text: `−${w.text}` };
  };
  return { sym: side("sym"), num: side("num"), symPrec: UNARY, numPrec: UNARY };
}

/** √a */
export function sqrt(a: NotationTerm): NotationTerm {
  const side = (s: "sym" | "num") => {
    const w = wrap(a[s], s === "sym" ? a.symPrec : a.numPrec, ATOM);
    return { tex: `\\sqrt{${a[s].tex}}`, text: `√${w.text}` };
  };
  return { sym: side("sym"), num: side("num"), symPrec: ATOM, numPrec: ATOM };
}

const SUPERSCRIPT: Record<string, string> = {
  ...DIGIT_SUPERSCRIPTS,
  "t": "ᵗ",
  "+": "⁺",
  "−": "⁻",
  "(": "⁽",
  ")": "⁾",
  ".": "·",
};

function superscript(text: string): string | undefined {
  const chars = [...text.replaceAll(" ", "")];
  if (chars.some((c) => !(c in SUPERSCRIPT)) || chars.includes(".")) return undefined;
  return chars.map((c) => SUPERSCRIPT[c]).join("");
}

/** a^e (superscripts in text when the exponent allows it: `β₁ᵗ`, `0.9³`) */
export function pow(a: NotationTerm, e: NotationTerm): NotationTerm {
  const side = (s: "sym" | "num") => {
    const base = wrap(a[s], s === "sym" ? a.symPrec : a.numPrec, ATOM);
    const ex = e[s];
    const sup = superscript(ex.text);
    return {
      tex: `{${base.tex}}^{${ex.tex}}`,
      text: sup !== undefined ? `${base.text}${sup}` : `${base.text}^(${ex.text})`,
    };
  };
  return { sym: side("sym"), num: side("num"), symPrec: POW, numPrec: POW };
}

/** max(a, b) */
export function max(a: NotationTerm, b: NotationTerm): NotationTerm {
  const side = (s: "sym" | "num") => ({
    tex: `\\max\\left(${a[s].tex}, ${b[s].tex}\\right)`,
    text: `max(${a[s].text}, ${b[s].text})`,
  });
  return { sym: side("sym"), num: side("num"), symPrec: ATOM, numPrec: ATOM };
}

/** |a| */
export function abs(a: NotationTerm): NotationTerm {
  const side = (s: "sym" | "num") => ({
    tex: `\\left\\lvert ${a[s].tex} \\right\\rvert`,
    text: `|${a[s].text}|`,
  });
  return { sym: side("sym"), num: side("num"), symPrec: ATOM, numPrec: ATOM };
}

/** An equation line: `lhs op rule = substituted = result`. */
export function eq(
  role: Equation["role"],
  lhs: TraceFormula,
  term: NotationTerm,
  result: number,
  options: { op?: "=" | "←"; digits?: number } = {},
): Equation {
  return {
    role,
    lhs: { tex: lhs.tex, text: lhs.text },
    op: options.op ?? "=",
    rule: term.sym,
    substituted: term.num,
    result,
    digits: options.digits ?? 6,
  };
}

/** A given value (no rule), such as the gradient backprop left in `.grad`. */
export function given(role: Equation["role"], lhs: TraceFormula, result: number): Equation {
  return { role, lhs: { tex: lhs.tex, text: lhs.text }, op: "=", result, digits: 6 };
}

const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";

// One character of a name in TeX: Greek letters and subscript digits as math, the rest as text.
function texChar(c: string): { math: string } | { text: string } {
  const greek = greekTex(c);
  if (greek !== undefined) return { math: `${greek} ` };
  const sub = SUBSCRIPTS.indexOf(c);
  if (sub >= 0) return { math: `_{${sub}}` };
  return { text: c };
}

/**
 * The parameter's name in both spellings: `x`, `w_{1}`, `\theta`, or `\text{…}` pieces for
 * anything else (KaTeX's strict mode refuses Greek letters inside `\text`, so they stay math).
 */
export function paramName(label: string): TraceFormula {
  if (/^[A-Za-z]$/.test(label)) return { tex: label, text: label };
  const m = /^([A-Za-z])_?(\d+)$/.exec(label);
  if (m) return { tex: `${m[1]}_{${m[2]}}`, text: label };
  let tex = "";
  let text = "";
  const flush = () => {
    if (text) tex += `\\text{${escapeTex(text)}}`;
    text = "";
  };
  for (const c of label) {
    const t = texChar(c);
    if ("text" in t) text += t.text;
    else {
      flush();
      tex += t.math;
    }
  }
  flush();
  return { tex: `{${tex.trim()}}`, text: label };
}

/** ∂L/∂name, the gradient backprop left in the parameter. */
export function partial(name: TraceFormula): TraceFormula {
  return { tex: `\\frac{\\partial L}{\\partial ${name.tex}}`, text: `∂L/∂${name.text}` };
}
