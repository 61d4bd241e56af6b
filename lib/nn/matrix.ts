/**
 * Small dense matrices of numbers, as arrays of rows: just what a learner's `W`, `dW`, `b` and
 * `δ` need (shapes, products, the outer product, the element-wise product). A view for showing
 * and checking the scalar engine's numbers, not a second engine.
 *
 * @module
 */

/** A matrix as an array of rows; every row has the same length. */
export type Matrix = number[][];

/** A shape: rows × columns. */
export type Shape = readonly [rows: number, cols: number];

/**
 * The shape of a matrix (`[0, 0]` for an empty one); a `RangeError` when rows differ in length.
 *
 * @example
 * ```ts
 * import { shapeOf } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(shapeOf([[1, 2, 3], [4, 5, 6]]), [2, 3]);
 * ```
 */
export function shapeOf(m: Matrix): Shape {
  const cols = m.length === 0 ? 0 : m[0].length;
  for (let r = 1; r < m.length; r++) {
    if (m[r].length !== cols) {
      throw new RangeError(
        `a matrix's rows must have one length: row 0 has ${cols} entries, row ${r} has ${
          m[r].length
        }`,
      );
    }
  }
  return [m.length, cols];
}

/**
 * A shape as people write it: `16×2`.
 *
 * @example
 * ```ts
 * import { formatShape } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatShape([16, 2]), "16×2");
 * ```
 */
export function formatShape(shape: Shape): string {
  return `${shape[0]}×${shape[1]}`;
}

/** A column vector (n×1) from a list of numbers. */
export function column(v: readonly number[]): Matrix {
  return v.map((x) => [x]);
}

/** Mᵀ. */
export function transpose(m: Matrix): Matrix {
  const [rows, cols] = shapeOf(m);
  return Array.from({ length: cols }, (_, c) => Array.from({ length: rows }, (_, r) => m[r][c]));
}

/**
 * A·B, summing each entry's products in index order; a `RangeError` naming both shapes when the
 * inner dimensions differ.
 *
 * @example
 * ```ts
 * import { matmul } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(matmul([[1, 2], [3, 4]], [[5], [6]]), [[17], [39]]);
 * ```
 */
export function matmul(a: Matrix, b: Matrix): Matrix {
  const [n, k] = shapeOf(a);
  const [k2, m] = shapeOf(b);
  if (k !== k2) {
    throw new RangeError(
      `cannot multiply a ${formatShape([n, k])} matrix by a ${
        formatShape([k2, m])
      } one: the first's columns (${k}) must equal the second's rows (${k2})`,
    );
  }
  return Array.from({ length: n }, (_, r) =>
    Array.from({ length: m }, (_, c) => {
      let s = 0;
      for (let i = 0; i < k; i++) s += a[r][i] * b[i][c];
      return s;
    }));
}

/** A ⊙ B, entry by entry; a `RangeError` naming both shapes when they differ. */
export function hadamard(a: Matrix, b: Matrix): Matrix {
  const sa = shapeOf(a), sb = shapeOf(b);
  if (sa[0] !== sb[0] || sa[1] !== sb[1]) {
    throw new RangeError(
      `an element-wise product needs equal shapes, got ${formatShape(sa)} and ${formatShape(sb)}`,
    );
  }
  return a.map((row, r) => row.map((x, c) => x * b[r][c]));
}

/** A + B, entry by entry; a `RangeError` naming both shapes when they differ. */
export function addMatrices(a: Matrix, b: Matrix): Matrix {
  const sa = shapeOf(a), sb = shapeOf(b);
  if (sa[0] !== sb[0] || sa[1] !== sb[1]) {
    throw new RangeError(
      `a sum needs equal shapes, got ${formatShape(sa)} and ${formatShape(sb)}`,
    );
  }
  return a.map((row, r) => row.map((x, c) => x + b[r][c]));
}

/** The outer product u·vᵀ (a column times a row): entry (r, c) is u[r]·v[c]. */
export function outer(u: readonly number[], v: readonly number[]): Matrix {
  return u.map((x) => v.map((y) => x * y));
}
