/**
 * The progress bar the terminal sink draws on stderr.
 *
 * @module
 */

/**
 * A progress bar: `label  [██████░░░░░░]  45/100`.
 *
 * @example
 * ```ts
 * import { progressBar } from "./terminal_progress.ts";
 * import assert from "node:assert/strict";
 * assert.equal(progressBar("training", 1, 4, 8), "training  [██░░░░░░]  1/4");
 * ```
 */
export function progressBar(label: string, done: number, total: number, width = 30): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const full = Math.round(fraction * width);
  return `${label}  [${"█".repeat(full)}${"░".repeat(width - full)}]  ${done}/${total}`;
}
