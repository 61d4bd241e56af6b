/// <reference lib="dom" />
/**
 * Explore pages in headless Chromium (Debian's, through playwright-core), one browser for the
 * file: opened with a fragment, the page's `#stepgrad-run` equals `optimize … --format json` for
 * every optimizer and several option sets; moving a control by keyboard or by setting its value
 * changes the JSON, the fragment, the trace and the path; the trace of step k is the CLI's HTML
 * for step k; a diverging run shows the CLI's diagnosis; hostile text shows as text; no request
 * leaves the page, no console error, no `.katex-error`; and re-running + redrawing 200 steps is
 * timed (the figure is printed).
 *
 * Set STEPGRAD_SCREENSHOTS=folder to keep screenshots of the pages it opens.
 *
 * Skipped, saying so, only when Chromium is not installed.
 */
import assert from "node:assert/strict";
import { chromiumAvailable, chromiumPath } from "../../lib/handout/browser.ts";
import { type Browser, launchChromium } from "../handout/playwright.ts";
import { parseOptimizeArgs, renderRun, runRequest } from "../../lib/cli/optimize.ts";
import { explorePage, type ExploreSpec } from "../../lib/explore/page.ts";
import { traceToLatex } from "../../lib/render/trace_latex.ts";
import { traceToHtml } from "../../lib/render/trace_html.ts";
import type { OptimizationRun } from "../../lib/optim/trace.ts";

import * as lesson02 from "../../lessons/02-the-learning-rate.ts";
import * as lesson04 from "../../lessons/04-the-optimizers.ts";
import { asLesson, collectHandout } from "../../lib/handout/handout.ts";
import { renderFormat } from "../../lib/handout/render.ts";
import { interactiveHandout, lessonPanels } from "../../lib/explore/handout.ts";

type Page = Awaited<ReturnType<Browser["newPage"]>>;

const available = chromiumAvailable();
if (!available) {
  console.warn(
    `explore browser tests skipped: no Chromium at ${chromiumPath()} (apt-get install -y chromium)`,
  );
}

const ROSENBROCK = "(1 - x)^2 + 100 * (y - x^2)^2";
const START = "x=-1.2,y=1";
const SHOTS = Deno.env.get("STEPGRAD_SCREENSHOTS");

/** `--optimizer adam --lr 0.05 --nesterov` → `optimizer=adam&lr=0.05&nesterov`: the same names. */
function fragmentOf(flags: string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i].replace(/^--/, "");
    const next = flags[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      parts.push(`${flag}=${next}`);
      i++;
    } else parts.push(flag);
  }
  return parts.join("&");
}

/** What the command line prints for `optimize <expr> --start … <flags> --format json`. */
async function cliRun(expr: string, start: string, flags: string[]): Promise<unknown> {
  const req = parseOptimizeArgs([expr, "--start", start, ...flags, "--format", "json"])!;
  return JSON.parse(await renderRun(runRequest(req), "json"));
}

function cliTrace(expr: string, start: string, flags: string[]): OptimizationRun {
  return runRequest(parseOptimizeArgs([expr, "--start", start, ...flags])!);
}

async function writePage(spec: ExploreSpec, title?: string): Promise<string> {
  const file = await Deno.makeTempFile({ prefix: "stepgrad-explore-", suffix: ".html" });
  await Deno.writeTextFile(file, await explorePage(spec, { title }));
  return file;
}

interface Watched {
  page: Page;
  requests: string[];
  errors: string[];
}

async function open(
  browser: Browser,
  file: string,
  fragment = "",
  width = 1200,
  wait = true,
): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const url = `file://${file}`;
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => {
    const u = r.url();
    if (u.split("#")[0] !== url && !u.startsWith("data:")) requests.push(u);
  });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(fragment ? `${url}#${fragment}` : url, { waitUntil: "load" });
  if (wait) {
    await ready(page).catch((e) => {
      throw new Error(`${e.message.split("\n")[0]}; the page said: ${errors.join("; ")}`);
    });
  }
  return { page, requests, errors };
}

/** Waits until the page's run JSON belongs to the state in the address. */
async function ready(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const run = document.getElementById("stepgrad-run");
      return run !== null && run.dataset.state !== undefined &&
        run.dataset.state === location.hash.slice(1);
    },
    undefined,
    { timeout: 10_000 },
  );
}

async function close(w: Watched): Promise<void> {
  const katexErrors = await w.page.evaluate(() => document.querySelectorAll(".katex-error").length);
  await w.page.close();
  assert.deepEqual(w.requests, [], "no request leaves the page");
  assert.deepEqual(w.errors, [], "no console error or warning");
  assert.equal(katexErrors, 0, "no .katex-error");
}

async function pageRun(page: Page): Promise<Record<string, unknown>> {
  return JSON.parse(
    await page.evaluate(() => document.getElementById("stepgrad-run")!.textContent ?? ""),
  );
}

async function snapshot(page: Page) {
  return await page.evaluate(() => ({
    hash: location.hash.slice(1),
    json: document.getElementById("stepgrad-run")!.textContent,
    trace: document.querySelector('[data-part="trace"]')!.innerHTML,
    path: document.querySelector('[data-part="path"]')?.getAttribute("points") ?? "",
    loss: document.querySelector('[data-part="loss-line"]')?.getAttribute("points") ?? "",
  }));
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const OPTION_SETS: string[][] = [
  ["--optimizer", "sgd", "--lr", "0.001"],
  ["--optimizer", "sgd", "--lr", "0.0005", "--momentum", "0.9", "--nesterov"],
  [
    "--optimizer",
    "sgd",
    "--lr",
    "0.001",
    "--momentum",
    "0.5",
    "--dampening",
    "0.1",
    "--weight-decay",
    "0.01",
    "--maximize",
  ],
  ["--optimizer", "rmsprop", "--lr", "0.01"],
  ["--optimizer", "rmsprop", "--lr", "0.01", "--alpha", "0.9", "--centered", "--momentum", "0.5"],
  ["--optimizer", "adagrad", "--lr", "0.1"],
  [
    "--optimizer",
    "adagrad",
    "--lr",
    "0.1",
    "--lr-decay",
    "0.01",
    "--initial-accumulator-value",
    "0.1",
  ],
  ["--optimizer", "adadelta", "--lr", "1"],
  [
    "--optimizer",
    "adadelta",
    "--lr",
    "0.5",
    "--rho",
    "0.95",
    "--eps",
    "1e-5",
    "--weight-decay",
    "0.1",
  ],
  ["--optimizer", "adam", "--lr", "0.05", "--betas", "0.8,0.99"],
  ["--optimizer", "adam", "--lr", "0.02", "--amsgrad", "--weight-decay", "0.1"],
  ["--optimizer", "adamw", "--lr", "0.05"],
  ["--optimizer", "adamw", "--lr", "0.05", "--amsgrad", "--eps", "1e-6"],
  ["--optimizer", "adamax", "--lr", "0.1"],
  ["--optimizer", "adamax", "--lr", "0.1", "--betas", "0.5,0.9"],
  ["--optimizer", "nadam", "--lr", "0.05"],
  [
    "--optimizer",
    "nadam",
    "--lr",
    "0.05",
    "--momentum-decay",
    "0.01",
    "--decoupled-weight-decay",
    "--weight-decay",
    "0.1",
  ],
  ["--optimizer", "radam", "--lr", "0.05"],
  ["--optimizer", "sgd", "--lr", "0.002", "--momentum", "0.9", "--scheduler", "step:5,0.5"],
  ["--optimizer", "adam", "--lr", "0.1", "--scheduler", "cosine:20,0.001"],
  ["--optimizer", "radam", "--lr", "0.05", "--decoupled-weight-decay", "--weight-decay", "0.01"],
];

Deno.test({
  name: "explore pages in headless Chromium",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const browser = await launchChromium();
    const rosenbrock = await writePage({
      expression: ROSENBROCK,
      start: { x: -1.2, y: 1 },
      state: { optimizer: "SGD", options: { lr: 0.001 }, steps: 50, step: 1 },
    });
    try {
      await t.step(
        "opened with a fragment, #stepgrad-run equals optimize --format json (every optimizer)",
        async () => {
          // The first option set of each optimizer opens a fresh page; the next ones change the
          // address of the open page (the page follows its fragment).
          const seen = new Set<string>();
          let w: Watched | undefined;
          for (const flags of OPTION_SETS) {
            const steps = flags.includes("adadelta") ? "200" : "30";
            const all = [...flags, "--steps", steps];
            const fragment = `${fragmentOf(all)}&step=2`;
            const optimizer = flags[1];
            if (w && seen.has(optimizer)) {
              await w.page.evaluate((f) => location.hash = f, fragment);
              await ready(w.page);
            } else {
              if (w) await close(w);
              w = await open(browser, rosenbrock, fragment);
            }
            const shown = await w.page.evaluate(() =>
              document.querySelector('[data-part="diagnosis"]')!.textContent
            );
            const want = await cliRun(ROSENBROCK, START, all) as {
              divergence?: { message: string };
            };
            assert.equal(shown, want.divergence ? `Diverged: ${want.divergence.message}` : "");
            const got = await pageRun(w.page);
            assert.deepEqual(got, want, all.join(" "));
            seen.add(optimizer);
          }
          if (w) await close(w);
          assert.equal(seen.size, 9, "all nine optimizers");
        },
      );

      await t.step(
        "moving a slider by keyboard and by setting its value changes the JSON, fragment, trace and path",
        async () => {
          const w = await open(browser, rosenbrock, "optimizer=adam&lr=0.05&steps=50&step=3");
          const page = w.page;
          const before = await snapshot(page);
          assert.match(
            before.hash,
            /^optimizer=adam&lr=0\.05&betas=0\.9,0\.999&eps=1e-8&weight-decay=0&steps=50&step=3$/,
          );
          assert.match(before.trace, /data-step="3"/);
          // by keyboard: the lr slider, one position right (a twentieth of a decade)
          await page.focus("#explore-lr-range");
          await page.keyboard.press("ArrowRight");
          await ready(page);
          const keyed = await snapshot(page);
          const lr = Number(new URLSearchParams(keyed.hash).get("lr"));
          assert.ok(lr > 0.05 && lr < 0.06, `lr after ArrowRight: ${lr}`);
          assert.notEqual(keyed.json, before.json);
          assert.notEqual(keyed.trace, before.trace);
          assert.notEqual(keyed.path, before.path);
          assert.notEqual(keyed.loss, before.loss);
          assert.deepEqual(
            await pageRun(page),
            await cliRun(ROSENBROCK, START, [
              "--optimizer",
              "adam",
              "--lr",
              String(lr),
              "--steps",
              "50",
            ]),
          );
          // by setting its value: β₁'s slider, then the lr's number field
          await page.evaluate(() => {
            const range = document.querySelector<HTMLInputElement>("#explore-betas-1-range")!;
            range.value = "0.5";
            range.dispatchEvent(new Event("input", { bubbles: true }));
          });
          await ready(page);
          const set = await snapshot(page);
          assert.match(set.hash, /betas=0\.5,0\.999/);
          assert.notEqual(set.path, keyed.path);
          await page.fill("#explore-lr-field", "0.02");
          await ready(page);
          const typed = await snapshot(page);
          assert.match(typed.hash, /lr=0\.02&betas=0\.5,0\.999/);
          assert.notEqual(typed.trace, set.trace);
          assert.deepEqual(
            await pageRun(page),
            await cliRun(ROSENBROCK, START, [
              "--optimizer",
              "adam",
              "--lr",
              "0.02",
              "--betas",
              "0.5,0.999",
              "--steps",
              "50",
            ]),
          );
          // a flag by keyboard: Tab to AMSGrad, Space
          await page.focus("#explore-amsgrad");
          await page.keyboard.press("Space");
          await ready(page);
          assert.match((await snapshot(page)).hash, /&amsgrad&/);
          await shot(page, "adam-moved");
          await close(w);
        },
      );

      await t.step(
        "the step scrubber shows step k's trace, the same HTML optimize --format html writes",
        async () => {
          const flags = ["--optimizer", "nadam", "--lr", "0.05", "--steps", "20"];
          const w = await open(browser, rosenbrock, `${fragmentOf(flags)}&step=3`);
          const page = w.page;
          await page.focus("#explore-step");
          await page.keyboard.press("ArrowRight");
          await ready(page);
          assert.match((await snapshot(page)).hash, /&step=4$/);
          const cli = await traceToHtml(cliTrace(ROSENBROCK, START, flags));
          const same = await page.evaluate((html) => {
            const t = document.createElement("template");
            t.innerHTML = html;
            const want = t.content.querySelector('[data-step="4"]')!.outerHTML;
            const got = document.querySelector('[data-part="trace"] [data-step="4"]')?.outerHTML;
            return got === want;
          }, cli);
          assert.ok(same, "step 4's section is the CLI's");
          // the red dot on the path is step 4's point
          const dot = await page.evaluate(() => {
            const dots = [...document.querySelectorAll('[data-part="dots"] circle')];
            return dots.findIndex((c) => c.classList.contains("current"));
          });
          assert.equal(dot, 4);
          // copy as LaTeX: the CLI's LaTeX for that step
          await page.click('[data-part="copy-latex"]');
          await page.waitForFunction(() =>
            document.querySelector('[data-part="copy-status"]')!.textContent !== ""
          );
          const copied = await page.evaluate(() =>
            document.querySelector<HTMLTextAreaElement>('[data-part="copy-text"]')!.value
          );
          const run = cliTrace(ROSENBROCK, START, flags);
          assert.equal(
            copied,
            traceToLatex({ ...run, steps: [run.steps[3]], divergence: undefined }),
          );
          // copy the command: it reproduces the page's run
          await page.click('[data-part="copy-command"]');
          await page.waitForFunction(() =>
            /command/.test(document.querySelector('[data-part="copy-status"]')!.textContent ?? "")
          );
          const command = await page.evaluate(() =>
            document.querySelector<HTMLTextAreaElement>('[data-part="copy-text"]')!.value
          );
          assert.match(
            command,
            /^deno task stepgrad optimize '\(1 - x\)\^2 \+ 100 \* \(y - x\^2\)\^2' --start x=-1\.2,y=1 --optimizer nadam /,
          );
          const args = command.replace(/^deno task stepgrad optimize '[^']*' /, "").split(" ");
          const req = parseOptimizeArgs([ROSENBROCK, ...args, "--format", "json"])!;
          assert.deepEqual(
            await pageRun(page),
            JSON.parse(await renderRun(runRequest(req), "json")),
          );
          await close(w);
        },
      );

      await t.step("a diverging setting shows the diagnosis optimize prints", async () => {
        const flags = ["--optimizer", "sgd", "--lr", "0.01", "--steps", "50"];
        const cli = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "mod.ts",
            "optimize",
            ROSENBROCK,
            "--start",
            START,
            ...flags,
            "--format",
            "json",
          ],
          cwd: new URL("../../", import.meta.url),
          stdout: "null",
          stderr: "piped",
        }).output();
        assert.equal(cli.code, 1);
        const said = new TextDecoder().decode(cli.stderr).trim();
        assert.match(said, /^stepgrad optimize: diverged: step \d+: /);
        const w = await open(browser, rosenbrock, fragmentOf(flags));
        const shown = await w.page.evaluate(() => {
          const box = document.querySelector<HTMLElement>('[data-part="diagnosis"]')!;
          return { text: box.textContent, hidden: box.hidden, role: box.getAttribute("role") };
        });
        assert.equal(shown.hidden, false);
        assert.equal(shown.role, "alert");
        assert.equal(shown.text, `Diverged: ${said.replace(/^stepgrad optimize: diverged: /, "")}`);
        await shot(w.page, "sgd-diverged");
        await close(w);
      });

      await t.step(
        "hostile text in the title and in the link shows as text; nothing runs",
        async () => {
          const hostile =
            `<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>`;
          const file = await writePage({
            expression: "x^2 + 3*y^2",
            start: { x: 1, y: -2 },
            state: { optimizer: "SGD", options: { lr: 0.1 }, steps: 10, step: 1 },
          }, hostile);
          const page = await browser.newPage();
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(e.message));
          await page.goto(
            `file://${file}#optimizer=${encodeURIComponent(hostile)}&lr=${
              encodeURIComponent("<b>1</b>")
            }`,
          );
          await page.waitForFunction(() => document.getElementById("stepgrad-run")?.dataset.state);
          const r = await page.evaluate(() => ({
            h1: document.querySelector("h1")!.textContent,
            imgs: document.querySelectorAll("img").length,
            bolds: document.querySelectorAll(".link-errors b").length,
            errors: [...document.querySelectorAll(".link-errors li")].map((li) => li.textContent),
            pwned: (globalThis as { pwned?: number }).pwned,
          }));
          assert.equal(r.h1, hostile);
          assert.equal(r.imgs, 0);
          assert.equal(r.bolds, 0);
          assert.equal(r.pwned, undefined);
          assert.ok(
            r.errors.some((e) => e?.includes(`unknown optimizer "${hostile}"`)),
            r.errors.join("\n"),
          );
          assert.ok(
            r.errors.some((e) => e?.includes(`lr expects a finite number, got "<b>1</b>"`)),
          );
          assert.deepEqual(errors, []);
          await page.close();
          await Deno.remove(file);
        },
      );

      await t.step("every control is reachable by Tab and labelled", async () => {
        const w = await open(browser, rosenbrock, "optimizer=sgd&lr=0.001&momentum=0.9");
        const page = w.page;
        const controls = await page.evaluate(() =>
          [...document.querySelectorAll(
            ".stepgrad-explore input:not([hidden]), .stepgrad-explore select, .stepgrad-explore button",
          )]
            .filter((e) => !(e as HTMLElement).hidden).map((e) => {
              const el = e as HTMLInputElement;
              const named = (el.labels?.length ?? 0) > 0 || el.hasAttribute("aria-label") ||
                el.hasAttribute("aria-labelledby") || (el.textContent ?? "").trim() !== "";
              return { id: el.id || el.dataset.part || el.outerHTML.slice(0, 60), named };
            })
        );
        for (const c of controls) assert.ok(c.named, `${c.id} has a name`);
        const reached = new Set<string>();
        for (let i = 0; i < controls.length + 5; i++) {
          await page.keyboard.press("Tab");
          reached.add(
            await page.evaluate(() => {
              const el = document.activeElement as HTMLElement;
              return el.id || el.dataset.part || el.tagName;
            }),
          );
        }
        for (const c of controls) assert.ok(reached.has(c.id), `Tab reaches ${c.id}`);
        await close(w);
      });

      await t.step("KaTeX draws with the fonts inlined in the page", async () => {
        const w = await open(browser, rosenbrock, "optimizer=radam&lr=0.05&steps=10&step=7");
        const r = await w.page.evaluate(async () => {
          await document.fonts.ready;
          const declared = new Set([...document.fonts].map((f) => f.family.replace(/"/g, "")));
          const used = new Set<string>();
          for (const el of document.querySelectorAll(".katex *")) {
            if (el.childNodes.length === 0 || !el.textContent?.trim()) continue;
            if (el.closest(".katex-mathml")) continue;
            used.add(getComputedStyle(el).fontFamily.split(",")[0].replace(/"/g, "").trim());
          }
          return { declared: [...declared], used: [...used] };
        });
        for (const family of r.used) {
          assert.ok(r.declared.includes(family), `${family} is inlined (${r.declared.join(", ")})`);
        }
        assert.ok(r.used.includes("KaTeX_Main") && r.used.includes("KaTeX_Math"));
        await close(w);
      });

      await t.step("one and three variables, and a 700 px window", async () => {
        const bowl = await writePage({
          expression: "(w - 3)^2",
          start: { w: 0 },
          state: { optimizer: "SGD", options: { lr: 0.1 }, steps: 20, step: 1 },
        });
        const w1 = await open(browser, bowl, "", 700);
        const overflow = await w1.page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(overflow <= 700, `no sideways scrolling at 700 px (${overflow})`);
        assert.match(
          await w1.page.evaluate(() =>
            document.querySelector('[data-part="curve"]')?.getAttribute("points") ?? ""
          ),
          /^\d/,
        );
        await shot(w1.page, "bowl-700");
        await close(w1);
        const three = await writePage({
          expression: "x^2 + 2*y^2 + 3*z^2",
          start: { x: 1, y: 1, z: 1 },
          state: { optimizer: "Adam", options: { lr: 0.1 }, steps: 40, step: 1 },
        });
        const w3 = await open(browser, three, "", 700);
        assert.equal(
          await w3.page.evaluate(() => document.querySelectorAll('[data-part^="param-"]').length),
          3,
        );
        await shot(w3.page, "three-700");
        await close(w3);
        const wide = await open(
          browser,
          rosenbrock,
          "optimizer=adam&lr=0.05&steps=100&step=5",
          700,
        );
        assert.ok(await wide.page.evaluate(() => document.documentElement.scrollWidth) <= 700);
        await shot(wide.page, "rosenbrock-700");
        await close(wide);
        await Deno.remove(bowl);
        await Deno.remove(three);
      });

      await t.step(
        "interactive handouts: the panels run, a preset switches the run, no error, no request",
        async () => {
          for (const [n, module] of [[2, lesson02], [4, lesson04]] as const) {
            const handout = await collectHandout(asLesson(module, `lesson ${n}`));
            const html = await interactiveHandout(
              (await renderFormat(handout, "html")).main as string,
              lessonPanels(module),
            );
            const file = await Deno.makeTempFile({ suffix: ".html" });
            await Deno.writeTextFile(file, html);
            const w = await open(browser, file, "", 1000, false);
            const page = w.page;
            // every panel's JSON belongs to the state its controls show
            const panelsReady = () =>
              page.waitForFunction(() =>
                Object.values(
                  (globalThis as unknown as {
                    stepgradPanels: Record<string, { settled(): boolean }>;
                  })
                    .stepgradPanels,
                ).every((p) => p.settled())
              );
            await panelsReady();
            // the last preset of the first panel: lesson 02's "too large", lesson 04's Nesterov
            const picked = await page.evaluate(() => {
              const pick = document.querySelector<HTMLSelectElement>(
                '#explore-1 [data-part="preset"]',
              )!;
              pick.value = String(pick.options.length - 2);
              pick.dispatchEvent(new Event("change", { bubbles: true }));
              return pick.options[pick.selectedIndex].textContent;
            });
            await panelsReady();
            const run = JSON.parse(
              await page.evaluate(() =>
                document.querySelector('#explore-1 [data-part="run"]')!.textContent!
              ),
            );
            const preset = lessonPanels(module)[0].presets!.at(-1)!;
            assert.equal(picked, preset.name);
            assert.equal(run.options.lr, preset.state.options.lr);
            if (n === 2) {
              const diagnosis = await page.evaluate(() =>
                document.querySelector('#explore-1 [data-part="diagnosis"]')!.textContent
              );
              assert.match(diagnosis ?? "", /^Diverged: step \d+: /);
            } else assert.equal(run.options.nesterov, true);
            await shot(page, `handout-${n}`);
            await close(w);
            await Deno.remove(file);
          }
        },
      );

      await t.step(
        "re-running and redrawing 200 steps takes under 16 ms (the fastest of 40 moves; the figures are printed)",
        async () => {
          // Opening: from the start of navigation to the run's JSON and trace in place, in the
          // page's own clock; the best of three loads (other tests share the CPU).
          const openings: number[] = [];
          let w: Watched | undefined;
          for (let i = 0; i < 3; i++) {
            if (w) await close(w);
            w = await open(browser, rosenbrock, "optimizer=adam&lr=0.01&steps=200&step=1");
            openings.push(await w.page.evaluate(() => performance.now()));
          }
          const opened = Math.min(...openings);
          assert.ok(opened < 1000, `opened in ${openings.map((t) => t.toFixed(0)).join(", ")} ms`);
          const page = w!.page;
          const r = await page.evaluate(async () => {
            const panel = (globalThis as unknown as {
              stepgradPanels: { explore: { timings: number[]; traceTimings: number[] } };
            }).stepgradPanels.explore;
            const range = document.querySelector<HTMLInputElement>("#explore-lr-range")!;
            const from = panel.timings.length;
            for (let i = 0; i < 40; i++) {
              range.value = String(40 + (i % 20));
              range.dispatchEvent(new Event("input", { bubbles: true }));
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
            await new Promise((resolve) => setTimeout(resolve, 300));
            return { redraw: panel.timings.slice(from), traced: panel.traceTimings.slice(-5) };
          });
          const sorted = [...r.redraw].sort((a, b) => a - b);
          const median = sorted[sorted.length >> 1];
          const p90 = sorted[Math.floor(sorted.length * 0.9)];
          const traced = [...r.traced].sort((a, b) => a - b)[r.traced.length >> 1];
          console.log(
            `explore speed: re-run + redraw of 200 Adam steps: fastest ${
              sorted[0].toFixed(1)
            } ms, lower quartile ${sorted[sorted.length >> 2].toFixed(1)} ms, median ${
              median.toFixed(1)
            } ms, ` +
              `90th percentile ${
                p90.toFixed(1)
              } ms; the traced run + JSON + KaTeX after the frame: ` +
              `${traced?.toFixed(1)} ms; opened and ready in ${
                openings.map((t) => t.toFixed(0)).join(", ")
              } ms (three loads of a 200-step page)`,
          );
          // Other tests share the CPU (deno test --parallel on two cores, other work beside it):
          // the fastest moves show what the code costs, the median and 90th percentile what the
          // load adds. The bound is on the fastest move, which a slow redraw cannot pass.
          assert.ok(sorted[0] < 16, `fastest move ${sorted[0].toFixed(1)} ms`);
          await close(w!);
        },
      );
    } finally {
      await browser.close();
      await Deno.remove(rosenbrock);
    }
  },
});
