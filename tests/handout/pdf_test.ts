/**
 * PDFs printed by the browser alone (no playwright at run time): the `handout` command with only
 * the permissions the README lists, the footer from the page's CSS, Ctrl-C while printing, a
 * browser that never finishes, and finding a browser. Skipped, saying so, without Chromium.
 */
import assert from "node:assert/strict";
import {
  chromiumAvailable,
  chromiumCandidates,
  chromiumPath,
  missingChromiumMessage,
} from "../../lib/handout/browser.ts";

const root = new URL("../../", import.meta.url);
const MOD = new URL("mod.ts", root).pathname;
const available = chromiumAvailable();
if (!available) console.warn(`PDF tests skipped: no Chromium at ${chromiumPath()}`);

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/**
 * Processes (not zombies) whose command line or environment mentions `text` (Linux's /proc):
 * every process the browser starts inherits the TMPDIR stepgrad gives it.
 */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).replaceAll("\0", " ");
      const environ = Deno.readTextFileSync(`/proc/${entry.name}/environ`);
      const state = Deno.readTextFileSync(`/proc/${entry.name}/stat`).split(") ")[1]?.[0];
      if ((cmdline.includes(text) || environ.includes(text)) && state !== "Z") {
        found.push(`${entry.name} ${cmdline}`);
      }
    } catch { /* gone meanwhile */ }
  }
  return found;
}

Deno.test({
  name: "handout --out FILE.pdf works with exactly --allow-read --allow-write --allow-run",
  ignore: !available,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      // The module graph a PDF handout loads: no playwright in it.
      const info = await new Deno.Command(Deno.execPath(), {
        args: ["info", "--json", new URL("lib/handout/render.ts", root).pathname],
        stdout: "piped",
        stderr: "null",
      }).output();
      assert.doesNotMatch(decode(info.stdout), /playwright/);
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--allow-run",
          MOD,
          "handout",
          "1",
          "--out",
          `${dir}/week1.pdf`,
        ],
        cwd: new URL(".", root).pathname,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, decode(out.stderr));
      assert.doesNotMatch(decode(out.stderr), /playwright|⚠️|Warning|prompt/i);
      const pdf = await Deno.readFile(`${dir}/week1.pdf`);
      const text = new TextDecoder("latin1").decode(pdf);
      assert.match(text, /^%PDF-/);
      assert.match(text, /\/CreationDate \(D:20000101000000/);
      assert.match(text, /\/Title \(Lesson 01: The update rule\)/);
      // Only the PDF is left behind: the page, the browser profile and the temporary folder go.
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["week1.pdf"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the footer (lesson, run command, page / pages) is drawn by the page's CSS on every page",
  ignore: !available,
  async fn() {
    const { htmlToPdf } = await import("../../lib/handout/pdf.ts");
    const pages = Array.from(
      { length: 3 },
      (_, i) => `<section style="break-before:page"><h1>Part ${i + 1}</h1></section>`,
    ).join("");
    const pdf = await htmlToPdf(
      `<!doctype html><html><head><title>t</title></head><body>${pages}</body></html>`,
      { footer: `Lesson 42 · "quotes" \\ </style><b>not bold</b>` },
    );
    // pdftotext (poppler) reads the printed text back, when it is installed.
    const file = await Deno.makeTempFile({ suffix: ".pdf" });
    try {
      await Deno.writeFile(file, pdf);
      let text: string;
      try {
        const r = await new Deno.Command("pdftotext", { args: ["-layout", file, "-"] }).output();
        text = decode(r.stdout);
      } catch {
        console.warn("pdftotext not installed: footer text not read back");
        return;
      }
      const perPage = text.split("\f").filter((p) => p.trim());
      assert.equal(perPage.length, 3);
      perPage.forEach((page, i) => {
        assert.match(page, new RegExp(`Part ${i + 1}`));
        assert.ok(
          page.includes(`Lesson 42 · "quotes" \\ </style><b>not bold</b>`),
          `footer text, escaped for CSS and shown as written, on page ${i + 1}:\n${page}`,
        );
        assert.match(page, new RegExp(`${i + 1} ?/ ?3`));
      });
    } finally {
      await Deno.remove(file);
    }
  },
});

Deno.test({
  name: "a browser that never finishes is stopped after the timeout, with a one-line error",
  ignore: !available || Deno.build.os !== "linux",
  async fn() {
    const { htmlToPdf } = await import("../../lib/handout/pdf.ts");
    const tmp = await Deno.makeTempDir();
    const before = Date.now();
    // A page whose script never returns: the browser cannot print it.
    await assert.rejects(
      () => htmlToPdf("<!doctype html><script>for (;;) {}</script>", { timeoutMs: 2000 }),
      /did not finish printing within 2 s/,
    );
    assert.ok(Date.now() - before < 15_000);
    assert.deepEqual(processesMentioning("stepgrad-pdf-").filter((p) => p.includes(tmp)), []);
    await Deno.remove(tmp, { recursive: true });
  },
});

Deno.test({
  name: "Ctrl-C while printing: one line, exit 130, no stack trace, no Chromium left, nothing left",
  ignore: !available || Deno.build.os !== "linux",
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "sg" }); // short: Chromium puts a socket in it
    try {
      // A page the browser never finishes, so the interrupt surely lands while it prints.
      await Deno.writeTextFile(
        `${tmp}/print.ts`,
        `import { htmlToPdf } from ${JSON.stringify(new URL("lib/handout/pdf.ts", root).href)};
await htmlToPdf("<!doctype html><script>for (;;) {}</script>");
console.log("printed");
`,
      );
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", "--allow-write", "--allow-run", `${tmp}/print.ts`],
        env: { TMPDIR: tmp, NO_COLOR: "1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const stdout = new Response(child.stdout).text();
      const stderr = new Response(child.stderr).text();
      // Wait until the browser is up (its profile lives in our temporary folder).
      const deadline = Date.now() + 20_000;
      while (processesMentioning(`${tmp}/stepgrad-pdf-`).length === 0) {
        assert.ok(Date.now() < deadline, "the browser started");
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 500)); // its helpers too
      child.kill("SIGINT"); // to stepgrad only, as a supervisor would: the browser must be stopped by it
      const status = await child.status;
      assert.equal(status.code, 130);
      assert.equal(await stdout, "");
      const err = (await stderr).trimEnd();
      assert.equal(err.split("\n").length, 1, err);
      assert.match(err, /^stepgrad: interrupted while printing the PDF; nothing written$/);
      // Chromium's processes all go (give the last of them a moment to exit).
      const gone = Date.now() + 5000;
      while (processesMentioning(`${tmp}/stepgrad-pdf-`).length > 0 && Date.now() < gone) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(processesMentioning(`${tmp}/stepgrad-pdf-`), []);
      assert.deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name), ["print.ts"]);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test("browsers are looked for where each system puts them; none found is one line", () => {
  const linux = chromiumCandidates("linux");
  for (const p of ["/usr/bin/chromium", "/usr/bin/google-chrome", "/snap/bin/chromium"]) {
    assert.ok(linux.includes(p), p);
  }
  assert.ok(linux.indexOf("/usr/bin/chromium") < linux.indexOf("/usr/bin/google-chrome"));
  const mac = chromiumCandidates("darwin");
  assert.ok(mac.includes("/Applications/Chromium.app/Contents/MacOS/Chromium"));
  const win = chromiumCandidates("windows");
  assert.ok(win.some((p) => /Google\\Chrome\\Application\\chrome\.exe$/.test(p)));
  const message = missingChromiumMessage(undefined);
  assert.equal(message.split("\n").length, 1);
  assert.match(message, /no Chrome or Chromium found/);
  assert.match(message, /CHROME_PATH/);
});

Deno.test("CHROME_PATH names the browser; a wrong one is reported, not silently replaced", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MOD, "handout", "1", "--out", `${dir}/x.pdf`],
      env: { CHROME_PATH: `${dir}/no-chrome-here`, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(r.code, 2);
    const err = decode(r.stderr).trimEnd();
    assert.equal(err.split("\n").length, 1, err);
    assert.match(err, new RegExp(`no browser at ${dir}/no-chrome-here`));
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
