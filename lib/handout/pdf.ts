/**
 * A handout as PDF: the HTML page printed by Chrome or Chromium itself (`--headless
 * --print-to-pdf --no-pdf-header-footer`; no driver library), A4 or Letter, with the lesson and
 * page number in each page's footer, drawn by the page's own CSS `@page` margin boxes. The PDF's
 * creation and modification dates are fixed, so the same lesson and seed give the same bytes.
 * Needs permission to read and write a temporary folder and to run the browser.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { CHROMIUM_FLAGS, requireChromium } from "./browser.ts";

/** Paper sizes a handout prints on. */
export type Paper = "a4" | "letter";

/** Options for {@linkcode htmlToPdf}. */
export interface PdfOptions {
  /** Paper size (default A4). */
  paper?: Paper;
  /** Footer text on every page, before the page number (plain text). */
  footer?: string;
  /** The browser executable (default: the one {@linkcode requireChromium} finds). */
  chromium?: string;
  /** Give up (and stop the browser) after this many milliseconds (default 120,000). */
  timeoutMs?: number;
}

/** The date written into every PDF (Chromium would write the current time). */
const FIXED_DATE = "20000101000000";

/**
 * Replaces the creation and modification dates Chromium writes with a fixed one of the same
 * length, so byte offsets (the cross-reference table) stay right.
 *
 * @example
 * ```ts
 * import { fixPdfDates } from "./pdf.ts";
 * import assert from "node:assert/strict";
 * const pdf = new TextEncoder().encode("/CreationDate (D:20261129081227+00'00')");
 * const fixed = new TextDecoder().decode(fixPdfDates(pdf));
 * assert.equal(fixed, "/CreationDate (D:20000101000000+00'00')");
 * // Every other byte, binary or not, stays as it was.
 * const binary = new Uint8Array([...Array(256).keys(), ...pdf]);
 * assert.deepEqual(fixPdfDates(binary).subarray(0, 256), binary.subarray(0, 256));
 * ```
 */
export function fixPdfDates(pdf: Uint8Array): Uint8Array {
  const out = pdf.slice();
  for (const key of ["/CreationDate", "/ModDate"]) {
    const pattern = new TextEncoder().encode(key);
    for (let at = indexOf(out, pattern, 0); at >= 0; at = indexOf(out, pattern, at + 1)) {
      // "/CreationDate (D:" then 14 digits: YYYYMMDDHHmmSS.
      let k = at + pattern.length;
      while (out[k] === 0x20) k++;
      if (out[k] !== 0x28 || out[k + 1] !== 0x44 || out[k + 2] !== 0x3a) continue; // "(D:"
      const start = k + 3;
      const digits = out.subarray(start, start + FIXED_DATE.length);
      if (digits.length === FIXED_DATE.length && digits.every((b) => b >= 0x30 && b <= 0x39)) {
        out.set(new TextEncoder().encode(FIXED_DATE), start);
      }
    }
  }
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * A CSS string literal holding any text: quotes, backslashes, line breaks and `<` (which could
 * end the `<style>` element) written as CSS escapes.
 *
 * @example
 * ```ts
 * import { cssString } from "./pdf.ts";
 * import assert from "node:assert/strict";
 * assert.equal(cssString('a "b" \\ </style>'), '"a \\22 b\\22  \\5C  \\3C /style\\3E "');
 * assert.equal(cssString("Lesson 01 · α"), '"Lesson 01 · α"');
 * ```
 */
export function cssString(text: string): string {
  return `"${
    text.replace(
      // deno-lint-ignore no-control-regex -- control characters are what must be escaped
      /["\\<>&\u0000-\u001f\u007f]/g,
      (c) => `\\${c.charCodeAt(0).toString(16).toUpperCase()} `,
    )
  }"`;
}

/**
 * The print stylesheet a handout gets for its PDF: paper size, margins (the handout's own), and
 * the footer in the bottom margin boxes: the text on the left, "page / pages" on the right.
 *
 * @example
 * ```ts
 * import { pageCss } from "./pdf.ts";
 * import assert from "node:assert/strict";
 * const css = pageCss("letter", "Lesson 01");
 * assert.match(css, /size: letter;/);
 * assert.match(css, /@bottom-left \{[^}]*content: "Lesson 01"/);
 * assert.match(css, /counter\(page\) " \/ " counter\(pages\)/);
 * ```
 */
export function pageCss(paper: Paper, footer: string): string {
  const font = `font: 7.5pt "DejaVu Sans", Arial, sans-serif; color: #6b7580;`;
  return `@page {
  size: ${paper === "a4" ? "A4" : "letter"};
  margin: 16mm 17mm 18mm;
  @bottom-left { content: ${cssString(footer)}; ${font} vertical-align: top; padding-top: 6mm; }
  @bottom-right { content: counter(page) " / " counter(pages); ${font} vertical-align: top; padding-top: 6mm; white-space: nowrap; }
}
:root { -webkit-print-color-adjust: exact; print-color-adjust: exact; }`;
}

/** The page with the print stylesheet added at the end of its head (so it wins). */
function withPageCss(html: string, css: string): string {
  const style = `<style>\n${css}\n</style>`;
  const at = html.search(/<\/head>/i);
  return at < 0 ? `${style}\n${html}` : `${html.slice(0, at)}${style}\n${html.slice(at)}`;
}

/**
 * Removes the temporary folder. The browser's helper processes may still be writing their last
 * files into it for a moment after the browser itself has exited, so try again a few times.
 */
async function removeFolder(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      await Deno.remove(dir, { recursive: true });
      return;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Stops a browser: politely, then firmly; resolves once it has exited. */
async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    return; // already gone
  }
  const exited = await Promise.race([
    child.status.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 5000)),
  ]);
  if (!exited) {
    try {
      child.kill("SIGKILL");
    } catch { /* gone meanwhile */ }
    await child.status;
  }
}

/**
 * Prints an HTML page to PDF with headless Chrome or Chromium. Throws `ChromiumMissingError`
 * (one line saying how to install a browser) when there is none. Ctrl-C while printing stops the
 * browser, removes the temporary folder and exits with status 130, with one line on stderr.
 *
 * @example
 * ```ts ignore
 * import { htmlToPdf } from "./pdf.ts";
 * const pdf = await htmlToPdf("<!doctype html><p>Hello</p>", { paper: "letter" });
 * await Deno.writeFile("hello.pdf", pdf);
 * ```
 */
export async function htmlToPdf(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
  const paper = options.paper ?? "a4";
  if (paper !== "a4" && paper !== "letter") {
    throw new RangeError(`paper must be "a4" or "letter", got ${JSON.stringify(paper)}`);
  }
  const chromium = options.chromium ?? requireChromium();
  const dir = await Deno.makeTempDir({ prefix: "stepgrad-pdf-" });
  const page = `${dir}/handout.html`;
  const out = `${dir}/handout.pdf`;
  let child: Deno.ChildProcess | undefined;
  // Ctrl-C: stop the browser, tidy up, then leave as a shell expects (status 130, one line).
  let exiting: Promise<never> | undefined;
  const onSignal = () => {
    exiting ??= (async () => {
      if (child) await stop(child);
      await removeFolder(dir);
      console.error("stepgrad: interrupted while printing the PDF; nothing written");
      return Deno.exit(130);
    })();
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, onSignal);
  try {
    await Deno.writeTextFile(page, withPageCss(html, pageCss(paper, options.footer ?? "")));
    child = new Deno.Command(chromium, {
      args: [
        ...CHROMIUM_FLAGS,
        "--headless",
        `--user-data-dir=${dir}/profile`,
        "--no-pdf-header-footer",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=10000", // every font and picture loaded before printing
        `--print-to-pdf=${out}`,
        pathToFileURL(page).href,
      ],
      // The browser's own temporary files go in our folder too, so they go when it does (unless
      // the folder's path is too long for the Unix socket Chromium makes there).
      env: Deno.build.os === "windows"
        ? { TEMP: dir, TMP: dir }
        : dir.length <= 56
        ? { TMPDIR: dir }
        : {},
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const result = await Promise.race([child.status, timedOut]);
    clearTimeout(timer);
    if (result === "timeout") {
      await stop(child);
      throw new Error(`the browser did not finish printing within ${timeoutMs / 1000} s`);
    }
    if (exiting) await exiting; // never returns
    const log = await stderr;
    let pdf: Uint8Array;
    try {
      pdf = await Deno.readFile(out);
    } catch {
      const last = log.trim().split("\n").filter((l) => l.trim()).at(-1) ?? "";
      throw new Error(
        `the browser (${chromium}) wrote no PDF (exit status ${result.code})${
          last ? `: ${last}` : ""
        }`,
      );
    }
    return fixPdfDates(pdf);
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
    if (exiting) await exiting;
    await removeFolder(dir);
  }
}
