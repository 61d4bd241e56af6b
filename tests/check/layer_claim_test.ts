import assert from "node:assert/strict";
import { judgeLayerClaim, MAZUR_NETWORK, type NetworkSpec, parseLayerClaim } from "../../mod.ts";

// A 3-2-1 tanh/linear network: non-square W's, so a transposed dW has the wrong shape.
const NET: NetworkSpec = {
  input: [0.5, -1.2, 2],
  target: [0.3],
  layers: [
    { W: [[0.1, -0.4, 0.25], [0.7, 0.2, -0.3]], b: [0.05, -0.1], activation: "tanh" },
    { W: [[1.5, -0.8]], b: [0.2], activation: "linear" },
  ],
  loss: "mse",
};

const RIGHT: [string, string, NetworkSpec][] = [
  ["dW2", "delta2 @ a1.T", MAZUR_NETWORK],
  ["dW2", "delta2 · a1^T", MAZUR_NETWORK],
  ["dW2", "((a2 - t) * a2 * (1 - a2)) @ a1.T", MAZUR_NETWORK], // σ′ = σ(1 − σ), by hand
  ["dW2", "(dEda ⊙ fp2) @ a1'", MAZUR_NETWORK],
  ["db2", "delta2", MAZUR_NETWORK],
  ["delta1", "(W2.T @ delta2) * fp1", MAZUR_NETWORK],
  ["dW1", "((W2.T @ delta2) * fp1) @ x.T", MAZUR_NETWORK],
  ["dW1", "delta1 @ a0.T", MAZUR_NETWORK],
  ["dW2", "delta2 @ a1.T", NET],
  ["delta2", "2 * (a2 - t)", NET], // MSE over one output, linear layer: f′ = 1
  ["delta1", "(W2.T @ delta2) * (1 - a1 * a1)", NET], // tanh′ = 1 − tanh²
  ["dW1", "delta1 @ x.T", NET],
];

// [of, claim, network, what the hint must say (or null: no hint may fire)]
const WRONG: [string, string, NetworkSpec, RegExp | null][] = [
  ["dW2", "a1 @ delta2.T", MAZUR_NETWORK, /transpose/], // square: the same shape, entries swapped
  ["dW2", "a1 @ delta2.T", NET, /transpose of dW2 \(2×1 for 1×2\)/], // non-square: the wrong shape
  ["dW1", "x @ delta1.T", NET, /transpose/],
  ["dW2", "(a2 - t) @ a1.T", MAZUR_NETWORK, /f′\(z2\) is missing/], // the missing f′(z)
  ["delta1", "W2.T @ delta2", MAZUR_NETWORK, /f′\(z1\) is missing/],
  ["dW2", "delta2 @ x.T", MAZUR_NETWORK, /used x where a1 belongs/], // the wrong layer's activation
  ["delta1", "(W2.T @ delta2) * fp2", MAZUR_NETWORK, /used fp2 where fp1 belongs/],
  ["dW1", "delta1 @ a1.T", MAZUR_NETWORK, /used a1 where a0 belongs/],
  ["dW2", "delta2 @ a1", MAZUR_NETWORK, /shapes do not fit: position 8/],
  ["delta1", "W2 @ delta2", MAZUR_NETWORK, null], // W instead of Wᵀ and no f′: no single slip
  ["dW2", "2 * delta2 @ a1.T", MAZUR_NETWORK, null], // off by a factor: no named slip
  ["db2", "delta2 * 0.5", MAZUR_NETWORK, null],
];

Deno.test("layer claims: right derivations are right, on Mazur's network and a non-square one", () => {
  for (const [of, claim, net] of RIGHT) {
    const r = judgeLayerClaim(of, claim, net);
    assert.equal(r.correct, true, `${of} = ${claim}: ${r.hint}`);
    assert.deepEqual(r.claimedShape, r.expectedShape);
  }
});

Deno.test("layer claims: each kind of wrong derivation is wrong, with its hint, and no false hint", () => {
  for (const [of, claim, net, hint] of WRONG) {
    const r = judgeLayerClaim(of, claim, net);
    assert.equal(r.correct, false, `${of} = ${claim}`);
    if (hint) assert.match(r.hint ?? "(none)", hint, `${of} = ${claim}`);
    else assert.equal(r.hint, undefined, `${of} = ${claim}: ${r.hint}`);
    assert.equal(r.slip === undefined, r.hint === undefined, "a slip is named exactly when hinted");
  }
});

Deno.test("layer claims: the truth is backprop's, and Mazur's ∂E/∂w5 is the published 0.082167041", () => {
  const r = judgeLayerClaim("dW2", "delta2 @ a1.T");
  assert.equal(r.expected[0][0].toFixed(9), "0.082167041");
  assert.equal(judgeLayerClaim("dW1", "delta1 @ x.T").expected[0][0].toFixed(9), "0.000438568");
});

Deno.test("layer claims: a formula that agrees by chance at the given point is still caught", () => {
  // On a network whose target equals its output, every gradient is 0, and so is 0 * anything.
  const net: NetworkSpec = {
    input: [1],
    target: [0],
    layers: [{ W: [[0]], b: [0], activation: "linear" }],
    loss: "half-sse",
  };
  assert.equal(judgeLayerClaim("dW1", "delta1 @ x.T", net).correct, true);
  assert.equal(judgeLayerClaim("dW1", "0 * x", net).correct, false);
});

Deno.test("layer claims: bad input names the problem", () => {
  assert.throws(
    () => parseLayerClaim("delta2 @ "),
    /position 10: expected a name, a number or "\("/,
  );
  assert.throws(() => parseLayerClaim("delta2 $ a1"), /position 8: unexpected "\$"/);
  assert.throws(() => parseLayerClaim("eval(x)"), /unknown function "eval"/);
  assert.throws(
    () => parseLayerClaim("(".repeat(200) + "x" + ")".repeat(200)),
    /nests deeper than 100/,
  );
  assert.throws(() => parseLayerClaim("x+".repeat(1500) + "x"), /at most 2000/);
  assert.throws(() => judgeLayerClaim("dW2", "delta2 @ h.T"), /unknown name "h"/);
  assert.throws(() => judgeLayerClaim("dW2", "constructor"), /unknown name "constructor"/);
  assert.throws(() => judgeLayerClaim("dW3", "x"), /layer k from 1 to 2/);
  assert.throws(() => judgeLayerClaim("delta1", "delta1"), /unknown name "delta1"/); // not given
  const bad = { ...NET, layers: [{ ...NET.layers[0], W: [[1, 2]] }, NET.layers[1]] };
  assert.throws(() => judgeLayerClaim("dW1", "x", bad), /W is 1×2 but its input has 3 entries/);
});

async function run(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../mod.ts", import.meta.url).pathname, "check-layer", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("check-layer command: exit 0 right, 1 wrong with the slip, 2 with one line for bad input", async () => {
  const right = await run("--of", "dW2", "--claim", "delta2 @ a1.T");
  assert.equal(right.code, 0);
  assert.match(right.stdout, /^right: dW2 = delta2 @ a1\.T {2}\(2×2\)/);
  const wrong = await run("--of", "dW2", "--claim", "a1 @ delta2.T", "--json");
  assert.equal(wrong.code, 1);
  const j = JSON.parse(wrong.stdout);
  assert.equal(j.correct, false);
  assert.deepEqual(j.expectedShape, [2, 2]);
  assert.match(j.hint, /transpose/);
  const neg = await run("--of", "dW2", "--claim", "-delta2 @ a1.T");
  assert.equal(neg.code, 1);
  for (
    const args of [["--of", "dW2", "--claim", "delta2 @"], ["--claim", "x"], [
      "--of",
      "dW2",
      "--claim",
      "x",
      "--network",
      "/nonexistent.json",
    ]]
  ) {
    const r = await run(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.ok(!/\bat .*\.ts:\d+/.test(r.stderr), "no stack trace");
  }
});
