// Cost of tracing and rendering optimizer steps: a 2-16-16-1 MLP's 337 parameters, one Adam step.
import {
  Adam,
  MLP,
  type StepTrace,
  traceToHtml,
  traceToJson,
  traceToLatex,
  traceToMarkdown,
  traceToText,
} from "../mod.ts";

const model = new MLP(2, [16, 16, 1], { seed: 1 });
const params = model.parameters();
const opt = new Adam(params, { lr: 1e-3, amsgrad: true });
const setGrads = () => params.forEach((p, i) => p.grad = Math.sin(i + p.data));
setGrads();
const trace: StepTrace = opt.step();

Deno.bench("Adam step, 337 parameters, no trace", { group: "step", baseline: true }, () => {
  setGrads();
  opt.step({ trace: false });
});
Deno.bench("Adam step, 337 parameters, with the trace", { group: "step" }, () => {
  setGrads();
  opt.step();
});
Deno.bench("traceToText, 337 parameters", { group: "render" }, () => void traceToText(trace));
Deno.bench("traceToLatex, 337 parameters", { group: "render" }, () => void traceToLatex(trace));
Deno.bench(
  "traceToMarkdown, 337 parameters",
  { group: "render" },
  () => void traceToMarkdown(trace),
);
Deno.bench("traceToJson, 337 parameters", { group: "render" }, () => void traceToJson(trace));
Deno.bench(
  "traceToHtml (KaTeX), 337 parameters",
  { group: "render" },
  async () => void await traceToHtml(trace),
);
