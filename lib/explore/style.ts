/**
 * The explore panel's stylesheet, on top of the handout's (lib/handout/html_style.ts), whose
 * type, colours and trace styles it shares: controls in a column beside the map and the loss
 * curve, one column on a narrow window, visible focus for keyboard users.
 *
 * @module
 */

/** The CSS of an explore panel (in the explore page and in an interactive handout). */
export const EXPLORE_CSS = `
.explore-page { max-width: 72rem; }
.ex-loss-formula { font-size: 1.05rem; }
.stepgrad-explore {
  margin: 1.2rem 0;
  padding: 1rem 1.1rem;
  border: 1px solid var(--rule);
  border-radius: 6px;
  background: #fbfcfd;
  font-family: var(--sans);
  font-size: .9rem;
  container-type: inline-size;
}
.stepgrad-explore .ex-title { margin: 0 0 .6rem; font-family: var(--serif); font-size: 1.1rem; }
.ex-grid { display: grid; grid-template-columns: minmax(15rem, 19rem) minmax(0, 1fr); gap: 1.2rem; }
.ex-controls .control {
  display: grid;
  grid-template-columns: minmax(0, 1fr) 6.6rem;
  grid-template-areas: "label label" "range field";
  align-items: center;
  gap: .1rem .5rem;
  margin: 0 0 .55rem;
}
.ex-controls .control > label { grid-area: label; color: var(--ink); }
.ex-controls .control > input[type=range] { grid-area: range; width: 100%; margin: 0; }
.ex-controls .control > input[type=number], .ex-controls .control > select { grid-area: field; }
.ex-controls .control.select { grid-template-areas: "label field"; }
.ex-controls .control.preset { grid-template-columns: minmax(0, 1fr); grid-template-areas: "label" "field"; }
.ex-controls .control.text { grid-template-columns: minmax(0, 1fr); grid-template-areas: "label" "field" "help"; }
.ex-controls .control.text input { grid-area: field; padding: .2rem .3rem; font: .85rem var(--mono); border: 1px solid #9aa6b2; border-radius: 3px; }
.ex-controls .control.text small { grid-area: help; color: var(--muted); font-size: .72rem; }
.ex-controls .control.check { display: flex; gap: .45rem; align-items: center; }
.ex-controls code, .ex-copy code { font: .74rem var(--mono); color: var(--muted); }
.ex-options { margin: .4rem 0 .6rem; padding: .5rem .6rem .1rem; border: 1px solid var(--rule); border-radius: 4px; }
.ex-options legend { padding: 0 .3rem; font-weight: 600; color: var(--accent); }
.stepgrad-explore input[type=number], .stepgrad-explore select {
  width: 100%;
  padding: .2rem .3rem;
  font: .85rem var(--mono);
  border: 1px solid #9aa6b2;
  border-radius: 3px;
  background: #fff;
  color: var(--ink);
}
.stepgrad-explore select { font-family: var(--sans); }
.stepgrad-explore input[aria-invalid=true] { border-color: #b42318; background: #fff5f4; }
.stepgrad-explore button {
  padding: .25rem .7rem;
  font: .82rem var(--sans);
  border: 1px solid #7d8a96;
  border-radius: 4px;
  background: #fff;
  color: var(--ink);
  cursor: pointer;
}
.stepgrad-explore button:hover { background: var(--tint); }
.stepgrad-explore :focus-visible { outline: 2.5px solid #d97706; outline-offset: 2px; }
.ex-plots figure { margin: 0; position: relative; }
.ex-map { line-height: 0; }
.ex-map canvas { display: block; width: 100%; border-radius: 3px; }
.ex-map canvas[hidden] { display: none; }
.ex-map svg { position: absolute; left: 0; top: 0; overflow: hidden; }
.ex-map canvas[hidden] + svg { position: static; }
.ex-map .path { fill: none; stroke: #f97316; stroke-width: 2; stroke-linejoin: round; }
.ex-map .dots circle { fill: #fff; stroke: #9a3412; stroke-width: .8; }
.ex-map .dots circle.start { fill: #16a34a; stroke: #fff; stroke-width: 1.5; }
.ex-map .dots circle.current { r: 6px; fill: #dc2626; stroke: #fff; stroke-width: 2; }
.ex-map .curve { fill: none; stroke: #1d4ed8; stroke-width: 1.6; }
.ex-map .param { fill: none; stroke-width: 1.8; }
.ex-map .axes text, .ex-loss .axes text { font: 11px var(--sans); fill: #fff; paint-order: stroke; stroke: rgba(0,0,0,.55); stroke-width: 2.5px; line-height: normal; }
.ex-map canvas[hidden] + svg .axes text { fill: var(--ink); stroke: none; }
.ex-map canvas[hidden] + svg { background: #fff; border: 1px solid var(--rule); }
.p0 { stroke: #1d4ed8; fill: #1d4ed8; } .p1 { stroke: #dc2626; fill: #dc2626; } .p2 { stroke: #16a34a; fill: #16a34a; }
.p3 { stroke: #9333ea; fill: #9333ea; } .p4 { stroke: #ca8a04; fill: #ca8a04; } .p5 { stroke: #0891b2; fill: #0891b2; }
.ex-fit { margin: .35rem 0 .6rem; }
.ex-loss { margin-top: .2rem; }
.ex-summary { margin: .4rem 0 0; color: var(--muted); }
.ex-loss svg { display: block; background: #fff; border: 1px solid var(--rule); border-radius: 3px; }
.ex-loss .loss-line { fill: none; stroke: #0d4f7c; stroke-width: 1.8; }
.ex-loss .frame { fill: none; stroke: #9aa6b2; }
.ex-loss .marker { fill: #dc2626; stroke: #fff; stroke-width: 1.5; }
.ex-loss .axes text { fill: var(--muted); stroke: none; }
.diagnosis {
  margin: .9rem 0;
  padding: .55rem .9rem;
  border-left: 3.5px solid #b45309;
  background: #fdf6ec;
  font-family: var(--sans);
}
.diagnosis.error { border-left-color: #b42318; background: #fff5f4; }
.link-errors { margin: .4rem 0; padding: .4rem .4rem .4rem 1.4rem; color: #b42318; background: #fff5f4; font-size: .82rem; }
.ex-scrub {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: .5rem;
  margin: 1rem 0 .2rem;
  padding: .5rem .7rem;
  background: var(--tint);
  border-radius: 4px;
}
.ex-scrub label { font-weight: 600; }
.ex-scrub input[type=range] { flex: 1 1 12rem; }
.ex-scrub input[type=number] { width: 5.5rem; }
.ex-trace { min-height: 6rem; font-family: var(--serif); font-size: 1rem; }
.ex-trace .katex-display { overflow-x: auto; overflow-y: hidden; }
.ex-copy { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: .6rem; }
.ex-copy textarea { flex: 1 1 100%; font: .78rem var(--mono); }
.copy-status { color: var(--muted); }
.ex-command { margin: .6rem 0 0; color: var(--muted); font-size: .8rem; }
.ex-command code { font: .78rem var(--mono); color: var(--ink); overflow-wrap: anywhere; }
@container (max-width: 48rem) {
  .ex-grid { grid-template-columns: minmax(0, 1fr); }
}
@media (max-width: 52rem) {
  .explore-page { padding: 1.2rem .9rem; }
}
`;
