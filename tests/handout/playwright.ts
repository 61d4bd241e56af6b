/**
 * The browser tests' driver: playwright-core steering the Chromium that stepgrad finds (Debian's
 * package in CI). Only tests use it; stepgrad itself prints PDFs with the browser alone.
 *
 * @module
 */
import { CHROMIUM_FLAGS, requireChromium } from "../../lib/handout/browser.ts";

/** The part of playwright-core's Browser the tests use. */
export type Browser = import("npm:playwright-core@1.65.1").Browser;

/** Starts headless Chromium under playwright; throws `ChromiumMissingError` when there is none. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = requireChromium();
  const { chromium } = await import("npm:playwright-core@1.65.1");
  return await chromium.launch({ executablePath, args: [...CHROMIUM_FLAGS], headless: true });
}
