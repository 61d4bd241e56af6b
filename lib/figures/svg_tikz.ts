/**
 * SVG pictures redrawn as TikZ, so a LaTeX handout carries its figures inside one `.tex` file
 * and compiles with plain pdflatex (no Inkscape, no image files). Handles what Observable Plot
 * and Graphviz write: paths (M L H V C Z), lines, polylines, polygons, rectangles, circles,
 * ellipses and text, with translate/scale/rotate transforms, fill, stroke, opacity, dashes and
 * rectangular clip paths. Anything else is skipped.
 *
 * @module
 */
import { escapeTex } from "../text/escape.ts";
import { unicodeToLatex } from "../text/latex_text.ts";

type Matrix = [number, number, number, number, number, number]; // a b c d e f

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

function parseTransform(text: string | null): Matrix {
  let m: Matrix = IDENTITY;
  if (!text) return m;
  for (const [, name, args] of text.matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const v = args.split(/[\s,]+/).filter((s) => s !== "").map(Number);
    if (name === "translate") m = multiply(m, [1, 0, 0, 1, v[0] ?? 0, v[1] ?? 0]);
    else if (name === "scale") m = multiply(m, [v[0] ?? 1, 0, 0, v[1] ?? v[0] ?? 1, 0, 0]);
    else if (name === "rotate") {
      const a = ((v[0] ?? 0) * Math.PI) / 180;
      m = multiply(m, [Math.cos(a), Math.sin(a), -Math.sin(a), Math.cos(a), 0, 0]);
    } else if (name === "matrix" && v.length === 6) m = multiply(m, v as Matrix);
  }
  return m;
}

/** Minimal view of a parsed element (linkedom's). */
interface Node {
  readonly tagName?: string;
  readonly localName?: string;
  readonly childNodes: ArrayLike<Node>;
  readonly nodeType: number;
  readonly textContent: string | null;
  getAttribute?(name: string): string | null;
}

interface Style {
  fill: string;
  stroke: string;
  strokeWidth: number;
  fillOpacity: number;
  strokeOpacity: number;
  opacity: number;
  dash: string;
  fontSize: number;
  anchor: string;
  color: string;
}

const NAMED: Record<string, string> = {
  black: "#000000",
  white: "#ffffff",
  red: "#ff0000",
  blue: "#0000ff",
  green: "#008000",
  gray: "#808080",
  grey: "#808080",
};

/** A CSS colour as xcolor's `{rgb,255:…}`, or `undefined` for none. */
function color(value: string, current: string): string | undefined {
  let v = value.trim().toLowerCase();
  if (v === "none" || v === "transparent" || v === "") return undefined;
  if (v === "currentcolor") v = current;
  v = NAMED[v] ?? v;
  let m = v.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/);
  if (!m) {
    const s = v.match(/^#([0-9a-f])([0-9a-f])([0-9a-f])$/);
    if (s) m = ["", s[1] + s[1], s[2] + s[2], s[3] + s[3]] as RegExpMatchArray;
  }
  if (!m) return "{rgb,255:red,0;green,0;blue,0}";
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h, 16));
  return `{rgb,255:red,${r};green,${g};blue,${b}}`;
}

function attr(node: Node, name: string): string | null {
  return node.getAttribute?.(name) ?? null;
}

/** Inline `style="a: b; …"` entries, which override attributes. */
function styleMap(node: Node): Map<string, string> {
  const out = new Map<string, string>();
  const text = attr(node, "style");
  if (!text) return out;
  for (const part of text.split(";")) {
    const i = part.indexOf(":");
    if (i > 0) out.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).trim());
  }
  return out;
}

function inherit(parent: Style, node: Node): Style {
  const css = styleMap(node);
  const get = (name: string) => css.get(name) ?? attr(node, name);
  const num = (name: string, fallback: number) => {
    const v = get(name);
    const n = v === null ? NaN : parseFloat(v);
    return Number.isFinite(n) ? n : fallback;
  };
  return {
    fill: get("fill") ?? parent.fill,
    stroke: get("stroke") ?? parent.stroke,
    strokeWidth: num("stroke-width", parent.strokeWidth),
    fillOpacity: num("fill-opacity", parent.fillOpacity),
    strokeOpacity: num("stroke-opacity", parent.strokeOpacity),
    opacity: num("opacity", 1) * parent.opacity,
    dash: get("stroke-dasharray") ?? parent.dash,
    fontSize: num("font-size", parent.fontSize),
    anchor: get("text-anchor") ?? parent.anchor,
    color: get("color") ?? parent.color,
  };
}

function fmt(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}

interface Out {
  scale: number;
  lines: string[];
  clips: Map<string, Node>;
}

function point(m: Matrix, x: number, y: number, out: Out): string {
  const px = m[0] * x + m[2] * y + m[4];
  const py = m[1] * x + m[3] * y + m[5];
  return `(${fmt(px * out.scale)},${fmt(-py * out.scale)})`;
}

/**
 * Drops straight-line points within `tolerance` points of the last one kept (never the last of a
 * run), so a 3000-step optimizer path costs TeX a few hundred points, not thousands.
 */
function thinOps(ops: string[], tolerance = 0.6): string[] {
  const at = (op: string) => op.match(/^-- \((-?[\d.]+),(-?[\d.]+)\)$/);
  const out: string[] = [];
  let last: [number, number] | undefined;
  for (let k = 0; k < ops.length; k++) {
    const m = at(ops[k]);
    const xy = m ? [Number(m[1]), Number(m[2])] as [number, number] : undefined;
    const nextIsLine = k + 1 < ops.length && at(ops[k + 1]) !== null;
    if (xy && last && nextIsLine && Math.hypot(xy[0] - last[0], xy[1] - last[1]) < tolerance) {
      continue;
    }
    out.push(ops[k]);
    const start = ops[k].match(/^\((-?[\d.]+),(-?[\d.]+)\)$/);
    last = xy ?? (start ? [Number(start[1]), Number(start[2])] : undefined);
  }
  return out;
}

/** Path data as TikZ path operations (absolute coordinates through `m`). */
export function pathOps(d: string, m: Matrix, out: Out): string {
  const tokens = [...d.matchAll(/([MLHVCZmlhvcz])|(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)/g)];
  const ops: string[] = [];
  let i = 0, cx = 0, cy = 0, sx = 0, sy = 0;
  let cmd = "";
  const num = () => {
    const t = tokens[i++];
    return t === undefined || t[2] === undefined ? NaN : Number(t[2]);
  };
  while (i < tokens.length) {
    const t = tokens[i];
    if (t[1] !== undefined) {
      cmd = t[1];
      i++;
      if (cmd === "Z" || cmd === "z") {
        ops.push("-- cycle");
        cx = sx, cy = sy;
      }
      continue;
    }
    const rel = cmd === cmd.toLowerCase();
    const ox = rel ? cx : 0, oy = rel ? cy : 0;
    switch (cmd.toUpperCase()) {
      case "M":
        cx = ox + num(), cy = oy + num();
        sx = cx, sy = cy;
        ops.push(point(m, cx, cy, out));
        cmd = rel ? "l" : "L";
        break;
      case "L":
        cx = ox + num(), cy = oy + num();
        ops.push(`-- ${point(m, cx, cy, out)}`);
        break;
      case "H":
        cx = ox + num();
        ops.push(`-- ${point(m, cx, cy, out)}`);
        break;
      case "V":
        cy = oy + num();
        ops.push(`-- ${point(m, cx, cy, out)}`);
        break;
      case "C": {
        const [x1, y1, x2, y2, x, y] = [num(), num(), num(), num(), num(), num()];
        ops.push(
          `.. controls ${point(m, ox + x1, oy + y1, out)} and ${
            point(m, ox + x2, oy + y2, out)
          } .. ${point(m, ox + x, oy + y, out)}`,
        );
        cx = ox + x, cy = oy + y;
        break;
      }
      default:
        i++; // numbers after Z or an unknown command: skipped
    }
  }
  if (ops.some((o) => o.includes("NaN"))) return "";
  return thinOps(ops).join(" ");
}

function paint(style: Style, closed: boolean): string | undefined {
  const opts: string[] = [];
  const fill = closed ? color(style.fill, style.color) : undefined;
  const stroke = color(style.stroke, style.color);
  if (fill) {
    opts.push(`fill=${fill}`);
    const o = style.fillOpacity * style.opacity;
    if (o < 1) opts.push(`fill opacity=${fmt(o)}`);
  }
  if (stroke && style.strokeWidth > 0) {
    opts.push(`draw=${stroke}`, `line width=${fmt(style.strokeWidth * 0.75)}pt`);
    const o = style.strokeOpacity * style.opacity;
    if (o < 1) opts.push(`draw opacity=${fmt(o)}`);
    const dashes = style.dash.split(/[\s,]+/).map(Number).filter((x) => x > 0);
    if (dashes.length >= 2) {
      const pattern = dashes.map((x, k) => `${k % 2 ? "off" : "on"} ${fmt(x * 0.75)}pt`).join(" ");
      opts.push(`dash pattern=${pattern}`);
    }
  }
  return opts.length === 0 ? undefined : opts.join(", ");
}

function emitPath(ops: string, style: Style, closed: boolean, out: Out): void {
  const opts = paint(style, closed);
  if (opts && ops !== "") out.lines.push(`\\path[${opts}] ${ops};`);
}

function numberAttr(node: Node, name: string, fontSize = 10): number {
  const v = attr(node, name);
  if (v === null) return 0;
  const n = parseFloat(v);
  if (!Number.isFinite(n)) return 0;
  return v.trim().endsWith("em") ? n * fontSize : n;
}

function textNode(node: Node, m: Matrix, style: Style, out: Out): void {
  const text = (node.textContent ?? "").replace(/\s+/g, " ").trim();
  if (text === "") return;
  const x = numberAttr(node, "x") + numberAttr(node, "dx", style.fontSize);
  const y = numberAttr(node, "y", style.fontSize) + numberAttr(node, "dy", style.fontSize);
  const angle = -Math.atan2(m[1], m[0]) * 180 / Math.PI;
  const anchor = style.anchor === "middle"
    ? "base"
    : style.anchor === "end"
    ? "base east"
    : "base west";
  const size = style.fontSize * Math.hypot(m[0], m[1]) * out.scale;
  const fill = color(style.fill, style.color) ?? color("currentColor", style.color);
  const opts = [
    `anchor=${anchor}`,
    "inner sep=0pt",
    `text=${fill}`,
    `font=\\sffamily\\fontsize{${fmt(size)}}{${fmt(size * 1.2)}}\\selectfont`,
  ];
  if (Math.abs(angle) > 0.01) opts.push(`rotate=${fmt(angle)}`);
  out.lines.push(
    `\\node[${opts.join(", ")}] at ${point(m, x, y, out)} {${unicodeToLatex(escapeTex(text))}};`,
  );
}

function clipOps(id: string, m: Matrix, out: Out): string | undefined {
  const clip = out.clips.get(id);
  if (!clip) return undefined;
  const parts: string[] = [];
  for (const child of Array.from(clip.childNodes)) {
    if (child.nodeType !== 1) continue;
    const cm = multiply(m, parseTransform(attr(child, "transform")));
    const shape = shapeOps(child, cm, out);
    if (shape) parts.push(shape.ops);
  }
  return parts.length ? parts.join(" ") : undefined;
}

function shapeOps(node: Node, m: Matrix, out: Out): { ops: string; closed: boolean } | undefined {
  const tag = (node.localName ?? node.tagName ?? "").toLowerCase();
  const n = (name: string) => numberAttr(node, name);
  switch (tag) {
    case "path": {
      const d = attr(node, "d");
      return d ? { ops: pathOps(d, m, out), closed: true } : undefined;
    }
    case "line":
      return {
        ops: `${point(m, n("x1"), n("y1"), out)} -- ${point(m, n("x2"), n("y2"), out)}`,
        closed: false,
      };
    case "polyline":
    case "polygon": {
      const v = (attr(node, "points") ?? "").split(/[\s,]+/).filter((s) => s !== "").map(Number);
      const pts: string[] = [];
      for (let k = 0; k + 1 < v.length; k += 2) pts.push(point(m, v[k], v[k + 1], out));
      if (pts.length === 0) return undefined;
      return {
        ops: pts.join(" -- ") + (tag === "polygon" ? " -- cycle" : ""),
        closed: tag === "polygon",
      };
    }
    case "rect": {
      const [x, y, w, h] = [n("x"), n("y"), n("width"), n("height")];
      if (!(w > 0 && h > 0)) return undefined;
      return {
        ops: `${point(m, x, y, out)} -- ${point(m, x + w, y, out)} -- ${
          point(m, x + w, y + h, out)
        } -- ${point(m, x, y + h, out)} -- cycle`,
        closed: true,
      };
    }
    case "circle":
    case "ellipse": {
      const r = n("r");
      const rx = tag === "circle" ? r : n("rx"), ry = tag === "circle" ? r : n("ry");
      if (!(rx > 0 && ry > 0)) return undefined;
      const sx = Math.hypot(m[0], m[1]) * out.scale, sy = Math.hypot(m[2], m[3]) * out.scale;
      return {
        ops: `${point(m, n("cx"), n("cy"), out)} ellipse [x radius=${fmt(rx * sx)}pt, y radius=${
          fmt(ry * sy)
        }pt]`,
        closed: true,
      };
    }
  }
  return undefined;
}

const SKIP = new Set(["style", "title", "desc", "defs", "clippath", "image", "metadata", "script"]);

function walk(node: Node, m: Matrix, parent: Style, out: Out): void {
  if (node.nodeType !== 1) return;
  const tag = (node.localName ?? node.tagName ?? "").toLowerCase();
  if (SKIP.has(tag)) return;
  const style = inherit(parent, node);
  const local = multiply(m, parseTransform(attr(node, "transform")));
  const clipId = attr(node, "clip-path")?.match(/url\(#([^)]+)\)/)?.[1];
  const clip = clipId ? clipOps(clipId, local, out) : undefined;
  if (clip) out.lines.push("\\begin{scope}", `\\clip ${clip};`);
  if (tag === "g" || tag === "svg" || tag === "a") {
    for (const child of Array.from(node.childNodes)) walk(child, local, style, out);
  } else if (tag === "text") {
    textNode(node, local, style, out);
  } else {
    const shape = shapeOps(node, local, out);
    if (shape) emitPath(shape.ops, style, shape.closed, out);
  }
  if (clip) out.lines.push("\\end{scope}");
}

function collectClips(node: Node, clips: Map<string, Node>): void {
  if (node.nodeType !== 1) return;
  const tag = (node.localName ?? node.tagName ?? "").toLowerCase();
  const id = attr(node, "id");
  if (tag === "clippath" && id) clips.set(id, node);
  for (const child of Array.from(node.childNodes)) collectClips(child, clips);
}

/** The picture's size in CSS pixels, from width/height (px or pt) or the viewBox. */
function sizeOf(svg: Node): { width: number; height: number } {
  const unit = (v: string | null) => {
    if (!v) return NaN;
    const n = parseFloat(v);
    return v.trim().endsWith("pt") ? n * 4 / 3 : n;
  };
  const box = (attr(svg, "viewBox") ?? "").split(/[\s,]+/).map(Number);
  return {
    width: unit(attr(svg, "width")) || box[2] || 640,
    height: unit(attr(svg, "height")) || box[3] || 400,
  };
}

/**
 * Redraws an SVG picture as a `tikzpicture` no wider than `maxWidthPt` and no taller than
 * `maxHeightPt` points (the picture is scaled down, never up; text keeps its relative size).
 * Needs `\usepackage{tikz}` and xcolor.
 *
 * @example
 * ```ts
 * import { svgToTikz } from "./svg_tikz.ts";
 * import assert from "node:assert/strict";
 * const tikz = await svgToTikz(
 *   '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">' +
 *     '<path d="M0,0L100,50" fill="none" stroke="#0072b2"/>' +
 *     '<text x="10" y="20">50% of $x_1</text></svg>',
 *   400,
 * );
 * assert.match(tikz, /^\\begin\{tikzpicture\}\[x=1pt, y=1pt\]/);
 * assert.match(tikz, /\\path\[draw=\{rgb,255:red,0;green,114;blue,178\}/);
 * assert.match(tikz, /\{50\\% of \\\$x\\_1\}/);
 * ```
 */
export async function svgToTikz(
  svg: string,
  maxWidthPt: number,
  maxHeightPt = 600,
): Promise<string> {
  const { DOMParser } = await import("npm:linkedom@0.18.15");
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml") as unknown as {
    documentElement: Node;
  };
  const root = doc.documentElement;
  const { width, height } = sizeOf(root);
  const fit = Math.min(1, maxWidthPt / (width * 0.75), maxHeightPt / (height * 0.75));
  const out: Out = { scale: fit * 0.75, lines: [], clips: new Map() };
  collectClips(root, out.clips);
  const base: Style = {
    fill: "black",
    stroke: "none",
    strokeWidth: 1,
    fillOpacity: 1,
    strokeOpacity: 1,
    opacity: 1,
    dash: "",
    fontSize: 10,
    anchor: "start",
    color: "#222222",
  };
  // The root's viewBox origin, when it is not 0,0.
  const box = (attr(root, "viewBox") ?? "").split(/[\s,]+/).map(Number);
  const origin: Matrix = box.length === 4 && box.every(Number.isFinite)
    ? [width / box[2], 0, 0, width / box[2], -box[0] * width / box[2], -box[1] * width / box[2]]
    : IDENTITY;
  walk(root, origin, base, out);
  return `\\begin{tikzpicture}[x=1pt, y=1pt]\n${out.lines.join("\n")}\n\\end{tikzpicture}`;
}
