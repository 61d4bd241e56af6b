/**
 * The checker agrees with exact mathematics on 50 claims whose truth was decided by hand
 * (tests/fixtures/check/claims.json, each with the reason): cancellation that swamps floating
 * point, constants rounded by a few digits, terms too small for floating point, kinks and
 * thresholds far from 0, and formulas that overflow floating point where they are right.
 * A hint names the rounded constant, and a hint that would be false is never given.
 */
import assert from "node:assert/strict";
import { verifyGradient } from "../../lib/symbolic/verify.ts";

interface Claim {
  expr: string;
  wrt: string;
  claim: string;
  correct: boolean;
  why: string;
  hint?: string;
  noHint?: string;
}

const CLAIMS: Claim[] = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/check/claims.json", import.meta.url)),
);

Deno.test(`the checker's verdict is the hand-decided one on ${CLAIMS.length} claims`, async () => {
  assert.ok(CLAIMS.length >= 40);
  const problems: string[] = [];
  for (const c of CLAIMS) {
    const what = `d(${c.expr})/d${c.wrt} claimed ${c.claim}`;
    const r = await verifyGradient({ expr: c.expr, wrt: c.wrt, claim: c.claim });
    if (r.correct !== c.correct) {
      problems.push(`${what}: said ${r.correct ? "right" : "wrong"} (${c.why})`);
      continue;
    }
    if (c.hint && !(r.hint ?? "").includes(c.hint)) {
      problems.push(`${what}: hint "${r.hint}" does not say "${c.hint}"`);
    }
    if (c.noHint && (r.hint ?? "").includes(c.noHint)) {
      problems.push(`${what}: a false hint "${r.hint}"`);
    }
    if (!c.correct) {
      // the counterexample is real: the values shown differ
      const ce = r.counterexample!;
      assert.ok(ce, what);
      if (!ce.exact) assert.notEqual(ce.claim, ce.derivative === ce.claim ? NaN : ce.claim + 1);
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("overflow is not a counterexample: right claims at the points where floating point overflows", async () => {
  for (
    const [expr, claim, x] of [
      ["tanh(x)", "4/(exp(x)+exp(-x))^2", 400],
      ["sigmoid(x)", "exp(-x)/(1+exp(-x))^2", 800],
      ["sigmoid(x)", "exp(-x)/(1+exp(-x))^2", -800],
      ["softplus(x)", "exp(x)/(1+exp(x))", 800],
      ["softplus(x)", "exp(x)/(1+exp(x))", -800],
    ] as const
  ) {
    const r = await verifyGradient({ expr, wrt: "x", claim, at: { x } });
    assert.equal(r.correct, true, `${expr} claimed ${claim} at x = ${x}`);
    assert.ok(r.atPoint, "the point is shown");
    assert.ok(Number.isFinite(r.atPoint!.derivative));
  }
});
