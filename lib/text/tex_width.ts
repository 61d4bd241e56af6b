/**
 * How wide a formula will be when typeset, in ems, estimated from its LaTeX with KaTeX's (and
 * Computer Modern's) proportions: digits half an em, a fraction as wide as its wider part,
 * scripts at 70%, the spacing TeX puts around `=`, `+`, `−` and `·`. The estimate errs on the wide
 * side (the tests compare it with Chromium's layout), so a line it says fits does fit; it decides
 * where trace equations break, the same in every format.
 *
 * @module
 */

/** Widths of single characters, in ems (Computer Modern, math italic for letters). */
function charWidth(c: string): number {
  if (/[0-9]/.test(c)) return 0.5;
  if (/[a-z]/.test(c)) return c === "m" || c === "w" ? 0.88 : 0.58;
  if (/[A-Z]/.test(c)) return 0.8;
  if (c === "." || c === "," || c === ";" || c === ":") return 0.45;
  if (c === "(" || c === ")" || c === "[" || c === "]" || c === "|") return 0.42;
  if (c === "=" || c === "<" || c === ">") return 1.35;
  if (c === "+" || c === "-") return 1.25;
  if (c === "'") return 0.3;
  if (c === "!" || c === "/") return 0.5;
  return 0.8;
}

/** Widths of commands, in ems, with the spacing TeX puts around them. */
const COMMANDS: Record<string, number> = {
  cdot: 0.75,
  times: 1.25,
  leftarrow: 1.6,
  rightarrow: 1.6,
  to: 1.6,
  approx: 1.35,
  le: 1.35,
  ge: 1.35,
  leq: 1.35,
  geq: 1.35,
  ne: 1.35,
  iff: 2.4,
  Rightarrow: 1.6,
  partial: 0.6,
  infty: 1.05,
  ",": 0.17,
  ";": 0.28,
  ":": 0.22,
  "!": -0.17,
  " ": 0.33,
  quad: 1,
  qquad: 2,
  left: 0,
  right: 0,
  big: 0,
  Big: 0,
  displaystyle: 0,
  textstyle: 0,
  max: 1.9,
  min: 1.7,
  log: 1.4,
  exp: 1.6,
  ln: 1.1,
  tanh: 2.2,
  sin: 1.4,
  cos: 1.4,
  sum: 1.5,
  ldots: 1.2,
  dots: 1.2,
  cdots: 1.2,
};

/** Commands whose one argument is drawn at its own width (accents, fonts, boxes). */
const TRANSPARENT = new Set([
  "hat",
  "bar",
  "tilde",
  "vec",
  "widehat",
  "overline",
  "mathrm",
  "mathbf",
  "mathit",
  "boldsymbol",
  "mathsf",
  "mathtt",
  "operatorname",
]);

/** Commands whose argument is text, set a little wider than math letters would be. */
const TEXT = new Set(["text", "textrm", "textit", "textbf", "mbox"]);

/**
 * The estimated width of a formula (or of the widest line of an `aligned` block, each `&` joined),
 * in ems of its own font size.
 *
 * @example
 * ```ts
 * import { texWidthEm } from "./tex_width.ts";
 * import assert from "node:assert/strict";
 * assert.ok(texWidthEm("\\frac{1}{2}") < texWidthEm("1/2") + 0.5);
 * assert.ok(texWidthEm("m_t = 0.9 \\cdot 0 + (1 - 0.9) \\cdot (-215.6)") > 15);
 * ```
 */
export function texWidthEm(tex: string): number {
  // Matrices are measured whole (their rows side by side with what surrounds them); the rows of
  // an aligned display (or a bare one) are measured one by one.
  const matrices: string[] = [];
  const outer = tex.replace(
    /\\begin\{([pbvBV]?matrix)\}([^]*?)\\end\{\1\}/g,
    (_, _env, body) => `\\stepgradmatrix{${matrices.push(body) - 1}}`,
  );
  const rows = outer.replace(/\\begin\{[a-z*]+\}|\\end\{[a-z*]+\}/g, "").split(/\\\\/);
  return Math.max(0, ...rows.map((row) => new Measure(row, matrices).group()));
}

/** A matrix: its widest row of cells, each cell apart by KaTeX's column gap, plus brackets. */
function matrixWidth(body: string, matrices: readonly string[]): number {
  const rows = body.split(/\\\\/).map((row) =>
    row.split("&").map((cell) => new Measure(cell, matrices).group())
  );
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => r[c] ?? 0)));
  return widths.reduce((a, b) => a + b, 0) + 1.0 * (cols - 1) + 0.8;
}

class Measure {
  #s: string;
  #i = 0;
  #matrices: readonly string[];
  constructor(s: string, matrices: readonly string[] = []) {
    this.#s = s;
    this.#matrices = matrices;
  }

  /** Reads up to the end or a closing brace (consumed), adding up the widths. */
  group(): number {
    let w = 0;
    while (this.#i < this.#s.length) {
      const c = this.#s[this.#i];
      if (c === "}") {
        this.#i++;
        return w;
      }
      w += this.#atom();
    }
    return w;
  }

  /** One argument: a braced group or a single token. */
  #argument(): number {
    this.#skipSpaces();
    if (this.#s[this.#i] === "{") {
      this.#i++;
      return this.group();
    }
    return this.#atom();
  }

  #skipSpaces() {
    while (this.#s[this.#i] === " " || this.#s[this.#i] === "\n") this.#i++;
  }

  #atom(): number {
    const s = this.#s;
    const c = s[this.#i];
    if (c === " " || c === "\n" || c === "&") {
      this.#i++;
      return 0;
    }
    if (c === "{") {
      this.#i++;
      return this.group();
    }
    if (c === "^" || c === "_") {
      this.#i++;
      return 0.72 * this.#argument();
    }
    if (c === "\\") {
      const name = /^\\([A-Za-z]+|.)/.exec(s.slice(this.#i))?.[1] ?? "";
      this.#i += 1 + name.length;
      if (name === "frac" || name === "dfrac" || name === "tfrac") {
        const a = this.#argument(), b = this.#argument();
        return Math.max(a, b) + 0.35;
      }
      if (name === "sqrt") return this.#argument() + 1.0;
      if (name === "stepgradmatrix") {
        const end = s.indexOf("}", this.#i);
        const k = Number(s.slice(this.#i + 1, end));
        this.#i = end + 1;
        return matrixWidth(this.#matrices[k] ?? "", this.#matrices);
      }
      if (TRANSPARENT.has(name)) return this.#argument();
      if (TEXT.has(name)) {
        this.#skipSpaces();
        if (s[this.#i] !== "{") return this.#atom();
        const end = s.indexOf("}", this.#i);
        const text = s.slice(this.#i + 1, end < 0 ? s.length : end);
        this.#i = end < 0 ? s.length : end + 1;
        return text.length * 0.5;
      }
      if (name === "left" || name === "right") {
        this.#skipSpaces();
        const d = /^\\[A-Za-z]+|^./.exec(s.slice(this.#i))?.[0] ?? "";
        this.#i += d.length;
        return d === "." ? 0 : 0.45;
      }
      if (name in COMMANDS) return COMMANDS[name];
      return 0.8; // a Greek letter or another symbol
    }
    this.#i++;
    return charWidth(c);
  }
}
