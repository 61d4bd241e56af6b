/**
 * The explore page's script is generated ahead of time (lib/explore/build.ts) and committed, so
 * `stepgrad explore` needs no bundler and no network. This rebuilds it with the pinned esbuild
 * and fails when the committed copy is out of date: after changing anything the page runs (the
 * engine, an optimizer, a renderer), run `deno run -A lib/explore/build.ts`.
 */
import assert from "node:assert/strict";
import { buildClientModule, BUNDLE_MODULE } from "../../lib/explore/build.ts";

Deno.test("lib/explore/client_bundle.ts is what lib/explore/build.ts makes from today's sources", async () => {
  const fresh = await buildClientModule();
  const committed = await Deno.readTextFile(BUNDLE_MODULE);
  assert.ok(
    fresh === committed,
    "lib/explore/client_bundle.ts is out of date: run `deno run -A lib/explore/build.ts` and commit it",
  );
  // the bundle holds the engine itself, not a loader for it
  const { CLIENT_JS } = await import("../../lib/explore/client_bundle.ts");
  assert.doesNotMatch(CLIENT_JS, /\bimport\(|\brequire\(|\bfetch\(/);
});
