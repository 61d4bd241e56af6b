/**
 * Reproducible output: every lesson's handout (HTML, Markdown with figures, LaTeX) is the same
 * bytes when made in two separate processes, and embeds no time, path or detail of the machine.
 */
import assert from "node:assert/strict";

async function renderAll(): Promise<{ hashes: Record<string, string>; leaks: string[] }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../fixtures/trust/render_all.ts", import.meta.url).pathname],
    cwd: new URL("../../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("every lesson's handouts: byte-identical from two processes, nothing of the machine inside", async () => {
  const first = await renderAll();
  await new Promise((r) => setTimeout(r, 1100)); // a new second on the clock
  const second = await renderAll();
  assert.ok(Object.keys(first.hashes).length >= 21, "7 lessons × 3 formats");
  assert.deepEqual(second.hashes, first.hashes);
  assert.deepEqual(first.leaks, []);
});
