import assert from "node:assert/strict";
import { formatNumber, parseFormatted, seededRandom, SGD, toDot, Value } from "../../mod.ts";
import type { Block } from "../../lib/doc/doc.ts";
import type { TraceInput } from "../../lib/optim/trace.ts";
import {
  progressBar,
  renderBlock,
  renderBoundary,
  renderChart,
  renderContour,
  renderTable,
  TerminalSink,
  textWidth,
  wrap,
} from "../../lib/render/terminal.ts";

/** Column spans (start, end) read off the rule line under the header. */
function spans(rule: string): [number, number][] {
  const out: [number, number][] = [];
  const chars = [...rule];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "─" && (i === 0 || chars[i - 1] !== "─")) out.push([i, i]);
    if (chars[i] === "─") out[out.length - 1][1] = i + 1;
  }
  return out;
}

Deno.test("tables line up: every number cell ends where its column's rule ends", () => {
  const rng = seededRandom(11);
  for (let trial = 0; trial < 50; trial++) {
    const ncol = 1 + Math.floor(rng.next() * 5);
    const nrow = 1 + Math.floor(rng.next() * 8);
    const rows = Array.from({ length: nrow }, () =>
      Array.from({ length: ncol }, () => {
        const mag = 10 ** Math.floor(rng.uniform(-9, 9));
        return rng.uniform(-1, 1) * mag;
      }));
    const headers = Array.from({ length: ncol }, (_, i) => `c${i}`);
    const lines = renderTable(headers.map((header) => ({ header })), rows);
    const cols = spans(lines[1]);
    assert.equal(cols.length, ncol);
    for (const [r, line] of lines.slice(2).entries()) {
      const chars = [...line];
      for (const [c, [start, end]] of cols.entries()) {
        const cell = chars.slice(start, end).join("");
        // right-aligned: no space at the end, only spaces before the number
        assert.equal(cell.trimStart(), formatNumber(rows[r][c]), `row ${r} col ${c}: "${cell}"`);
        const back = parseFormatted(cell);
        assert.ok(Math.abs(back - rows[r][c]) <= 1e-5 * Math.abs(rows[r][c]), `${back} read back`);
        if (c + 1 < cols.length) assert.equal(chars.slice(end, cols[c + 1][0]).join("").trim(), "");
      }
    }
  }
});

Deno.test("tables: text columns align left, numbers right, digits honoured", () => {
  const lines = renderTable(
    [{ header: "name" }, { header: "value" }, { header: "note", align: "right" }],
    [["w5", 0.358916479717885, "ok"], ["w1", -0.0000123456789, "tiny"]],
    9,
  );
  assert.deepEqual(lines, [
    "  name             value  note",
    "  ────  ────────────────  ────",
    "  w5          0.35891648    ok",
    "  w1    −1.23456789×10⁻⁵  tiny",
  ]);
  // combining marks take no column: m̂ lines up with m
  const hat = renderTable([{ header: "x" }], [["m̂"], ["mm"]]);
  assert.equal(textWidth(hat[2]), 3);
  assert.equal(textWidth(hat[3]), 4);
});

Deno.test("wrap: no line wider than asked (but for a lone long word), no word lost", () => {
  const rng = seededRandom(5);
  const words = Array.from({ length: 200 }, () => "x".repeat(1 + Math.floor(rng.next() * 12)));
  const text = words.join(" ");
  for (const width of [10, 17, 40, 80]) {
    const lines = wrap(text, width, "  │ ");
    for (const l of lines) {
      const oneWord = !l.slice(4).includes(" ");
      assert.ok(textWidth(l) <= width || oneWord, `"${l}" is wider than ${width}`);
    }
    assert.equal(lines.map((l) => l.slice(4)).join(" "), text);
  }
  assert.deepEqual(wrap("a\nb c", 80), ["a", "b c"]);
});

Deno.test("paragraphs show inline formulas in their text spelling; notes carry their tone", () => {
  const para: Block = {
    kind: "paragraph",
    content: ["Update with ", { tex: "w - \\alpha\\,dW", text: "w − α·dW" }, "."],
  };
  assert.equal(renderBlock(para), "Update with w − α·dW.");
  assert.equal(
    renderBlock({ kind: "note", tone: "warning", content: ["b uses db."] }),
    "  │ Watch out: b uses db.",
  );
  assert.equal(
    renderBlock({ kind: "code", text: "deno run x.ts\n", language: "sh" }),
    "    deno run x.ts",
  );
  // An installed `stepgrad …` command too continues with " \\", so pasting both lines runs it.
  assert.equal(
    renderBlock(
      {
        kind: "code",
        text: 'stepgrad optimize "x^2" --start x=1 --lr 0.1 --steps 2',
        language: "sh",
      },
      { width: 40 },
    ),
    '    stepgrad optimize "x^2" \\\n      --start x=1 --lr 0.1 --steps 2',
  );
  assert.throws(
    () => renderBlock({ kind: "sparkle" } as unknown as Block),
    (e) => e instanceof TypeError && /unknown block kind "sparkle"/.test(e.message),
  );
});

Deno.test("charts: axis labels through formatNumber, a series ends at its first non-finite point", () => {
  const lines = renderChart({
    kind: "chart",
    title: "loss",
    xLabel: "step",
    yLabel: "loss",
    logY: true,
    series: [
      { name: "small", points: [[0, 100], [1, 10], [2, 1], [3, 0.1]] },
      { name: "large", points: [[0, 100], [1, 1000], [2, Infinity], [3, NaN]] },
    ],
  });
  const text = lines.join("\n");
  assert.match(text, /loss \(log scale\)/);
  assert.match(text, /─ small {3}• large \(ends: not finite\)/);
  assert.match(text, /^ +1000 +[┤┼]/m);
  assert.match(text, /^ +0\.1 +[┤┼]/m);
  // the large series draws two columns (steps 0 and 1), nothing after
  const body = lines.filter((l) => /[┤┼]/.test(l));
  const dots = body.map((l) => [...l].filter((c) => c === "•").length).reduce((a, b) => a + b);
  assert.ok(dots >= 1 && dots <= 4, `large series drew ${dots} cells`);
  assert.equal(
    renderChart({
      kind: "chart",
      title: "t",
      xLabel: "x",
      yLabel: "y",
      series: [{ name: "s", points: [[0, NaN]] }],
    }).at(-1),
    "  (no finite values to draw)",
  );
});

Deno.test("contour: low levels blank, high levels dark, paths lettered with start and end", () => {
  const xs = Array.from({ length: 21 }, (_, i) => -1 + i / 10);
  const ys = xs;
  const z = ys.map((y) => xs.map((x) => x * x + y * y));
  const lines = renderContour({
    kind: "contour",
    title: "bowl",
    xs,
    ys,
    z,
    paths: [{ name: "GD", points: [[1, 1], [0.5, 0.5], [0, 0]] }],
  });
  const map = lines.filter((l) => l.includes("│"));
  const middle = map[Math.floor(map.length / 2)];
  const corner = map[0];
  assert.ok(corner.includes("#"), "corners are high");
  assert.ok(!middle.slice(middle.indexOf("│") + 25, middle.indexOf("│") + 30).includes("#"));
  assert.ok(map.join("").includes("A"));
  assert.ok(lines.some((l) => l.includes("A GD: (1, 1) → (0, 0), 3 points")));
  // A marked point's legend gives where it is, once: after a plain name, not after one that says it.
  const marked = renderContour({
    kind: "contour",
    title: "bowl",
    xs,
    ys,
    z,
    paths: [],
    marks: [{ name: "the minimum (0, 0)", point: [0, 0] }, { name: "a point", point: [0.5, -0.5] }],
  }).join("\n");
  assert.match(marked, /the minimum \(0, 0\)$/m);
  assert.match(marked, /a point: \(0\.5, −0\.5\)$/m);
  assert.throws(
    () => renderContour({ kind: "contour", title: "bad", xs, ys, z: [[1]], paths: [] }),
    RangeError,
  );
});

Deno.test("boundary: regions from the score's sign, points marked, misplaced points counted", () => {
  const xs = [-1, -0.5, 0, 0.5, 1], ys = [-1, 0, 1];
  const score = ys.map(() => xs.map((x) => x)); // positive right of x = 0
  const lines = renderBoundary({
    kind: "boundary",
    title: "x > 0",
    xs,
    ys,
    score,
    points: [[0.8, 0], [-0.8, 0], [-0.9, 0.5]],
    labels: [1, -1, 1],
  });
  const map = lines.filter((l) => l.includes("│"));
  const row = map[0].slice(map[0].indexOf("│") + 1, map[0].lastIndexOf("│"));
  assert.equal(row.trim()[0], "·");
  assert.ok(row.startsWith(" ") && row.endsWith("·"));
  assert.ok(lines.join("").includes("+") && lines.join("").includes("o"));
  assert.ok(lines.some((l) => l.includes("1 of 3 points lie in the other class's region")));
});

Deno.test("graph blocks are summarised by their counts of values and operations", () => {
  const x = new Value(2, "x");
  const y = x.mul(x).add(1);
  y.backward();
  const text = renderBlock({ kind: "graph", title: "y = x·x + 1", dot: toDot(y) });
  assert.match(text, /y = x·x \+ 1: 4 values and 2 operations/);
});

Deno.test("the terminal sink prints blocks as they come, the bar on its own stream", () => {
  let out = "", err = "";
  const printed = (): string => out;
  const sink = new TerminalSink({ write: (t) => (out += t), writeProgress: (t) => (err += t) });
  sink.emit({ kind: "section", title: "A" });
  assert.equal(printed(), "A\n═\n");
  sink.progress("training", 0, 4);
  sink.progress("training", 2, 4);
  sink.progress("training", 2, 4); // unchanged: not redrawn
  sink.progress("training", 4, 4);
  assert.equal(
    err,
    `\r${progressBar("training", 0, 4)}\r${progressBar("training", 2, 4)}\r${
      progressBar("training", 4, 4)
    }\n`,
  );
  sink.emit({ kind: "heading", title: "B" });
  sink.emit({ kind: "section", title: "C" });
  assert.equal(printed(), "A\n═\n\nB\n─\n\n\nC\n═\n");
  assert.ok(!printed().includes("training"), "progress never reaches stdout");
  assert.equal(progressBar("x", 3, 3, 4), "x  [████]  3/3");
  assert.equal(progressBar("x", 0, 0, 4), "x  [████]  0/0");
});

Deno.test("rendering is deterministic: the same blocks give the same bytes", () => {
  const blocks: Block[] = [
    { kind: "section", title: "S" },
    {
      kind: "chart",
      title: "c",
      xLabel: "x",
      yLabel: "y",
      series: [{ name: "a", points: [[0, 1], [1, 2], [2, 0.5]] }],
    },
    { kind: "table", columns: [{ header: "h" }], rows: [[Math.PI]] },
  ];
  const render = () => blocks.map((b) => renderBlock(b)).join("\n");
  assert.equal(render(), render());
});

Deno.test("trace blocks go through the optimizer trace renderer, indented under their title", () => {
  const w = new Value(0.5, "w");
  w.grad = 0.23;
  const trace = new SGD([w], { lr: 0.1 }).step();
  const text = renderBlock({ kind: "trace", trace, title: "One SGD step" });
  const lines = text.split("\n");
  assert.equal(lines[0], "One SGD step");
  assert.ok(lines.slice(1).every((l) => l === "" || l.startsWith("  ")));
  assert.match(text, /w +← w − α·∂L\/∂w = 0\.5 − 0\.1 · 0\.23 = 0\.477/);
  // A lesson in JavaScript can pass anything: the renderer says what it expected.
  assert.throws(
    () => renderBlock({ kind: "trace", trace: 42 as unknown as TraceInput }),
    TypeError,
  );
});
