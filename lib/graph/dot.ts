/**
 * Graphviz text for an expression graph, for pictures of what backprop walks through.
 *
 * @module
 */
import { short, topoSort, type Value } from "./value.ts";

function escapeRecord(s: string): string {
  return s.replace(/[\\{}|<>"]/g, (c) => `\\${c}`).replace(/\n/g, " ");
}

/** Options for {@linkcode toDot}. */
export interface DotOptions {
  /** Graphviz's layout direction (default `"LR"`, inputs on the left). */
  rankdir?: "LR" | "TB";
  /**
   * Writes the numbers (default: six significant digits, ASCII minus). Pass the renderers'
   * `formatNumber` for pictures people read.
   */
  format?: (x: number) => string;
}

/**
 * Writes the graph below `root` in Graphviz DOT: one record per value (`label | data | grad`),
 * one ellipse per operation, edges from inputs to the op and from the op to its result. An input
 * used twice by one op (`x.mul(x)`) is drawn as two edges. Constants (unlabelled leaves, such as
 * the 2 of `x.pow(2)`) show their value only: their gradient means nothing. Nodes are numbered in
 * topological order, so the same graph always gives the same text.
 *
 * @example
 * ```ts
 * import { Value, toDot } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const x = new Value(3, "x");
 * const dot = toDot(x.mul(x));
 * assert.match(dot, /n0 \[label="\{ x \| data 3 \| grad 0 \}"\]/);
 * assert.equal(dot.match(/n0 -> op1/g)?.length, 2); // x feeds mul twice
 * ```
 */
export function toDot(root: Value, options: DotOptions = {}): string {
  const format = options.format ?? short;
  const order = topoSort(root);
  const id = new Map<Value, number>();
  order.forEach((v, i) => id.set(v, i));
  const lines = [
    "digraph G {",
    `  rankdir=${options.rankdir ?? "LR"};`,
    '  node [fontname="Helvetica", shape=record];',
  ];
  for (const [i, v] of order.entries()) {
    const name = v.label;
    const constant = v.isLeaf && name === "";
    const data = `data ${escapeRecord(format(v.data))}`;
    const text = constant
      ? `{ ${data} }`
      : `{ ${name ? `${escapeRecord(name)} | ` : ""}${data} | grad ${
        escapeRecord(format(v.grad))
      } }`;
    lines.push(`  n${i} [label="${text}"];`);
    if (!v.isLeaf) {
      lines.push(`  op${i} [label="${v.op}", shape=ellipse];`);
      for (const input of v.inputs) lines.push(`  n${id.get(input)} -> op${i};`);
      lines.push(`  op${i} -> n${i};`);
    }
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
