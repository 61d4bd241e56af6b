/**
 * Every lesson fits its terminal: piped, every line is at most 80 columns; on a pseudo-terminal
 * 60 columns wide (with COLUMNS=60), at most 60. Widths are counted as a terminal shows them
 * (lib/text/width.ts: string-width), and the lessons run as a learner runs them: `deno run`
 * with no permissions, in their own process.
 */
import assert from "node:assert/strict";
import { listLessons } from "../../lib/cli/lesson.ts";
import { textWidth } from "../../lib/text/width.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

function hasScript(): boolean {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** The lines of some output as a terminal shows them: escapes dropped, each `\r` a redraw. */
function shownLines(out: string): string[] {
  // deno-lint-ignore no-control-regex
  const plain = out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  return plain.split("\n").flatMap((l) => l.split("\r"));
}

function widest(lines: string[], limit: number): string {
  const over = lines.filter((l) => textWidth(l) > limit);
  return over.length === 0
    ? ""
    : `${over.length} lines wider than ${limit}, e.g. (${textWidth(over[0])}) "${over[0]}"`;
}

async function piped(file: string): Promise<string> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", file],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(r.success, new TextDecoder().decode(r.stderr));
  return new TextDecoder().decode(r.stdout);
}

/** Runs a lesson on a pseudo-terminal (util-linux `script`) set to `columns` wide. */
async function onTerminal(file: string, columns: number): Promise<string> {
  const deno = Deno.execPath().replaceAll("'", "'\\''");
  const r = await new Deno.Command("script", {
    args: [
      "--quiet",
      "--return",
      "--command",
      `stty cols ${columns} rows 50; '${deno}' run --quiet ${file}`,
      "/dev/null",
    ],
    cwd: ROOT,
    env: { COLUMNS: String(columns), NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout);
  assert.ok(r.success, out + new TextDecoder().decode(r.stderr));
  return out;
}

Deno.test("every lesson piped: no line wider than 80 columns", async (t) => {
  for (const name of listLessons()) {
    await t.step(name, async () => {
      const out = await piped(`lessons/${name}`);
      assert.ok(out.split("\n").length > 20, "the lesson printed its text");
      assert.equal(widest(out.split("\n"), 80), "");
    });
  }
});

Deno.test({
  name: "every lesson on a 60-column terminal: no line wider than 60",
  ignore: !hasScript(),
  async fn(t) {
    let differs = 0;
    for (const name of listLessons()) {
      await t.step(name, async () => {
        const out = await onTerminal(`lessons/${name}`, 60);
        const lines = shownLines(out);
        assert.ok(lines.length > 20, "the lesson printed its text");
        assert.equal(widest(lines, 60), "");
        const pipedLines = (await piped(`lessons/${name}`)).split("\n");
        if (pipedLines.some((l) => textWidth(l) > 60)) differs++;
      });
    }
    // The 60-column layout is a real one: piped, most lessons have lines wider than 60.
    assert.ok(differs >= 5, `${differs} lessons have lines wider than 60 when piped`);
  },
});
