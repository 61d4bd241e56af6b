/**
 * Every page stepgrad writes opens with the same shell (lib/handout/html.ts `htmlDocument`):
 * a handout, `optimize --format html`, the explore page, a standalone trace document and a
 * diagnosis. Nothing runs and nothing is fetched unless the page says so in its own policy.
 */
import assert from "node:assert/strict";
import { renderHtml, standalonePage } from "../../lib/handout/html.ts";
import { traceToStandaloneHtml } from "../../lib/handout/trace_page.ts";
import { explorePage } from "../../lib/explore/page.ts";
import { diagnose } from "../../lib/diagnose/diagnose.ts";
import { diagnosisToHtml } from "../../lib/diagnose/render.ts";
import { SGD, Value } from "../../mod.ts";

const STRICT = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:";

function head(page: string): { lines: string[]; policy: string; title: string } {
  const lines = page.split("\n");
  const end = lines.indexOf("</head>");
  assert.ok(end > 0, "a page has a head");
  return {
    lines: lines.slice(0, 7).map((l) =>
      l.replace(/^(<meta http-equiv="Content-Security-Policy" content=)"[^"]*">$/, '$1"…">')
        .replace(/<title>.*<\/title>/, "<title>")
    ),
    policy: page.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)![1],
    title: page.match(/<title>(.*)<\/title>/)![1],
  };
}

Deno.test("every page stepgrad writes opens with one shell", async () => {
  const w = new Value(0.5, "w");
  w.grad = 2;
  const trace = new SGD([w], { lr: 0.1 }).step();
  const pages = {
    handout: await renderHtml({ number: 2, title: "Two", summary: "s", blocks: [] }),
    optimize: await standalonePage("stepgrad: SGD", "<p>x</p>"),
    trace: await traceToStandaloneHtml(trace, { document: true, title: "a <b>" }),
    explore: await explorePage({
      expression: "x^2",
      start: { x: 1 },
      state: { optimizer: "SGD", options: { lr: 0.1 }, steps: 3, step: 1 },
    }),
    diagnosis: await diagnosisToHtml(diagnose({
      names: ["w"],
      start: [1],
      steps: [{ grads: [2], params: [0.8] }, { grads: [1.6], params: [0.64] }],
      known: { lr: 0.1 },
    })),
  };
  const shell = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta http-equiv="Content-Security-Policy" content="…">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="stepgrad">',
  ];
  for (const [name, page] of Object.entries(pages)) {
    const h = head(page);
    assert.deepEqual(h.lines, shell, name);
    assert.ok(page.endsWith("</body>\n</html>\n"), name);
    // Only the explore page runs scripts, and it names each one by its hash.
    if (name === "explore") assert.match(h.policy, /script-src 'sha256-[^']+'/);
    else assert.equal(h.policy, STRICT, name);
  }
  assert.equal(head(pages.trace).title, "a &lt;b&gt;");
  assert.equal(head(pages.handout).title, "Lesson 02: Two");
});
