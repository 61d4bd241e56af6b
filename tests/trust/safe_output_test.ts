/// <reference lib="dom" />
/**
 * User-given names are escaped in every handout format. Opened in real headless Chromium, a
 * handout whose labels try to run script shows them as text: nothing ran, no link points at
 * javascript:, no element carries an event handler.
 */
import assert from "node:assert/strict";
import { asLesson, collectHandout, renderFormat } from "../../mod.ts";
import { chromiumAvailable, chromiumPath } from "../../lib/handout/browser.ts";
import { launchChromium } from "../handout/playwright.ts";
import { KATEX_OPTIONS } from "../../lib/render/katex.ts";
import { HOSTILE } from "../fixtures/trust/hostile_lesson.ts";

const handout = await collectHandout(
  asLesson(await import("../fixtures/trust/hostile_lesson.ts"), "hostile_lesson.ts"),
);

Deno.test("KaTeX stays locked down: trust false, finite maxExpand and maxSize, strict", () => {
  assert.equal(KATEX_OPTIONS.trust, false);
  assert.ok(Number.isFinite(KATEX_OPTIONS.maxExpand) && KATEX_OPTIONS.maxExpand > 0);
  assert.ok(Number.isFinite(KATEX_OPTIONS.maxSize) && KATEX_OPTIONS.maxSize > 0);
  assert.equal(KATEX_OPTIONS.strict, "error");
});

Deno.test("Markdown: user names cannot open HTML tags or javascript: links", async () => {
  const md = String((await renderFormat(handout, "md")).main);
  // outside fenced code (and the figure tags stepgrad writes itself), every < is escaped: as
  // &lt; or \< in text, as \textless in math; so no name opens a tag
  let fenced = false;
  const prose = md.split("\n").filter((line) => {
    if (line.startsWith("```")) fenced = !fenced;
    return !fenced && !line.startsWith("```");
  }).join("\n").replace(/<img src="[\w./-]+\.svg"[^>]*>/g, "");
  assert.doesNotMatch(prose, /(?<!\\)</);
  assert.doesNotMatch(prose, /(?<!\\)\]\(javascript:/i);
  // in math, a name's backslash is \textbackslash{}: no \href or \url command from a name
  const math = [...prose.matchAll(/\$\$([\s\S]*?)\$\$/g)].map((m) => m[1]).join("\n");
  assert.ok(math.includes("textless{}script"), "the trace's math is there, names escaped");
  assert.doesNotMatch(math, /\\(href|url)\{/);
});

Deno.test("LaTeX: user names cannot become commands", async () => {
  const texDoc = String((await renderFormat(handout, "tex")).main);
  assert.doesNotMatch(texDoc, /(?<!\\textbackslash\{\})\\href\{javascript/);
  assert.doesNotMatch(texDoc, /(?<!\\textbackslash\{\})\\url\{javascript/);
  assert.doesNotMatch(texDoc, /[^\\]100% #1/); // % and # escaped
  assert.match(texDoc, /100\\% \\#1/);
});

Deno.test({
  name: "HTML in headless Chromium: the hostile names are shown as text and nothing runs",
  ignore: !chromiumAvailable(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const html = String((await renderFormat(handout, "html")).main);
    const dir = await Deno.makeTempDir();
    const browser = await launchChromium();
    try {
      const file = `${dir}/hostile.html`;
      await Deno.writeTextFile(file, html);
      const page = await browser.newPage({ javaScriptEnabled: true });
      const dialogs: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`file://${file}`);
      const report = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
        scripts: document.querySelectorAll("script").length,
        jsLinks: [...document.querySelectorAll("[href], [src], [action], [xlink\\:href]")]
          .map((e) =>
            e.getAttribute("href") ?? e.getAttribute("src") ?? e.getAttribute("action") ??
              e.getAttribute("xlink:href") ?? ""
          )
          .filter((u) => /^\s*javascript:/i.test(u)),
        handlers: [...document.querySelectorAll("*")].flatMap((e) =>
          [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)
        ),
        text: document.body.innerText,
      }));
      assert.equal(report.pwned, null, "a user's script ran");
      assert.deepEqual(dialogs, []);
      assert.equal(report.scripts, 0);
      assert.deepEqual(report.jsLinks, []);
      assert.deepEqual(report.handlers, []);
      // the names are there, as text a reader can see
      for (const name of [HOSTILE[0], HOSTILE[1], HOSTILE[4]]) {
        assert.ok(report.text.includes(name), `${name} is shown as text`);
      }
      await page.close();
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

if (!chromiumAvailable()) {
  console.warn(`safe-output browser test skipped: no Chromium at ${chromiumPath()}`);
}
