/**
 * The explore page: one self-contained HTML file that re-runs an optimizer in the browser as its
 * controls move. stepgrad's own engine is inlined as one script (lib/explore/client_bundle.ts),
 * KaTeX's script and the fonts its traces use are inlined too; a Content Security Policy allows
 * exactly those two scripts, by hash, and nothing fetched from anywhere.
 *
 * @module
 */
import { parseExpression } from "../symbolic/parse.ts";
import { buildGraph } from "../symbolic/build_graph.ts";
import { toTex } from "../symbolic/tex.ts";
import { OPTIMIZERS } from "../optim/registry.ts";
import { runOptimizer } from "../optim/run.ts";
import type { OptimizationRun } from "../optim/trace.ts";
import { escapeHtml } from "../text/escape.ts";
import { formatNumber } from "../text/format.ts";
import { commandLine, type ExploreState, PAGE_MAX_STEPS, schedulerFor } from "./state.ts";
import { EXPLORE_CSS } from "./style.ts";

/** What one explore panel shows. */
export interface ExploreSpec {
  /** The loss, as typed (parsed by stepgrad's restricted parser). */
  expression: string;
  /** Start values by variable. */
  start: Record<string, number>;
  /** The first state (a fragment in the page's address overrides it). */
  state: ExploreState;
  /** Named settings to pick from (a lesson's choices), shown as a select when given. */
  presets?: { name: string; state: ExploreState }[];
}

/**
 * KaTeX's fonts that stepgrad's formulas use: Main (roman, bold, italic), Math (italic letters),
 * AMS symbols and the four Size fonts for tall roots and brackets. Calligraphic, Fraktur, Script,
 * SansSerif and Typewriter never appear in a trace; the browser test checks every glyph KaTeX
 * sets on the page comes from a font in this list.
 */
export const EXPLORE_FONTS: readonly string[] = Object.freeze([
  "KaTeX_AMS",
  "KaTeX_Main",
  "KaTeX_Math",
  "KaTeX_Size1",
  "KaTeX_Size2",
  "KaTeX_Size3",
  "KaTeX_Size4",
]);

/** Drops the `@font-face` rules of every family not in {@linkcode EXPLORE_FONTS}. */
export function subsetFonts(css: string): string {
  return css.replace(/@font-face\{[^}]*\}/g, (rule) => {
    const family = rule.match(/font-family:\s*"?([^;"]+)"?;/)?.[1];
    return family !== undefined && EXPLORE_FONTS.includes(family) ? rule : "";
  });
}

/** Checks a spec and runs it as the page will (an error the command reports as one line). */
export function runSpec(spec: ExploreSpec, trace = true): OptimizationRun {
  const parsed = parseExpression(spec.expression);
  if (parsed.variables.length === 0) {
    throw new RangeError(`"${spec.expression}" has no variables to optimize`);
  }
  const extra = Object.keys(spec.start).filter((n) => !parsed.variables.includes(n));
  if (extra.length > 0) {
    throw new RangeError(
      `--start gives ${extra.join(", ")}, which the expression does not use (its variables: ${
        parsed.variables.join(", ")
      })`,
    );
  }
  const { state } = spec;
  if (!Number.isInteger(state.steps) || state.steps < 1 || state.steps > PAGE_MAX_STEPS) {
    throw new RangeError(
      `an explore page runs 1 to ${PAGE_MAX_STEPS} steps, got ${state.steps} (the optimize command runs more)`,
    );
  }
  const { root, leaves } = buildGraph(parsed, spec.start);
  const optimizer = new OPTIMIZERS[state.optimizer].create(
    parsed.variables.map((n) => leaves[n]),
    state.options,
  );
  const scheduler = state.scheduler === undefined
    ? undefined
    : schedulerFor(state.scheduler, optimizer);
  return runOptimizer(root, optimizer, { steps: state.steps, trace, scheduler });
}

/** JSON inside a `<script>` element: `<` escaped so no text can close the element. */
function scriptJson(text: string): string {
  return text.replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * One explore panel's HTML (controls, map, loss curve, scrubber, trace, copy buttons, and the
 * run as JSON); the page's script brings it to life. `id` must be unique in the page;
 * `runId` gives the run's `<script>` that id (the explore page uses `stepgrad-run`).
 */
export function panelHtml(
  spec: ExploreSpec,
  options: { id: string; runId?: string; title?: string },
): string {
  const run = runSpec(spec);
  const id = escapeHtml(options.id);
  const config = scriptJson(JSON.stringify(spec));
  const runAttrs = options.runId === undefined ? "" : ` id="${escapeHtml(options.runId)}"`;
  const heading = options.title === undefined
    ? ""
    : `<h3 class="ex-title" id="${id}-title">${escapeHtml(options.title)}</h3>`;
  const label = options.title === undefined
    ? `aria-label="Explore the run"`
    : `aria-labelledby="${id}-title"`;
  return `<section class="stepgrad-explore" id="${id}" ${label}>
${heading}<script type="application/json" class="stepgrad-explore-config">${config}</script>
<div class="ex-grid">
<div class="ex-controls" role="group" aria-label="Settings of the run">
<div class="control select"><label for="${id}-optimizer"><span>optimizer</span> <code>--optimizer</code></label><select id="${id}-optimizer" data-part="optimizer"></select></div>
${
    spec.presets?.length
      ? `<div class="control preset"><label for="${id}-preset"><span>the lesson's settings</span></label><select id="${id}-preset" data-part="preset"></select></div>\n`
      : ""
  }<fieldset class="ex-options" data-part="options"></fieldset>
<div data-part="steps-row"></div>
<div class="control text"><label for="${id}-scheduler"><span>lr schedule</span> <code>--scheduler</code></label><input type="text" id="${id}-scheduler" data-part="scheduler" placeholder="none, or e.g. step:10,0.5" spellcheck="false" autocomplete="off" aria-describedby="${id}-scheduler-help"><small id="${id}-scheduler-help">step:SIZE[,GAMMA] · exponential:GAMMA · cosine:TMAX[,ETAMIN] · linear[:START,END,ITERS]</small></div>
<ul class="link-errors" data-part="link-errors" aria-label="Settings in the link that were not used" hidden></ul>
</div>
<div class="ex-plots">
<figure class="ex-map" data-part="map" role="img" aria-label="Map of the loss with the path of the run"><canvas data-part="map-canvas" aria-hidden="true"></canvas><svg data-part="map-svg" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"></svg></figure>
<p class="ex-fit"><button type="button" data-part="fit">Fit the map to this path</button></p>
<figure class="ex-loss" data-part="loss" role="img" aria-label="Loss curve"><svg data-part="loss-svg" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"></svg></figure>
<p class="ex-summary" data-part="summary" aria-live="polite"></p>
</div>
</div>
<p class="diagnosis" data-part="diagnosis" role="alert" hidden></p>
<div class="ex-scrub" role="group" aria-label="The step whose trace is shown">
<label for="${id}-step">step shown</label>
<button type="button" data-part="prev" aria-label="previous step">‹</button>
<input type="range" id="${id}-step" data-part="step" min="1" max="${
    Math.max(1, run.steps.length)
  }" value="${spec.state.step}" step="1">
<button type="button" data-part="next" aria-label="next step">›</button>
<input type="number" data-part="step-field" aria-label="step number" min="1" step="1" value="${spec.state.step}">
<span data-part="step-of"></span>
</div>
<div class="ex-trace" data-part="trace"></div>
<div class="ex-copy" role="group" aria-label="Copy">
<button type="button" data-part="copy-latex">Copy as LaTeX</button>
<button type="button" data-part="copy-markdown">Copy as Markdown</button>
<button type="button" data-part="copy-command">Copy the command</button>
<span class="copy-status" data-part="copy-status" role="status"></span>
<textarea data-part="copy-text" readonly hidden aria-label="The text to copy" rows="6"></textarea>
</div>
<p class="ex-command">The same run from the command line (<code>--format json</code> prints the run this panel keeps as JSON): <code data-part="command">${
    escapeHtml(commandLine(spec.expression, spec.start, spec.state))
  }</code></p>
<script type="application/json" data-part="run"${runAttrs}></script>
</section>`;
}

/** The page's scripts, in order: KaTeX, then stepgrad. */
export async function pageScripts(): Promise<string[]> {
  const [{ CLIENT_JS }, katexJs] = await Promise.all([
    import("./client_bundle.ts"),
    katexScript(),
  ]);
  for (const s of [katexJs, CLIENT_JS]) {
    if (/<\/script|<!--/i.test(s)) {
      throw new Error("internal: an inlined script holds text that would end its element");
    }
  }
  return [katexJs, CLIENT_JS];
}

let katexJsCache: Promise<string> | undefined;

/** katex.min.js from the pinned package (the version that wrote the stylesheet). */
function katexScript(): Promise<string> {
  katexJsCache ??= (async () => {
    const { createRequire } = await import("node:module");
    const require = createRequire(import.meta.url);
    return await Deno.readTextFile(require.resolve("katex/dist/katex.min.js"));
  })();
  return katexJsCache;
}

/** `'sha256-…'` of a script's text, as a Content Security Policy names it. */
export async function scriptHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  let binary = "";
  for (const b of new Uint8Array(digest)) binary += String.fromCharCode(b);
  return `'sha256-${btoa(binary)}'`;
}

/** The policy of a page whose only scripts are `scripts`: each by hash, nothing fetched. */
export async function explorePolicy(scripts: readonly string[]): Promise<string> {
  const hashes = await Promise.all(scripts.map(scriptHash));
  return [
    "default-src 'none'",
    `script-src ${hashes.join(" ")}`,
    "style-src 'unsafe-inline'",
    "font-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** Options for {@linkcode explorePage}. */
export interface ExplorePageOptions {
  /** The page's heading (shown as text; default "Explore the run"). */
  title?: string;
}

/**
 * The whole explore page. Throws (a `RangeError`, `SyntaxError` or `TypeError` whose message is
 * one line) when the expression, the start or the options cannot be run, before anything is
 * written.
 */
export async function explorePage(
  spec: ExploreSpec,
  options: ExplorePageOptions = {},
): Promise<string> {
  const [{ renderTex }, { katexCss }, { HANDOUT_CSS }, { htmlDocument }] = await Promise.all([
    import("../render/katex.ts"),
    import("../handout/katex_css.ts"),
    import("../handout/html_style.ts"),
    import("../handout/html.ts"),
  ]);
  const panel = panelHtml(spec, { id: "explore", runId: "stepgrad-run" });
  const parsed = parseExpression(spec.expression);
  const scripts = await pageScripts();
  const policy = await explorePolicy(scripts);
  const title = options.title ?? "Explore the run";
  const start = Object.entries(spec.start).map(([k, v]) => `${k} = ${formatNumber(v)}`).join(", ");
  return htmlDocument(
    {
      title: `${title}: ${spec.expression}`,
      policy,
      styles: [subsetFonts(await katexCss()), HANDOUT_CSS, EXPLORE_CSS],
    },
    `<body>
<div class="page explore-page">
<header class="masthead">
<p class="kicker">stepgrad · explore</p>
<h1>${escapeHtml(title)}</h1>
<p class="summary">Move a control: the optimizer runs again in this page, and every number below is recomputed.</p>
</header>
<main>
<p class="ex-loss-formula">Loss ${renderTex(`L = ${toTex(parsed.expr)}`)}, from ${
      escapeHtml(start)
    }.</p>
<noscript><p class="diagnosis">This page runs stepgrad in your browser: with scripts turned off, it shows only the first run's numbers (in the page's source).</p></noscript>
${panel}
</main>
<footer class="colophon">Made with stepgrad: the optimizer runs in this page with the same code as the command line, and nothing is fetched from anywhere. The page's address keeps its settings: send it to share them.</footer>
</div>
${scripts.map((s) => `<script>${s}</script>`).join("\n")}
</body>
`,
  );
}
