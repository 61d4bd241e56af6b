/**
 * A handout as PDF: the HTML page printed by headless Chromium (Debian's `chromium` package),
 * A4 or Letter, with the lesson and page number in each page's footer. The PDF's creation and
 * modification dates are fixed, so the same lesson and seed give the same bytes.
 *
 * @module
 */
import { escapeHtml } from "../render/escape.ts";
import { type Browser, launchChromium } from "./browser.ts";

/** Paper sizes a handout prints on. */
export type Paper = "a4" | "letter";

/** Options for {@linkcode htmlToPdf}. */
export interface PdfOptions {
  /** Paper size (default A4). */
  paper?: Paper;
  /** Footer text on every page, before the page number (plain text). */
  footer?: string;
  /** A browser to reuse (tests print several handouts with one); else one is started and closed. */
  browser?: Browser;
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

function footerTemplate(footer: string): string {
  return `<div style="width:100%;margin:0 17mm;display:flex;justify-content:space-between;` +
    `font:7.5pt 'DejaVu Sans',Arial,sans-serif;color:#6b7580">` +
    `<span>${escapeHtml(footer)}</span>` +
    `<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;
}

/**
 * Prints an HTML page to PDF with headless Chromium. Throws `ChromiumMissingError` naming the
 * Debian package when Chromium is not installed.
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
  const browser = options.browser ?? await launchChromium();
  try {
    const page = await browser.newPage();
    try {
      await page.setContent(html, { waitUntil: "load" });
      await page.evaluate("document.fonts.ready.then(() => true)");
      const pdf = await page.pdf({
        format: paper === "a4" ? "A4" : "Letter",
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: "<span></span>",
        footerTemplate: footerTemplate(options.footer ?? ""),
        margin: { top: "16mm", bottom: "18mm", left: "17mm", right: "17mm" },
        outline: false,
        tagged: false,
      });
      return fixPdfDates(new Uint8Array(pdf));
    } finally {
      await page.close();
    }
  } finally {
    if (!options.browser) await browser.close();
  }
}
