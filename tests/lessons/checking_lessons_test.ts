/** Lesson 07: the checks it shows, against hand-derived values and the real command (lesson 05: checking_gradients_test.ts). */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import { fitText, verifyGradient, verifyText } from "../../mod.ts";
import lesson07, { type Claim, CLAIMS } from "../../lessons/07-checking-your-derivation.ts";

const ROOT = new URL("../../", import.meta.url);

function argsOf(c: Claim): string[] {
  const args = ["check", c.expr, "--wrt", c.wrt, "--claim", c.claim];
  for (const [name, e] of Object.entries(c.where ?? {})) args.push("--where", `${name}=${e}`);
  if (c.at) args.push("--at", Object.entries(c.at).map(([k, v]) => `${k}=${v}`).join(","));
  return args;
}

Deno.test("lesson 07 shows exactly what the check command prints, with its exit status", async () => {
  const sink = new Collector();
  await lesson07.run(sink);
  const outputs = sink.blocks.filter((b) => b.kind === "code" && b.text.startsWith("$ "))
    .map((b) => (b.kind === "code" ? b.text.split("\n").slice(1).join("\n") : ""));
  assert.equal(outputs.length, CLAIMS.length + 1);
  // a sample: right, wrong variable, sign, relu on one side, and the typo
  for (const i of [0, 1, 5, 9]) {
    const c = CLAIMS[i];
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "mod.ts", ...argsOf(c)],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout).trimEnd();
    // The command prints the checker's text fitted to 80 columns (a pipe); the lesson shows the
    // same text fitted inside its code block's indent of four.
    const r = await verifyGradient(c);
    const said = verifyText(r, c.expr, c.wrt);
    assert.equal(text, fitText(said, 80).trimEnd(), `claim ${i}: ${c.claim}`);
    assert.equal(fitText(said, 76), outputs[i], `claim ${i}: ${c.claim}`);
    assert.equal(out.code, outputs[i].startsWith("right") ? 0 : 1, `exit status of claim ${i}`);
  }
  const typo = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "mod.ts",
      "check",
      "(w*x + b - y)^2",
      "--wrt",
      "w",
      "--claim",
      "2*(w*x + b - y*x",
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(typo.code, 2);
  assert.equal(new TextDecoder().decode(typo.stderr).trimEnd(), outputs.at(-1));
});

Deno.test("lesson 07: the verdicts are the ones the story needs", async () => {
  const { verifyGradient } = await import("../../lib/symbolic/verify.ts");
  const verdicts = [];
  for (const c of CLAIMS) {
    verdicts.push(
      (await verifyGradient({ expr: c.expr, wrt: c.wrt, claim: c.claim, where: c.where })).correct,
    );
  }
  assert.deepEqual(verdicts, [
    true,
    false,
    false,
    false,
    true,
    false,
    false,
    true,
    true,
    false,
    true,
  ]);
});
