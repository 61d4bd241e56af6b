/**
 * A step trace regrouped as matrices: a layer's W, its gradient dW, the optimizer's state (a
 * momentum buffer, m, v) and the new W, each a matrix of W's shape, so an optimizer step reads as
 * the learner's own `W -= lr * dW`. The numbers are the scalar trace's, moved into place; nothing
 * is computed again.
 *
 * @module
 */
import type { MLP } from "../nn/mlp.ts";
import type { Matrix, Shape } from "../nn/matrix.ts";
import type { Equation, StepTrace, TraceFormula } from "./trace.ts";

/** Parameters shown together as one matrix (or a column vector): a layer's W, or its b. */
export interface ParamGroup {
  /** The group's symbol (`W₁`, `W_{1}`). */
  name: TraceFormula;
  /** Its gradient's symbol (`dW₁`). */
  grad: TraceFormula;
  /** The parameters' labels in place: rows × columns (a vector is one column). */
  labels: string[][];
}

/** One line of a matrix step: `lhs op rule = result`, the result a matrix of the group's shape. */
export interface MatrixEquation {
  /** As the scalar equations' role. */
  role: Equation["role"];
  /** What the line computes (`mₜ`, `W₁`). */
  lhs: TraceFormula;
  /** `=` defines a quantity; `←` overwrites the parameters. */
  op: "=" | "←";
  /** The rule in the group's symbols; absent for the gradient, which is given. */
  rule?: TraceFormula;
  /** The result, entry by entry as the optimizer computed it. */
  result: Matrix;
  /** Significant digits to show (the most any entry's scalar line asked for). */
  digits: number;
}

/** One optimizer step of one parameter group, in matrix form. */
export interface MatrixStep {
  /** The optimizer's name. */
  optimizer: string;
  /** The step number t. */
  step: number;
  /** The learning rate this step used. */
  lr: number;
  /** The group. */
  group: ParamGroup;
  /** rows × columns. */
  shape: Shape;
  /** Formulas shared by every parameter (bias corrections …), as in the scalar trace. */
  shared: Equation[];
  /** The group before the step. */
  before: Matrix;
  /** The gradient the step read. */
  grad: Matrix;
  /** The group after the step. */
  after: Matrix;
  /** The optimizer's lines for this group, in order, as matrices. */
  equations: MatrixEquation[];
}

const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
const subscript = (n: number) => [...String(n)].map((d) => SUBSCRIPT[Number(d)]).join("");

/**
 * The parameter groups of an MLP: W₁, b₁, W₂, b₂, … (W rows = neurons, columns = inputs; b a
 * column), in the order an optimizer over `model.parameters()` sees them.
 *
 * @example
 * ```ts
 * import { layerGroups, MLP } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const groups = layerGroups(new MLP(2, [3, 1]));
 * assert.deepEqual(groups.map((g) => g.name.text), ["W₁", "b₁", "W₂", "b₂"]);
 * assert.deepEqual(groups[0].labels[2], ["w1[2,0]", "w1[2,1]"]);
 * ```
 */
export function layerGroups(model: MLP): ParamGroup[] {
  return model.layers.flatMap((layer, l) => {
    const k = l + 1;
    return [
      {
        name: { tex: `W_{${k}}`, text: `W${subscript(k)}` },
        grad: { tex: `\\mathrm{d}W_{${k}}`, text: `dW${subscript(k)}` },
        labels: layer.weights().map((row) => row.map((w) => w.label)),
      },
      {
        name: { tex: `b_{${k}}`, text: `b${subscript(k)}` },
        grad: { tex: `\\mathrm{d}b_{${k}}`, text: `db${subscript(k)}` },
        labels: layer.biases().map((b) => [b.label]),
      },
    ];
  });
}

// Each scalar rule is written in its parameter's own symbols (∂L/∂w1[0,0], w1[0,0]); in matrix
// form they become the group's (dW₁, W₁). The longer spelling goes first: the gradient's
// contains the parameter's.
function regroup(f: TraceFormula, param: TraceFormula, grad: TraceFormula, g: ParamGroup) {
  return {
    tex: f.tex.split(grad.tex).join(g.grad.tex).split(param.tex).join(g.name.tex),
    text: f.text.split(grad.text).join(g.grad.text).split(param.text).join(g.name.text),
  };
}

/**
 * The step regrouped as matrices, one {@linkcode MatrixStep} per group. Every parameter in a
 * group must be in the trace; a `RangeError` names the first that is not.
 *
 * @example
 * ```ts
 * import { layerGroups, matrixSteps, MLP, SGD } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const model = new MLP(2, [2, 1], { seed: 3 });
 * for (const p of model.parameters()) p.grad = 1;
 * const W1 = model.layers[0].weightMatrix();
 * const [w1] = matrixSteps(new SGD(model.parameters(), { lr: 0.1 }).step(), layerGroups(model));
 * assert.deepEqual(w1.before, W1);
 * assert.deepEqual(w1.after, model.layers[0].weightMatrix()); // W₁ ← W₁ − α·dW₁
 * assert.equal(w1.equations.at(-1)!.rule!.text, "W₁ − α·dW₁");
 * ```
 */
export function matrixSteps(trace: StepTrace, groups: readonly ParamGroup[]): MatrixStep[] {
  const byLabel = new Map(trace.params.map((p) => [p.label, p]));
  return groups.map((group) => {
    const cells = group.labels.map((row) =>
      row.map((label) => {
        const p = byLabel.get(label);
        if (!p) throw new RangeError(`parameter "${label}" is not in this ${trace.optimizer} step`);
        return p;
      })
    );
    const flat = cells.flat();
    const first = flat[0];
    const at = (f: (p: typeof first) => number) => cells.map((row) => row.map(f));
    const gradient = first.equations.find((e) => e.role === "gradient");
    const update = first.equations.find((e) => e.op === "←");
    const equations: MatrixEquation[] = first.equations.map((e, k) => {
      const lhs = e.role === "gradient" ? group.grad : e.op === "←" ? group.name : e.lhs;
      const rule = e.rule && gradient && update
        ? regroup(e.rule, update.lhs, gradient.lhs, group)
        : e.rule;
      return {
        role: e.role,
        lhs,
        op: e.op,
        ...(rule ? { rule } : {}),
        result: at((p) => p.equations[k].result),
        digits: Math.max(...flat.map((p) => p.equations[k].digits)),
      };
    });
    return {
      optimizer: trace.optimizer,
      step: trace.step,
      lr: trace.lr,
      group,
      shape: [cells.length, cells[0].length] as const,
      shared: trace.shared,
      before: at((p) => p.before),
      grad: at((p) => p.grad),
      after: at((p) => p.after),
      equations,
    };
  });
}
