/**
 * `deno task bench:compare`: micrograd's demo training run, side by side, four ways.
 *
 *   (a) stepgrad's natural loop: the graph rebuilt every step, as micrograd's demo does
 *   (b) stepgrad compiled: the graph recorded once with compile(), replayed every step
 *   (c) the floor: the same arithmetic by hand over Float64Arrays, no graph (bench/fused.ts)
 *   (d) a Python engine of micrograd's design (bench/micrograd.py), when python3 is installed
 *
 * Every engine starts from the same weights and must reach the same loss at every step, to
 * 1e-9; the script says so, or fails. Options: --steps N (default 100), --python-steps N (time
 * only the first N Python steps; all steps still run so the losses can be compared),
 * --no-python.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { formatNumber } from "../lib/text/format.ts";
import {
  demoWorkload,
  graphSize,
  type Run,
  runCompiled,
  runFused,
  runNatural,
  runPython,
  type Workload,
} from "./workload.ts";

/** One row of the table: an engine's name and its run (absent when it could not run). */
export interface Row {
  /** "(a) stepgrad, natural loop", … */
  name: string;
  /** The run, or the reason it did not happen. */
  run: Run | string;
}

/** The largest difference from the first row's loss, over every step and every engine. */
export function largestLossGap(rows: readonly Row[]): number {
  const runs = rows.map((r) => r.run).filter((r): r is Run => typeof r !== "string");
  let gap = 0;
  for (const r of runs.slice(1)) {
    if (r.losses.length !== runs[0].losses.length) return Infinity;
    r.losses.forEach((l, k) => (gap = Math.max(gap, Math.abs(l - runs[0].losses[k]))));
  }
  return gap;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (seconds: number) => formatNumber(seconds * 1000, { digits: 3 });
const times = (x: number) => `${formatNumber(x, { digits: 3 })}×`;

/**
 * The report: a table with ms/step (the median over the timed steps, and the mean, which also
 * carries garbage collection and whatever else the machine was doing), each engine's time as a
 * multiple of the floor's, how many times faster than Python it runs, and the loss after the
 * last step; then the figures issue 6 asks for. Ratios use the medians.
 */
export function report(w: Workload, rows: readonly Row[], nodes: number): string {
  const ran = (name: string) => {
    const run = rows.find((r) => r.name.includes(name))?.run;
    return run === undefined || typeof run === "string" ? undefined : run;
  };
  const floor = ran("floor"), python = ran("Python");
  const natural = ran("natural"), compiled = ran("compiled");
  const header = ["engine", "ms/step", "mean", "× floor", "vs Python", "final loss"];
  const cells = rows.map((r) => {
    if (typeof r.run === "string") return [r.name, r.run];
    const m = median(r.run.seconds);
    return [
      r.name,
      ms(m),
      ms(mean(r.run.seconds)),
      floor ? times(m / median(floor.seconds)) : "",
      python ? times(median(python.seconds) / m) : "",
      formatNumber(r.run.losses[r.run.losses.length - 1], { digits: 12 }),
    ];
  });
  const widths = header.map((h, c) =>
    Math.max(h.length, ...cells.filter((row) => row.length > 2).map((row) => row[c].length))
  );
  const line = (row: string[]) =>
    row.length === 2
      ? `  ${row[0].padEnd(widths[0])}   ${row[1]}`
      : "  " + row.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c])))
        .join("   ");
  const gap = largestLossGap(rows);
  const figures: string[] = [];
  const verdict = (ok: boolean) => (ok ? "met" : "NOT MET");
  if (natural && python) {
    const r = median(python.seconds) / median(natural.seconds);
    figures.push(`natural loop ${times(r)} faster than Python (≥ 300×): ${verdict(r >= 300)}`);
  }
  if (compiled && floor) {
    const r = median(compiled.seconds) / median(floor.seconds);
    figures.push(`compiled ${times(r)} the floor's time (≤ 3×): ${verdict(r <= 3)}`);
  }
  const out = [
    "micrograd's demo, trained four ways",
    "",
    `  two moons (${w.X.length} points, noise 0.1); MLP(${w.sizes[0]}, [${
      w.sizes.slice(1).join(", ")
    }]) with ${w.initial.length} parameters, the same initial weights for all`,
    `  max-margin loss + ${
      formatNumber(w.alpha)
    }·L2; SGD with lr = 1 − 0.9·k/100; ${w.steps} steps;` +
    ` ${formatNumber(nodes)} graph nodes per step`,
    "",
    line(header),
    line(header.map((_, c) => "─".repeat(widths[c]))),
    ...cells.map(line),
    "",
    "  ms/step: median over the timed steps; mean: with garbage collection and interruptions.",
    `  The TypeScript engines ran ${Math.min(WARMUP, w.steps)} warm-up steps first.` +
    (compiled?.setup === undefined ? "" : ` Compiling (b) took ${ms(compiled.setup)} ms, once.`),
    python && python.seconds.length < w.steps
      ? `  Python timed on its first ${python.seconds.length} steps; all ${w.steps} ran.`
      : "",
    gap <= 1e-9
      ? `  Losses agree at every step: largest difference from (a) ${formatNumber(gap)} (≤ 1e-9).`
      : `  LOSSES DISAGREE: largest difference from (a) ${formatNumber(gap)} (> 1e-9).`,
    ...(figures.length ? ["", ...figures.map((f) => `  ${f}`)] : []),
  ];
  return out.filter((l, i) => l !== "" || out[i - 1] !== "").join("\n");
}

/** Warm-up steps for the TypeScript engines (a fresh run, discarded), so the JIT has compiled. */
export const WARMUP = 10;

/** Runs the comparison and prints the report; returns the exit status (1 if losses disagree). */
export async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        steps: { type: "string", default: "100" },
        "python-steps": { type: "string" },
        "no-python": { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    console.error(`bench:compare: ${(e as Error).message}`);
    console.error("usage: deno task bench:compare [--steps N] [--python-steps N] [--no-python]");
    return 2;
  }
  const steps = Number(values.steps);
  const pythonSteps = values["python-steps"] === undefined ? steps : Number(values["python-steps"]);
  const given = [["--steps", values.steps], ["--python-steps", values["python-steps"]]] as const;
  for (const [name, text] of given) {
    if (text !== undefined && !(Number.isInteger(Number(text)) && Number(text) >= 1)) {
      console.error(`bench:compare: ${name} must be a whole number ≥ 1, got "${text}"`);
      return 2;
    }
  }
  const w = demoWorkload(steps);
  const warm = demoWorkload(Math.min(WARMUP, steps));
  const rows: Row[] = [];
  let failed = false;
  for (
    const [name, run] of [
      ["(a) stepgrad, natural loop", runNatural],
      ["(b) stepgrad, compiled", runCompiled],
      ["(c) hand-fused Float64Array (the floor)", runFused],
    ] as const
  ) {
    run(warm);
    rows.push({ name, run: run(w) });
  }
  const pyName = "(d) Python, micrograd's design";
  if (values["no-python"]) {
    rows.push({ name: pyName, run: "not run (--no-python)" });
  } else {
    console.error(`running bench/micrograd.py (${steps} steps, about 1.5 s each) …`);
    try {
      const py = await runPython(w, Math.min(pythonSteps, steps));
      rows.push({ name: pyName, run: py ?? "not run: python3 is not installed (not on PATH)" });
    } catch (e) {
      console.error(`bench:compare: ${e instanceof Error ? e.message : e}`);
      rows.push({ name: pyName, run: "failed (see above)" });
      failed = true;
    }
  }
  console.log(report(w, rows, graphSize(w)));
  return largestLossGap(rows) <= 1e-9 && !failed ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
