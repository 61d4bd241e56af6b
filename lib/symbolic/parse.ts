/**
 * The restricted parser for expressions people type (`"(w*x + b - y)^2"`): untrusted input.
 *
 * It is stepgrad's own small recursive-descent parser, not mathjs's: only numbers, variable
 * names, `pi` (or `π`), `e`, the operators `+ - * / ^` (also `**`, `−`, `·`, `×`), parentheses and
 * the op table's functions (`exp`, `log`, `tanh`, `relu`, …: `USER_FUNCTIONS`), each of one
 * argument. Length (10,000 characters) and nesting depth (200) are bounded, so hostile input is
 * refused here, before mathjs ever sees it; every error names the problem and its column.
 *
 * @module
 */
import {
  DERIVATIVE_FUNCTIONS,
  type Expr,
  type Factor,
  type FunctionName,
  symbolsOf,
  type Term,
  USER_FUNCTIONS,
} from "./ast.ts";

/** The longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 10_000;
/** The deepest nesting accepted (parentheses, function calls, signs, exponents). */
export const MAX_NESTING_DEPTH = 200;

/** An expression that was parsed and validated. */
export interface ParsedExpression {
  /** The text it came from. */
  readonly source: string;
  /** Its tree. */
  readonly expr: Expr;
  /** Its variable names, in the order they first appear (`pi` and `e` are constants, not here). */
  readonly variables: readonly string[];
}

/** Options for {@linkcode parseExpression}. */
export interface ParseOptions {
  /**
   * Also accept `step` (Heaviside, step(0) = 0) and `sign`, the functions derivatives are
   * written with (default false; the claim checker turns this on).
   */
  derivativeFunctions?: boolean;
}

/**
 * A syntax error in an expression, with the 1-based column where it was found. Its message is one
 * line naming the problem, the column and the expression.
 */
export class ExpressionError extends SyntaxError {
  /** Always `"ExpressionError"`. */
  override name = "ExpressionError";
  /** The 1-based column of the problem (length + 1 for "at the end"). */
  readonly column: number;
  /** Creates the error. */
  constructor(message: string, column: number) {
    super(message);
    this.column = column;
  }
}

// Names that must never be variables: JavaScript's object machinery and mathjs's evaluator
// entry points. (mathjs never sees a user's names, but refusing them keeps intent obvious.)
const RESERVED = new Set([
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "import",
  "evaluate",
  "createUnit",
  "parse",
  "compile",
  "simplify",
  "derivative",
  "resolve",
  "reviver",
  "config",
  "typed",
  "eval",
  "Function",
  "require",
  "globalThis",
  "window",
  "this",
]);

type TokenKind = "num" | "name" | "op" | "(" | ")" | "end";
interface Token {
  kind: TokenKind;
  text: string;
  col: number;
  value?: number;
}

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR_ALIASES: Record<string, string> = { "−": "-", "·": "*", "×": "*", "**": "^" };

function snippet(source: string): string {
  const s = source.length > 60 ? source.slice(0, 57) + "..." : source;
  return JSON.stringify(s.replace(/\s+/g, " "));
}

function unexpected(source: string, ch: string, col: number): ExpressionError {
  const why: Record<string, string> = {
    "=": "assignments and definitions are not allowed; write an expression such as (w*x - y)^2",
    "[": "matrices and indexing are not allowed",
    "]": "matrices and indexing are not allowed",
    "{": "objects are not allowed",
    "}": "objects are not allowed",
    ".": "property access is not allowed, and numbers are written like 0.5 or 1e-3",
    ",": "functions take exactly one argument",
    '"': "strings are not allowed",
    "'": "strings are not allowed",
    "`": "strings are not allowed",
    ";": "write one expression",
  };
  const reason = why[ch] ??
    "expected numbers, names, + - * / ^ and parentheses";
  return new ExpressionError(
    `unexpected ${JSON.stringify(ch)} at column ${col} in ${snippet(source)}: ${reason}`,
    col,
  );
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    const col = i + 1;
    const rest = source.slice(i, i + 400);
    const num = NUMBER.exec(rest);
    if (num) {
      const value = Number(num[0]);
      if (!Number.isFinite(value)) {
        throw new RangeError(
          `the number ${
            num[0]
          } at column ${col} is too large for a float64 (at most about 1.8e308)`,
        );
      }
      tokens.push({ kind: "num", text: num[0], col, value });
      i += num[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: "name", text: name[0], col });
      i += name[0].length;
      continue;
    }
    if (ch === "π") {
      tokens.push({ kind: "name", text: "pi", col });
      i++;
      continue;
    }
    if (source.startsWith("**", i)) {
      tokens.push({ kind: "op", text: "^", col });
      i += 2;
      continue;
    }
    if ("+-*/^,".includes(ch) || ch in OPERATOR_ALIASES) {
      tokens.push({ kind: "op", text: OPERATOR_ALIASES[ch] ?? ch, col });
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      tokens.push({ kind: ch, text: ch, col });
      i++;
      continue;
    }
    throw unexpected(source, String.fromCodePoint(source.codePointAt(i)!), col);
  }
  tokens.push({ kind: "end", text: "", col: source.length + 1 });
  return tokens;
}

class Parser {
  private i = 0;
  private depth = 0;
  private readonly functions: ReadonlySet<string>;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    functions: readonly string[],
  ) {
    this.functions = new Set(functions);
  }

  private get peek(): Token {
    return this.tokens[this.i];
  }

  private enter(col: number): void {
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw new RangeError(
        `expression nested too deeply at column ${col}: more than ${MAX_NESTING_DEPTH} levels of parentheses, calls, signs or powers`,
      );
    }
  }

  private error(message: string, col: number): ExpressionError {
    return new ExpressionError(`${message} in ${snippet(this.source)}`, col);
  }

  parseAll(): Expr {
    if (this.peek.kind === "end") {
      throw new ExpressionError(
        "empty expression: expected something like (w*x + b - y)^2",
        1,
      );
    }
    const expr = this.sum();
    const t = this.peek;
    if (t.kind === ")") {
      throw this.error(`unbalanced parenthesis: ")" at column ${t.col} has no matching "("`, t.col);
    }
    if (t.kind === "op" && t.text === ",") throw unexpected(this.source, ",", t.col);
    if (t.kind !== "end") throw this.missingOperator(t);
    return expr;
  }

  private missingOperator(t: Token): ExpressionError {
    return this.error(
      `missing operator before ${
        JSON.stringify(t.text)
      } at column ${t.col} (write a product as 2*x, not 2x)`,
      t.col,
    );
  }

  private sum(): Expr {
    const pos = this.peek.col;
    const terms: Term[] = [{ sign: 1, expr: this.product() }];
    while (this.peek.kind === "op" && (this.peek.text === "+" || this.peek.text === "-")) {
      const sign = this.peek.text === "+" ? 1 : -1;
      this.i++;
      terms.push({ sign, expr: this.product() });
    }
    return terms.length === 1 ? terms[0].expr : { kind: "add", terms, pos };
  }

  private product(): Expr {
    const pos = this.peek.col;
    const factors: Factor[] = [{ inverse: false, expr: this.unary() }];
    for (;;) {
      const t = this.peek;
      if (t.kind === "op" && (t.text === "*" || t.text === "/")) {
        this.i++;
        factors.push({ inverse: t.text === "/", expr: this.unary() });
      } else if (t.kind === "num" || t.kind === "name" || t.kind === "(") {
        throw this.missingOperator(t);
      } else break;
    }
    return factors.length === 1 ? factors[0].expr : { kind: "mul", factors, pos };
  }

  private unary(): Expr {
    const t = this.peek;
    if (t.kind === "op" && (t.text === "-" || t.text === "+")) {
      this.i++;
      this.enter(t.col);
      const arg = this.unary();
      this.depth--;
      return t.text === "-" ? { kind: "neg", arg, pos: t.col } : arg;
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    const t = this.peek;
    if (t.kind === "op" && t.text === "^") {
      this.i++;
      this.enter(t.col);
      const exponent = this.unary(); // right-associative: a^b^c = a^(b^c); 2^-x works
      this.depth--;
      return { kind: "pow", base, exponent, pos: base.pos };
    }
    return base;
  }

  private primary(): Expr {
    const t = this.peek;
    switch (t.kind) {
      case "num":
        this.i++;
        return { kind: "num", value: t.value!, pos: t.col };
      case "name":
        this.i++;
        return this.tokens[this.i].kind === "(" ? this.call(t) : this.symbol(t);
      case "(": {
        this.i++;
        this.enter(t.col);
        const inner = this.sum();
        this.closeParen(t);
        this.depth--;
        return inner;
      }
      case ")":
        throw this.error(
          this.i > 0 && this.tokens[this.i - 1].kind === "("
            ? `empty parentheses at column ${this.tokens[this.i - 1].col}`
            : `unbalanced parenthesis: ")" at column ${t.col} has no matching "("`,
          t.col,
        );
      case "op":
        if (t.text === ",") throw unexpected(this.source, ",", t.col);
        throw this.error(
          `unexpected operator ${
            JSON.stringify(t.text)
          } at column ${t.col}: expected a number, a name or "("`,
          t.col,
        );
      case "end": {
        const last = this.tokens[this.i - 1];
        throw this.error(
          `the expression ends too early after ${JSON.stringify(last.text)} at column ${last.col}`,
          t.col,
        );
      }
    }
  }

  private closeParen(open: Token): void {
    const t = this.peek;
    if (t.kind === ")") {
      this.i++;
      return;
    }
    if (t.kind === "end") {
      throw this.error(
        `unbalanced parenthesis: "(" at column ${open.col} is never closed`,
        open.col,
      );
    }
    if (t.kind === "op" && t.text === ",") throw unexpected(this.source, ",", t.col);
    throw this.missingOperator(t);
  }

  private call(name: Token): Expr {
    const fn = name.text;
    if (!this.functions.has(fn)) {
      throw this.error(
        `unknown function ${JSON.stringify(fn)} at column ${name.col}; expected one of ${
          [...this.functions].join(", ")
        }`,
        name.col,
      );
    }
    const open = this.peek;
    this.i++;
    this.enter(open.col);
    if (this.peek.kind === ")") {
      throw this.error(`${fn}() at column ${name.col} needs an argument`, name.col);
    }
    const arg = this.sum();
    this.closeParen(open);
    this.depth--;
    return { kind: "call", fn: fn as FunctionName, arg, pos: name.col };
  }

  private symbol(t: Token): Expr {
    const name = t.text;
    if (name === "pi" || name === "e") return { kind: "const", name, pos: t.col };
    if (this.functions.has(name) || (USER_FUNCTIONS as readonly string[]).includes(name)) {
      throw this.error(
        `${JSON.stringify(name)} at column ${t.col} is a function; write ${name}(…)`,
        t.col,
      );
    }
    if (name.startsWith("_")) {
      throw this.error(
        `the name ${JSON.stringify(name)} at column ${t.col} must start with a letter`,
        t.col,
      );
    }
    if (RESERVED.has(name)) {
      throw this.error(
        `${JSON.stringify(name)} at column ${t.col} is a reserved name; choose another`,
        t.col,
      );
    }
    return { kind: "sym", name, pos: t.col };
  }
}

/**
 * Parses and validates an expression a person typed. Throws an {@linkcode ExpressionError} (a
 * `SyntaxError`) naming the problem and its column for bad syntax, and a `RangeError` for input
 * that is too long or nested too deeply, or a number too large for float64. Non-strings are a
 * `TypeError`.
 *
 * @example
 * ```ts
 * import { parseExpression } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const p = parseExpression("(w*x + b - y)^2");
 * assert.deepEqual(p.variables, ["w", "x", "b", "y"]);
 * assert.throws(() => parseExpression("sin(x*(y+1)"), /"\(" at column 4 is never closed/);
 * assert.throws(() => parseExpression("import(x)"), /unknown function "import"/);
 * ```
 */
export function parseExpression(text: string, options: ParseOptions = {}): ParsedExpression {
  if (typeof text !== "string") {
    throw new TypeError(`an expression must be a string, got ${typeof text}`);
  }
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new RangeError(
      `expression too long: ${text.length} characters; the limit is ${MAX_EXPRESSION_LENGTH}`,
    );
  }
  const functions: string[] = [...USER_FUNCTIONS];
  if (options.derivativeFunctions) functions.push(...DERIVATIVE_FUNCTIONS);
  const expr = new Parser(text, tokenize(text), functions).parseAll();
  return Object.freeze({ source: text, expr, variables: Object.freeze(symbolsOf(expr)) });
}
