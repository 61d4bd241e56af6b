/**
 * Headless Chromium, as Debian packages it (`apt-get install chromium`), driven by
 * playwright-core (which brings no browser of its own). Used to print handouts to PDF and by the
 * browser tests. Loaded on first use.
 *
 * @module
 */

/** Where Debian's `chromium` package puts the browser; `STEPGRAD_CHROMIUM` overrides it. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** Flags that work in containers and CI, and keep the browser from calling home. */
export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
]);

/** The browser is not installed: says which package to install. */
export class ChromiumMissingError extends Error {
  override name = "ChromiumMissingError";
}

/** The Chromium executable to use: `STEPGRAD_CHROMIUM` when set, else Debian's. */
export function chromiumPath(): string {
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get("STEPGRAD_CHROMIUM");
  } catch {
    fromEnv = undefined; // no --allow-env: use the default
  }
  return fromEnv || DEFAULT_CHROMIUM;
}

/**
 * Whether a Chromium executable is there (a file that can be run).
 *
 * @example
 * ```ts
 * import { chromiumAvailable } from "./browser.ts";
 * import assert from "node:assert/strict";
 * assert.equal(chromiumAvailable("/no/such/chromium"), false);
 * ```
 */
export function chromiumAvailable(path: string = chromiumPath()): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** The part of playwright-core's Browser that stepgrad uses. */
export type Browser = import("npm:playwright-core@1.65.1").Browser;

/**
 * Starts headless Chromium. Throws {@linkcode ChromiumMissingError} naming the Debian package
 * when the browser is not installed.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!chromiumAvailable(executablePath)) {
    throw new ChromiumMissingError(
      `Chromium is not installed at ${executablePath}; PDF handouts need Debian's "chromium" ` +
        `package (apt-get install -y chromium), or STEPGRAD_CHROMIUM set to a Chromium binary`,
    );
  }
  const { chromium } = await import("npm:playwright-core@1.65.1");
  return await chromium.launch({
    executablePath,
    args: [...CHROMIUM_FLAGS],
    headless: true,
  });
}
