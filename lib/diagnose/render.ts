/**
 * A diagnosis for people: the verdict, the precision, where the run departs from the correct rule,
 * and that step written both ways with the trace renderers (terminal text, Markdown, LaTeX, HTML);
 * and the JSON contract for programs.
 *
 * @module
 */
import { digitsToDistinguish, formatNumber, formatNumberLatex } from "../text/format.ts";
import { escapeHtml, escapeMarkdown, escapeTex } from "../text/escape.ts";
import { unicodeToLatex } from "../text/latex_text.ts";
import { describeOptions } from "../render/options.ts";
import { traceToText } from "../render/trace_text.ts";
import { traceToMarkdown } from "../render/trace_markdown.ts";
import { traceToLatex } from "../render/trace_latex.ts";
import { MISTAKE_IDS, MISTAKES } from "./catalogue.ts";
import type { Candidate, DiagnosedOptions, Diagnosis } from "./diagnose.ts";
import { OPTIMIZER_RULES } from "./rules.ts";

/**
 * The JSON contract: `match`, `kind`, `options`, `candidates`, `firstDeparture`, plus `closest`,
 * `precision`, `steps` and `params`. Non-finite numbers are written as strings (`"NaN"`).
 *
 * @example
 * ```ts
 * import { diagnose, diagnosisJson, parseRunJson } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const run = parseRunJson(
 *   '{"start": {"w": 1}, "steps": [{"grads": {"w": 2}, "params": {"w": 0.8}}]}',
 * );
 * const json = JSON.parse(diagnosisJson(diagnose(run)));
 * assert.equal(json.match, "SGD");
 * assert.equal(json.kind, "optimizer");
 * assert.equal(json.options.lr, 0.1);
 * assert.equal(json.firstDeparture, null);
 * ```
 */
export function diagnosisJson(d: Diagnosis): string {
  const num = (x: number) => Number.isFinite(x) ? x : String(x);
  const dep = (x: Diagnosis["firstDeparture"]) =>
    x && { ...x, expected: num(x.expected), observed: num(x.observed) };
  return JSON.stringify(
    {
      match: d.match,
      kind: d.kind,
      options: d.options,
      candidates: d.candidates.map((c) => ({
        id: c.id,
        kind: c.kind,
        base: c.base,
        fits: c.fits,
        options: c.options,
        recovered: c.recovered,
        undetermined: c.undetermined,
        relativeError: num(c.relativeError),
        firstDeparture: dep(c.firstDeparture),
        ...(c.separate ? { separate: c.separate } : {}),
      })),
      firstDeparture: dep(d.firstDeparture),
      closest: d.closest,
      precision: d.precision,
      steps: d.size.steps,
      params: d.size.params,
    },
    null,
    2,
  ) + "\n";
}

/** Enough digits to see the expected and observed values differ. */
function dig(f: { expected: number; observed: number }): number {
  return Number.isFinite(f.expected) && Number.isFinite(f.observed)
    ? Math.min(17, digitsToDistinguish(f.expected, f.observed))
    : 6;
}

function opts(o: DiagnosedOptions): string {
  const shown = Object.fromEntries(
    Object.entries(o).filter(([k, v]) => !(k === "maximize" && v === false)),
  );
  return describeOptions(shown).map((x) => x.text).join(", ");
}

function optsTex(o: DiagnosedOptions): string {
  const shown = Object.fromEntries(
    Object.entries(o).filter(([k, v]) => !(k === "maximize" && v === false)),
  );
  return describeOptions(shown).map((x) => `$${x.tex}$`).join(", ");
}

function ruleOf(c: Candidate) {
  return [...OPTIMIZER_RULES, ...MISTAKES].find((r) => r.id === c.id && r.title === c.title);
}

function agreement(d: Diagnosis): string {
  const p = d.precision;
  if (p.relativeError === null) return "";
  if (p.relativeError === 0) return "it reproduces every value of your run exactly";
  return `it reproduces every value of your run to ${p.significantDigits} significant digits (largest relative difference ${
    formatNumber(p.relativeError, { digits: 2 })
  })`;
}

function departureText(c: Candidate): string {
  const f = c.firstDeparture;
  if (!f) return "fits";
  return `departs at step ${f.step}, ${f.param}: ${
    formatNumber(f.expected, { digits: dig(f) })
  } where your run has ${formatNumber(f.observed, { digits: dig(f) })}`;
}

function headline(d: Diagnosis): string {
  const what = `${d.size.params} parameter${d.size.params === 1 ? "" : "s"}, ${d.size.steps} step${
    d.size.steps === 1 ? "" : "s"
  }, numbers with ${d.precision.digits} significant digits`;
  return what;
}

function verdict(d: Diagnosis): { title: string; lines: string[] } {
  const m = d.candidates.find((c) => c.id === d.match);
  if (!m) {
    return {
      title:
        "no rule matches: neither a correct optimizer nor a catalogued mistake reproduces your run",
      lines: [],
    };
  }
  const rule = ruleOf(m);
  const lines: string[] = [];
  if (m.kind === "mistake") {
    lines.push(`${m.title}`);
    if (rule?.why) lines.push(`why it is wrong: ${rule.why}`);
    if (rule?.effect) lines.push(`what it does to training: ${rule.effect}`);
  } else lines.push(`${m.title}: ${rule?.formula ?? ""}`);
  lines.push(`options: ${opts(m.options)}`);
  if (m.recovered.length > 0) lines.push(`recovered from your run: ${m.recovered.join(", ")}`);
  if (m.undetermined.length > 0) {
    lines.push(
      `not determined by these steps (other values fit as well): ${m.undetermined.join(", ")}`,
    );
  }
  lines.push(agreement(d));
  return {
    title: `${
      m.kind === "mistake" ? "your update rule is the mistake" : "your update rule is"
    } ${m.id}${m.kind === "optimizer" ? " (a correct optimizer, as PyTorch computes it)" : ""}`,
    lines,
  };
}

/**
 * The diagnosis as terminal text.
 *
 * @example
 * ```ts
 * import { diagnose, diagnosisToText, parseRunJson } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const run = parseRunJson(JSON.stringify({
 *   lr: 0.1,
 *   start: { w: 1 },
 *   steps: [{ grads: { w: 2 }, params: { w: 1.2 } }, { grads: { w: 2.4 }, params: { w: 1.44 } }],
 * }));
 * const text = diagnosisToText(diagnose(run));
 * assert.match(text, /the mistake gradient-added/);
 * assert.match(text, /step 1, w: SGD gives 0\.8, your run has 1\.2/);
 * ```
 */
export function diagnosisToText(d: Diagnosis): string {
  const out: string[] = [`stepgrad diagnose: ${headline(d)}`, ""];
  const v = verdict(d);
  out.push(v.title, ...v.lines.map((l) => `  ${l}`));
  if (d.firstDeparture && d.closest) {
    const f = d.firstDeparture;
    out.push(
      "",
      `where it departs from ${d.closest.optimizer} (${opts(d.closest.options)}):`,
      `  step ${f.step}, ${f.param}: ${d.closest.optimizer} gives ${
        formatNumber(f.expected, { digits: dig(f) })
      }, your run has ${formatNumber(f.observed, { digits: dig(f) })}`,
    );
  }
  if (d.traces) {
    out.push("", `step ${d.traces.correct.step}, the correct rule:`, "");
    out.push(...indent(traceToText(d.traces.correct)));
    out.push("", `step ${d.traces.learner.step}, ${d.match ? "your rule" : "your run"}:`, "");
    out.push(...indent(traceToText(d.traces.learner)));
  }
  const others = d.candidates.filter((c) => c.id !== d.match || c !== d.candidates[0]);
  if (others.length > 0) {
    out.push("", d.match ? "other candidates:" : "closest candidates:");
    const SHOWN = 8;
    for (const c of others.slice(0, SHOWN)) {
      const mark = c.fits ? "fits as well" : departureText(c);
      out.push(`  ${c.fits ? "=" : "✗"} ${c.id} (${c.kind}; ${opts(c.options)}): ${mark}`);
      if (c.separate) out.push(`      to tell them apart: ${c.separate}`);
    }
    if (others.length > SHOWN) {
      out.push(`  … and ${others.length - SHOWN} more (--json lists them all)`);
    }
  }
  return out.join("\n").replace(/[ \t]+$/gm, "") + "\n";
}

function indent(text: string): string[] {
  return text.trimEnd().split("\n").map((l) => (l ? `    ${l}` : l));
}

/** The diagnosis as Markdown (formulas in `$$` blocks). */
export function diagnosisToMarkdown(d: Diagnosis): string {
  const e = escapeMarkdown;
  const out: string[] = ["## stepgrad diagnose", "", e(headline(d)), ""];
  const v = verdict(d);
  out.push(`**${e(v.title)}**`, "", ...v.lines.map((l) => `- ${e(l)}`), "");
  if (d.firstDeparture && d.closest) {
    const f = d.firstDeparture;
    out.push(
      `### Where it departs from ${e(d.closest.optimizer)}`,
      "",
      `Step ${f.step}, ${e(f.param)}: ${e(d.closest.optimizer)} (${
        e(opts(d.closest.options))
      }) gives ${formatNumber(f.expected, { digits: dig(f) })}; your run has ${
        formatNumber(f.observed, { digits: dig(f) })
      }.`,
      "",
    );
  }
  if (d.traces) {
    out.push(
      `### Step ${d.traces.correct.step}, the correct rule`,
      "",
      traceToMarkdown(d.traces.correct),
    );
    out.push(
      `### Step ${d.traces.learner.step}, ${d.match ? "your rule" : "your run"}`,
      "",
      traceToMarkdown(d.traces.learner),
    );
  }
  const others = d.candidates.filter((c, i) => !(i === 0 && c.id === d.match));
  if (others.length > 0) {
    out.push(`### ${d.match ? "Other candidates" : "Closest candidates"}`, "");
    out.push("| rule | kind | options | verdict |", "| --- | --- | --- | --- |");
    for (const c of others) {
      const verdictText = c.fits
        ? `fits as well; to tell them apart: ${c.separate ?? ""}`
        : departureText(c);
      out.push(`| ${e(c.id)} | ${c.kind} | ${e(opts(c.options))} | ${e(verdictText)} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** The diagnosis as a LaTeX fragment (needs amsmath). */
export function diagnosisToLatex(d: Diagnosis): string {
  const t = (s: string) => unicodeToLatex(escapeTex(s));
  const out: string[] = [`\\subsection*{stepgrad diagnose}`, t(headline(d)) + ".", ""];
  const v = verdict(d);
  out.push(`\\noindent\\textbf{${t(v.title)}}`);
  if (v.lines.length > 0) out.push("\\begin{itemize}");
  for (const l of v.lines) {
    out.push(
      l.startsWith("options: ") && d.match
        ? `\\item options: ${optsTex(d.options)}`
        : `\\item ${t(l)}`,
    );
  }
  if (v.lines.length > 0) out.push("\\end{itemize}");
  if (d.firstDeparture && d.closest) {
    const f = d.firstDeparture;
    out.push(
      "",
      `\\paragraph{Where it departs from ${t(d.closest.optimizer)}} Step ${f.step}, \\texttt{${
        t(f.param)
      }}: ${t(d.closest.optimizer)} (${optsTex(d.closest.options)}) gives $${
        formatNumberLatex(f.expected, { digits: dig(f) })
      }$; your run has $${formatNumberLatex(f.observed, { digits: dig(f) })}$.`,
    );
  }
  if (d.traces) {
    out.push("", `\\paragraph{The correct rule}`, traceToLatex(d.traces.correct));
    out.push(`\\paragraph{${d.match ? "Your rule" : "Your run"}}`, traceToLatex(d.traces.learner));
  }
  const others = d.candidates.filter((c, i) => !(i === 0 && c.id === d.match));
  if (others.length > 0) {
    out.push(
      `\\paragraph{${d.match ? "Other candidates" : "Closest candidates"}}`,
      "\\begin{itemize}",
    );
    for (const c of others) {
      out.push(
        `\\item \\texttt{${t(c.id)}} (${c.kind}; ${optsTex(c.options)}): ${
          t(c.fits ? `fits as well; to tell them apart: ${c.separate ?? ""}` : departureText(c))
        }`,
      );
    }
    out.push("\\end{itemize}");
  }
  return out.join("\n") + "\n";
}

/** The diagnosis as one offline HTML page (KaTeX's CSS and fonts inlined). */
export async function diagnosisToHtml(d: Diagnosis): Promise<string> {
  const { traceToHtml } = await import("../render/trace_html.ts");
  const [{ katexCss }, { htmlDocument }] = await Promise.all([
    import("../handout/katex_css.ts"),
    import("../handout/html.ts"),
  ]);
  const h = escapeHtml;
  const v = verdict(d);
  const body: string[] = [
    `<h1>stepgrad diagnose</h1>`,
    `<p>${h(headline(d))}</p>`,
    `<p class="verdict"><strong>${h(v.title)}</strong></p>`,
    `<ul>${v.lines.map((l) => `<li>${h(l)}</li>`).join("")}</ul>`,
  ];
  if (d.firstDeparture && d.closest) {
    const f = d.firstDeparture;
    body.push(
      `<h2>Where it departs from ${h(d.closest.optimizer)}</h2>`,
      `<p>Step ${f.step}, <code>${h(f.param)}</code>: ${h(d.closest.optimizer)} (${
        h(opts(d.closest.options))
      }) gives ${h(formatNumber(f.expected, { digits: dig(f) }))}; your run has ${
        h(formatNumber(f.observed, { digits: dig(f) }))
      }.</p>`,
    );
  }
  if (d.traces) {
    body.push(
      `<div class="both"><div><h2>The correct rule</h2>${await traceToHtml(
        d.traces.correct,
      )}</div>`,
      `<div><h2>${d.match ? "Your rule" : "Your run"}</h2>${await traceToHtml(
        d.traces.learner,
      )}</div></div>`,
    );
  }
  const others = d.candidates.filter((c, i) => !(i === 0 && c.id === d.match));
  if (others.length > 0) {
    body.push(
      `<h2>${d.match ? "Other candidates" : "Closest candidates"}</h2>`,
      "<table><thead><tr><th>rule</th><th>kind</th><th>options</th><th>verdict</th></tr></thead><tbody>",
      ...others.map((c) =>
        `<tr><td><code>${h(c.id)}</code></td><td>${c.kind}</td><td>${h(opts(c.options))}</td><td>${
          h(c.fits ? `fits as well; to tell them apart: ${c.separate ?? ""}` : departureText(c))
        }</td></tr>`
      ),
      "</tbody></table>",
    );
  }
  return htmlDocument({
    title: `stepgrad diagnose: ${d.match ?? "no match"}`,
    styles: [await katexCss(), DIAGNOSIS_CSS],
  }, `<body>\n${body.join("\n")}\n</body>\n`);
}

const DIAGNOSIS_CSS = `
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
.verdict { font-size: 1.15rem; }
.both { display: grid; grid-template-columns: repeat(auto-fit, minmax(30rem, 1fr)); gap: 1.5rem; }
.both > div { overflow-x: auto; border: 1px solid #ddd; border-radius: 6px; padding: 0 1rem; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
`;

/**
 * The catalogue as text: each mistake's id, what it is, why it is wrong and what it does.
 *
 * @example
 * ```ts
 * import { catalogueText } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.match(catalogueText(), /^gradient-added\n/m);
 * ```
 */
export function catalogueText(): string {
  const out: string[] = [];
  for (const id of MISTAKE_IDS) {
    const forms = MISTAKES.filter((m) => m.id === id);
    out.push(id);
    for (const m of forms) {
      out.push(
        `  ${m.title}${forms.length > 1 ? ` [in ${m.base}]` : ""}`,
        `    rule:  ${m.formula}`,
      );
    }
    out.push(
      `  why:   ${forms[0].why}`,
      `  does:  ${forms[0].effect}`,
      `  instead of: ${[...new Set(forms.map((m) => m.base))].join(", ")}`,
      "",
    );
  }
  return out.join("\n");
}
