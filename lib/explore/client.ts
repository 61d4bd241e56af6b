/// <reference lib="dom" />
/**
 * The explore page's own script (bundled into the page by lib/explore/build.ts): stepgrad's
 * parser, Value graph, optimizers and trace renderers, run in the browser as the controls move.
 * Everything shown comes from the same functions the `optimize` command calls, so the page's
 * `#stepgrad-run` equals `optimize … --format json` value for value.
 *
 * Text that came from outside (the fragment, error messages) goes in as text, never as markup;
 * the only HTML inserted is what stepgrad's trace renderer writes (which escapes every label).
 *
 * @module
 */
import { type ParsedExpression, parseExpression } from "../symbolic/parse.ts";
import { buildGraph } from "../symbolic/build_graph.ts";
import { compile } from "../graph/compile.ts";
import { type OptimizerName, OPTIMIZERS } from "../optim/registry.ts";
import type { OptionValue } from "../optim/optimizer.ts";
import { runOptimizer } from "../optim/run.ts";
import type { OptimizationRun } from "../optim/trace.ts";
import { traceToJson } from "../render/trace_json.ts";
import { traceToHtml } from "../render/trace_html.ts";
import { traceToLatex } from "../render/trace_latex.ts";
import { traceToMarkdown } from "../render/trace_markdown.ts";
import { formatNumber } from "../text/format.ts";
import {
  commandLine,
  controlsOf,
  type ControlSpec,
  type ExploreState,
  fullOptions,
  numberText,
  PAGE_MAX_STEPS,
  parseFragment,
  schedulerFor,
  stateToFragment,
} from "./state.ts";

/** What the `explore` command writes into the page (`#stepgrad-explore`). */
export interface ExploreConfig {
  /** The loss, as typed. */
  expression: string;
  /** Start values by variable. */
  start: Record<string, number>;
  /** The state the command line asked for (the fragment overrides it). */
  state: ExploreState;
  /** Named settings to pick from. */
  presets?: { name: string; state: ExploreState }[];
}

const SVG = "http://www.w3.org/2000/svg";

/** One explore panel: its controls, plots, trace and run, inside `root`. */
class Explorer {
  readonly root: HTMLElement;
  readonly config: ExploreConfig;
  readonly parsed: ParsedExpression;
  readonly variables: readonly string[];
  readonly useFragment: boolean;
  state: ExploreState;
  fast?: OptimizationRun;
  full?: OptimizationRun;
  error?: string;
  pending = 0;
  view?: { x0: number; x1: number; y0: number; y1: number };
  /** Milliseconds of each re-run + redraw (read by the browser test). */
  timings: number[] = [];
  /** Milliseconds of each full traced run + JSON + trace typesetting. */
  traceTimings: number[] = [];

  constructor(root: HTMLElement, useFragment: boolean) {
    this.root = root;
    this.useFragment = useFragment;
    const data = root.querySelector<HTMLScriptElement>("script.stepgrad-explore-config");
    if (!data) throw new Error("internal: the panel has no configuration");
    this.config = JSON.parse(data.textContent ?? "") as ExploreConfig;
    this.parsed = parseExpression(this.config.expression);
    this.variables = this.parsed.variables;
    this.state = this.config.state;
    if (useFragment && location.hash.length > 1) this.applyFragment(location.hash);
    this.buildStaticControls();
    this.buildOptionControls();
    this.widths = {
      map: Math.max(240, Math.round(this.el("map").clientWidth || 480)),
      loss: Math.max(240, Math.round(this.el("loss").clientWidth || 480)),
    };
    this.update({ refit: true });
    if (useFragment) {
      addEventListener("hashchange", () => {
        if (location.hash.slice(1) === stateToFragment(this.state)) return;
        this.applyFragment(location.hash);
        this.buildOptionControls();
        this.update({});
      });
    }
    // Widths are read here only, never while drawing: reading layout after changing the page
    // would make the browser lay out the whole trace again on every move of a control.
    new ResizeObserver(() => {
      const map = Math.max(240, Math.round(this.el("map").clientWidth || 480));
      const loss = Math.max(240, Math.round(this.el("loss").clientWidth || 480));
      if (map === this.widths.map && loss === this.widths.loss) return;
      this.widths = { map, loss };
      this.drawMap(true);
      this.drawLoss();
    }).observe(this.el("map"));
  }

  el<T extends HTMLElement>(name: string): T {
    const found = this.root.querySelector<T>(`[data-part="${name}"]`);
    if (!found) throw new Error(`internal: the panel has no ${name}`);
    return found;
  }

  applyFragment(hash: string): void {
    const { state, errors } = parseFragment(hash, this.config.state);
    this.state = state;
    const box = this.el("link-errors");
    box.textContent = "";
    for (const e of errors) {
      const li = document.createElement("li");
      li.textContent = e;
      box.append(li);
    }
    box.hidden = errors.length === 0;
  }

  // ---- controls ----

  buildStaticControls(): void {
    const select = this.el<HTMLSelectElement>("optimizer");
    for (const name of Object.keys(OPTIMIZERS)) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      select.append(option);
    }
    select.value = this.state.optimizer;
    select.addEventListener("change", () => {
      const name = select.value as OptimizerName;
      const lr = this.state.options.lr;
      this.state = {
        ...this.state,
        optimizer: name,
        options: lr === undefined ? {} : { lr },
      };
      this.buildOptionControls();
      this.update({});
    });
    const presets = this.config.presets ?? [];
    if (presets.length > 0) {
      const pick = this.el<HTMLSelectElement>("preset");
      const none = document.createElement("option");
      none.value = "";
      none.textContent = "(your own)";
      pick.append(none);
      presets.forEach((p, i) => {
        const option = document.createElement("option");
        option.value = String(i);
        option.textContent = p.name;
        pick.append(option);
      });
      pick.addEventListener("change", () => {
        const chosen = presets[Number(pick.value)];
        if (pick.value === "" || !chosen) return;
        this.state = { ...chosen.state, options: { ...chosen.state.options } };
        this.buildOptionControls();
        this.update({});
      });
    }
    const steps = this.el("steps-row");
    this.showSteps = this.numberRow(steps, {
      id: "steps",
      label: "steps",
      flag: "steps",
      min: 1,
      max: 500,
      step: 1,
      get: () => this.state.steps,
      set: (v) => {
        if (!Number.isInteger(v) || v < 1 || v > PAGE_MAX_STEPS) return false;
        this.state = { ...this.state, steps: v, step: Math.min(this.state.step, v) };
        return true;
      },
      fieldMax: PAGE_MAX_STEPS,
    });
    const schedule = this.el<HTMLInputElement>("scheduler");
    schedule.value = this.state.scheduler ?? "";
    this.showScheduler = () => {
      if (document.activeElement !== schedule) schedule.value = this.state.scheduler ?? "";
    };
    schedule.addEventListener("input", () => {
      const text = schedule.value.trim();
      try {
        if (text !== "") schedulerFor(text, { lr: 1 });
      } catch {
        schedule.setAttribute("aria-invalid", "true");
        return;
      }
      schedule.removeAttribute("aria-invalid");
      const { scheduler: _, ...rest } = this.state;
      this.state = text === "" ? rest : { ...rest, scheduler: text };
      this.update({});
    });
    const scrub = this.el<HTMLInputElement>("step");
    const scrubField = this.el<HTMLInputElement>("step-field");
    const go = (k: number) => {
      const n = this.runLength();
      if (!Number.isInteger(k) || k < 1 || k > Math.max(1, n)) return;
      this.state = { ...this.state, step: k };
      this.showStep();
    };
    scrub.addEventListener("input", () => go(Number(scrub.value)));
    scrubField.addEventListener("input", () => go(Number(scrubField.value)));
    this.el("prev").addEventListener("click", () => go(this.state.step - 1));
    this.el("next").addEventListener("click", () => go(this.state.step + 1));
    this.el("fit").addEventListener("click", () => this.update({ refit: true }));
    this.el("copy-latex").addEventListener("click", () => this.copy("latex"));
    this.el("copy-markdown").addEventListener("click", () => this.copy("markdown"));
    this.el("copy-command").addEventListener("click", () => this.copy("command"));
  }

  /** A slider with a number field beside it, both labelled, kept in step with each other. */
  numberRow(
    parent: HTMLElement,
    c: {
      id: string;
      label: string;
      flag: string;
      min: number;
      max: number;
      step: number;
      log?: boolean;
      get: () => number;
      set: (v: number) => boolean;
      fieldMax?: number;
    },
  ): () => void {
    const uid = `${this.root.id}-${c.id}`;
    const row = document.createElement("div");
    row.className = "control";
    const label = document.createElement("label");
    label.htmlFor = `${uid}-field`;
    label.id = `${uid}-label`;
    const name = document.createElement("span");
    name.textContent = c.label;
    const flag = document.createElement("code");
    flag.textContent = `--${c.flag}`;
    label.append(name, " ", flag);
    const range = document.createElement("input");
    range.type = "range";
    range.id = `${uid}-range`;
    range.dataset.flag = c.flag;
    range.setAttribute("aria-labelledby", `${uid}-label`);
    const field = document.createElement("input");
    field.type = "number";
    field.id = `${uid}-field`;
    field.dataset.flag = c.flag;
    field.step = "any";
    field.inputMode = "decimal";
    if (c.fieldMax !== undefined) field.max = String(c.fieldMax);
    // A log slider moves through positions 0…n, `step` positions a decade.
    const lo = Math.log10(c.min), hi = Math.log10(c.max);
    const toSlider = (v: number) =>
      c.log ? String(Math.round((Math.log10(Math.max(v, c.min)) - lo) * c.step)) : String(v);
    const fromSlider = (s: string) =>
      c.log ? Number((10 ** (lo + Number(s) / c.step)).toPrecision(3)) : Number(s);
    if (c.log) {
      range.min = "0";
      range.max = String(Math.round((hi - lo) * c.step));
      range.step = "1";
    } else {
      range.min = String(c.min);
      range.max = String(c.max);
      range.step = String(c.step);
    }
    const show = () => {
      const v = c.get();
      range.value = toSlider(v);
      range.setAttribute("aria-valuetext", `${c.label} ${numberText(v)}`);
      if (document.activeElement !== field || Number(field.value) !== v) {
        field.value = numberText(v);
      }
    };
    show();
    range.addEventListener("input", () => {
      const v = fromSlider(range.value);
      if (c.set(v)) {
        field.value = numberText(v);
        range.setAttribute("aria-valuetext", `${c.label} ${numberText(v)}`);
        this.update({});
      }
    });
    field.addEventListener("input", () => {
      const t = field.value.trim();
      const v = Number(t);
      if (t === "" || !Number.isFinite(v)) {
        field.setAttribute("aria-invalid", "true");
        return;
      }
      if (c.set(v)) {
        field.removeAttribute("aria-invalid");
        range.value = toSlider(v);
        range.setAttribute("aria-valuetext", `${c.label} ${numberText(v)}`);
        this.update({});
      } else field.setAttribute("aria-invalid", "true");
    });
    field.addEventListener("change", show);
    row.append(label, range, field);
    parent.append(row);
    return show;
  }

  /** Shows the steps in their control (after a link or a preset changed them). */
  showSteps: () => void = () => {};
  /** Shows the lr schedule in its field. */
  showScheduler: () => void = () => {};

  setOption(name: string, value: OptionValue): boolean {
    this.state = { ...this.state, options: { ...this.state.options, [name]: value } };
    return true;
  }

  buildOptionControls(): void {
    const box = this.el("options");
    box.textContent = "";
    const legend = document.createElement("legend");
    legend.textContent = `Options of ${this.state.optimizer}`;
    box.append(legend);
    this.el<HTMLSelectElement>("optimizer").value = this.state.optimizer;
    const current = () => fullOptions(this.state.optimizer, this.state.options);
    for (const spec of controlsOf(this.state.optimizer)) this.optionControl(box, spec, current);
  }

  optionControl(
    box: HTMLElement,
    spec: ControlSpec,
    current: () => Record<string, OptionValue>,
  ): void {
    if (spec.kind === "boolean") {
      const uid = `${this.root.id}-${spec.flag}`;
      const row = document.createElement("div");
      row.className = "control check";
      const input = document.createElement("input");
      input.type = "checkbox";
      input.id = uid;
      input.dataset.flag = spec.flag;
      input.checked = current()[spec.name] === true;
      const label = document.createElement("label");
      label.htmlFor = uid;
      const name = document.createElement("span");
      name.textContent = spec.label;
      const flag = document.createElement("code");
      flag.textContent = `--${spec.flag}`;
      label.append(name, " ", flag);
      input.addEventListener("change", () => {
        this.setOption(spec.name, input.checked);
        this.update({});
      });
      row.append(input, label);
      box.append(row);
      return;
    }
    if (spec.kind === "pair") {
      for (const i of [0, 1]) {
        this.numberRow(box, {
          id: `${spec.flag}-${i + 1}`,
          label: i === 0 ? "β₁ (first moment)" : "β₂ (second moment)",
          flag: `${spec.flag} (${i === 0 ? "b1" : "b2"})`,
          min: spec.min,
          max: spec.max,
          step: spec.step,
          get: () => (current()[spec.name] as readonly [number, number])[i],
          set: (v) => {
            const pair: [number, number] = [...(current()[spec.name] as readonly [number, number])];
            pair[i] = v;
            return this.setOption(spec.name, pair);
          },
        });
      }
      return;
    }
    this.numberRow(box, {
      id: spec.flag,
      label: spec.label,
      flag: spec.flag,
      min: spec.min,
      max: spec.max,
      step: spec.step,
      log: spec.kind === "log",
      get: () => current()[spec.name] as number,
      set: (v) => this.setOption(spec.name, v),
    });
  }

  // ---- running ----

  run(trace: boolean): OptimizationRun {
    const { root, leaves } = buildGraph(this.parsed, this.config.start);
    const params = this.variables.map((n) => leaves[n]);
    const optimizer = new OPTIMIZERS[this.state.optimizer].create(params, this.state.options);
    const scheduler = this.state.scheduler === undefined
      ? undefined
      : schedulerFor(this.state.scheduler, optimizer);
    return runOptimizer(root, optimizer, { steps: this.state.steps, trace, scheduler });
  }

  /** Whether the run's JSON and trace belong to the state the controls show (for tests). */
  settled(): boolean {
    const run = this.el<HTMLScriptElement>("run");
    return run.dataset.state === stateToFragment(this.state) &&
      (run.textContent !== "" || this.error !== undefined);
  }

  runLength(): number {
    return this.fast?.steps.length ?? 0;
  }

  /**
   * Re-runs without traces and redraws the path, the loss curve and the diagnosis at once; then,
   * after the frame, runs again with every equation for `#stepgrad-run` and the trace shown.
   */
  update({ refit }: { refit?: boolean }): void {
    const t0 = performance.now();
    this.error = undefined;
    try {
      this.fast = this.run(false);
    } catch (e) {
      if (!(e instanceof RangeError || e instanceof TypeError || e instanceof SyntaxError)) throw e;
      this.fast = undefined;
      this.error = e.message;
    }
    const n = this.runLength();
    if (n > 0 && this.state.step > n) this.state = { ...this.state, step: n };
    if (refit || !this.view) this.fit();
    this.drawMap(refit === true);
    this.drawLoss();
    this.showDiagnosis();
    this.showCommand();
    this.showSummary();
    this.showPreset();
    this.showSteps();
    this.showScheduler();
    this.updateScrubber();
    if (this.useFragment) {
      const fragment = stateToFragment(this.state);
      if (location.hash.slice(1) !== fragment) history.replaceState(null, "", `#${fragment}`);
    }
    this.timings.push(performance.now() - t0);
    const ticket = ++this.pending;
    setTimeout(() => {
      if (ticket === this.pending) void this.completeRun(ticket);
    }, 0);
  }

  async completeRun(ticket: number): Promise<void> {
    const t0 = performance.now();
    const out = this.el<HTMLScriptElement>("run");
    const fragment = stateToFragment(this.state);
    if (this.error !== undefined || !this.fast) {
      this.full = undefined;
      out.textContent = "";
      out.dataset.state = fragment;
      this.el("trace").textContent = "";
      return;
    }
    const full = this.run(true);
    if (ticket !== this.pending) return;
    this.full = full;
    out.textContent = traceToJson(full);
    await this.showStep();
    if (ticket !== this.pending) return;
    out.dataset.state = fragment;
    this.traceTimings.push(performance.now() - t0);
  }

  // ---- the step shown ----

  stepRun(): OptimizationRun | undefined {
    const full = this.full;
    const s = full?.steps[this.state.step - 1];
    if (!full || !s) return undefined;
    return { ...full, steps: [s], divergence: s.divergence };
  }

  async showStep(): Promise<void> {
    this.updateScrubber();
    this.markStep();
    if (this.useFragment) {
      const fragment = stateToFragment(this.state);
      if (location.hash.slice(1) !== fragment) history.replaceState(null, "", `#${fragment}`);
    }
    const part = this.stepRun();
    const box = this.el("trace");
    if (!part) {
      box.textContent = "";
      return;
    }
    const html = await traceToHtml(part);
    if (this.stepRun()?.steps[0] !== part.steps[0]) return; // moved on meanwhile
    box.innerHTML = html; // stepgrad's own renderer: every label and message escaped
    const run = this.el<HTMLScriptElement>("run");
    if (this.full && run.dataset.state !== undefined) {
      run.dataset.state = stateToFragment(this.state);
    }
  }

  /** One line for eyes and screen readers: where the run went. */
  showSummary(): void {
    const run = this.fast;
    const box = this.el("summary");
    if (!run) {
      box.textContent = "";
      return;
    }
    const last = run.steps.at(-1)?.lossAfter ?? run.initialLoss;
    box.textContent = `${this.state.optimizer}, ${run.steps.length} step${
      run.steps.length === 1 ? "" : "s"
    }: the loss went from ${formatNumber(run.initialLoss)} to ${formatNumber(last)}${
      run.divergence ? " (diverged)" : ""
    }.`;
  }

  showPreset(): void {
    const presets = this.config.presets ?? [];
    if (presets.length === 0) return;
    const now = stateToFragment({ ...this.state, step: 1 });
    const i = presets.findIndex((p) => stateToFragment({ ...p.state, step: 1 }) === now);
    this.el<HTMLSelectElement>("preset").value = i < 0 ? "" : String(i);
  }

  showCommand(): void {
    this.el("command").textContent = commandLine(
      this.config.expression,
      this.config.start,
      this.state,
    );
  }

  updateScrubber(): void {
    const n = Math.max(1, this.runLength());
    const scrub = this.el<HTMLInputElement>("step");
    const field = this.el<HTMLInputElement>("step-field");
    scrub.max = String(n);
    field.max = String(n);
    scrub.value = String(this.state.step);
    if (document.activeElement !== field) field.value = String(this.state.step);
    scrub.setAttribute("aria-valuetext", `step ${this.state.step} of ${n}`);
    this.el("step-of").textContent = `of ${this.runLength()}`;
  }

  showDiagnosis(): void {
    const box = this.el("diagnosis");
    box.textContent = "";
    box.className = "diagnosis";
    let text: string | undefined;
    if (this.error !== undefined) {
      box.classList.add("error");
      text = `Cannot run: ${this.error}`;
    } else if (this.fast?.divergence) {
      box.classList.add("diverged");
      text = `Diverged: ${this.fast.divergence.message}`;
    }
    box.hidden = text === undefined;
    if (text !== undefined) box.textContent = text;
  }

  // ---- pictures ----

  points(): number[][] {
    const run = this.fast;
    if (!run) return [];
    const pts = [this.variables.map((v) => run.initialParams[v])];
    for (const s of run.steps) {
      const byLabel = new Map(s.params.map((p) => [p.label, p.after]));
      pts.push(this.variables.map((v) => byLabel.get(v) ?? NaN));
    }
    return pts;
  }

  fit(): void {
    const pts = this.points();
    const start = this.variables.map((v) => this.config.start[v]);
    const span = start.map((s) => Math.max(1, Math.abs(s)));
    // A run that blows up would stretch the map until the valley it left is a line: fit the
    // points whose loss stays within a hundred times the start's, and let the rest leave the map.
    const run = this.fast;
    const losses = run ? [run.initialLoss, ...run.steps.map((s) => s.lossAfter ?? NaN)] : [];
    const bound = 100 * Math.max(1, Math.abs(run?.initialLoss ?? 0));
    const near = pts.filter((p, t) =>
      p.every((x, i) => Number.isFinite(x) && Math.abs(x - start[i]) < 1e3 * span[i]) &&
      !(Math.abs(losses[t]) > bound)
    );
    const all = near.length > 0 ? near : [start];
    const lo = start.map((_, i) => Math.min(...all.map((p) => p[i])));
    const hi = start.map((_, i) => Math.max(...all.map((p) => p[i])));
    const pad = (i: number) => Math.max((hi[i] - lo[i]) * 0.15, 0.25 * span[i]);
    if (this.variables.length === 1) {
      this.view = { x0: lo[0] - pad(0), x1: hi[0] + pad(0), y0: 0, y1: 1 };
    } else {
      this.view = {
        x0: lo[0] - pad(0),
        x1: hi[0] + pad(0),
        y0: lo[1] - pad(1),
        y1: hi[1] + pad(1),
      };
    }
    this.background = undefined;
  }

  background?: { key: string; canvas: HTMLCanvasElement };
  widths = { map: 480, loss: 480 };
  loss?: (coords: number[]) => number;

  /** The loss at a point (NaN outside the function's domain). */
  lossAt(): (coords: number[]) => number {
    if (this.loss) return this.loss;
    const { root, leaves } = buildGraph(this.parsed, this.config.start);
    const graph = compile(root);
    const ls = this.variables.map((v) => leaves[v]);
    return this.loss = (coords) => {
      coords.forEach((c, i) => ls[i].data = c);
      try {
        return graph.forward();
      } catch {
        return NaN;
      }
    };
  }

  drawMap(force: boolean): void {
    const fig = this.el("map");
    const svg = this.el("map-svg") as unknown as SVGSVGElement;
    const canvas = this.el<HTMLCanvasElement>("map-canvas");
    const width = this.widths.map;
    const height = Math.round(width * 0.7);
    const v = this.view!;
    const pts = this.points();
    const sx = (x: number) => ((x - v.x0) / (v.x1 - v.x0)) * width;
    const clampPx = (p: number) => Math.max(-1e4, Math.min(1e4, p));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    const n = this.variables.length;
    const f = n <= 2 ? this.lossAt() : undefined;
    let sy: (y: number) => number;
    let xy: (p: number[]) => [number, number];
    const key = `${width}x${height}:${v.x0},${v.x1},${v.y0},${v.y1}`;
    if (n === 2) {
      sy = (y) => height - ((y - v.y0) / (v.y1 - v.y0)) * height;
      xy = (p) => [clampPx(sx(p[0])), clampPx(sy(p[1]))];
      canvas.hidden = false;
      if (force || !this.background || this.background.key !== key) {
        drawContours(canvas, width, height, v, f!);
        this.background = { key, canvas };
      }
    } else if (n === 1) {
      canvas.hidden = true;
      // y range from the curve over the view
      const xs = Array.from({ length: 161 }, (_, i) => v.x0 + ((v.x1 - v.x0) * i) / 160);
      const ys = xs.map((x) => f!([x]));
      const fin = ys.filter(Number.isFinite);
      const y0 = Math.min(...fin), y1 = Math.max(...fin);
      const pad = (y1 - y0) * 0.08 || 1;
      const lo = y0 - pad, hi = y1 + pad;
      sy = (y) => height - ((y - lo) / (hi - lo)) * height;
      xy = (p) => [clampPx(sx(p[0])), clampPx(sy(f!(p)))];
      const d = xs.map((x, i) =>
        Number.isFinite(ys[i]) ? `${sx(x).toFixed(1)},${sy(ys[i]).toFixed(1)}` : ""
      ).filter((s) => s).join(" ");
      this.setPart(svg, "curve", "polyline", { points: d, class: "curve" });
    } else {
      canvas.hidden = true;
      // Three or more parameters: each one against the step.
      const steps = Math.max(1, pts.length - 1);
      const fin = pts.flat().filter(Number.isFinite);
      const lo = Math.min(...fin), hi = Math.max(...fin);
      const pad = (hi - lo) * 0.08 || 1;
      sy = (y) => height - ((y - (lo - pad)) / (hi - lo + 2 * pad)) * height;
      xy = (p) => [0, clampPx(sy(p[0]))];
      const lines = this.variables.map((_, j) =>
        pts.map((p, t) =>
          Number.isFinite(p[j]) ? `${((t / steps) * width).toFixed(1)},${sy(p[j]).toFixed(1)}` : ""
        ).filter((s) => s).join(" ")
      );
      lines.forEach((d, j) =>
        this.setPart(svg, `param-${j}`, "polyline", { points: d, class: `param p${j % 6}` })
      );
    }
    if (n <= 2) {
      const finite = pts.filter((p) => p.every(Number.isFinite));
      const d = finite.map((p) => xy(p).map((c) => c.toFixed(1)).join(",")).join(" ");
      this.setPart(svg, "path", "polyline", { points: d, class: "path" });
      const dots = finite.map((p) => xy(p));
      const g = this.setPart(svg, "dots", "g", { class: "dots" });
      while (g.childNodes.length > dots.length) g.lastChild!.remove();
      while (g.childNodes.length < dots.length) g.append(document.createElementNS(SVG, "circle"));
      dots.forEach(([x, y], i) => {
        const c = g.childNodes[i] as SVGCircleElement;
        c.setAttribute("cx", x.toFixed(1));
        c.setAttribute("cy", y.toFixed(1));
        c.setAttribute("r", i === 0 ? "5" : "2.2");
        c.setAttribute("class", i === 0 ? "start" : "");
      });
    }
    this.drawAxes(svg, width, height, v, n);
    fig.setAttribute("aria-label", this.mapDescription());
    this.markStep();
  }

  drawAxes(
    svg: SVGSVGElement,
    width: number,
    height: number,
    v: NonNullable<Explorer["view"]>,
    n: number,
  ): void {
    const g = this.setPart(svg, "axes", "g", { class: "axes" });
    g.textContent = "";
    const label = (x: number, y: number, text: string, anchor: string) => {
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("x", String(x));
      t.setAttribute("y", String(y));
      t.setAttribute("text-anchor", anchor);
      t.textContent = text;
      g.append(t);
    };
    const [a, b] = this.variables;
    const num = (x: number) => formatNumber(x, { digits: 3 });
    if (n <= 2) {
      label(6, height - 6, `${a} = ${num(v.x0)}`, "start");
      label(width - 6, height - 6, `${a} = ${num(v.x1)}`, "end");
    }
    if (n === 2) {
      label(6, 15, `${b} = ${num(v.y1)}`, "start");
      label(6, height - 30, `${b} = ${num(v.y0)}`, "start");
    }
    if (n >= 3) {
      this.variables.forEach((name, j) => {
        const t = document.createElementNS(SVG, "text");
        t.setAttribute("x", String(width - 6));
        t.setAttribute("y", String(16 + 15 * j));
        t.setAttribute("text-anchor", "end");
        t.setAttribute("class", `p${j % 6}`);
        t.textContent = name;
        g.append(t);
      });
    }
  }

  setPart(svg: Element, name: string, tag: string, attrs: Record<string, string>): Element {
    let el = svg.querySelector(`[data-part="${name}"]`);
    if (!el) {
      el = document.createElementNS(SVG, tag);
      el.setAttribute("data-part", name);
      svg.append(el);
    }
    for (const [k, val] of Object.entries(attrs)) el.setAttribute(k, val);
    return el;
  }

  markStep(): void {
    const svg = this.el("map-svg");
    const dots = svg.querySelector('[data-part="dots"]');
    if (dots) {
      dots.querySelector(".current")?.classList.remove("current");
      const c = dots.childNodes[this.state.step] as SVGCircleElement | undefined;
      c?.classList.add("current");
    }
    const loss = this.el("loss-svg");
    const marker = loss.querySelector('[data-part="marker"]');
    const pts = loss.querySelector<SVGPolylineElement>('[data-part="loss-line"]')?.getAttribute(
      "points",
    )?.split(" ");
    const at = pts?.[this.state.step]?.split(",");
    if (marker && at && at.length === 2) {
      marker.setAttribute("cx", at[0]);
      marker.setAttribute("cy", at[1]);
      marker.removeAttribute("visibility");
    } else marker?.setAttribute("visibility", "hidden");
  }

  mapDescription(): string {
    const pts = this.points().filter((p) => p.every(Number.isFinite));
    const fmt = (p: number[]) => `(${p.map((x) => formatNumber(x)).join(", ")})`;
    const what = this.variables.length === 2
      ? `Contour map of the loss over ${this.variables.join(" and ")}`
      : this.variables.length === 1
      ? `The loss against ${this.variables[0]}`
      : `Each parameter against the step`;
    if (pts.length === 0) return `${what}; no run.`;
    return `${what}, with the path of ${this.runLength()} steps of ${this.state.optimizer} from ${
      fmt(pts[0])
    } to ${fmt(pts[pts.length - 1])}.`;
  }

  drawLoss(): void {
    const fig = this.el("loss");
    const svg = this.el("loss-svg") as unknown as SVGSVGElement;
    const width = this.widths.loss;
    const height = 150;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    const run = this.fast;
    const losses = run ? [run.initialLoss, ...run.steps.map((s) => s.lossAfter ?? NaN)] : [];
    const fin = losses.filter(Number.isFinite);
    const log = fin.length > 0 && fin.every((l) => l > 0);
    const tf = (l: number) => (log ? Math.log10(l) : l);
    const ts = fin.map(tf);
    let lo = Math.min(...ts), hi = Math.max(...ts);
    if (!(hi > lo)) (lo -= 1, hi += 1);
    const left = 78, right = 8, top = 8, bottom = 20;
    const n = Math.max(1, losses.length - 1);
    const sx = (t: number) => left + ((width - left - right) * t) / n;
    const sy = (l: number) => top + (height - top - bottom) * (1 - (tf(l) - lo) / (hi - lo));
    const d = losses.map((l, t) =>
      Number.isFinite(l) ? `${sx(t).toFixed(1)},${sy(l).toFixed(1)}` : ""
    )
      .filter((s) => s).join(" ");
    this.setPart(svg, "loss-line", "polyline", { points: d, class: "loss-line" });
    this.setPart(svg, "marker", "circle", { r: "4", class: "marker" });
    const g = this.setPart(svg, "loss-axes", "g", { class: "axes" });
    g.textContent = "";
    const text = (x: number, y: number, s: string, anchor: string) => {
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("x", String(x));
      t.setAttribute("y", String(y));
      t.setAttribute("text-anchor", anchor);
      t.textContent = s;
      g.append(t);
    };
    if (fin.length > 0) {
      const back = (t: number) => (log ? 10 ** t : t);
      text(left - 6, top + 10, formatNumber(back(hi), { digits: 3 }), "end");
      text(left - 6, height - bottom, formatNumber(back(lo), { digits: 3 }), "end");
      text(left, height - 4, "0", "start");
      text(width - right, height - 4, `step ${losses.length - 1}`, "end");
      text(left - 6, (height - bottom + top) / 2 + 4, log ? "loss (log)" : "loss", "end");
    }
    const line = this.setPart(svg, "frame", "path", { class: "frame" });
    line.setAttribute("d", `M${left},${top}V${height - bottom}H${width - right}`);
    fig.setAttribute(
      "aria-label",
      fin.length === 0
        ? "Loss curve: no run."
        : `Loss curve over ${losses.length - 1} steps, from ${formatNumber(losses[0])} to ${
          formatNumber(fin[fin.length - 1])
        }${log ? " (log scale)" : ""}.`,
    );
    this.markStep();
  }

  // ---- copying ----

  async copy(what: "latex" | "markdown" | "command"): Promise<void> {
    const part = this.stepRun();
    let text: string;
    let said: string;
    if (what === "command") {
      text = commandLine(this.config.expression, this.config.start, this.state);
      said = "the command";
    } else if (!part) {
      this.el("copy-status").textContent = "Nothing to copy: the run did not start.";
      return;
    } else {
      text = what === "latex" ? traceToLatex(part) : traceToMarkdown(part);
      said = `step ${this.state.step} as ${what === "latex" ? "LaTeX" : "Markdown"}`;
    }
    const area = this.el<HTMLTextAreaElement>("copy-text");
    area.value = text;
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      area.hidden = false;
      area.focus();
      area.select();
      try {
        ok = document.execCommand("copy");
      } catch {
        ok = false;
      }
    }
    this.el("copy-status").textContent = ok
      ? `Copied ${said} (${text.length} characters).`
      : `Your browser did not allow copying: the text is selected below; press Ctrl+C (⌘C).`;
    area.hidden = ok;
  }
}

/** Draws the loss as a shaded map with contour lines (marching squares over a grid). */
function drawContours(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  v: { x0: number; x1: number; y0: number; y1: number },
  f: (c: number[]) => number,
): void {
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d")!;
  const nx = 120, ny = Math.round(120 * height / width);
  const grid = new Float64Array((nx + 1) * (ny + 1));
  for (let j = 0; j <= ny; j++) {
    const y = v.y1 - ((v.y1 - v.y0) * j) / ny;
    for (let i = 0; i <= nx; i++) grid[j * (nx + 1) + i] = f([v.x0 + ((v.x1 - v.x0) * i) / nx, y]);
  }
  const finite = [...grid].filter(Number.isFinite).sort((a, b) => a - b);
  const min = finite[0] ?? 0;
  const spread = (finite[finite.length - 1] ?? 1) - min || 1;
  // log of the height above the lowest point seen: valleys keep their detail
  const tf = (z: number) => Math.log10(1e-6 * spread + z - min);
  const t0 = tf(min), t1 = tf(min + spread);
  const shade = (z: number) => (Number.isFinite(z) ? (tf(z) - t0) / (t1 - t0) : NaN);
  const shaded = grid.map(shade);
  const image = ctx.createImageData(nx + 1, ny + 1);
  for (let k = 0; k < grid.length; k++) {
    const [r, g, b] = ramp(shaded[k]);
    image.data[4 * k] = r;
    image.data[4 * k + 1] = g;
    image.data[4 * k + 2] = b;
    image.data[4 * k + 3] = 255;
  }
  const small = document.createElement("canvas");
  small.width = nx + 1;
  small.height = ny + 1;
  small.getContext("2d")!.putImageData(image, 0, 0);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, width, height);
  // contour lines at 14 levels evenly spaced in the shading
  ctx.strokeStyle = "rgba(255,255,255,0.55)";
  ctx.lineWidth = 0.8;
  const cw = width / nx, ch = height / ny;
  ctx.beginPath();
  for (let level = 1; level < 15; level++) {
    const s = level / 15;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const a = shaded[j * (nx + 1) + i], b = shaded[j * (nx + 1) + i + 1];
        const c = shaded[(j + 1) * (nx + 1) + i + 1], d = shaded[(j + 1) * (nx + 1) + i];
        if (![a, b, c, d].every(Number.isFinite)) continue;
        const cross: [number, number][] = [];
        const edge = (p: number, q: number, x0: number, y0: number, x1: number, y1: number) => {
          if ((p < s) !== (q < s)) {
            const u = (s - p) / (q - p);
            cross.push([(x0 + (x1 - x0) * u) * cw, (y0 + (y1 - y0) * u) * ch]);
          }
        };
        edge(a, b, i, j, i + 1, j);
        edge(b, c, i + 1, j, i + 1, j + 1);
        edge(c, d, i + 1, j + 1, i, j + 1);
        edge(d, a, i, j + 1, i, j);
        for (let m = 0; m + 1 < cross.length; m += 2) {
          ctx.moveTo(cross[m][0], cross[m][1]);
          ctx.lineTo(cross[m + 1][0], cross[m + 1][1]);
        }
      }
    }
  }
  ctx.stroke();
}

/** A dark-blue-to-pale-yellow ramp (0 low loss, 1 high); grey outside the domain. */
function ramp(t: number): [number, number, number] {
  if (!Number.isFinite(t)) return [200, 200, 200];
  const stops: [number, number, number][] = [
    [22, 38, 92],
    [33, 102, 150],
    [55, 160, 150],
    [150, 205, 110],
    [250, 240, 180],
  ];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const u = x - i;
  const [a, b] = [stops[i], stops[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * u)) as [number, number, number];
}

/** The page's panels by id, for tests and for anyone curious in the console. */
const panels: Record<string, Explorer> = {};
const roots = [...document.querySelectorAll<HTMLElement>(".stepgrad-explore")];
for (const root of roots) {
  try {
    panels[root.id] = new Explorer(root, roots.length === 1);
  } catch (e) {
    const box = root.querySelector<HTMLElement>('[data-part="diagnosis"]');
    if (box) {
      box.hidden = false;
      box.textContent = `Cannot run: ${(e as Error).message}`;
    }
    throw e;
  }
}
(globalThis as unknown as { stepgradPanels: typeof panels }).stepgradPanels = panels;
