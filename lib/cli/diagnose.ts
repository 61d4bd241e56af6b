/**
 * `diagnose FILE [--json] [--format text|markdown|latex|html|json] [--list] [hyperparameters]`:
 * names the update rule a learner's run follows (a correct optimizer with its options recovered,
 * or a catalogued mistake) and where it departs from the correct rule. Exit status: 0 a correct
 * optimizer, 1 a mistake or nothing, 2 input that cannot be used (one line on stderr).
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  knownValue,
  type LearnerRun,
  MAX_INPUT_CHARS,
  parseRunCsv,
  parseRunJson,
} from "../diagnose/input.ts";
import { diagnose } from "../diagnose/diagnose.ts";
import {
  catalogueText,
  diagnosisJson,
  diagnosisToHtml,
  diagnosisToLatex,
  diagnosisToMarkdown,
  diagnosisToText,
} from "../diagnose/render.ts";
import { optimizerName } from "../optim/registry.ts";
import { BOOLEAN_FLAGS, NUMBER_FLAGS } from "./option_flags.ts";

/** The output formats. */
export const DIAGNOSE_FORMATS = ["text", "markdown", "latex", "html", "json"] as const;

const HELP = `usage: diagnose FILE [--json] [--format text|markdown|latex|html|json] [options]
       diagnose --list

Reads a run of your own update code (FILE is JSON or CSV, - for standard input) and says which
update rule it follows: one of stepgrad's optimizers with the options recovered from the numbers,
or a catalogued mistake, and where it departs from the correct rule, with that step written out
both ways.
  JSON: {"lr": 0.01, "start": {"w": 0.5, "b": 0},
         "steps": [{"grads": {"w": -18, "b": -8}, "params": {"w": 0.68, "b": 0.08}}, …]}
        (any hyperparameter you know, PyTorch's names; "optimizer": the one you meant to write)
  CSV:  step,name,grad,value   (step 0 rows: the start; step k: the gradient used, the value after)
  --json          the verdict as JSON (same as --format json)
  --format        text (default), markdown, latex, html (one offline page) or json
  --list          print the catalogue of mistakes
  --optimizer     the optimizer you meant to write (AdamW, …)
  --lr --momentum --dampening --weight-decay --nesterov --maximize --alpha --eps --centered
  --lr-decay --initial-accumulator-value --rho --betas b1,b2 --amsgrad --momentum-decay
  --decoupled-weight-decay      hyperparameters you know (the rest are recovered where the data
                                determines them)
exit status: 0 a correct optimizer, 1 a mistake or no match, 2 input that cannot be used`;

class InputError extends Error {}

function num(flag: string, text: string): number {
  const t = text.trim().replace("−", "-");
  const v = Number(t);
  if (t === "" || !Number.isFinite(v)) {
    throw new InputError(`--${flag} expects a finite number, got "${text}"`);
  }
  return v;
}

async function readInput(file: string): Promise<string> {
  if (file === "-") {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const c of Deno.stdin.readable) {
      total += c.length;
      if (total > MAX_INPUT_CHARS) {
        throw new InputError(`the input is larger than ${MAX_INPUT_CHARS} bytes`);
      }
      chunks.push(c);
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return new TextDecoder().decode(all);
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(file);
  } catch (e) {
    throw new InputError(
      `cannot read ${file}: ${
        e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message
      }`,
    );
  }
  if (!info.isFile) throw new InputError(`${file} is not a file`);
  if (info.size > MAX_INPUT_CHARS) {
    throw new InputError(
      `${file} is ${info.size} bytes; diagnose reads at most ${MAX_INPUT_CHARS} (give the first steps only)`,
    );
  }
  const bytes = await Deno.readFile(file);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${file} is not UTF-8 text`);
  }
}

/** Reads the arguments and the file into a run; an error with one line for anything unusable. */
export async function readRequest(
  args: string[],
): Promise<
  { run?: LearnerRun; format: (typeof DIAGNOSE_FORMATS)[number]; list: boolean; help: boolean }
> {
  const valued = new Set([...Object.keys(NUMBER_FLAGS), "betas", "format", "optimizer"]);
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i], next = args[i + 1];
    if (
      a.startsWith("--") && !a.includes("=") && valued.has(a.slice(2)) && next !== undefined &&
      /^[-−]\d/.test(next)
    ) {
      joined.push(`${a}=${next}`);
      i++;
    } else joined.push(a);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joined,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: "boolean" },
        list: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        format: { type: "string" },
        optimizer: { type: "string" },
        betas: { type: "string" },
        ...Object.fromEntries(
          Object.keys(NUMBER_FLAGS).map((f) => [f, { type: "string" as const }]),
        ),
        ...Object.fromEntries(
          Object.keys(BOOLEAN_FLAGS).map((f) => [f, { type: "boolean" as const }]),
        ),
      },
    });
  } catch (e) {
    throw new InputError((e as Error).message.split("\n")[0]);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const format = v.json ? "json" : (v.format as string | undefined) ?? "text";
  if (!(DIAGNOSE_FORMATS as readonly string[]).includes(format)) {
    throw new InputError(`--format must be one of ${DIAGNOSE_FORMATS.join(", ")}, got "${format}"`);
  }
  const out = {
    format: format as (typeof DIAGNOSE_FORMATS)[number],
    list: v.list === true,
    help: v.help === true,
  };
  if (out.help || out.list) return out;
  if (parsed.positionals.length !== 1) {
    throw new InputError(
      parsed.positionals.length === 0
        ? "give the run to diagnose: diagnose FILE (try --help)"
        : `expected one FILE, got ${parsed.positionals.length}`,
    );
  }
  const file = parsed.positionals[0];
  const text = await readInput(file);
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  const looksJson = file.toLowerCase().endsWith(".json") || trimmed.startsWith("{") ||
    trimmed.startsWith("[");
  const run = looksJson ? parseRunJson(text) : parseRunCsv(text);
  const flags: Record<string, unknown> = {};
  for (const [flag, name] of Object.entries(NUMBER_FLAGS)) {
    if (typeof v[flag] === "string") flags[name] = num(flag, v[flag] as string);
  }
  for (const [flag, name] of Object.entries(BOOLEAN_FLAGS)) {
    if (v[flag] === true) flags[name] = true;
  }
  if (typeof v.betas === "string") {
    const parts = (v.betas as string).split(",");
    if (parts.length !== 2) {
      throw new InputError(`--betas expects two numbers b1,b2, got "${v.betas}"`);
    }
    flags.betas = parts.map((p) => num("betas", p));
  }
  for (const [name, value] of Object.entries(flags)) {
    const [key, known] = knownValue(name, value);
    const had = run.known[key];
    if (had !== undefined && JSON.stringify(had) !== JSON.stringify(known)) {
      throw new InputError(
        `${key} is ${JSON.stringify(had)} in the file but ${
          JSON.stringify(known)
        } on the command line`,
      );
    }
    run.known[key] = known;
  }
  if (typeof v.optimizer === "string") run.intended = v.optimizer;
  if (run.intended !== undefined) run.intended = optimizerName(run.intended);
  return { ...out, run };
}

/** Runs `diagnose`; returns the exit status. */
export async function diagnoseCommand(args: string[]): Promise<number> {
  let req;
  try {
    req = await readRequest(args);
  } catch (e) {
    if (
      e instanceof InputError || e instanceof RangeError || e instanceof TypeError ||
      e instanceof SyntaxError
    ) {
      console.error(`stepgrad diagnose: ${e.message.split("\n")[0]}`);
      return 2;
    }
    throw e;
  }
  if (req.help) {
    console.log(HELP);
    return 0;
  }
  if (req.list) {
    console.log(catalogueText().trimEnd());
    return 0;
  }
  const d = diagnose(req.run!);
  const out = req.format === "json"
    ? diagnosisJson(d)
    : req.format === "markdown"
    ? diagnosisToMarkdown(d)
    : req.format === "latex"
    ? diagnosisToLatex(d)
    : req.format === "html"
    ? await diagnosisToHtml(d)
    : diagnosisToText(d);
  await Deno.stdout.write(new TextEncoder().encode(out));
  return d.kind === "optimizer" ? 0 : 1;
}
