import assert from "node:assert/strict";
import { renderBlock } from "../../lib/render/terminal.ts";
import { traceToText } from "../../lib/render/trace_text.ts";
import { terminalWidth, textWidth } from "../../lib/text/width.ts";
import { Adam, RMSprop, Value } from "../../mod.ts";
import { allHandouts } from "../handout/lessons.ts";

Deno.test("widths as a terminal shows them: wide characters two columns, marks none", () => {
  assert.equal(textWidth("abc"), 3);
  assert.equal(textWidth("v̂ₜ"), 2);
  assert.equal(textWidth("学习率 α"), 8);
  assert.equal(textWidth("ｗ"), 2); // fullwidth Latin
  assert.equal(textWidth("e\u0301"), 1);
});

Deno.test("terminal width: 80 when piped, the terminal's (at least 60) on a terminal", () => {
  assert.equal(terminalWidth({ isTerminal: false, columns: 40, env: "200" }), 80);
  assert.equal(terminalWidth({ isTerminal: true, columns: 100 }), 100);
  assert.equal(terminalWidth({ isTerminal: true, columns: 100, env: "72" }), 72);
  assert.equal(terminalWidth({ isTerminal: true, columns: 100, env: "wide" }), 100);
  assert.equal(terminalWidth({ isTerminal: true, columns: 20 }), 60);
  assert.equal(terminalWidth({ isTerminal: true }), 80);
  // This test's own output is piped by the test runner.
  if (!Deno.stdout.isTerminal()) assert.equal(terminalWidth(), 80);
});

Deno.test("every block of every lesson fits widths from 60 to 120", async () => {
  let lines = 0;
  for (const { name, handout } of await allHandouts()) {
    for (const width of [60, 61, 67, 72, 80, 99, 120]) {
      for (const block of handout.blocks) {
        for (const line of renderBlock(block, { width }).split("\n")) {
          assert.ok(
            textWidth(line) <= width,
            `${name}, ${block.kind} at ${width}: (${textWidth(line)}) "${line}"`,
          );
          lines++;
        }
      }
    }
  }
  assert.ok(lines > 5000, `${lines} lines`);
});

Deno.test("a trace breaks as a person would, each = under the first, every digit kept", () => {
  const w = new Value(-1.2, "重み"), y = new Value(1, "y");
  w.grad = -215.6, y.grad = -88;
  const opt = new Adam([w, y], { lr: 0.05 });
  const step = opt.step();
  const wide = traceToText(step);
  const narrow = traceToText(step, { width: 60 });
  const lines = narrow.split("\n");
  for (const l of lines) assert.ok(textWidth(l) <= 60, `(${textWidth(l)}) ${l}`);
  assert.ok(wide.split("\n").some((l) => textWidth(l) > 60), "unbroken, some lines are wider");
  // Every number of the unbroken trace is in the broken one, in the same order.
  const numbers = (t: string) => t.match(/[−-]?\d[\d.]*(×10[⁻⁰-⁹]+)?/g) ?? [];
  assert.deepEqual(numbers(narrow), numbers(wide));
  // A broken equation: the rule beside its name, then "= numbers", then "= result", with
  // the = signs in one column.
  const at = lines.findIndex((l) => /^ +mₜ +=/.test(l));
  assert.ok(at > 0, narrow);
  const col = (l: string) => textWidth(l.slice(0, l.indexOf("=")));
  assert.equal(col(lines[at + 1]), col(lines[at]));
  assert.equal(col(lines[at + 2]), col(lines[at]));
  assert.match(lines[at + 2], /= −21\.56$/);
  // A very narrow width still keeps every line inside it when the pieces allow.
  const r = new RMSprop([new Value(0.5, "w")], { lr: 0.01 });
  r.params[0].grad = 1e-9;
  for (const l of traceToText(r.step(), { width: 40 }).split("\n")) {
    assert.ok(textWidth(l) <= 40, `(${textWidth(l)}) ${l}`);
  }
});
