/**
 * The commands' argument reader. Unlike `node:util`'s `parseArgs` it reads an argument that
 * starts with a minus sign as what it is: the value of the option before it (`--seed -1`,
 * `--claim -2*x`) or, when it is not an option, a positional (`check "-(x^2)" …`, `optimize
 * "-x*y" …`). An option given twice is refused (unless it is repeatable), as is an unknown one.
 *
 * @module
 */
import { UsageError } from "./usage_error.ts";

/** One option a command takes. */
export interface OptionSpec {
  /** A string takes a value (the next argument, or `--name=value`); a boolean does not. */
  type: "string" | "boolean";
  /** May be given more than once (its values collected in order). */
  multiple?: boolean;
  /** A one-letter alias, e.g. `"o"` for `-o`. */
  short?: string;
}

/** What was read: option values by name, and the positionals in order. */
export interface ReadArgs {
  /** `string` for a string option, `string[]` for a repeatable one, `true` for a boolean. */
  values: Record<string, string | string[] | boolean | undefined>;
  /** The other arguments, in order. */
  positionals: string[];
}

/**
 * Reads `args` against `options`. `unknown(flag)` gives the message for an option the command
 * does not take.
 *
 * @example
 * ```ts
 * import { readArgs } from "./args.ts";
 * import assert from "node:assert/strict";
 * const r = readArgs(["-(x^2)", "--claim", "-2*x", "--where=a=1", "--where", "b=2"], {
 *   claim: { type: "string" },
 *   where: { type: "string", multiple: true },
 * });
 * assert.deepEqual(r.positionals, ["-(x^2)"]);
 * assert.equal(r.values.claim, "-2*x");
 * assert.deepEqual(r.values.where, ["a=1", "b=2"]);
 * assert.throws(() => readArgs(["--claim", "1", "--claim", "2"], { claim: { type: "string" } }), /twice/);
 * ```
 */
export function readArgs(
  args: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
  unknown: (flag: string) => string = (flag) => `Unknown option '${flag}'`,
): ReadArgs {
  const values: ReadArgs["values"] = Object.create(null);
  const positionals: string[] = [];
  const shorts = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) if (spec.short) shorts.set(spec.short, name);
  const set = (name: string, flag: string, value: string | true) => {
    const spec = options[name];
    if (spec.multiple) {
      const list = (values[name] as string[] | undefined) ?? [];
      list.push(value as string);
      values[name] = list;
      return;
    }
    if (values[name] !== undefined) {
      const before = values[name];
      throw new UsageError(
        spec.type === "boolean"
          ? `${flag} is given twice; give it once`
          : `${flag} is given twice ("${before}" and "${value}"); give it once`,
      );
    }
    values[name] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let flag = a;
    let inline: string | undefined;
    const long = a.match(/^--([^=]+)(?:=([\s\S]*))?$/);
    if (long) {
      name = long[1];
      flag = `--${name}`;
      inline = long[2];
      if (!Object.hasOwn(options, name)) throw new UsageError(unknown(flag));
    } else if (/^-[A-Za-z]$/.test(a) && shorts.has(a[1])) {
      name = shorts.get(a[1])!;
      flag = `--${name}`;
    }
    if (name === undefined) {
      positionals.push(a); // an expression such as -(x^2) or -x*y, or a negative number
      continue;
    }
    const spec = options[name];
    if (spec.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value, got "${inline}"`);
      set(name, flag, true);
      continue;
    }
    if (inline === undefined) {
      const next = args[i + 1];
      if (next === undefined || Object.hasOwn(options, next.match(/^--([^=]+)/)?.[1] ?? "")) {
        throw new UsageError(`${flag} needs a value`);
      }
      inline = args[++i];
    }
    set(name, flag, inline);
  }
  return { values, positionals };
}
