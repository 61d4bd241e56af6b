/**
 * Live panels in a handout (`handout N --out FILE.html --interactive`): a lesson that discusses
 * a choice exports `EXPLORE`, a list of panels, each placed after the part of the page under a
 * heading of the lesson; the static page gets the panels, their stylesheet, the two scripts and a
 * policy that allows exactly those scripts by hash. Without `--interactive` nothing here runs,
 * and the handout stays script-free.
 *
 * @module
 */
import { escapeHtml } from "../text/escape.ts";
import { CONTENT_SECURITY_POLICY, smartQuotes } from "../handout/html.ts";
import { OPTIMIZERS } from "../optim/registry.ts";
import { explorePolicy, type ExploreSpec, pageScripts, panelHtml } from "./page.ts";
import { EXPLORE_CSS } from "./style.ts";

/** One live panel a lesson asks for. */
export interface ExplorePanel extends ExploreSpec {
  /** The heading (as the lesson wrote it) after whose part of the page the panel goes. */
  after: string;
  /** The panel's title, shown as text. */
  title: string;
}

/**
 * The panels a lesson module exports as `EXPLORE` (none when it exports none); a `TypeError`
 * naming what is wrong when the export is malformed.
 *
 * @example
 * ```ts
 * import { lessonPanels } from "./handout.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(lessonPanels({}), []);
 * assert.throws(() => lessonPanels({ EXPLORE: [{ title: "t" }] }), /EXPLORE\[0\]/);
 * ```
 */
export function lessonPanels(module: unknown): ExplorePanel[] {
  const list = (module as { EXPLORE?: unknown } | null)?.EXPLORE;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new TypeError("the lesson's EXPLORE must be a list of panels");
  return list.map((p, i) => {
    const ok = p !== null && typeof p === "object" && typeof p.after === "string" &&
      typeof p.title === "string" && typeof p.expression === "string" &&
      p.start !== null && typeof p.start === "object" && p.state !== null &&
      typeof p.state === "object" && Object.hasOwn(OPTIMIZERS, p.state.optimizer);
    if (!ok) {
      throw new TypeError(
        `the lesson's EXPLORE[${i}] needs after, title, expression, start and state { optimizer, options, steps, step }`,
      );
    }
    return p as ExplorePanel;
  });
}

/**
 * Where a panel goes: after the part of the page under the heading `after` (before the next
 * heading or the end of its section, whichever comes first); the end of `<main>` when the page
 * has no such heading.
 */
function insertionPoint(html: string, after: string): number {
  const text = escapeHtml(smartQuotes(after));
  const heading = new RegExp(`<h([23])>${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</h\\1>`);
  const found = heading.exec(html);
  if (!found) return html.lastIndexOf("</main>");
  const tags = /<section\b|<\/section>|<h[23]>|<\/main>/g;
  tags.lastIndex = found.index + found[0].length;
  let depth = 0;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    if (m[0] === "<section") depth++;
    else if (m[0] === "</section>") {
      if (depth === 0) return m.index;
      depth--;
    } else if (depth === 0) return m.index;
  }
  return html.lastIndexOf("</main>");
}

/**
 * Adds live panels to a handout page written by lib/handout/html.ts: each panel after its
 * heading, the panels' stylesheet, the two scripts, and a policy that allows exactly those scripts
 * by hash. Returns the page unchanged when there are no panels.
 */
export async function interactiveHandout(
  html: string,
  panels: readonly ExplorePanel[],
): Promise<string> {
  if (panels.length === 0) return html;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`;
  if (!html.includes(meta)) {
    throw new Error("internal: the handout page has no policy this version knows how to extend");
  }
  const placed = panels.map((p, i) => ({
    at: insertionPoint(html, p.after),
    html: panelHtml(p, { id: `explore-${i + 1}`, title: p.title }),
  })).sort((a, b) => b.at - a.at); // from the end, so earlier offsets stay valid
  let out = html;
  for (const p of placed) out = `${out.slice(0, p.at)}${p.html}\n${out.slice(p.at)}`;
  const scripts = await pageScripts();
  const policy = `${await explorePolicy(scripts)}; img-src data:`;
  out = out.replace(meta, () => `<meta http-equiv="Content-Security-Policy" content="${policy}">`)
    .replace("</head>", () => `<style>${EXPLORE_CSS}</style>\n</head>`);
  const end = out.lastIndexOf("</body>");
  return `${out.slice(0, end)}${scripts.map((s) => `<script>${s}</script>`).join("\n")}\n${
    out.slice(end)
  }`;
}
