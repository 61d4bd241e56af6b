/**
 * A formula written once: LaTeX with number slots, from which its Unicode text is derived, so
 * the terminal and the handout can never disagree about what a lesson wrote.
 *
 * ```ts ignore
 * formula`w \leftarrow ${w} - ${lr} \cdot ${dW} = ${w1}`
 * // tex:  w \leftarrow 0.5 - 0.05 \cdot (-18) = 1.4
 * // text: w ← 0.5 − 0.05 · (−18) = 1.4
 * ```
 *
 * {@linkcode texToText} reads the LaTeX a lesson writes (Greek letters, relations and operators,
 * sub- and superscripts, `\frac`, `\sqrt`, accents, `\text` and its relatives, delimiters,
 * spacing, `aligned` and the matrix environments) and writes what a person would type: `←` for
 * `\leftarrow`, `∂L/∂w` for `\frac{\partial L}{\partial w}`, `w·x` for `w\,x`, `x₁` and `x²` where
 * Unicode has the sub- or superscript. A command it does not know is an error naming it, so a
 * formula never reaches a page half-translated.
 *
 * @module
 */
import { formatNumber, formatNumberLatex, SUPERSCRIPT } from "./format.ts";
import { greekLetter } from "./greek.ts";
import { FUNCTIONS } from "../graph/ops.ts";

/** A formula in two spellings: LaTeX for typesetting, Unicode text for the terminal. */
export interface FormulaText {
  /** LaTeX (KaTeX strict mode accepts it). */
  tex: string;
  /** The same formula in plain Unicode text. */
  text: string;
}

const SYMBOLS: Record<string, string> = {
  leftarrow: "←",
  rightarrow: "→",
  to: "→",
  gets: "←",
  Rightarrow: "⇒",
  Leftarrow: "⇐",
  iff: "⇔",
  implies: "⇒",
  approx: "≈",
  le: "≤",
  leq: "≤",
  ge: "≥",
  geq: "≥",
  ne: "≠",
  neq: "≠",
  cdot: "·",
  times: "×",
  odot: "⊙",
  circ: "∘",
  partial: "∂",
  nabla: "∇",
  infty: "∞",
  pm: "±",
  mp: "∓",
  sum: "Σ",
  prod: "Π",
  cdots: "⋯",
  ldots: "…",
  dots: "…",
  vdots: "⋮",
  ddots: "⋱",
  in: "∈",
  mid: "|",
  lVert: "‖",
  rVert: "‖",
  Vert: "‖",
  lvert: "|",
  rvert: "|",
  vert: "|",
  langle: "⟨",
  rangle: "⟩",
  top: "ᵀ",
  prime: "′",
  surd: "√",
  checkmark: "✓",
};

/**
 * Operator names written upright, as themselves: these, and every function of the op table
 * written as a command of its own name before its argument (`\tanh(x)`, and the macros `\relu`,
 * `\sech`, …; not `\sqrt{x}`).
 */
const NAMES = new Set([
  "max",
  "min",
  "ln",
  "tan",
  "sign",
  "arg",
  "argmin",
  "argmax",
  "lim",
  "sup",
  "inf",
  "det",
  ...Object.values(FUNCTIONS)
    .filter((f) => f.macro || f.texName === `\\${f.name}`)
    .filter((f) => f.latex("a", "") === `${f.texName}\\left(a\\right)`)
    .map((f) => f.name),
]);

const SPACES: Record<string, string> = {
  ",": "·",
  ":": " ",
  ";": " ",
  "!": "",
  " ": " ",
  quad: "   ",
  qquad: "    ",
};

const STYLES = new Set(["textstyle", "displaystyle", "scriptstyle", "limits", "nolimits"]);
const TEXT_GROUPS = new Set([
  "text",
  "textrm",
  "textit",
  "textbf",
  "texttt",
  "textsf",
  "mathrm",
  "mathit",
  "mathbf",
  "mathsf",
  "mathtt",
  "mathcal",
  "operatorname",
  "boldsymbol",
]);
const SIZES = new Set([
  "left",
  "right",
  "big",
  "Big",
  "bigg",
  "Bigg",
  "bigl",
  "bigr",
  "Bigl",
  "Bigr",
]);
const ACCENTS: Record<string, string> = {
  hat: "\u0302",
  widehat: "\u0302",
  bar: "\u0304",
  overline: "\u0305",
  tilde: "\u0303",
  dot: "\u0307",
  ddot: "\u0308",
  vec: "\u20d7",
};
const ESCAPED: Record<string, string> = {
  "{": "{",
  "}": "}",
  "%": "%",
  "_": "_",
  "#": "#",
  "&": "&",
  "$": "$",
  "|": "‖",
};

// The formatter's digits and minus, and what else a superscript index may hold.
const SUPER: Record<string, string> = {
  ...SUPERSCRIPT,
  "+": "⁺",
  "−": "⁻",
  "=": "⁼",
  "(": "⁽",
  ")": "⁾",
  "n": "ⁿ",
  "i": "ⁱ",
  "t": "ᵗ",
  "T": "ᵀ",
  "k": "ᵏ",
  "j": "ʲ",
  "m": "ᵐ",
  "x": "ˣ",
  "′": "′",
};
/** Unicode subscripts by the character they lower (digits, signs, brackets, the letters Unicode has). */
export const SUBSCRIPT: Readonly<Record<string, string>> = {
  "0": "₀",
  "1": "₁",
  "2": "₂",
  "3": "₃",
  "4": "₄",
  "5": "₅",
  "6": "₆",
  "7": "₇",
  "8": "₈",
  "9": "₉",
  "+": "₊",
  "−": "₋",
  "-": "₋",
  "=": "₌",
  "(": "₍",
  ")": "₎",
  "a": "ₐ",
  "e": "ₑ",
  "h": "ₕ",
  "i": "ᵢ",
  "j": "ⱼ",
  "k": "ₖ",
  "l": "ₗ",
  "m": "ₘ",
  "n": "ₙ",
  "o": "ₒ",
  "p": "ₚ",
  "r": "ᵣ",
  "s": "ₛ",
  "t": "ₜ",
  "u": "ᵤ",
  "v": "ᵥ",
  "x": "ₓ",
};

type Node =
  | { k: "char"; c: string }
  | { k: "group"; items: Node[] }
  | { k: "cmd"; name: string }
  | { k: "space"; text: string }
  | { k: "sup"; arg: Node }
  | { k: "sub"; arg: Node }
  | { k: "env"; name: string; rows: Node[][][] }
  | { k: "newline" }
  | { k: "align" };

/** An error in a formula's LaTeX, naming the command or the position. */
export class FormulaError extends SyntaxError {
  /** The error's name. */
  override name = "FormulaError";
}

class Reader {
  i = 0;
  constructor(readonly src: string) {}
  fail(why: string): never {
    throw new FormulaError(`${why} at position ${this.i + 1} of ${JSON.stringify(this.src)}`);
  }
  /** Items until a closing brace, `\end`, or the end. */
  items(until: "}" | "end" | "eof"): Node[] {
    const out: Node[] = [];
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (c === "}") {
        if (until !== "}") this.fail(`unexpected "}"`);
        this.i++;
        return out;
      }
      if (until === "end" && this.src.startsWith("\\end", this.i)) return out;
      out.push(this.item());
    }
    if (until === "}") this.fail(`a "{" is never closed`);
    if (until === "end") this.fail(`an environment is never ended`);
    return out;
  }
  /** One argument: a group, a command, or one character. */
  argument(): Node {
    while (this.src[this.i] === " ") this.i++;
    if (this.i >= this.src.length) this.fail("an argument is missing");
    return this.item();
  }
  item(): Node {
    const c = this.src[this.i];
    if (c === "{") {
      this.i++;
      return { k: "group", items: this.items("}") };
    }
    if (c === "^" || c === "_") {
      this.i++;
      const arg = this.argument();
      return c === "^" ? { k: "sup", arg } : { k: "sub", arg };
    }
    if (c === "&") {
      this.i++;
      return { k: "align" };
    }
    if (c === "'") {
      this.i++;
      return { k: "char", c: "′" };
    }
    if (/\s/.test(c)) {
      while (/\s/.test(this.src[this.i] ?? "")) this.i++;
      return { k: "space", text: " " };
    }
    if (c !== "\\") {
      this.i++;
      return { k: "char", c };
    }
    const m = /^\\([a-zA-Z]+|.)/.exec(this.src.slice(this.i));
    if (!m) this.fail(`a "\\" ends the formula`);
    this.i += m[0].length;
    const name = m[1];
    if (name === "\\") return { k: "newline" };
    if (name === "begin") {
      const env = this.envName();
      const rows: Node[][][] = [[[]]];
      for (const node of this.items("end")) {
        if (node.k === "newline") rows.push([[]]);
        else if (node.k === "align") rows.at(-1)!.push([]);
        else rows.at(-1)!.at(-1)!.push(node);
      }
      this.i += "\\end".length;
      const end = this.envName();
      if (end !== env) this.fail(`\\begin{${env}} is ended by \\end{${end}}`);
      if (rows.length > 1 && rows.at(-1)!.every((cell) => cell.length === 0)) rows.pop();
      return { k: "env", name: env, rows };
    }
    if (/^[a-zA-Z]/.test(name)) { while (this.src[this.i] === " ") this.i++; }
    return { k: "cmd", name };
  }
  envName(): string {
    const m = /^\{([a-zA-Z*]+)\}/.exec(this.src.slice(this.i));
    if (!m) this.fail("an environment needs a name in braces");
    this.i += m[0].length;
    return m[1];
  }
}

/**
 * What a piece of text is, for the spacing between neighbours: an `atom` (a symbol, a number, a
 * fraction), a binary-or-unary `op` (− + = ← · …), an `open` or `close` bracket, `punct`
 * (a comma), a `bigop` (Σ, which takes a space before its argument), `text` (from `\text{…}`),
 * or spacing: `space` (source whitespace), `thin` (`\,`), `quad` (a literal gap).
 */
type Kind =
  | "atom"
  | "op"
  | "open"
  | "close"
  | "punct"
  | "bigop"
  | "text"
  | "space"
  | "thin"
  | "quad";
type Piece = {
  text: string;
  kind: Kind;
  /** A fraction's text in parentheses, used when it is multiplied (`(2/3)·Σᵢ`). */
  paren?: string;
  /** A fraction (juxtaposed with an atom, it is a product). */
  frac?: boolean;
  /** An empty group `{}`: an invisible operand, so a − after it is binary. */
  empty?: boolean;
};

const OPS = new Set([
  "←",
  "→",
  "⇒",
  "⇐",
  "⇔",
  "≈",
  "≤",
  "≥",
  "≠",
  "·",
  "×",
  "⊙",
  "∘",
  "±",
  "∓",
  "∈",
  "=",
  "<",
  ">",
  "−",
  "+",
]);

function writeItems(items: readonly Node[]): Piece[] {
  const out: Piece[] = [];
  const push = (text: string, kind: Kind) => out.push({ text, kind });
  for (let i = 0; i < items.length; i++) {
    const node = items[i];
    const next = () => {
      i++;
      if (i >= items.length) throw new FormulaError(`a command needs an argument at the end`);
      return items[i];
    };
    const nextArg = () => {
      let n = next();
      while (n.k === "space") n = next();
      return n;
    };
    switch (node.k) {
      case "char": {
        const c = node.c === "-" ? "−" : node.c === "*" ? "·" : node.c;
        if (OPS.has(c)) push(c, "op");
        else if (c === "|") push(c, "atom");
        else if (c === "(" || c === "[") push(c, "open");
        else if (c === ")" || c === "]") push(c, "close");
        else if (c === "," || c === ";") push(c, "punct");
        else push(c, "atom");
        break;
      }
      case "group":
        // An empty group is TeX's way to make a leading − binary (`{} - 0.5 \cdot`, a piece that
        // continues a formula): an invisible operand.
        if (node.items.length === 0) out.push({ text: "", kind: "atom", empty: true });
        else out.push(...writeItems(node.items));
        break;
      case "space":
        push(" ", "space");
        break;
      case "align":
        break;
      case "newline":
        push("\n", "quad");
        break;
      case "sup":
      case "sub": {
        const text = script(
          node.arg,
          node.k === "sup" ? SUPER : SUBSCRIPT,
          node.k === "sup" ? "^" : "_",
        );
        const last = out.at(-1);
        // A script belongs to what it follows: x₁ stays one atom, Σᵢ stays a big operator.
        if (last && last.kind !== "op" && last.kind !== "space" && last.kind !== "thin") {
          last.text += text;
          if (last.kind === "open") last.kind = "atom";
        } else push(text, "atom");
        break;
      }
      case "env":
        push(environment(node), "atom");
        break;
      case "cmd": {
        const name = node.name;
        const greek = greekLetter(name);
        if (greek) push(greek, "atom");
        else if (name === "sum" || name === "prod") push(SYMBOLS[name], "bigop");
        else if (name in SYMBOLS) push(SYMBOLS[name], OPS.has(SYMBOLS[name]) ? "op" : "atom");
        else if (NAMES.has(name)) push(name, "atom");
        else if (name === ",") push("", "thin");
        else if (name in SPACES) push(SPACES[name] || "", name === "!" ? "thin" : "quad");
        else if (name in ESCAPED) push(ESCAPED[name], ESCAPED[name] === "‖" ? "atom" : "atom");
        else if (STYLES.has(name)) continue;
        else if (TEXT_GROUPS.has(name)) {
          const arg = nextArg();
          push(plain(arg), name === "text" || name.startsWith("text") ? "text" : "atom");
        } else if (SIZES.has(name)) {
          const d = nextArg();
          const text = d.k === "char" ? (d.c === "." ? "" : d.c) : text1(d);
          push(
            text,
            /[(\[{⟨|‖]/.test(text) && name !== "right" && !/r$/.test(name) ? "open" : "close",
          );
        } else if (name in ACCENTS) {
          const arg = text1(nextArg());
          push([...arg].length === 1 ? arg + ACCENTS[name] : `${name}(${arg})`, "atom");
        } else if (name === "frac" || name === "tfrac" || name === "dfrac") {
          const a = text1(nextArg()), b = text1(nextArg());
          // A denominator that is itself a quotient (∂L/∂w) is parenthesised: a/(∂L/∂w).
          const under = b.includes("/") ? `(${b})` : wrap(b);
          const text = `${wrap(a)}/${under}`;
          // ∂L/∂w is read as one symbol; any other fraction is parenthesised when multiplied.
          const derivative = /^[∂d]/.test(a) && /^[∂d]/.test(b);
          out.push({
            text,
            kind: "atom",
            frac: true,
            ...(derivative ? {} : { paren: `(${text})` }),
          });
        } else if (name === "sqrt") {
          push(`√${wrap(text1(nextArg()))}`, "atom");
        } else {
          throw new FormulaError(`the command \\${name} has no text spelling here`);
        }
        break;
      }
    }
  }
  return out;
}

/**
 * Joins pieces as a person types maths: binary operators and relations spaced (`w − α`), a
 * unary minus not (`(−18)`), `\,` or a space between two atoms a product dot (`α·dW`), a comma
 * followed by a space, `\quad` kept as a wide gap.
 */
function join(pieces: readonly Piece[]): string {
  let s = "";
  let last: Piece | undefined;
  let lastUnary = false;
  let gap: "" | "space" | "thin" = "";
  let literal = "";
  for (const p of pieces) {
    if (p.kind === "space" || p.kind === "thin") {
      if (gap !== "space") gap = p.kind;
      continue;
    }
    if (p.kind === "quad") {
      literal += p.text;
      continue;
    }
    let sep = "";
    let unary = false;
    if (literal) sep = literal;
    else if (!last) {
      sep = "";
      unary = p.kind === "op" && (p.text === "−" || p.text === "+");
    } else if (p.kind === "op" && last.empty) {
      sep = ""; // after an invisible operand: binary, and nothing to separate it from
    } else if (p.kind === "op") {
      unary = (p.text === "−" || p.text === "+") &&
        (last.kind === "op" || last.kind === "open" || last.kind === "punct" ||
          last.kind === "bigop");
      sep = unary ? (last.kind === "open" ? "" : " ") : " ";
    } else if (last.kind === "op") sep = lastUnary ? "" : " ";
    else if (last.kind === "punct") sep = p.kind === "close" ? "" : " ";
    else if (p.kind === "punct" || p.kind === "close") sep = "";
    else if (last.kind === "open") sep = "";
    else if (last.kind === "bigop") sep = gap ? " " : "";
    else if (last.kind === "text" || p.kind === "text") sep = gap ? " " : "";
    else if (gap && (last.kind === "atom" || last.kind === "close")) {
      sep = p.kind === "atom" || p.kind === "open" || p.kind === "bigop" ? "·" : " ";
    }
    if (
      !sep && ((p.frac && (last?.kind === "atom" || last?.kind === "close")) ||
        (last?.frac && (p.kind === "atom" || p.kind === "open")))
    ) sep = "·";
    if (sep === "·" && last?.paren && s.endsWith(last.text)) {
      s = s.slice(0, s.length - last.text.length) + last.paren;
    }
    // A fraction followed by a product is parenthesised ((2/3)·Σᵢ); one that follows a product
    // reads correctly as it is (α·m̂ₜ/(√v̂ₜ + ε)).
    const text = p.text;
    s = (sep.startsWith(" ") || sep.startsWith("\n") ? s.trimEnd() : s) + sep + text;
    last = p.text === "" && p.kind !== "open" && !p.empty ? last : p;
    lastUnary = unary;
    gap = "";
    literal = "";
  }
  return s;
}

function text1(node: Node): string {
  return join(writeItems([node])).replace(/\s+/g, " ").trim();
}

/** `\text{…}` and its relatives: the content as written (commands inside still translated). */
function plain(node: Node): string {
  if (node.k === "group") {
    return node.items.map((n) => (n.k === "space" ? " " : n.k === "char" ? n.c : text1(n))).join(
      "",
    );
  }
  return text1(node);
}

/** A/b needs no parentheses; (a + b)/(2h) does. */
function wrap(s: string): string {
  if ([...s].length <= 1 || /^[\p{L}\p{M}\p{N}.′∂√Σ·]+$/u.test(s)) return s;
  if (/^∂[^\s]+$/u.test(s)) return s;
  if (/^\(.*\)$/.test(s) && balanced(s.slice(1, -1))) return s;
  return `(${s})`;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const c of s) {
    if (c === "(") d++;
    else if (c === ")" && --d < 0) return false;
  }
  return d === 0;
}

function script(arg: Node, table: Record<string, string>, mark: string): string {
  if (
    arg.k === "group" && arg.items.length === 1 && arg.items[0].k === "cmd" &&
    arg.items[0].name === "top"
  ) {
    return "ᵀ";
  }
  if (
    arg.k === "group" && arg.items.length === 2 && arg.items[0].k === "cmd" &&
    arg.items[0].name === "mathsf"
  ) {
    return mark === "^" ? "ᵀ" : `_${text1(arg.items[1])}`;
  }
  const text = text1(arg).replace(/\s+/g, "");
  const chars = [...text];
  // Unicode scripts for numbers, signs and one-letter indices (x₁, mₜ₋₁, β₁ᵗ, 10⁻⁴); a word
  // stays a word (E_total, λ_min) and an expression a bracket (e^(−z)), as people type them.
  const letters = chars.filter((c) => /\p{L}/u.test(c)).length;
  const fits = mark === "_" ? letters <= 1 : letters === 0 || chars.length === 1;
  if (chars.length > 0 && fits && chars.every((c) => c in table)) {
    return chars.map((c) => table[c]).join("");
  }
  return chars.length === 1
    ? `${mark}${text}`
    : `${mark}${wrap(text)}`.replace(/^_\((.*)\)$/, "_$1");
}

function environment(env: Extract<Node, { k: "env" }>): string {
  const cell = (items: Node[]) => join(writeItems(items)).replace(/\s+/g, " ").trim();
  if (/matrix$/.test(env.name)) {
    return `[${env.rows.map((r) => r.map(cell).join(" ")).join("; ")}]`;
  }
  if (env.name === "aligned" || env.name === "gathered" || env.name === "split") {
    return env.rows.map((r) => r.map(cell).join(" ").trim()).join("\n");
  }
  if (env.name === "cases") {
    return `{ ${env.rows.map((r) => r.map(cell).join(" ")).join("; ")}`;
  }
  throw new FormulaError(`the environment ${env.name} has no text spelling here`);
}

/**
 * The Unicode text of a LaTeX formula, as a person would type it; a `FormulaError` for a command
 * or environment without a text spelling.
 *
 * @example
 * ```ts
 * import { texToText } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(texToText("w \\leftarrow w - \\alpha\\,dW"), "w ← w − α·dW");
 * assert.equal(texToText("\\frac{\\partial L}{\\partial w_1}"), "∂L/∂w₁");
 * assert.equal(texToText("\\hat y = w x + b"), "ŷ = w·x + b");
 * assert.equal(texToText("m_t = \\beta_1 m_{t-1} + (1 - \\beta_1) g_t"), "mₜ = β₁·mₜ₋₁ + (1 − β₁)·gₜ");
 * ```
 */
export function texToText(tex: string): string {
  const items = new Reader(tex).items("eof");
  return join(writeItems(items)).split("\n").map((l) =>
    l.replace(/ {2,}(?=\S)/g, (m) => m.length >= 3 ? m : " ").trimEnd()
  ).join("\n").trim().replaceAll("′′′", "‴").replaceAll("′′", "″").normalize("NFC");
}

/** What a formula's slot may hold: a number (formatted), a formula, or a symbol's LaTeX. */
export type Slot = number | FormulaText | { value: number; digits?: number };

/**
 * A formula with number slots, written once in LaTeX: the text spelling is derived with
 * {@linkcode texToText}, and each number is formatted by the one formatter in each spelling (a
 * negative number after an operator gets parentheses). `{ value, digits }` sets the digits.
 *
 * @example
 * ```ts
 * import { formula } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const f = formula`w \leftarrow ${0.5} - ${0.05} \cdot ${-18} = ${0.5 - 0.05 * -18}`;
 * assert.equal(f.tex, "w \\leftarrow 0.5 - 0.05 \\cdot (-18) = 1.4");
 * assert.equal(f.text, "w ← 0.5 − 0.05 · (−18) = 1.4");
 * ```
 */
export function formula(strings: TemplateStringsArray, ...slots: Slot[]): FormulaText {
  const filled: FormulaText[] = slots.map((slot, k) => {
    const before = strings.raw[k].trimEnd();
    const afterOperator = /(?:[-+]|\\cdot|\\times|\\odot)$/.test(before);
    if (typeof slot === "number" || "value" in slot) {
      const x = typeof slot === "number" ? slot : slot.value;
      const digits = typeof slot === "number" ? undefined : slot.digits;
      const t = formatNumberLatex(x, { digits }), u = formatNumber(x, { digits });
      return x < 0 && afterOperator ? { tex: `(${t})`, text: `(${u})` } : { tex: t, text: u };
    }
    return slot;
  });
  // The text is derived from the LaTeX with a private-use marker standing in for each slot.
  const marker = (k: number) => `\u{E000}${k}\u{E001}`;
  let text = texToText(
    strings.raw.map((s, k) => s + (k < filled.length ? marker(k) : "")).join(""),
  );
  filled.forEach((f, k) => (text = text.replace(marker(k), f.text)));
  const tex = strings.raw.map((s, k) => s + (k < filled.length ? filled[k].tex : "")).join("");
  return { tex, text };
}
