/**
 * Live panels in handouts: lesson 02's panel runs the lesson's own numbers (its loss as text is
 * the lesson's graph, bit for bit), lesson 04's runs the race's; `--interactive` puts each panel
 * after its heading, allows exactly the page's scripts, and the default handout stays
 * script-free; the flag wants an HTML handout.
 */
import assert from "node:assert/strict";
import * as lesson02 from "../../lessons/02-the-learning-rate.ts";
import * as lesson04 from "../../lessons/04-the-optimizers.ts";
import { asLesson, collectHandout } from "../../lib/handout/handout.ts";
import { renderFormat } from "../../lib/handout/render.ts";
import { interactiveHandout, lessonPanels } from "../../lib/explore/handout.ts";
import { runSpec, scriptHash } from "../../lib/explore/page.ts";

Deno.test("lesson 02's panel runs the lesson's descent, bit for bit, at each of its rates", () => {
  const [panel] = lessonPanels(lesson02);
  assert.equal(panel.presets?.length, lesson02.RATES.length);
  for (const preset of panel.presets!) {
    const lr = preset.state.options.lr as number;
    const run = runSpec({ ...panel, state: preset.state }, false);
    const descent = lesson02.descend(lr);
    assert.equal(run.initialLoss, descent.probes[0].loss);
    const k = Math.min(run.steps.length, descent.probes.length - 1);
    assert.ok(k >= 10, `${k} steps to compare at α = ${lr}`);
    for (let i = 1; i <= k; i++) {
      const [w, b] = run.steps[i - 1].params;
      assert.equal(w.after, descent.probes[i].w, `w after step ${i} at α = ${lr}`);
      assert.equal(b.after, descent.probes[i].b, `b after step ${i} at α = ${lr}`);
      assert.equal(run.steps[i - 1].lossAfter, descent.probes[i].loss);
    }
    // the lesson's "too large" rate diverges on the page too
    assert.equal(run.divergence !== undefined, descent.divergedAt !== undefined, `α = ${lr}`);
  }
});

Deno.test("lesson 04's panels run the race's contestants, bit for bit", () => {
  const panels = lessonPanels(lesson04);
  assert.equal(panels.length, 2);
  assert.deepEqual(panels[1].presets!.map((p) => p.name), lesson04.CONTESTANTS.map((c) => c.name));
  for (const c of lesson04.CONTESTANTS) {
    const preset = panels[1].presets!.find((p) => p.name === c.name)!;
    const page = runSpec({ ...panels[1], state: { ...preset.state, steps: 60 } }, false);
    const race = lesson04.race(c, 60);
    assert.deepEqual(
      page.steps.map((s) => s.params.map((p) => p.after)),
      race.steps.map((s) => s.params.map((p) => p.after)),
      c.name,
    );
  }
  assert.deepEqual(
    panels[0].presets!.map((p) => p.name),
    ["SGD", "SGD + momentum", "Nesterov"],
  );
});

Deno.test("--interactive places each panel after its heading; the default handout has no script", async () => {
  const handout = await collectHandout(asLesson(lesson04, "lessons/04-the-optimizers.ts"));
  const html = (await renderFormat(handout, "html")).main as string;
  assert.doesNotMatch(html, /<script/);
  const live = await interactiveHandout(html, lessonPanels(lesson04));
  const policy = live.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)![1];
  const scripts = [...live.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 2);
  const hashes = await Promise.all(scripts.map(scriptHash));
  assert.match(policy, new RegExp(`script-src ${hashes.join(" ").replace(/[+/]/g, "\\$&")};`));
  assert.match(policy, /^default-src 'none';.*img-src data:$/);
  const at = (s: string) => live.indexOf(s);
  const panel1 = at('<section class="stepgrad-explore" id="explore-1"');
  const panel2 = at('<section class="stepgrad-explore" id="explore-2"');
  assert.ok(at("<h3>The first two steps of each, with their state</h3>") < panel1);
  assert.ok(panel1 < at("<h3>Weight decay: "), "before the next heading");
  const race = at("<h3>The race, each at its best rate</h3>");
  assert.ok(race < panel2 && panel2 < at("<h3>What the race shows</h3>"));
  // everything else is the static page
  const stripped = live
    .replace(/<section class="stepgrad-explore"[^]*?<\/script>\n<\/section>\n/g, "")
    .replace(/<script>[^]*?<\/script>\n/g, "")
    .replace(/<style>[^<]*?\.explore-page[^<]*<\/style>\n/, "")
    .replace(/content="[^"]*"/, "");
  assert.equal(stripped, html.replace(/content="[^"]*"/, ""));
});

Deno.test("handout --interactive wants an HTML handout", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "mod.ts", "handout", "2", "--out", "x.md", "--interactive"],
    cwd: new URL("../../", import.meta.url),
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.equal(
    new TextDecoder().decode(out.stderr),
    'stepgrad handout: --interactive needs an HTML handout (--out FILE.html), got "x.md"\n',
  );
});
