/**
 * stepgrad in a notebook (`deno jupyter`): how each object draws itself when it is a cell's
 * result. Loaded by mod.ts, this registers the drawing for the objects the lower layers mark
 * (lib/graph/display.ts):
 *
 * - a `Value`: a one-row table of its label, op, data and grad; `value.graph()` a Graphviz SVG;
 * - a step trace (`optimizer.step()`): typeset KaTeX HTML with KaTeX's CSS and fonts inside;
 * - a run (`runOptimizer`): its loss curve as SVG;
 * - `gradcheck` and `threeWayCheck` reports: tables, one row per parameter.
 *
 * Each bundle has `text/plain` too. Heavy renderers (KaTeX, Graphviz, Observable Plot) are loaded
 * only when something is displayed.
 *
 * @module
 */
import {
  displayBundle,
  type DisplayKind,
  type MimeBundle,
  registerDisplay,
} from "../graph/display.ts";
import type { ExpressionGraph, Value } from "../graph/value.ts";
import type { GradcheckReport } from "../check/gradcheck.ts";
import type { ThreeWayReport } from "../check/three_way.ts";
import type { OptimizationRun, StepTrace } from "../optim/trace.ts";
import { escapeHtml } from "../text/escape.ts";
import { formatNumber } from "../text/format.ts";

export { displayBundle };

/** Tables: numbers right-aligned in tabular figures, a rule under the header. */
const TABLE_CSS = `<style>
.stepgrad-table { border-collapse: collapse; font: 14px/1.4 system-ui, sans-serif; }
.stepgrad-table th, .stepgrad-table td { padding: 0.15em 0.7em; text-align: left; }
.stepgrad-table th { border-bottom: 1px solid #888; font-weight: 600; }
.stepgrad-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.stepgrad-table td.fail { color: #a4262c; font-weight: 600; }
.stepgrad-table caption { caption-side: top; text-align: left; padding-bottom: 0.3em; }
</style>`;

interface Column<R> {
  head: string;
  cell: (row: R) => string;
  numeric?: boolean;
  fail?: (row: R) => boolean;
}

/** An HTML table of rows (text escaped) and the same as aligned plain text. */
function table<R>(caption: string, columns: Column<R>[], rows: readonly R[]): MimeBundle {
  const html = [
    TABLE_CSS,
    `<table class="stepgrad-table"><caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${columns.map((c) => `<th>${escapeHtml(c.head)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((r) =>
      `<tr>${
        columns.map((c) => {
          const cls = [c.numeric ? "num" : "", c.fail?.(r) ? "fail" : ""].filter(Boolean);
          const attr = cls.length ? ` class="${cls.join(" ")}"` : "";
          return `<td${attr}>${escapeHtml(c.cell(r))}</td>`;
        }).join("")
      }</tr>`
    ),
    "</tbody></table>",
  ].join("\n");
  const cells = [columns.map((c) => c.head), ...rows.map((r) => columns.map((c) => c.cell(r)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => [...row[i]].length)));
  const text = cells.map((row) =>
    row.map((cell, i) => {
      const pad = " ".repeat(widths[i] - [...cell].length);
      return columns[i].numeric ? pad + cell : cell + pad;
    }).join("  ").trimEnd()
  );
  return { "text/html": html, "text/plain": [caption, ...text].join("\n") };
}

const n = (x: number) => formatNumber(x);

function valueBundle(v: Value): MimeBundle {
  const op = v.op ? `${v.op}(${v.inputs.map((i) => i.label || n(i.data)).join(", ")})` : "leaf";
  return table(
    "Value",
    [
      { head: "label", cell: () => v.label || "(no label)" },
      { head: "op", cell: () => op },
      { head: "data", cell: () => n(v.data), numeric: true },
      { head: "grad", cell: () => n(v.grad), numeric: true },
    ],
    [v],
  );
}

let figures = 0;

async function graphBundle(g: ExpressionGraph): Promise<MimeBundle> {
  const [{ toDot }, { graphSvg }] = await Promise.all([
    import("../graph/dot.ts"),
    import("../figures/graph_svg.ts"),
  ]);
  // Ids unique in the page: a notebook shows every picture in one document.
  const svg = await graphSvg(toDot(g.root), `stepgrad-graph-${++figures}`);
  return { "image/svg+xml": svg, "text/plain": g.toString() };
}

async function traceBundle(trace: StepTrace): Promise<MimeBundle> {
  const [{ traceToStandaloneHtml }, { traceToText }] = await Promise.all([
    import("../handout/trace_page.ts"),
    import("../render/trace_text.ts"),
  ]);
  return { "text/html": await traceToStandaloneHtml(trace), "text/plain": traceToText(trace) };
}

/** The loss at the start and after every step (a gap where it stopped being finite). */
export function lossPoints(run: OptimizationRun): [number, number][] {
  const points: [number, number][] = [[0, run.initialLoss]];
  for (const s of run.steps) if (s.lossAfter !== undefined) points.push([s.step, s.lossAfter]);
  return points;
}

async function runBundle(run: OptimizationRun): Promise<MimeBundle> {
  const { chartSvg } = await import("../figures/plot.ts");
  const points = lossPoints(run);
  const finite = points.map(([, y]) => y).filter((y) => Number.isFinite(y));
  const positive = finite.length > 0 && finite.every((y) => y > 0);
  const logY = positive && Math.max(...finite) / Math.min(...finite) > 100;
  const { svg } = await chartSvg({
    kind: "chart",
    title: `${run.optimizer}: the loss, step by step`,
    xLabel: "step",
    yLabel: "loss",
    series: [{ name: run.optimizer, points }],
    logY,
  }, `stepgrad-run-${++figures}`);
  const last = points.at(-1)![1];
  const summary = `${run.optimizer}, ${run.steps.length} step${
    run.steps.length === 1 ? "" : "s"
  }: loss ${n(run.initialLoss)} → ${n(last)}${
    run.divergence ? `; stopped: ${run.divergence.message}` : ""
  }`;
  return { "image/svg+xml": svg, "text/plain": summary };
}

function gradcheckBundle(r: GradcheckReport): MimeBundle {
  const pass = r.rows.filter((row) => row.pass).length;
  return table(
    `gradcheck: ${pass} of ${r.rows.length} pass (eps ${n(r.eps)}, atol ${n(r.atol)}, rtol ${
      n(r.rtol)
    })`,
    [
      { head: "parameter", cell: (row) => row.label },
      { head: "value", cell: (row) => n(row.value), numeric: true },
      { head: "backprop", cell: (row) => n(row.analytic), numeric: true },
      { head: "finite differences", cell: (row) => n(row.numeric), numeric: true },
      { head: "relative error", cell: (row) => n(row.relError), numeric: true },
      { head: "", cell: (row) => (row.pass ? "✓" : "✗"), fail: (row) => !row.pass },
      { head: "note", cell: (row) => row.note ?? (row.kink ? "at a kink" : "") },
    ],
    r.rows,
  );
}

function threeWayBundle(r: ThreeWayReport): MimeBundle {
  const pass = r.rows.filter((row) => row.pass).length;
  return table(
    `three-way check: ${pass} of ${r.rows.length} agree (${r.nodes} nodes)`,
    [
      { head: "parameter", cell: (row) => row.label },
      { head: "value", cell: (row) => n(row.value), numeric: true },
      { head: "symbolic", cell: (row) => n(row.symbolic), numeric: true },
      { head: "backprop", cell: (row) => n(row.backprop), numeric: true },
      { head: "finite differences", cell: (row) => n(row.numeric), numeric: true },
      { head: "rel. error (symbolic)", cell: (row) => n(row.relErrorSymbolic), numeric: true },
      { head: "rel. error (fin. diff.)", cell: (row) => n(row.relErrorNumeric), numeric: true },
      { head: "verdict", cell: (row) => row.verdict, fail: (row) => !row.pass },
    ],
    r.rows,
  );
}

const RENDERERS: Record<DisplayKind, (x: never) => MimeBundle | Promise<MimeBundle>> = {
  value: valueBundle,
  graph: graphBundle,
  trace: traceBundle,
  run: runBundle,
  gradcheck: gradcheckBundle,
  threeWay: threeWayBundle,
};
for (const [kind, render] of Object.entries(RENDERERS)) {
  const draw = render as (x: unknown) => MimeBundle | Promise<MimeBundle>;
  // A picture that cannot be drawn still shows something: the text form, and why.
  const fallback = (x: unknown, e: unknown): MimeBundle => {
    const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return { "text/plain": `${String(x)}\n(stepgrad could not draw this ${kind}: ${why})` };
  };
  registerDisplay(kind as DisplayKind, (x: unknown) => {
    try {
      const out = draw(x);
      return out instanceof Promise ? out.catch((e) => fallback(x, e)) : out;
    } catch (e) {
      return fallback(x, e);
    }
  });
}
