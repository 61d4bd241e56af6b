/**
 * `optimize <expr> --start name=value,… --optimizer <name> [options] --steps N --format …
 * [--out FILE]`: runs an optimizer on an expression and shows every step with its numbers.
 * Exit status: 0 done, 1 the run diverged (the output says at which step and why), 2 input that
 * cannot be used (one line on stderr; nothing is written to --out).
 *
 * @module
 */
import { UsageError } from "./usage_error.ts";
import { type OptionSpec, readArgs } from "./args.ts";
import { writeOutput } from "./write.ts";
import { parseExpression } from "../symbolic/parse.ts";
import { buildGraph } from "../symbolic/build_graph.ts";
import { optimizerName, OPTIMIZERS } from "../optim/registry.ts";
import type { OptionValue } from "../optim/optimizer.ts";
import { runOptimizer } from "../optim/run.ts";
import {
  createScheduler,
  parseScheduler as parseSchedulerText,
  type SchedulerSpec,
} from "../optim/schedulers.ts";
import type { OptimizationRun } from "../optim/trace.ts";
import { traceToText } from "../render/trace_text.ts";
import { traceToLatex } from "../render/trace_latex.ts";
import { traceToMarkdown } from "../render/trace_markdown.ts";
import { traceToJson } from "../render/trace_json.ts";
import { DEFAULT_WIDTH, terminalWidth } from "../text/width.ts";
import { OUTPUT_FORMATS, outputFormat } from "./output_format.ts";
import { BOOLEAN_FLAGS, NUMBER_FLAGS } from "./option_flags.ts";

/** The output formats. */
export const FORMATS = OUTPUT_FORMATS;

/** The most steps one command runs. */
export const MAX_STEPS = 100_000;

const HELP = `usage: optimize <expr> --start name=value,… --optimizer <name> [options] [--steps N]
                [--format text|latex|markdown|json|html] [--out FILE]

Runs an optimizer on the expression as a loss, from the start point, and writes every step out
with its numbers (every variable of the expression is a parameter).
  --optimizer   ${Object.keys(OPTIMIZERS).join(", ")} (any case; default SGD)
  --steps       number of steps (default 1)
  --format      text, latex (tex), markdown (md), json or html (a whole page); by default
                the one --out's extension names (.tex .md .json .html), else text
  --out         write to FILE instead of standard output (only when everything succeeded)
  --scheduler   the lr schedule, as PyTorch's: step:SIZE[,GAMMA]  exponential:GAMMA
                cosine:TMAX[,ETAMIN]  linear[:START,END,ITERS]
options (PyTorch's, in kebab-case; each optimizer takes its own):
  --lr --momentum --dampening --weight-decay --nesterov --maximize --alpha --eps --centered
  --lr-decay --initial-accumulator-value --rho --betas b1,b2 --amsgrad --momentum-decay
  --decoupled-weight-decay
example: optimize "(1 - x)^2 + 100 * (y - x^2)^2" --start x=-1.2,y=1 --optimizer sgd --lr 0.001
exit status: 0 done, 1 the run diverged (the output says at which step and why), 2 bad input`;

/** Parses a number given on the command line; a one-line error naming the flag otherwise. */
export function parseNumber(flag: string, text: string): number {
  const t = text.trim().replace("−", "-");
  const value = Number(t);
  if (t === "" || !Number.isFinite(value)) {
    throw new UsageError(`${flag} expects a finite number, got "${text}"`);
  }
  return value;
}

/** Reads `--start x=-1.2,y=1`. */
export function parseStart(text: string): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const item of text.split(",")) {
    if (item.trim() === "") continue;
    const eq = item.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(`--start expects name=value pairs like x=-1.2,y=1, got "${item}"`);
    }
    const name = item.slice(0, eq).trim();
    if (name in out) throw new UsageError(`--start gives ${name} twice`);
    out[name] = parseNumber(`--start ${name}`, item.slice(eq + 1));
  }
  return out;
}

/** Everything the command needs, read and checked from its arguments. */
export interface OptimizeRequest {
  /** The expression text. */
  expression: string;
  /** Start values by variable. */
  start: Record<string, number>;
  /** The optimizer's name, as PyTorch spells it. */
  optimizer: string;
  /** Options given on the command line. */
  options: Record<string, OptionValue>;
  /** Steps to run. */
  steps: number;
  /** Output format. */
  format: typeof FORMATS[number];
  /** Output file, if any. */
  out?: string;
  /** The lr schedule, if any. */
  scheduler?: SchedulerSpec;
}

export { createScheduler, type SchedulerSpec };

/** Reads `--scheduler step:3,0.5` and the like (`parseScheduler` in optim/schedulers.ts). */
export function parseScheduler(text: string): SchedulerSpec {
  try {
    return parseSchedulerText(text);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

/** Reads the arguments (no side effects); `undefined` when --help was asked for. */
export function parseOptimizeArgs(args: string[]): OptimizeRequest | undefined {
  const stringFlags = [
    ...Object.keys(NUMBER_FLAGS),
    "betas",
    "start",
    "optimizer",
    "steps",
    "format",
    "out",
    "scheduler",
  ];
  const options: Record<string, OptionSpec> = {
    help: { type: "boolean", short: "h" },
  };
  for (const f of stringFlags) options[f] = { type: "string" };
  for (const f of Object.keys(BOOLEAN_FLAGS)) options[f] = { type: "boolean" };
  const parsed = readArgs(
    args,
    options,
    (flag) => `Unknown option '${flag}' (try: optimize --help)`,
  );
  const { values, positionals } = parsed;
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) return undefined;
  if (positionals.length === 0 || positionals[0].trim() === "") {
    throw new UsageError(
      'no expression to optimize: give one, e.g. optimize "(1 - x)^2 + 100 * (y - x^2)^2" --start x=-1.2,y=1',
    );
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `one expression expected, got ${positionals.length} (${
        positionals.map((p) => JSON.stringify(p)).join(", ")
      }); quote an expression that has spaces`,
    );
  }
  if (v.start === undefined) {
    throw new UsageError(
      "--start is required: a value for every variable, e.g. --start x=-1.2,y=1",
    );
  }
  const optimizer = optimizerName(String(v.optimizer ?? "SGD"));
  const known = OPTIMIZERS[optimizer as keyof typeof OPTIMIZERS].defaults;
  const opts: Record<string, OptionValue> = {};
  const use = (flag: string, name: string, value: OptionValue) => {
    if (!(name in known)) {
      const own = Object.keys(known).map((k) =>
        `--${k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`
      );
      throw new UsageError(
        `--${flag} is not an option of ${optimizer}; its options: ${own.join(" ")}`,
      );
    }
    opts[name] = value;
  };
  for (const [flag, name] of Object.entries(NUMBER_FLAGS)) {
    if (typeof v[flag] === "string") use(flag, name, parseNumber(`--${flag}`, v[flag] as string));
  }
  for (const [flag, name] of Object.entries(BOOLEAN_FLAGS)) {
    if (v[flag] === true) use(flag, name, true);
  }
  if (typeof v.betas === "string") {
    const parts = v.betas.split(",");
    if (parts.length !== 2) {
      throw new UsageError(`--betas expects two numbers b1,b2, got "${v.betas}"`);
    }
    use("betas", "betas", [parseNumber("--betas", parts[0]), parseNumber("--betas", parts[1])]);
  }
  const stepsText = typeof v.steps === "string" ? v.steps : "1";
  const steps = parseNumber("--steps", stepsText);
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) {
    throw new UsageError(
      `--steps expects a whole number from 1 to ${MAX_STEPS}, got "${stepsText}"`,
    );
  }
  const format = outputFormat(v.format as string | undefined, v.out as string | undefined);
  if (v.out === "") throw new UsageError("--out expects a file name");
  const scheduler = typeof v.scheduler === "string" ? parseScheduler(v.scheduler) : undefined;
  return {
    expression: positionals[0],
    start: parseStart(v.start as string),
    optimizer,
    options: opts,
    steps,
    format,
    out: v.out as string | undefined,
    ...(scheduler ? { scheduler } : {}),
  };
}

/** Runs a request: builds the graph, the optimizer, and the run. */
export function runRequest(req: OptimizeRequest): OptimizationRun {
  const parsed = parseExpression(req.expression);
  if (parsed.variables.length === 0) {
    throw new UsageError(`"${req.expression}" has no variables to optimize`);
  }
  const { root, leaves } = buildGraph(parsed, req.start);
  const extra = Object.keys(req.start).filter((n) => !parsed.variables.includes(n));
  if (extra.length > 0) {
    throw new UsageError(
      `--start gives ${extra.join(", ")}, which the expression does not use (its variables: ${
        parsed.variables.join(", ")
      })`,
    );
  }
  const params = parsed.variables.map((n) => leaves[n]);
  const optimizer = new OPTIMIZERS[req.optimizer as keyof typeof OPTIMIZERS].create(
    params,
    req.options,
  );
  const scheduler = req.scheduler ? createScheduler(req.scheduler, optimizer) : undefined;
  return runOptimizer(root, optimizer, { steps: req.steps, scheduler });
}

/** Renders a run in the requested format. */
export async function renderRun(
  run: OptimizationRun,
  format: OptimizeRequest["format"],
  { width = Infinity }: { width?: number } = {},
): Promise<string> {
  switch (format) {
    case "text":
      return traceToText(run, { width });
    case "latex":
      return traceToLatex(run);
    case "markdown":
      return traceToMarkdown(run);
    case "json":
      return traceToJson(run);
    case "html": {
      // A whole page, with KaTeX's CSS and fonts, so the maths shows when the file is opened.
      const [{ traceToHtml }, { standalonePage }] = await Promise.all([
        import("../render/trace_html.ts"),
        import("../handout/html.ts"),
      ]);
      return await standalonePage(`stepgrad: ${run.optimizer}`, await traceToHtml(run));
    }
  }
}

/** Runs the command; returns the exit status. */
export async function optimize(args: string[]): Promise<number> {
  const req = parseOptimizeArgs(args);
  if (req === undefined) {
    console.log(HELP);
    return 0;
  }
  const run = runRequest(req);
  // Text to a terminal fits its width; to a pipe or a file, 80 columns.
  const text = await renderRun(run, req.format, {
    width: req.out === undefined ? terminalWidth() : DEFAULT_WIDTH,
  });
  if (req.out !== undefined) await writeOutput(req.out, text);
  else await Deno.stdout.write(new TextEncoder().encode(text));
  if (run.divergence) {
    console.error(`stepgrad optimize: diverged: ${run.divergence.message}`);
    return 1;
  }
  return 0;
}
