/**
 * SVG to TikZ: coordinates land where the SVG puts them (y flipped, px to pt), through nested
 * transforms and relative path commands; text keeps its anchor and rotation; clip paths become
 * scopes.
 */
import assert from "node:assert/strict";
import { svgToTikz } from "../../lib/figures/svg_tikz.ts";

const svg = (body: string, w = 100, h = 100) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;

Deno.test("nested translate and scale move a circle exactly (1 px = 0.75 pt, y down becomes y up)", async () => {
  const tikz = await svgToTikz(
    svg(
      '<g transform="translate(10,20)"><g transform="scale(2)"><circle cx="5" cy="5" r="2" fill="red"/></g></g>',
    ),
    1000,
  );
  // (10 + 2·5, 20 + 2·5) = (20, 30) px → (15, −22.5) pt; r = 2·2 px = 3 pt.
  assert.match(tikz, /\(15,-22\.5\) ellipse \[x radius=3pt, y radius=3pt\]/);
  assert.match(tikz, /fill=\{rgb,255:red,255;green,0;blue,0\}/);
});

Deno.test("relative path commands are accumulated; H, V and Z close the shape", async () => {
  const tikz = await svgToTikz(
    svg('<path d="M10,10l20,0v20H10z" fill="none" stroke="#000"/>'),
    1000,
  );
  assert.match(
    tikz,
    /\(7\.5,-7\.5\) -- \(22\.5,-7\.5\) -- \(22\.5,-22\.5\) -- \(7\.5,-22\.5\) -- cycle;/,
  );
  assert.doesNotMatch(tikz, /fill=/, "fill none is not filled");
});

Deno.test("text keeps its anchor, size and rotation; user text is escaped", async () => {
  const tikz = await svgToTikz(
    svg(
      '<text transform="translate(50,50) rotate(-90)" text-anchor="middle" font-size="12">a_1 &amp; 50%</text>',
    ),
    1000,
  );
  assert.match(tikz, /anchor=base/);
  assert.match(tikz, /rotate=90/);
  assert.match(tikz, /\\fontsize\{9\}/); // 12 px = 9 pt
  assert.match(tikz, /at \(37\.5,-37\.5\) \{a\\_1 \\& 50\\%\}/);
});

Deno.test("a picture wider than the page is scaled down to fit, never up", async () => {
  const wide = await svgToTikz(svg('<circle cx="800" cy="10" r="4" fill="#000"/>', 800, 100), 300);
  // 800 px = 600 pt wide, fitted into 300 pt: everything at half size.
  assert.match(wide, /\(300,-3\.75\) ellipse \[x radius=1\.5pt/);
  const small = await svgToTikz(svg('<circle cx="10" cy="10" r="4" fill="#000"/>'), 300);
  assert.match(small, /\(7\.5,-7\.5\) ellipse \[x radius=3pt/);
});

Deno.test("a clip path becomes a scope with \\clip", async () => {
  const tikz = await svgToTikz(
    svg(
      '<clipPath id="c"><rect x="0" y="0" width="40" height="40"/></clipPath>' +
        '<g clip-path="url(#c)"><path d="M0,0L100,100" stroke="#000" fill="none"/></g>',
    ),
    1000,
  );
  assert.match(
    tikz,
    /\\begin\{scope\}\n\\clip \(0,0\) -- \(30,0\) -- \(30,-30\) -- \(0,-30\) -- cycle;\n\\path/,
  );
  assert.match(tikz, /\\end\{scope\}/);
});
