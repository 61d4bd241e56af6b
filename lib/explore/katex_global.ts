/**
 * KaTeX as the explore page has it: `katex.min.js` from the pinned package, inlined in the page
 * before stepgrad's script, sets `globalThis.katex`. The bundler points every import of the
 * katex package here, so the page carries one copy of KaTeX, the one its stylesheet matches.
 *
 * @module
 */
// deno-lint-ignore no-import-prefix -- full specifier: the library resolves without deno.json
import type katexModule from "npm:katex@0.19.1";

const katex = (globalThis as unknown as { katex: typeof katexModule }).katex;
export default katex;
