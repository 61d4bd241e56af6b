/**
 * `check <expr> --wrt <name> --claim <expr> [--where name=expr]… [--at name=value,…] [--json]`:
 * is a hand-derived derivative right? Exit 0 right, 1 wrong (and where), 2 when the input cannot
 * be judged (one line on stderr).
 *
 * @module
 */
import { fitText } from "../render/terminal.ts";
import { terminalWidth } from "../text/width.ts";
import { UsageError } from "./usage_error.ts";
import { readArgs } from "./args.ts";

const HELP =
  `usage: check <expr> --wrt <name> --claim <expr> [--where name=expr]… [--at name=value,…] [--json]

Checks a derivative you worked out by hand against the true one, everywhere it is defined.
  --wrt     the variable to differentiate by
  --claim   your derivative; it may use the --where names, step(u) and sign(u)
  --where   a named intermediate, e.g. --where "o=sigmoid(w5*h1 + w6*h2 + b2)" (repeatable)
  --at      a point to show the values at, e.g. --at w=0.5,x=2
  --json    print one JSON object: correct, derivative, counterexample, hint
exit status: 0 right, 1 wrong, 2 cannot judge`;

/** Reads `name=value,name=value` (repeatable) into numbers. */
export function parseAt(items: readonly string[]): Record<string, number> {
  const at: Record<string, number> = Object.create(null);
  for (const item of items.flatMap((s) => s.split(","))) {
    if (item.trim() === "") continue;
    const eq = item.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(`--at expects name=value pairs like w=0.5,x=2, got "${item}"`);
    }
    const name = item.slice(0, eq).trim();
    const text = item.slice(eq + 1).trim().replace("−", "-");
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) {
      throw new UsageError(`--at ${name}: "${text}" is not a finite number`);
    }
    if (Object.hasOwn(at, name)) {
      throw new UsageError(`--at gives ${name} twice (${at[name]} and ${value}); give it once`);
    }
    at[name] = value;
  }
  return at;
}

/** Reads `name=expr` definitions. */
export function parseWhere(items: readonly string[]): [string, string][] {
  return items.map((item) => {
    const eq = item.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(
        `--where expects name=expression, e.g. o=sigmoid(w*x + b); got "${item}"`,
      );
    }
    return [item.slice(0, eq).trim(), item.slice(eq + 1)];
  });
}

/** Runs the command; returns the exit status. */
export async function check(args: string[]): Promise<number> {
  const parsed = readArgs(args, {
    wrt: { type: "string" },
    claim: { type: "string" },
    where: { type: "string", multiple: true },
    at: { type: "string", multiple: true },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, (flag) => `Unknown option '${flag}' (try: check --help)`);
  const { positionals } = parsed;
  const values = parsed.values as {
    wrt?: string;
    claim?: string;
    where?: string[];
    at?: string[];
    json?: boolean;
    help?: boolean;
  };
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length === 0 || positionals[0].trim() === "") {
    throw new UsageError(
      'no expression to check: give one, e.g. check "(w*x+b-y)^2" --wrt w --claim "2*(w*x+b-y)*x"',
    );
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `one expression expected, got ${positionals.length} (${
        positionals.map((p) => JSON.stringify(p)).join(", ")
      }); quote an expression that has spaces`,
    );
  }
  if (values.wrt === undefined) {
    throw new UsageError("--wrt <name> is missing: which variable is the derivative taken by?");
  }
  if (values.claim === undefined || values.claim.trim() === "") {
    throw new UsageError("--claim <expr> is missing: the derivative you worked out");
  }
  const expr = positionals[0];
  const { verifyGradient, verifyJson, verifyText } = await import("../symbolic/verify.ts");
  let result;
  try {
    result = await verifyGradient({
      expr,
      wrt: values.wrt,
      claim: values.claim,
      where: parseWhere(values.where ?? []),
      at: values.at ? parseAt(values.at) : undefined,
    });
  } catch (e) {
    // Input errors (SyntaxError, RangeError, TypeError, UsageError) are reported by main; any
    // other failure still gets one line and "cannot judge", never a stack trace.
    if (
      e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError ||
      e instanceof UsageError || !(e instanceof Error)
    ) throw e;
    throw new RangeError(`cannot judge this claim: ${e.message}`);
  }
  // Text fits the terminal (80 columns when piped); JSON stays one line.
  console.log(
    values.json
      ? verifyJson(result)
      : fitText(verifyText(result, expr, values.wrt), terminalWidth()),
  );
  return result.correct ? 0 : 1;
}
