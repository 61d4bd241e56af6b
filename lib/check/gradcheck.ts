/**
 * `gradcheck`: backprop against central differences, parameter by parameter, with PyTorch's
 * tolerances and CS231n's relative error.
 *
 * @module
 */
import { labelledLeaves, recompute, topoSort, type Value } from "../graph/value.ts";
import { withDisplay } from "../graph/display.ts";
import { graphDifference } from "./finite_difference.ts";

/** Options for {@linkcode gradcheck}; the defaults are PyTorch's `gradcheck`. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /**
   * Gradients to check instead of running `backward()`, one per parameter: a hand-written
   * backward pass, or another engine's answer.
   */
  gradients?: readonly number[];
}

/** The check of one parameter. */
export interface GradcheckRow {
  /** The parameter's label. */
  label: string;
  /** The parameter's value. */
  value: number;
  /** ∂root/∂parameter from backprop. */
  analytic: number;
  /** The central-difference estimate. */
  numeric: number;
  /** |analytic − numeric|. */
  absError: number;
  /** CS231n's |a − n| / max(|a|, |n|) (0 when both are 0). */
  relError: number;
  /** |a − n| ≤ atol + rtol·|n|, with both finite. */
  pass: boolean;
  /** A relu or abs changes branch within ±eps of this parameter. */
  kink: boolean;
  /** Why a row failed or deserves care, in words, when it does. */
  note?: string;
}

/** A whole check. */
export interface GradcheckReport {
  /** Every row passed. */
  ok: boolean;
  /** The options used. */
  eps: number;
  /** See `eps`. */
  atol: number;
  /** See `eps`. */
  rtol: number;
  /** One row per parameter, in the order given. */
  rows: GradcheckRow[];
}

const EPSILON = Number.EPSILON;

/**
 * CS231n's relative error |a − n| / max(|a|, |n|), 0 when both are 0, NaN when either is.
 *
 * @example
 * ```ts
 * import { relativeError } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(relativeError(1, 2), 0.5);
 * assert.equal(relativeError(0, 0), 0);
 * ```
 */
export function relativeError(a: number, n: number): number {
  if (a === n) return Number.isNaN(a) ? NaN : 0;
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n));
}

/**
 * Checks backprop's gradient of `root` with respect to each parameter against central
 * differences. Recomputes the forward pass from the parameters' current values first (so a check
 * after an optimizer step sees the new values), then runs `root.backward()` itself, after setting the parameters' grads to 0 (they hold
 * the analytic gradients afterwards). Never passes a row whose numbers are NaN; says when a kink
 * or rounding (a step too small) explains a disagreement.
 *
 * @param params the leaves to check (default: every labelled leaf)
 *
 * @example
 * ```ts
 * import { gradcheck, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w"), x = new Value(-2, "x");
 * const report = gradcheck(w.mul(x).tanh());
 * assert.ok(report.ok);
 * assert.deepEqual(report.rows.map((r) => r.label), ["w", "x"]);
 * ```
 */
export function gradcheck(
  root: Value,
  params: readonly Value[] = labelledLeaves(root),
  options: GradcheckOptions = {},
): GradcheckReport {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  for (const [name, v] of [["eps", eps], ["atol", atol], ["rtol", rtol]] as const) {
    if (!(v >= 0) || !Number.isFinite(v) || (name === "eps" && v === 0)) {
      throw new RangeError(
        `gradcheck: ${name} must be a ${
          name === "eps" ? "positive" : "non-negative"
        } number, got ${v}`,
      );
    }
  }
  const given = options.gradients;
  if (given !== undefined && given.length !== params.length) {
    throw new RangeError(
      `gradcheck: ${given.length} gradients given for ${params.length} parameters`,
    );
  }
  const order = topoSort(root);
  // The nodes may hold values from before a parameter changed (an optimizer step): recompute the
  // forward pass, so backprop and finite differences both see the parameters' current values.
  recompute(order);
  if (given === undefined) {
    for (const p of params) p.grad = 0;
    root.backward();
  }
  const rows = params.map((p, i): GradcheckRow => {
    const analytic = given === undefined ? p.grad : given[i];
    const d = graphDifference(root, p, eps, order);
    const numeric = d.numeric;
    const absError = Math.abs(analytic - numeric);
    const bothFinite = Number.isFinite(analytic) && Number.isFinite(numeric);
    const pass = bothFinite && absError <= atol + rtol * Math.abs(numeric);
    const row: GradcheckRow = {
      label: p.label,
      value: p.data,
      analytic,
      numeric,
      absError,
      relError: relativeError(analytic, numeric),
      pass,
      kink: d.crossesKink,
    };
    if (d.domainError) {
      row.note = `finite differences left the domain at ${
        p.label || "the parameter"
      } ± ${eps}: ${d.domainError}`;
    } else if (d.crossesKink) {
      row.note = "this parameter sits at a kink: finite differences average the two slopes";
    } else if (!bothFinite) {
      row.note =
        `not finite (analytic ${analytic}, numeric ${numeric}): the function or its slope overflows here`;
    } else if (!pass) {
      const rounding = (EPSILON * Math.max(Math.abs(d.plus), Math.abs(d.minus), 1e-300)) / eps;
      row.note = rounding * 10 > absError
        ? `finite differences lost precision: rounding error ≈ ${
          rounding.toExponential(1)
        } at step ${eps} (cancellation; try a larger step)`
        : "backprop and finite differences disagree: a backward rule is likely wrong";
    }
    return row;
  });
  // In a notebook the report displays as a table (lib/jupyter/display.ts).
  return withDisplay(
    { ok: rows.every((r) => r.pass), eps, atol, rtol, rows },
    "gradcheck",
    (r) => `gradcheck: ${r.rows.filter((row) => row.pass).length}/${r.rows.length} pass`,
  );
}
