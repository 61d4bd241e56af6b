/**
 * `explore <expr> --start name=value,… [--optimizer NAME] [every optimize option] [--steps N]
 * [--step K] [--title TEXT] --out FILE.html`: writes one offline page that re-runs the optimizer
 * in the browser as its controls move, with every step's trace typeset. The options are read by
 * `optimize`'s own parser, so they mean exactly what they mean there. Exit status: 0 written,
 * 2 input that cannot be used (one line on stderr; nothing written).
 *
 * @module
 */
import { writeOutput } from "./write.ts";
import { UsageError } from "./usage_error.ts";
import { parseOptimizeArgs } from "./optimize.ts";
import { PAGE_MAX_STEPS } from "../explore/state.ts";
import type { OptimizerName } from "../optim/registry.ts";

const HELP = `usage: explore <expr> --start name=value,… [--optimizer NAME] [options] [--steps N]
               [--step K] [--title TEXT] --out FILE.html

Writes one self-contained page (no network, works from file://) that runs the optimizer in the
browser: a control for each option (lr on a log scale), the map of the loss with the path, the
loss curve, and the trace of any step typeset with its numbers. The page's address keeps its
settings in the command's own flag names (#optimizer=adam&lr=0.05&steps=50&step=3).
  --out         the page to write (required, .html)
  --steps       steps to run (default 50, at most ${PAGE_MAX_STEPS})
  --step        the step whose trace shows first (default 1)
  --title       the page's heading (default "Explore the run")
  every option of optimize: --optimizer --lr --momentum --betas b1,b2 … --scheduler (see optimize --help)
example: explore "(1 - x)^2 + 100 * (y - x^2)^2" --start x=-1.2,y=1 --optimizer adam --lr 0.05 --out rosenbrock.html
exit status: 0 written, 2 bad input`;

/** What the command line asked for. */
export interface ExploreArgs {
  /** The page (and its run) to write. */
  spec: import("../explore/page.ts").ExploreSpec;
  /** The page's heading. */
  title?: string;
  /** Where to write. */
  out: string;
}

/** Takes `--name value` or `--name=value` out of the arguments. */
function take(args: string[], name: string): { value?: string; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === `--${name}`) {
      if (i + 1 >= args.length) throw new UsageError(`--${name} needs a value`);
      value = args[++i];
    } else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
    else rest.push(a);
  }
  return { value, rest };
}

/**
 * Reads the command line with `optimize`'s parser; `undefined` for --help.
 *
 * @example
 * ```ts
 * import { parseExploreArgs } from "./explore.ts";
 * import assert from "node:assert/strict";
 * const a = parseExploreArgs(["x^2", "--start", "x=1", "--optimizer", "adam", "--lr", "0.1", "--out", "p.html"]);
 * assert.deepEqual(a?.spec.state, { optimizer: "Adam", options: { lr: 0.1 }, steps: 50, step: 1 });
 * assert.throws(() => parseExploreArgs(["x^2", "--start", "x=1", "--out", "p.md"]), /\.html/);
 * ```
 */
export function parseExploreArgs(args: string[]): ExploreArgs | undefined {
  if (args.includes("--help") || args.includes("-h")) return undefined;
  const title = take(args, "title");
  const step = take(title.rest, "step");
  const rest = step.rest;
  if (rest.some((a) => a === "--format" || a.startsWith("--format="))) {
    throw new UsageError("explore always writes an HTML page; --format is optimize's option");
  }
  let req;
  try {
    req = parseOptimizeArgs(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      throw new UsageError(e.message.replace("optimize --help", "explore --help"));
    }
    throw e;
  }
  if (req === undefined) return undefined;
  if (req.out === undefined) {
    throw new UsageError("where to? give --out FILE.html");
  }
  if (!/\.html?$/i.test(req.out)) {
    throw new UsageError(`explore writes an HTML page: --out must end in .html, got "${req.out}"`);
  }
  const stepsGiven = rest.some((a) => a === "--steps" || a.startsWith("--steps="));
  const steps = stepsGiven ? req.steps : 50;
  if (steps > PAGE_MAX_STEPS) {
    throw new UsageError(
      `--steps: an explore page runs at most ${PAGE_MAX_STEPS} steps, got ${steps} (optimize runs more)`,
    );
  }
  let shown = 1;
  if (step.value !== undefined) {
    shown = Number(step.value);
    if (!/^\d+$/.test(step.value.trim()) || shown < 1 || shown > steps) {
      throw new UsageError(`--step expects a whole number from 1 to ${steps}, got "${step.value}"`);
    }
  }
  return {
    spec: {
      expression: req.expression,
      start: req.start,
      state: {
        optimizer: req.optimizer as OptimizerName,
        options: req.options,
        steps,
        step: shown,
        ...(req.scheduler
          ? {
            scheduler: req.scheduler.args.length === 0
              ? req.scheduler.kind
              : `${req.scheduler.kind}:${req.scheduler.args.join(",")}`,
          }
          : {}),
      },
    },
    title: title.value,
    out: req.out,
  };
}

/** Runs the command; returns the exit status. */
export async function explore(args: string[]): Promise<number> {
  const parsed = parseExploreArgs(args);
  if (parsed === undefined) {
    console.log(HELP);
    return 0;
  }
  const { explorePage, runSpec } = await import("../explore/page.ts");
  let html: string;
  try {
    html = await explorePage(parsed.spec, { title: parsed.title });
  } catch (e) {
    if (e instanceof RangeError || e instanceof SyntaxError || e instanceof TypeError) {
      throw new UsageError(e.message.split("\n")[0]);
    }
    throw e;
  }
  // Into what the user named, as optimize and handout write: a link followed, a pipe written.
  await writeOutput(parsed.out, html);
  const d = runSpec(parsed.spec, false).divergence;
  const kb = Math.round(new TextEncoder().encode(html).length / 1024);
  console.error(
    `wrote ${parsed.out} (${kb} kB)${
      d ? `; note: with these settings the run diverges: ${d.message}` : ""
    }`,
  );
  return 0;
}
