/**
 * The three-way check: for each parameter, the symbolic derivative (the op table's formulas
 * chained along the graph), backprop and central differences side by side, with relative errors,
 * pass/fail and a verdict in words. Rendered as an aligned text table, LaTeX and JSON.
 *
 * @module
 */
import { labelledLeaves, topoSort, type Value } from "../graph/value.ts";
import { withDisplay } from "../graph/display.ts";
import { formatNumber, formatNumberLatex } from "../text/format.ts";
import { escapeTex } from "../text/escape.ts";
import { localValue, symbolicGradients } from "../symbolic/local.ts";
import { texName } from "../symbolic/tex.ts";
import { gradcheck, relativeError } from "./gradcheck.ts";

/** Options for {@linkcode threeWayCheck}. */
export interface ThreeWayOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Finite differences vs backprop: absolute tolerance (default 1e-5, PyTorch's). */
  atol?: number;
  /** Finite differences vs backprop: relative tolerance (default 1e-3, PyTorch's). */
  rtol?: number;
  /** Symbolic vs backprop: |s − b| ≤ tolerance · max(1, |b|) (default 1e-10). */
  symbolicTolerance?: number;
  /**
   * Gradients to check instead of running `backward()`, one per parameter (a hand-written
   * backward pass, or another engine's answer), as in `gradcheck`.
   */
  gradients?: readonly number[];
}

/** One parameter's row. */
export interface ThreeWayRow {
  /** The parameter's label. */
  label: string;
  /** Its value. */
  value: number;
  /** The symbolic derivative's value. */
  symbolic: number;
  /** Backprop's gradient. */
  backprop: number;
  /** The central-difference estimate. */
  numeric: number;
  /** Relative error of symbolic against backprop. */
  relErrorSymbolic: number;
  /** Relative error of finite differences against backprop. */
  relErrorNumeric: number;
  /** Symbolic and backprop agree, and finite differences agree too or a kink explains why not. */
  pass: boolean;
  /** A relu or abs changes branch within ±eps of this parameter. */
  kink: boolean;
  /** What the row means, in words. */
  verdict: string;
}

/** A whole three-way check. */
export interface ThreeWayReport {
  /** Every row passed. */
  ok: boolean;
  /** One row per parameter. */
  rows: ThreeWayRow[];
  /** Nodes in the graph. */
  nodes: number;
  /** The options used. */
  eps: number;
  /** See `eps`. */
  atol: number;
  /** See `eps`. */
  rtol: number;
  /** See `eps`. */
  symbolicTolerance: number;
}

/**
 * Checks each parameter's gradient three ways. Runs `root.backward()` (parameters' grads are set
 * to 0 first and hold backprop's gradients afterwards). Linear in the graph per parameter for the
 * finite differences, linear overall for the symbolic and backprop columns.
 *
 * @param params the leaves to check (default: every labelled leaf)
 *
 * @example
 * ```ts
 * import { threeWayCheck, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w"), x = new Value(-2, "x");
 * const report = threeWayCheck(w.mul(x).relu().add(w.tanh()));
 * assert.ok(report.ok);
 * assert.equal(report.rows[0].verdict, "all three agree");
 * ```
 */
export function threeWayCheck(
  root: Value,
  params: readonly Value[] = labelledLeaves(root),
  options: ThreeWayOptions = {},
): ThreeWayReport {
  const tol = options.symbolicTolerance ?? 1e-10;
  if (!(tol >= 0) || !Number.isFinite(tol)) {
    throw new RangeError(`symbolicTolerance must be a non-negative number, got ${tol}`);
  }
  const order = topoSort(root);
  const check = gradcheck(root, params, {
    eps: options.eps,
    atol: options.atol,
    rtol: options.rtol,
    gradients: options.gradients,
  });
  const symbolic = symbolicGradients(root, order);
  const rows = check.rows.map((r, i): ThreeWayRow => {
    const s = symbolic.get(params[i]) ?? 0;
    const b = r.analytic;
    const bothNonFinite = !Number.isFinite(s) && Object.is(s, b); // both ∞, both −∞, both NaN
    const symbolicAgrees = bothNonFinite || (Number.isFinite(s) && Number.isFinite(b) &&
      Math.abs(s - b) <= tol * Math.max(1, Math.abs(b)));
    const pass = symbolicAgrees && !bothNonFinite && (r.pass || r.kink);
    let verdict: string;
    if (bothNonFinite) {
      verdict = `backprop and the symbolic derivative agree: both ${formatNumber(b)}, because ${
        nonFiniteCause(order, params[i])
      }; finite differences (${formatNumber(r.numeric)}) cannot check a slope that is not finite`;
    } else if (!symbolicAgrees) {
      const fdSides = Math.abs(r.numeric - s) <= check.atol + check.rtol * Math.abs(s);
      verdict = `backprop (${formatNumber(b)}) disagrees with the symbolic derivative (${
        formatNumber(s)
      })${
        fdSides
          ? ` and with finite differences (${formatNumber(r.numeric)}): the backward pass is wrong`
          : ": a backward rule does not match its formula"
      }`;
    } else if (r.kink) {
      verdict = `this parameter sits at a kink: finite differences average the two slopes (${
        formatNumber(r.numeric)
      }); backprop and the symbolic rule take the one-sided convention relu'(0) = abs'(0) = 0`;
    } else if (r.pass) {
      verdict = "all three agree";
    } else {
      verdict = r.note ?? "finite differences disagree with backprop and the symbolic derivative";
    }
    return {
      label: r.label,
      value: r.value,
      symbolic: s,
      backprop: b,
      numeric: r.numeric,
      relErrorSymbolic: relativeError(s, b),
      relErrorNumeric: r.relError,
      pass,
      kink: r.kink,
      verdict,
    };
  });
  const report: ThreeWayReport = {
    ok: rows.every((r) => r.pass),
    rows,
    nodes: order.length,
    eps: check.eps,
    atol: check.atol,
    rtol: check.rtol,
    symbolicTolerance: tol,
  };
  return withDisplay(report, "threeWay", threeWayText); // a table in a notebook
}

/** The first node on the way from `param` up whose value or local slope is not finite, in words. */
function nonFiniteCause(order: readonly Value[], param: Value): string {
  const below = new Set<Value>([param]);
  for (const v of order) {
    if (v.isLeaf || !v.inputs.some((u) => below.has(u))) continue;
    below.add(v);
    const args = v.inputs.map((u) => formatNumber(u.data)).join(", ");
    if (!Number.isFinite(v.data)) return `${v.op}(${args}) is ${formatNumber(v.data)}`;
    for (const [i, u] of v.inputs.entries()) {
      if (!below.has(u)) continue;
      const slope = localValue(v, i);
      if (!Number.isFinite(slope)) {
        return `the slope of ${v.op} at ${args} is ${formatNumber(slope)}`;
      }
    }
  }
  return "a value on the way is not finite";
}

const HEADER = [
  "parameter",
  "value",
  "symbolic",
  "backprop",
  "finite diff.",
  "rel. err. sym.",
  "rel. err. FD",
  "result",
];

function status(r: ThreeWayRow): string {
  if (!Number.isFinite(r.backprop) && Object.is(r.backprop, r.symbolic)) return "not finite";
  return !r.pass ? "FAIL" : r.kink ? "kink" : "ok";
}

/**
 * The report as an aligned text table, then one line per row whose verdict is not "all three
 * agree", then a summary line.
 *
 * @example
 * ```ts
 * import { threeWayCheck, threeWayText, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(2, "w");
 * const text = threeWayText(threeWayCheck(w.mul(w)));
 * assert.match(text, /^parameter +value +symbolic/);
 * assert.match(text, /\nw +2 +4 +4 +4 /);
 * ```
 */
export function threeWayText(report: ThreeWayReport): string {
  const cells = report.rows.map((r) => [
    r.label,
    formatNumber(r.value),
    formatNumber(r.symbolic),
    formatNumber(r.backprop),
    formatNumber(r.numeric),
    formatNumber(r.relErrorSymbolic, { digits: 2 }),
    formatNumber(r.relErrorNumeric, { digits: 2 }),
    status(r),
  ]);
  const widths = HEADER.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j].length)));
  const line = (c: string[]) =>
    c.map((s, j) => (j === 0 || j === c.length - 1 ? s.padEnd(widths[j]) : s.padStart(widths[j])))
      .join("  ").trimEnd();
  const notes = report.rows.filter((r) => r.verdict !== "all three agree").map((r) =>
    `${r.label}: ${r.verdict}`
  );
  const failed = report.rows.filter((r) => !r.pass).length;
  const summary = report.ok
    ? `all ${report.rows.length} parameters agree three ways (${report.nodes} nodes)`
    : `${failed} of ${report.rows.length} parameters fail (${report.nodes} nodes)`;
  return [line(HEADER), ...cells.map(line), ...notes, summary].join("\n");
}

/**
 * The report as a LaTeX `array` (KaTeX renders it in strict mode).
 *
 * @example
 * ```ts
 * import { threeWayCheck, threeWayTex, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(2, "w1");
 * assert.match(threeWayTex(threeWayCheck(w.mul(w))), /w_\{1\} & 2 & 4 & 4 & 4/);
 * ```
 */
export function threeWayTex(report: ThreeWayReport): string {
  const head = [
    "\\text{parameter}",
    "\\text{value}",
    "\\text{symbolic}",
    "\\text{backprop}",
    "\\text{finite diff.}",
    "\\text{rel. err. sym.}",
    "\\text{rel. err. FD}",
    "\\text{result}",
  ];
  const rows = report.rows.map((r) =>
    [
      texName(r.label),
      formatNumberLatex(r.value),
      formatNumberLatex(r.symbolic),
      formatNumberLatex(r.backprop),
      formatNumberLatex(r.numeric),
      formatNumberLatex(r.relErrorSymbolic, { digits: 2 }),
      formatNumberLatex(r.relErrorNumeric, { digits: 2 }),
      `\\text{${escapeTex(status(r))}}`,
    ].join(" & ")
  );
  return `\\begin{array}{lrrrrrrl}\n${[head.join(" & "), ...rows].join(" \\\\\n")}\n\\end{array}`;
}

/** A number for JSON: NaN and ±Infinity as strings (JSON has no such numbers). */
function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/**
 * The report as one JSON object (numbers in full precision; NaN and ±Infinity as strings).
 *
 * @example
 * ```ts
 * import { threeWayCheck, threeWayJson, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(2, "w");
 * const j = JSON.parse(threeWayJson(threeWayCheck(w.mul(w))));
 * assert.equal(j.ok, true);
 * assert.equal(j.rows[0].backprop, 4);
 * ```
 */
export function threeWayJson(report: ThreeWayReport): string {
  return JSON.stringify({
    ok: report.ok,
    nodes: report.nodes,
    eps: report.eps,
    atol: report.atol,
    rtol: report.rtol,
    symbolicTolerance: report.symbolicTolerance,
    rows: report.rows.map((r) => ({
      label: r.label,
      value: jsonNumber(r.value),
      symbolic: jsonNumber(r.symbolic),
      backprop: jsonNumber(r.backprop),
      numeric: jsonNumber(r.numeric),
      relErrorSymbolic: jsonNumber(r.relErrorSymbolic),
      relErrorNumeric: jsonNumber(r.relErrorNumeric),
      pass: r.pass,
      kink: r.kink,
      verdict: r.verdict,
    })),
  });
}
