/**
 * Finding Chrome or Chromium on this machine, for printing handouts to PDF (the browser prints by
 * itself: `--headless --print-to-pdf`, no driver library). Looks in `STEPGRAD_CHROMIUM` and
 * `CHROME_PATH` (when the environment may be read), then where Linux packages, macOS and Windows
 * installers put Chromium, Google Chrome and Microsoft Edge.
 *
 * @module
 */

/** Where Debian's `chromium` package puts the browser (the first place looked on Linux). */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** Flags that work in containers and CI, and keep the browser from calling home. */
export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-extensions",
  "--disable-default-apps",
  "--no-first-run",
  "--no-default-browser-check",
  "--mute-audio",
  "--disable-breakpad",
  "--disable-crash-reporter",
]);

/** No browser was found: the message says how to install one. */
export class ChromiumMissingError extends Error {
  override name = "ChromiumMissingError";
}

/** An environment variable, or undefined when unset or when reading it is not permitted. */
function env(name: string): string | undefined {
  try {
    // Ask first: reading without --allow-env would prompt in a terminal.
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The places a browser is looked for on an operating system, in order, without the environment
 * variables that name one directly. `home`, `localAppData` and `programFiles*` come from the
 * environment when it may be read, else their usual values.
 *
 * @example
 * ```ts
 * import { chromiumCandidates } from "./browser.ts";
 * import assert from "node:assert/strict";
 * assert.equal(chromiumCandidates("linux")[0], "/usr/bin/chromium");
 * assert.ok(chromiumCandidates("darwin").includes(
 *   "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
 * ));
 * assert.ok(chromiumCandidates("windows").some((p) => p.endsWith("\\msedge.exe")));
 * ```
 */
export function chromiumCandidates(os: typeof Deno.build.os = Deno.build.os): string[] {
  if (os === "darwin") {
    const apps = [
      "Google Chrome.app/Contents/MacOS/Google Chrome",
      "Chromium.app/Contents/MacOS/Chromium",
      "Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary",
      "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
      "Brave Browser.app/Contents/MacOS/Brave Browser",
    ];
    const home = env("HOME");
    return [
      ...apps.map((app) => `/Applications/${app}`),
      ...(home ? apps.map((app) => `${home}/Applications/${app}`) : []),
    ];
  }
  if (os === "windows") {
    const roots = [
      env("LOCALAPPDATA"),
      env("PROGRAMFILES") ?? "C:\\Program Files",
      env("PROGRAMFILES(X86)") ?? "C:\\Program Files (x86)",
    ].filter((r): r is string => r !== undefined);
    const apps = [
      "Google\\Chrome\\Application\\chrome.exe",
      "Chromium\\Application\\chrome.exe",
      "Microsoft\\Edge\\Application\\msedge.exe",
      "BraveSoftware\\Brave-Browser\\Application\\brave.exe",
    ];
    return apps.flatMap((app) => roots.map((root) => `${root}\\${app}`));
  }
  // Linux and the BSDs: distribution packages, Google's packages, snaps, flatpaks.
  const names = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "brave-browser",
  ];
  const path = env("PATH")?.split(":").filter((dir) => dir.startsWith("/")) ?? [];
  const dirs = [...new Set(["/usr/bin", "/usr/local/bin", "/snap/bin", ...path])];
  return [
    ...dirs.flatMap((dir) => names.map((name) => `${dir}/${name}`)),
    "/opt/google/chrome/chrome",
    "/var/lib/flatpak/exports/bin/org.chromium.Chromium",
  ];
}

/**
 * Whether a browser executable is there (a file that can be run).
 *
 * @example
 * ```ts
 * import { chromiumAvailable } from "./browser.ts";
 * import assert from "node:assert/strict";
 * assert.equal(chromiumAvailable("/no/such/chromium"), false);
 * ```
 */
export function chromiumAvailable(path: string | undefined = findChromium()): boolean {
  if (path === undefined) return false;
  try {
    const info = Deno.statSync(path);
    return info.isFile && (Deno.build.os === "windows" || ((info.mode ?? 0o111) & 0o111) !== 0);
  } catch {
    return false;
  }
}

/**
 * The browser to print with: `STEPGRAD_CHROMIUM` or `CHROME_PATH` when set (used as given, even
 * when nothing is there, so a wrong path is reported rather than silently replaced), else the
 * first of {@linkcode chromiumCandidates} that exists; undefined when there is none.
 */
export function findChromium(): string | undefined {
  const named = env("STEPGRAD_CHROMIUM") ?? env("CHROME_PATH");
  if (named !== undefined) return named;
  return chromiumCandidates().find((path) => chromiumAvailable(path));
}

/** The browser that would be used, or where it was expected (for messages). */
export function chromiumPath(): string {
  return findChromium() ?? (Deno.build.os === "linux" ? DEFAULT_CHROMIUM : "Chrome or Chromium");
}

/** The one line that says a browser is needed and how to get one, for this system. */
export function missingChromiumMessage(path: string | undefined): string {
  const where = path === undefined
    ? "no Chrome or Chromium found"
    : `no browser at ${path} (from STEPGRAD_CHROMIUM or CHROME_PATH)`;
  const install = Deno.build.os === "darwin"
    ? "install Google Chrome (https://www.google.com/chrome/) or `brew install --cask chromium`"
    : Deno.build.os === "windows"
    ? "install Google Chrome (https://www.google.com/chrome/); Microsoft Edge works too"
    : `install Debian's "chromium" package (apt-get install -y chromium) or Google Chrome`;
  return `${where}; PDF handouts need one: ${install}, or set CHROME_PATH to its executable`;
}

/** The browser's path; throws {@linkcode ChromiumMissingError} (one line) when there is none. */
export function requireChromium(): string {
  const path = findChromium();
  if (path === undefined || !chromiumAvailable(path)) {
    throw new ChromiumMissingError(missingChromiumMessage(path));
  }
  return path;
}
