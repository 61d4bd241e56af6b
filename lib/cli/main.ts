/**
 * The command-line tool: `deno run -A mod.ts <command> …`. Each command lives in its own file
 * and is loaded only when asked for, so start-up stays fast.
 *
 * @module
 */

import { UsageError } from "./usage_error.ts";
import { VERSION } from "./version.ts";

/** A command: takes its arguments, returns the exit status. */
export type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  lesson: {
    summary: "lesson <number or path>   run a lesson",
    load: async () => (await import("./lesson.ts")).lesson,
  },
  optimize: {
    summary: "optimize <expr> --start x=… [options]   every step, with its numbers",
    load: async () => (await import("./optimize.ts")).optimize,
  },
  check: {
    summary: "check <expr> --wrt x --claim <expr>   is your derivative right?",
    load: async () => (await import("./check.ts")).check,
  },
  "check-layer": {
    summary: "check-layer --of dW2 --claim <expr>   is your layer's dW right?",
    load: async () => (await import("./check_layer.ts")).checkLayer,
  },
  explore: {
    summary: "explore <expr> --start x=… --out FILE.html   a live page: move α, watch it all",
    load: async () => (await import("./explore.ts")).explore,
  },
  handout: {
    summary: "handout <lesson> --out FILE.html|pdf|md|tex   a lesson as a worked example",
    load: async () => (await import("./handout.ts")).handout,
  },
  diagnose: {
    summary: "diagnose FILE [--json]   name your code's update rule",
    load: async () => (await import("./diagnose.ts")).diagnoseCommand,
  },
};

/** `--version`: stepgrad's version and the Deno running it. */
export function versionLine(): string {
  return `stepgrad ${VERSION} (deno ${Deno.version.deno})`;
}

/** Rows of two columns, the second aligned one space past the widest first column. */
function columns(rows: [string, string][], indent = "  "): string[] {
  const width = Math.max(...rows.map(([a]) => [...a].length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(width + 2 - ([...a].length - a.length))}${b}`);
}

/** The help text: the commands and what each does, in aligned columns. */
export function usage(): string {
  const commands = Object.entries(COMMANDS).map(([name, c]): [string, string] => {
    // A summary is "<how to call it>  <what it does>", two or more spaces apart.
    const m = c.summary.match(/^(.*?\S)\s{2,}(\S.*)$/);
    return m ? [m[1], m[2]] : [name, c.summary];
  });
  return [
    `stepgrad ${VERSION}: learn how neural networks learn by watching every number`,
    "",
    "usage: stepgrad <command> [options]",
    "   or: deno run -A mod.ts <command> [options]",
    "   or: deno task stepgrad <command> [options]   (in a clone)",
    "",
    "commands:",
    ...columns([...commands, ["help [command]", "this text, or one command's help"]]),
    "",
    "options:",
    ...columns([["--help, -h", "this text"], [
      "--version, -V",
      "the version of stepgrad and Deno",
    ]]),
    "",
    "Each command has its own options: stepgrad <command> --help.",
  ].join("\n");
}

/**
 * Runs the command line and returns the exit status: 0 success, 1 a negative answer (a wrong
 * claim, a diverging run), 2 input that cannot be used (one line on stderr, no stack trace).
 */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === "--version" || name === "-V" || name === "version") {
    console.log(versionLine());
    return 0;
  }
  if (name === "help" && rest.length > 0 && Object.hasOwn(COMMANDS, rest[0])) {
    return await main([rest[0], "--help"]); // `help handout` is `handout --help`
  }
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(
      `stepgrad: unknown command "${name}"; expected one of ${
        Object.keys(COMMANDS).join(", ")
      } (try: help)`,
    );
    return 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (e) {
    if (
      e instanceof UsageError || e instanceof RangeError || e instanceof TypeError ||
      e instanceof SyntaxError
    ) {
      console.error(`stepgrad ${name}: ${e.message}`);
      return 2;
    }
    const missing = permissionProblem(e);
    if (missing) {
      console.error(`stepgrad ${name}: ${missing}`);
      return 2;
    }
    // A reader that stopped reading (`optimize … | head -1`): nothing more to say.
    if (e instanceof Deno.errors.BrokenPipe) return 0;
    throw e;
  }
}

/** A missing permission, as one line naming the flag to add; undefined for other errors. */
function permissionProblem(e: unknown): string | undefined {
  const denied = (Deno.errors as Record<string, unknown>).NotCapable;
  if (
    !(e instanceof Deno.errors.PermissionDenied) &&
    !(typeof denied === "function" && e instanceof (denied as ErrorConstructor))
  ) return undefined;
  const message = (e as Error).message.split("\n")[0];
  const flag = message.match(/--allow-[a-z-]+/)?.[0];
  const what = message.replace(/,?\s*run again with the --allow-[a-z-]+ flag\.?$/, "");
  return `${what}: run stepgrad with ${
    flag ?? "the permission"
  } (or -A), e.g. deno run -A mod.ts …`;
}
