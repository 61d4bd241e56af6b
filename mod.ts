/**
 * stepgrad: learn how neural networks learn by watching every number.
 *
 * Build a network as an explicit graph of named scalars ({@linkcode Value}), run backprop, check
 * every gradient three ways (symbolic, backprop, finite differences) and watch each optimizer step
 * written out with its numbers filled in.
 *
 * Run directly (`deno run -A mod.ts <command>`), this module is the command-line tool: `check`,
 * `optimize`, `handout`, `lesson`, `diagnose`; `deno run -A mod.ts help` lists them.
 *
 * @example
 * ```ts
 * import { Value } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = new Value(0.5, "w");
 * const loss = w.mul(2).sub(3).pow(2); // (2w − 3)²
 * loss.backward();
 * const lr = 0.1;
 * w.data -= lr * w.grad; // W ← W − α·dW
 * assert.equal(w.data, 0.5 - 0.1 * (2 * (2 * 0.5 - 3) * 2));
 * ```
 *
 * @module
 */

// The engine: Value (a named scalar in an expression graph) and backprop, the op table every
// op is defined in once, and the graph as Graphviz DOT.
export { labelledLeaves, recompute, topoSort, Value } from "./lib/graph/value.ts";
export {
  type Arithmetic,
  type ArithmeticRules,
  DERIVATIVE_FUNCTION_NAMES,
  DERIVATIVE_FUNCTION_SPECS,
  type DerivativeFunctionName,
  FUNCTION_OP_NAMES,
  FUNCTION_PRECEDENCE,
  type FunctionOpName,
  FUNCTIONS,
  type FunctionSpec,
  OP_BY_NAME,
  OP_NAMES,
  type OpName,
  OPS,
  type OpSpec,
  opSpec,
  type StandardFunction,
} from "./lib/graph/ops.ts";
export { type DotOptions, toDot } from "./lib/graph/dot.ts";

// Speed: record a graph once, then replay its forward and backward passes over flat typed
// arrays (the same numbers, bit for bit).
export { compile, type CompiledGraph } from "./lib/graph/compile.ts";

// Networks: neurons, layers and MLPs built from Values, losses, matrices, seeded random
// numbers and the data sets the lessons train on.
export { type Rng, seededRandom } from "./lib/nn/random.ts";
export { type Activation, Neuron, type NeuronOptions } from "./lib/nn/neuron.ts";
export { Layer, type LayerOptions } from "./lib/nn/layer.ts";
export { MLP, type MLPOptions } from "./lib/nn/mlp.ts";
export {
  accuracy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  maxMarginLoss,
  type MaxMarginOptions,
  mse,
  sum,
} from "./lib/nn/losses.ts";
export { type Dataset, makeMoons } from "./lib/nn/data.ts";
export {
  addMatrices,
  column,
  formatShape,
  hadamard,
  matmul,
  type Matrix,
  outer,
  type Shape,
  shapeOf,
  transpose,
} from "./lib/nn/matrix.ts";

// Gradient checks: finite differences, gradcheck, and the three-way check (symbolic, backprop,
// finite differences) of a scalar, a layer or a matrix claim.
export {
  centralDifference,
  type GraphDifference,
  graphDifference,
} from "./lib/check/finite_difference.ts";
export {
  gradcheck,
  type GradcheckOptions,
  type GradcheckReport,
  type GradcheckRow,
  relativeError,
} from "./lib/check/gradcheck.ts";
export {
  ClaimSyntaxError,
  judgeLayerClaim,
  type LayerSlip,
  type LayerSpec,
  type LayerVerdict,
  MAZUR_NETWORK,
  type NetworkSpec,
  parseLayerClaim,
} from "./lib/check/layer_claim.ts";
export {
  type MatrixBackprop,
  matrixBackprop,
  type MatrixBackpropOptions,
  type MatrixLayer,
} from "./lib/check/matrix_backprop.ts";

// Numbers: the one formatter every output goes through (text, LaTeX, and back).
export {
  digitsToDistinguish,
  formatNumber,
  formatNumberLatex,
  type FormatOptions,
  type NumberParts,
  numberParts,
  parseFormatted,
} from "./lib/text/format.ts";

// Typed expressions: the restricted parser, the graph builder, printing in text and TeX,
// derivatives and the verification of a claimed derivative.
// Nothing here loads mathjs; the symbolic functions that need it load it on first use.
export {
  type ConstantName,
  DERIVATIVE_FUNCTIONS,
  type Expr,
  type Factor,
  type FunctionName,
  type Term,
  USER_FUNCTIONS,
} from "./lib/symbolic/ast.ts";
export {
  ExpressionError,
  MAX_EXPRESSION_LENGTH,
  MAX_NESTING_DEPTH,
  type ParsedExpression,
  parseExpression,
  type ParseOptions,
} from "./lib/symbolic/parse.ts";
export { buildGraph, type BuiltGraph } from "./lib/symbolic/build_graph.ts";
export { toText } from "./lib/symbolic/print.ts";
export { texName, toTex } from "./lib/symbolic/tex.ts";
export { evaluateExpr, type Evaluation } from "./lib/symbolic/evaluate.ts";
export { loadSymbolic, type Symbolic } from "./lib/symbolic/mathjs.ts";
export { differentiate } from "./lib/symbolic/derivative.ts";
export { graphToExpr, type GraphToExprOptions } from "./lib/symbolic/graph_to_expr.ts";
export {
  type ChainFactor,
  type ChainRule,
  chainRule,
  symbolicGradients,
} from "./lib/symbolic/local.ts";
export { type ClosedForm, closedForm } from "./lib/symbolic/closed_form.ts";
export { chainRuleTex, chainRuleText } from "./lib/symbolic/chain_render.ts";
export {
  threeWayCheck,
  threeWayJson,
  type ThreeWayOptions,
  type ThreeWayReport,
  type ThreeWayRow,
  threeWayTex,
  threeWayText,
} from "./lib/check/three_way.ts";
export {
  type Counterexample,
  verifyGradient,
  type VerifyInput,
  verifyJson,
  type VerifyResult,
  verifyText,
} from "./lib/symbolic/verify.ts";

// Optimizers: the nine PyTorch optimizers and the schedulers, each step recorded as a trace
// (plain data, by parameter or by matrix), runs that stop on divergence; a formula written once
// with number slots (`formula`, `matrixFormula`); the trace renderers (text, LaTeX, Markdown,
// HTML, JSON).
export {
  type Divergence,
  type Equation,
  type OptimizationRun,
  type ParamStep,
  type StepTrace,
  type TraceFormula,
  traceHeader,
  type TraceInput,
  traceSteps,
} from "./lib/optim/trace.ts";
export {
  Optimizer,
  type OptionValue,
  ParamContext,
  type StepOptions,
  TraceLines,
} from "./lib/optim/optimizer.ts";
export {
  layerGroups,
  type MatrixEquation,
  type MatrixStep,
  matrixSteps,
  type ParamGroup,
} from "./lib/optim/matrix_trace.ts";
export {
  formula,
  FormulaError,
  type FormulaText,
  type Slot,
  texToText,
} from "./lib/text/formula.ts";
export {
  matrixFormula,
  type MatrixFormulaOptions,
  type MatrixLimits,
  type MatrixPart,
  matrixStepFormulas,
  matrixStepTex,
  matrixStepText,
  matrixTex,
  matrixTextLines,
  shownIndices,
} from "./lib/render/matrix.ts";
export { SGD, SGD_DEFAULTS, type SGDOptions } from "./lib/optim/sgd.ts";
export { RMSprop, RMSPROP_DEFAULTS, type RMSpropOptions } from "./lib/optim/rmsprop.ts";
export { Adagrad, ADAGRAD_DEFAULTS, type AdagradOptions } from "./lib/optim/adagrad.ts";
export { Adadelta, ADADELTA_DEFAULTS, type AdadeltaOptions } from "./lib/optim/adadelta.ts";
export { Adam, ADAM_DEFAULTS, type AdamOptions } from "./lib/optim/adam.ts";
export { AdamW, ADAMW_DEFAULTS, type AdamWOptions } from "./lib/optim/adamw.ts";
export { Adamax, ADAMAX_DEFAULTS, type AdamaxOptions } from "./lib/optim/adamax.ts";
export { NAdam, NADAM_DEFAULTS, type NAdamOptions } from "./lib/optim/nadam.ts";
export { RAdam, RADAM_DEFAULTS, type RAdamOptions } from "./lib/optim/radam.ts";
export {
  createOptimizer,
  type OptimizerConstructor,
  type OptimizerName,
  optimizerName,
  OPTIMIZERS,
} from "./lib/optim/registry.ts";
export { type NotationTerm } from "./lib/optim/notation.ts";
// The course's notation table: every symbol, its TeX and text, its meaning and its option.
export {
  at,
  bar,
  hat,
  type Indexed,
  type MathSymbol,
  NOTATION,
  type NotationKey,
  type OptionRef,
  optionSymbol,
  prev,
  runningMax,
  stepSymbol,
  symbol,
} from "./lib/text/notation.ts";
export {
  CosineAnnealingLR,
  createScheduler,
  ExponentialLR,
  LinearLR,
  LRScheduler,
  type LrTarget,
  parseScheduler,
  SCHEDULER_FORMS,
  schedulerFor,
  type SchedulerKind,
  type SchedulerSpec,
  StepLR,
} from "./lib/optim/schedulers.ts";
export { GROWTH_LIMIT, runOptimizer, type RunOptions, type Steppable } from "./lib/optim/run.ts";
export {
  type BandRule,
  bestRun,
  logRates,
  rateBand,
  runAt,
  type Sweep,
  sweep,
  type SweepOptions,
  type SweepProblem,
  sweepProblem,
  type SweepRun,
} from "./lib/optim/sweep.ts";
export { alignEquations, type TraceTextOptions, traceToText } from "./lib/render/trace_text.ts";
export {
  type FormulaGroup,
  stepFormulas,
  traceFormulas,
  traceToLatex,
} from "./lib/render/trace_latex.ts";
export { traceToMarkdown } from "./lib/render/trace_markdown.ts";
export { traceToHtml } from "./lib/render/trace_html.ts";
export { type JsonNumber, type TraceJsonOptions, traceToJson } from "./lib/render/trace_json.ts";

// Lessons: the document a lesson writes (blocks, Doc, Sink), the runner behind
// `deno run lessons/NN-name.ts`, and the terminal renderer. Write a lesson with `Doc`;
// `defineLesson` runs it when run directly.
export {
  aligned,
  type Block,
  type Cell,
  Collector,
  type Column,
  Doc,
  type Exercise,
  type Formula,
  type Inline,
  type Lesson,
  type LessonOptions,
  type Series,
  type Sink,
  tex,
} from "./lib/doc/doc.ts";
export {
  defineLesson,
  type LessonArgs,
  lessonHeading,
  lessonHelp,
  parseLessonArgs,
  type RunIO,
  runLesson,
} from "./lib/lesson/lesson.ts";
export {
  fitText,
  renderBlock,
  type TerminalOptions,
  TerminalSink,
  type TerminalSinkOptions,
} from "./lib/render/terminal.ts";
export { DEFAULT_WIDTH } from "./lib/text/width.ts";
/** The live panels a lesson exports as `EXPLORE` (`handout --interactive`). */
export type { ExplorePanel } from "./lib/explore/handout.ts";
export type { ExploreSpec } from "./lib/explore/page.ts";
export type { ExploreState } from "./lib/explore/state.ts";

// Handouts: a lesson run once and written as HTML, PDF, Markdown or LaTeX. Renderers
// load on first use (KaTeX, Observable Plot, Graphviz, Chromium), so importing this stays cheap.
export { asLesson, collectHandout, type Handout } from "./lib/handout/handout.ts";
export { type Rendered, renderFormat, type RenderOptions } from "./lib/handout/render.ts";
export type { Paper } from "./lib/handout/pdf.ts";

// Diagnosis: which update rule a learner's own run follows, or the catalogued mistake it makes.
export {
  dataDigits,
  type KnownValue,
  type LearnerRun,
  parseRunCsv,
  parseRunJson,
} from "./lib/diagnose/input.ts";
export {
  type Candidate,
  type Departure,
  diagnose,
  type DiagnosedOptions,
  type Diagnosis,
} from "./lib/diagnose/diagnose.ts";
export { catalogueText, diagnosisJson, diagnosisToText } from "./lib/diagnose/render.ts";
export { MISTAKE_IDS, type MistakeInfo, mistakeInfo } from "./lib/diagnose/catalogue.ts";
// Notebooks: in `deno jupyter` a Value, its graph(), a step trace, a run and the
// gradient reports display richly (lib/jupyter/display.ts registers how); a trace as HTML that
// carries KaTeX's CSS.
export { displayBundle } from "./lib/jupyter/display.ts";
export { JUPYTER_DISPLAY, type MimeBundle } from "./lib/graph/display.ts";
export { ExpressionGraph } from "./lib/graph/value.ts";
export { type StandaloneHtmlOptions, traceToStandaloneHtml } from "./lib/handout/trace_page.ts";
// A teacher's branding of a handout: `handout --title --author --course`.
export type { Masthead } from "./lib/handout/handout.ts";

if (import.meta.main) {
  // No top-level await: a lesson that imports mod.ts while `handout` runs it must not wait
  // for this module to finish evaluating (that would never happen).
  import("./lib/cli/main.ts").then(({ main }) => main(Deno.args)).then((code) => Deno.exit(code));
}
