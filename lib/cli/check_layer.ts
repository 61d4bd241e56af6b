/**
 * `check-layer --of dW2 --claim "delta2 @ a1.T" [--network FILE.json] [--json]`: is a learner's
 * matrix derivation for one layer right? Exit 0 right, 1 wrong (with the wrong entries and the
 * likely slip), 2 when the input cannot be judged (one line on stderr).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { judgeLayerClaim, MAZUR_NETWORK, type NetworkSpec } from "../check/layer_claim.ts";
import { formatShape } from "../nn/matrix.ts";
import { formatNumber } from "../text/format.ts";
import { matrixTextLines } from "../render/matrix.ts";
import { UsageError } from "./usage_error.ts";

const HELP =
  `usage: check-layer --of dWk|dbk|deltak --claim <matrix expr> [--network FILE.json] [--json]

Checks a layer's gradient you derived as matrices against backprop, on the network and on
randomly moved copies of it.
  --of       what the claim is: dW2, db1, delta1, … (layers count from 1 at the input side)
  --claim    your formula over the network's matrices (vectors are columns):
               x (= a0), t, and per layer k: Wk bk zk ak fpk (= f'(zk)) deltak (= dE/dzk),
               dEda (= dE/da of the last layer)
             operators: @ or · matrix product, * or ⊙ element-wise, + - /, .T ^T ' transpose,
               sigmoid tanh relu exp step, numbers, parentheses
  --network  a JSON file {"input": [...], "target": [...], "loss": "half-sse"|"sse"|"mse",
               "layers": [{"W": [[...]], "b": [...], "activation": "sigmoid"}, ...]};
             default: Mazur's 2-2-2 network (sigmoid, E = Σ ½(t − a)²)
  --json     print one JSON object: correct, of, expectedShape, claimedShape, expected,
             claimed, wrongEntries, hint
exit status: 0 right, 1 wrong, 2 cannot judge`;

/** Runs `check-layer`; returns the exit status. */
export async function checkLayer(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinClaim(args),
      allowPositionals: false,
      options: {
        of: { type: "string" },
        claim: { type: "string" },
        network: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]} (try: check-layer --help)`);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  if (!v.of) throw new UsageError(`--of is missing: which gradient, e.g. --of dW2`);
  if (v.claim === undefined || v.claim.trim() === "") {
    throw new UsageError(`--claim is missing: your formula, e.g. --claim "delta2 @ a1.T"`);
  }
  let net: NetworkSpec = MAZUR_NETWORK;
  if (v.network !== undefined) {
    let text: string;
    try {
      text = await Deno.readTextFile(v.network);
    } catch (e) {
      throw new UsageError(`cannot read --network ${v.network}: ${(e as Error).message}`);
    }
    try {
      net = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--network ${v.network} is not JSON: ${(e as Error).message}`);
    }
    if (net === null || typeof net !== "object") {
      throw new UsageError(
        `--network ${v.network} must hold an object with input, target and layers`,
      );
    }
  }
  const r = judgeLayerClaim(v.of, v.claim, net);
  if (v.json) {
    console.log(JSON.stringify(r));
    return r.correct ? 0 : 1;
  }
  const show = (m: number[][]) =>
    matrixTextLines(m, { digits: 9 }).map((l) => `    ${l}`).join("\n");
  if (r.correct) {
    console.log(`right: ${v.of} = ${v.claim.trim()}  (${formatShape(r.expectedShape)})`);
    console.log(show(r.expected));
    return 0;
  }
  console.log(`wrong: ${v.of} ≠ ${v.claim.trim()}`);
  if (r.hint) console.log(`  ${r.hint}`);
  if (r.claimed && r.claimedShape) {
    console.log(`  yours (${formatShape(r.claimedShape)}):`);
    console.log(show(r.claimed));
  }
  console.log(`  backprop's ${v.of} (${formatShape(r.expectedShape)}):`);
  console.log(show(r.expected));
  for (const w of r.wrongEntries.slice(0, 4)) {
    const n = (x: number) => formatNumber(x, { digits: 9 });
    console.log(`  entry [${w.row},${w.col}]: yours ${n(w.claimed)}, backprop ${n(w.expected)}`);
  }
  return 1;
}

/** `--claim -delta2 @ x.T` as `--claim=-delta2 @ x.T`: a claim may start with a minus sign. */
function joinClaim(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--claim" && i + 1 < args.length) out.push(`--claim=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}
