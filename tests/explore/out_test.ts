import assert from "node:assert/strict";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

Deno.test("explore --out writes into what the user named: a symlink is followed, not replaced", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/real.html`, "old");
    await Deno.symlink(`${dir}/real.html`, `${dir}/link.html`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MOD, "explore", "x^2", "--start", "x=1", "--out", `${dir}/link.html`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.ok((await Deno.lstat(`${dir}/link.html`)).isSymlink, "the link is still a link");
    assert.match(await Deno.readTextFile(`${dir}/real.html`), /^<!doctype html>/i);
    const folder = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MOD, "explore", "x^2", "--start", "x=1", "--out", `${dir}/sub.html`],
      stdout: "piped",
      stderr: "piped",
    });
    await Deno.mkdir(`${dir}/sub.html`);
    const refused = await folder.output();
    assert.equal(refused.code, 2);
    assert.equal(new TextDecoder().decode(refused.stderr).trim().split("\n").length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
