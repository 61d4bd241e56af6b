/**
 * How full each page of a PDF is, measured from the PDF itself: every page rasterised by
 * poppler's `pdftoppm` (grey, 36 dpi), and the lowest row with ink above the bottom margin (where
 * the footer sits) taken as where the page's content ends.
 */

/** Whether poppler's pdftoppm is installed (Debian: poppler-utils). */
export function hasPdftoppm(): boolean {
  try {
    return new Deno.Command("pdftoppm", { args: ["-v"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** One page: how far down its content reaches, as a fraction of the printable height. */
export interface PageFill {
  /** 1-based page number. */
  page: number;
  /** 0 (empty) to 1 (content down to the bottom margin). */
  fill: number;
}

/** Reads a binary PGM (P5) image. */
function readPgm(bytes: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  let at = 0;
  const token = () => {
    while (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09) {
      at++;
    }
    if (bytes[at] === 0x23) { // a comment
      while (bytes[at] !== 0x0a) at++;
      return token();
    }
    let s = "";
    while (at < bytes.length && bytes[at] > 0x20) s += String.fromCharCode(bytes[at++]);
    return s;
  };
  if (token() !== "P5") throw new Error("not a binary PGM");
  const width = Number(token()), height = Number(token());
  token(); // max value
  at++; // one whitespace byte
  return { width, height, pixels: bytes.subarray(at, at + width * height) };
}

/**
 * The fill of every page of a PDF, given the page's top and bottom margins in millimetres (the
 * handout's `@page` margins).
 */
export async function pageFills(
  pdf: Uint8Array,
  margins: { top: number; bottom: number } = { top: 16, bottom: 18 },
): Promise<PageFill[]> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/in.pdf`, pdf);
    const dpi = 36;
    const r = await new Deno.Command("pdftoppm", {
      args: ["-r", String(dpi), "-gray", `${dir}/in.pdf`, `${dir}/p`],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".pgm"))
      .sort((a, b) => Number(/(\d+)\.pgm$/.exec(a)![1]) - Number(/(\d+)\.pgm$/.exec(b)![1]));
    const px = (mm: number) => Math.round((mm / 25.4) * dpi);
    return files.map((f, i) => {
      const { width, height, pixels } = readPgm(Deno.readFileSync(`${dir}/${f}`));
      const top = px(margins.top), bottom = height - px(margins.bottom);
      let last = top;
      for (let y = top; y < bottom; y++) {
        const row = pixels.subarray(y * width, (y + 1) * width);
        if (row.some((v) => v < 235)) last = y + 1;
      }
      return { page: i + 1, fill: (last - top) / (bottom - top) };
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
