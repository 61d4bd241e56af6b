/**
 * The handout's stylesheet: a printed worked example. One column of serif text set in KaTeX's
 * own Computer Modern (already inlined for the formulas, so the page looks the same on every
 * machine), booktabs tables, quiet callouts, figures that never split across pages. In print (A4
 * or Letter) sections run on, headings stay with what follows, and nothing kept whole is taller
 * than about half a page, so no page is left half empty.
 *
 * @module
 */

/** The CSS of every HTML handout (and so of every PDF). */
export const HANDOUT_CSS = `
:root {
  --ink: #1c2228;
  --muted: #5d6873;
  --rule: #cfd6dd;
  --accent: #0d4f7c;
  --tint: #f5f7f9;
  --serif: "KaTeX_Main", "KaTeX_Math", "Latin Modern Roman", "CMU Serif", "DejaVu Serif", Georgia, serif;
  --sans: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
  --mono: "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { background: #ecebe6; }
body {
  margin: 0;
  color: var(--ink);
  font: 17px/1.6 var(--serif);
  font-kerning: normal;
  text-rendering: optimizeLegibility;
  -webkit-print-color-adjust: exact;
  print-color-adjust: exact;
}
.page {
  max-width: 50rem;
  margin: 2.5rem auto;
  padding: 3.25rem 4rem 2.5rem;
  background: #fff;
  box-shadow: 0 1px 2px rgba(0, 0, 0, .08), 0 6px 24px rgba(0, 0, 0, .06);
  counter-reset: section figure table;
}
header.masthead { border-bottom: 1.5px solid var(--ink); padding-bottom: 1.1rem; margin-bottom: 1.6rem; }
.kicker {
  margin: 0 0 .35rem;
  font: 600 .72rem/1.2 var(--sans);
  letter-spacing: .12em;
  text-transform: uppercase;
  color: var(--accent);
}
h1 { margin: 0; font-size: 2.1rem; line-height: 1.15; font-weight: 700; letter-spacing: -.005em; }
.summary { margin: .6rem 0 0; font-size: 1.08rem; font-style: italic; color: #333c45; }
h2 {
  counter-increment: section;
  margin: 2.2rem 0 .8rem;
  font-size: 1.45rem;
  line-height: 1.25;
  font-weight: 700;
}
h2::before { content: counter(section); display: inline-block; min-width: 1.6em; color: var(--accent); }
section.unnumbered > h2::before { content: none; }
h3 { margin: 1.6rem 0 .5rem; font-size: 1.12rem; font-weight: 700; break-after: avoid; }
section.intro > :first-child, section.section > h2:first-child { margin-top: 0; }
section.section { margin-top: 2.6rem; }
p { margin: .65rem 0; hyphens: auto; }
.katex { font-size: 1.08em; }
.display { margin: .9rem 0; break-inside: avoid; }
.display .katex-display { margin: 0; }
.wide { font-size: .86em; } .wider { font-size: .74em; }
.table.wide th, .table.wide td, .table.wider th, .table.wider td { padding: .25rem .5rem; }
table { border-collapse: collapse; margin: 0 auto; font-variant-numeric: tabular-nums; }
.table { margin: 1.1rem 0; break-inside: avoid; }
.table table { border-top: 1.5px solid var(--ink); border-bottom: 1.5px solid var(--ink); }
caption {
  caption-side: top;
  padding-bottom: .45rem;
  font-size: .92rem;
  text-align: left;
  color: var(--muted);
}
caption b, figcaption b { color: var(--ink); font-weight: 700; }
th, td { padding: .28rem .8rem; vertical-align: baseline; }
th { font-weight: 700; border-bottom: .8px solid var(--ink); }
td.r { white-space: nowrap; }
td { border-top: .5px solid #e6eaee; }
tr:first-child td { border-top: 0; }
.l { text-align: left; } .r { text-align: right; } .c { text-align: center; }
.note {
  margin: 1.1rem 0;
  padding: .7rem 1rem .75rem;
  border-left: 3.5px solid var(--accent);
  background: var(--tint);
  break-inside: avoid;
}
.note > p { margin: 0; }
.note .tone {
  display: block;
  margin-bottom: .2rem;
  font: 700 .68rem/1.2 var(--sans);
  letter-spacing: .1em;
  text-transform: uppercase;
  color: var(--accent);
}
.note.warning { border-color: #b45309; background: #fdf6ec; }
.note.warning .tone { color: #9a4a08; }
.note.key { border-color: #1f7a4d; background: #f0f8f3; }
.note.key .tone { color: #17613d; }
pre {
  margin: 1rem 0;
  padding: .75rem 1rem;
  overflow-x: auto;
  background: var(--tint);
  border: 1px solid #e3e8ed;
  border-radius: 3px;
  font: .8rem/1.5 var(--mono);
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  break-inside: avoid;
}
pre .line { display: block; padding-left: 2ch; text-indent: -2ch; min-height: 1.5em; }
figure { margin: 1.5rem 0; break-inside: avoid; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { margin-top: .4rem; font-size: .92rem; color: var(--muted); text-align: left; }
.legend {
  display: flex;
  flex-wrap: wrap;
  justify-content: center;
  gap: .3rem 1.1rem;
  margin: .35rem 0 0;
  padding: 0;
  list-style: none;
  font: .78rem/1.4 var(--sans);
  color: #333;
}
.legend li { display: inline-flex; align-items: center; gap: .4rem; }
.legend svg { width: 1.6rem; height: .8rem; flex: none; }
.stepgrad-trace { margin: .6rem 0 1.2rem; }
.stepgrad-keep { break-inside: avoid; }
.stepgrad-options, .stepgrad-start {
  margin: .25rem 0;
  font-size: .92rem;
  color: #39434d;
  break-after: avoid;
}
.stepgrad-step {
  margin: .9rem 0;
  padding: .1rem 0 .1rem 1rem;
  border-left: 2px solid var(--rule);
  break-inside: avoid;
}
.stepgrad-step h3 { margin: .2rem 0; font-size: 1rem; color: var(--accent); }
.stepgrad-step > p { margin: .25rem 0; }
.stepgrad-equations { display: flex; align-items: flex-start; gap: 1rem; break-inside: avoid; }
.stepgrad-param {
  flex: 0 0 auto;
  min-width: 3.5rem;
  margin: .85rem 0 0; /* beside the first line of its equations */
  font-style: italic;
  color: var(--muted);
}
.stepgrad-equations .katex-display { flex: 1 1 auto; min-width: 0; margin: .35rem 0; }
.stepgrad-equations .katex-display, .stepgrad-equations .katex-display > .katex { text-align: left; }
.stepgrad-divergence {
  margin: .8rem 0;
  padding: .6rem 1rem;
  border-left: 3.5px solid #b45309;
  background: #fdf6ec;
}
footer.colophon {
  margin-top: 2.8rem;
  padding-top: .7rem;
  border-top: .8px solid var(--rule);
  font: .75rem/1.5 var(--sans);
  color: var(--muted);
}
footer.colophon code { font: .72rem var(--mono); }
@media screen and (max-width: 44rem) {
  .page { margin: 0; padding: 1.5rem 1.1rem; box-shadow: none; }
  body { font-size: 16px; }
  /* A narrow screen: what does not fit scrolls sideways in its own box (never the page), with
     room above and below so a fraction's denominator or an exponent is never cut. */
  .display, .table, .stepgrad-equations .katex-display {
    overflow-x: auto;
    overflow-y: hidden;
    padding: .5em 0;
  }
}
@page { margin: 16mm 17mm 18mm; }
@media print {
  html { background: none; }
  body { font-size: 10.5pt; }
  .page { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  /* Sections run on (a page is never left half empty before one); a heading stays with what
     follows it, a figure or table with its caption. Anything kept whole is at most about half a
     page, so whatever has to move to the next page leaves at least half of this one filled. */
  section.section { margin-top: 1.6rem; }
  /* The answers to the exercises start a page of their own: a teacher can leave it out. */
  section.answers { break-before: page; }
  h1, h2, h3, caption, .stepgrad-options, .stepgrad-start { break-after: avoid; }
  p { orphans: 3; widows: 3; }
  figure svg { max-height: 100mm; width: auto; }
  .table.long { break-inside: auto; }
  /* A step of a trace may be taller than half a page: it breaks between parameters, never
     inside one parameter's equations, and its heading stays with the first of them. */
  .stepgrad-keep, .stepgrad-step { break-inside: auto; }
  .stepgrad-options, .stepgrad-start { break-inside: avoid; }
  .stepgrad-step h3, .stepgrad-step > p:first-of-type { break-after: avoid; }
  .table.long tr { break-inside: avoid; }
  pre.long { break-inside: auto; }
}
`;
