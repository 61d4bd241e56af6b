/**
 * Every digit on the page: every lesson's HTML handout in headless Chromium at 1000 px and 700 px
 * wide, and with print media at the printable width of A4 and of Letter; no formula, table, code
 * block or figure extends past its column (at 700 px one may scroll sideways in its own box, but
 * nothing is hidden by `overflow: hidden`). A page built to fail shows the check can fail.
 *
 * Skipped, saying so, only when Chromium is not installed.
 */
import assert from "node:assert/strict";
import { renderHtml } from "../../lib/handout/html.ts";
import { chromiumAvailable } from "../../lib/handout/browser.ts";
import { launchChromium } from "./playwright.ts";
import { HANDOUT_CSS } from "../../lib/handout/html_style.ts";
import { allHandouts } from "./lessons.ts";
import { fontsUsed, overflows, PRINT_WIDTHS, VIEWS } from "./layout.ts";

const available = chromiumAvailable();

function describe(found: Map<string, { kind: string; why: string; by: number; text: string }[]>) {
  return [...found].flatMap(([view, list]) =>
    list.map((o) => `[${view}] ${o.kind} ${o.why} by ${o.by.toFixed(0)} px: ${o.text}`)
  ).join("\n");
}

Deno.test({
  name: "every handout: nothing extends past its column at 1000 px, 700 px, A4 and Letter",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    assert.ok(Math.abs(PRINT_WIDTHS.a4 - 665.2) < 0.1, "A4 less 2 × 17 mm is 665 CSS px");
    assert.ok(Math.abs(PRINT_WIDTHS.letter - 687.5) < 0.1, "Letter less 2 × 17 mm is 687.5 px");
    assert.match(HANDOUT_CSS, /@page \{ margin: 16mm 17mm 18mm; \}/, "the margins measured here");
    const browser = await launchChromium();
    try {
      await t.step("the check finds what does not fit", async () => {
        const wide = "<tr>" + "<td>0.123456789</td>".repeat(14) + "</tr>";
        const html = `<!doctype html><style>${HANDOUT_CSS}</style><div class="page"><main>
          <div><table>${wide}</table></div>
          <pre style="white-space:pre;overflow:hidden">${"x".repeat(300)}</pre>
          <figure><div style="width:2000px;height:50px"></div></figure></main></div>`;
        const found = await overflows(browser, html);
        for (const v of VIEWS) {
          const list = found.get(v.name) ?? [];
          assert.ok(
            list.some((o) => o.kind === "table"),
            `${v.name}: the table\n${describe(found)}`,
          );
          assert.ok(list.some((o) => o.kind === "code"), `${v.name}: the hidden code`);
          assert.ok(list.some((o) => o.kind === "figure"), `${v.name}: the figure`);
        }
      });
      for (const { name, handout } of await allHandouts()) {
        await t.step(name, async () => {
          const html = await renderHtml(handout);
          const found = await overflows(browser, html);
          assert.deepEqual([...found.keys()], VIEWS.map((v) => v.name));
          assert.equal(describe(found), "");
        });
      }
    } finally {
      await browser.close();
    }
  },
});

Deno.test({
  name:
    "every handout inlines only the KaTeX fonts it uses, and every formula glyph comes from one",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const browser = await launchChromium();
    try {
      for (const { name, handout } of await allHandouts()) {
        await t.step(name, async () => {
          const html = await renderHtml(handout);
          const inlined = new Set(
            [...html.matchAll(/@font-face\{[^}]*font-family:"?(KaTeX_\w+)/g)].map((m) => m[1]),
          );
          const drawn = await fontsUsed(browser, html, ".katex-html *");
          assert.ok(drawn.length > 0, "the page has formulas");
          for (const f of drawn) {
            assert.ok(
              f.custom && inlined.has(f.family),
              `${f.glyphs} glyphs drawn with ${f.family} (${
                f.custom ? "inlined" : "the machine's"
              }), e.g. ${f.example}`,
            );
          }
          // Nothing inlined that nothing draws: KaTeX_Main is the page's text face, and
          // KaTeX_Math its Greek.
          const needed = new Set([...drawn.map((f) => f.family), "KaTeX_Main", "KaTeX_Math"]);
          assert.deepEqual([...inlined].filter((f) => !needed.has(f)), []);
          assert.ok(inlined.size < 10, `${inlined.size} of KaTeX's 12 families`);
        });
      }
    } finally {
      await browser.close();
    }
  },
});
