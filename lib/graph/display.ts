/**
 * How stepgrad's objects show themselves in a notebook (`deno jupyter`): each carries a
 * `Symbol.for("Jupyter.display")` method that returns a MIME bundle. The objects are made in the
 * lower layers (a `Value` here, a step trace in lib/optim, a report in lib/check) but drawn by
 * the upper ones (KaTeX, Graphviz, Observable Plot), so the drawing is registered from above
 * (lib/jupyter/display.ts, loaded by mod.ts) and looked up here by kind: nothing in this layer
 * imports upward. Without a registered renderer an object shows as plain text.
 *
 * @module
 */

/**
 * The symbol Deno's Jupyter kernel calls for a rich display (`Symbol.for("Jupyter.display")`).
 *
 * @example
 * ```ts
 * import { JUPYTER_DISPLAY, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(JUPYTER_DISPLAY, Symbol.for("Jupyter.display"));
 * assert.equal(typeof new Value(1)[JUPYTER_DISPLAY], "function");
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** A MIME bundle: `{"text/html": …, "text/plain": …}` and the like. */
export type MimeBundle = Record<string, string>;

/** The kinds of object that display themselves. */
export type DisplayKind = "value" | "graph" | "trace" | "run" | "gradcheck" | "threeWay";

/** Draws one kind of object. */
export type DisplayRenderer = (object: unknown) => MimeBundle | Promise<MimeBundle>;

const renderers = new Map<DisplayKind, DisplayRenderer>();

/**
 * Registers how a kind of object is displayed (the last registration wins).
 *
 * @example
 * ```ts
 * import { displayBundle, registerDisplay, withDisplay } from "./display.ts";
 * import assert from "node:assert/strict";
 * registerDisplay("gradcheck", (r) => ({ "text/plain": `rows: ${(r as { rows: [] }).rows.length}` }));
 * const report = withDisplay({ rows: [] }, "gradcheck", () => "a report");
 * assert.deepEqual(await displayBundle(report), { "text/plain": "rows: 0" });
 * ```
 */
export function registerDisplay(kind: DisplayKind, render: DisplayRenderer): void {
  renderers.set(kind, render);
}

/** The MIME bundle for an object of a kind: its renderer's, else the plain text given. */
export function renderDisplay(
  kind: DisplayKind,
  object: unknown,
  plain: () => string,
): MimeBundle | Promise<MimeBundle> {
  const render = renderers.get(kind);
  return render ? render(object) : { "text/plain": plain() };
}

/**
 * Gives a plain-data object (a trace, a report) its notebook display, as a non-enumerable
 * property: invisible to `JSON.stringify`, `Object.keys`, `console.log` and deep equality.
 *
 * @example
 * ```ts
 * import { JUPYTER_DISPLAY, withDisplay } from "./display.ts";
 * import assert from "node:assert/strict";
 * const report = withDisplay({ ok: true }, "threeWay", () => "all agree");
 * assert.equal(JSON.stringify(report), '{"ok":true}');
 * assert.deepEqual(report, { ok: true });
 * assert.equal(typeof report[JUPYTER_DISPLAY], "function");
 * ```
 */
export function withDisplay<T extends object>(
  object: T,
  kind: DisplayKind,
  plain: (object: T) => string,
): T & { [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle> } {
  Object.defineProperty(object, JUPYTER_DISPLAY, {
    value: () => renderDisplay(kind, object, () => plain(object)),
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return object as T & { [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle> };
}

/**
 * The MIME bundle an object shows in a notebook, as the kernel would get it; `undefined` for
 * an object that has no rich display. Useful to save a display, or to check one.
 *
 * @example
 * ```ts
 * import { displayBundle, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const w = new Value(0.5, "w");
 * const bundle = await displayBundle(w);
 * assert.match(bundle!["text/html"], /<td>w<\/td>/);
 * assert.equal(bundle!["text/plain"].split("\n")[0], "Value");
 * assert.equal(await displayBundle({}), undefined);
 * ```
 */
export async function displayBundle(object: unknown): Promise<MimeBundle | undefined> {
  const method = (object as { [JUPYTER_DISPLAY]?: () => MimeBundle | Promise<MimeBundle> })?.[
    JUPYTER_DISPLAY
  ];
  return typeof method === "function" ? await method.call(object) : undefined;
}
