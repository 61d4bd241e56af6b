/**
 * The LaTeX handouts compile: every lesson and the fixture through pdflatex (with shell escape
 * off), with no missing character and nothing running off the page. Skipped, saying so, when
 * pdflatex is not installed (Debian: texlive-latex-base, texlive-latex-recommended,
 * texlive-latex-extra, texlive-pictures, lmodern).
 */
import assert from "node:assert/strict";
import { renderLatex } from "../../lib/handout/latex.ts";
import { allHandouts } from "./lessons.ts";

function hasPdflatex(): boolean {
  try {
    return new Deno.Command("pdflatex", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const available = hasPdflatex();
if (!available) {
  console.warn(
    "LaTeX compile test skipped: no pdflatex (Debian: apt-get install texlive-latex-recommended texlive-pictures lmodern)",
  );
}

Deno.test({
  name: "every LaTeX handout compiles with pdflatex, nothing missing, nothing off the page",
  ignore: !available,
  async fn(t) {
    const dir = await Deno.makeTempDir();
    try {
      for (const { name, handout } of await allHandouts()) {
        await t.step(name, async () => {
          const stem = name.replace(/[^A-Za-z0-9]+/g, "_");
          await Deno.writeTextFile(
            `${dir}/${stem}.tex`,
            await renderLatex(handout),
          );
          const result = await new Deno.Command("pdflatex", {
            args: ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", `${stem}.tex`],
            cwd: dir,
            stdout: "null",
            stderr: "null",
          }).output();
          const log = await Deno.readTextFile(`${dir}/${stem}.log`);
          assert.ok(result.success, log.split("\n").filter((l) => l.startsWith("!")).join("\n"));
          assert.doesNotMatch(log, /Missing character/);
          assert.doesNotMatch(log, /Overfull \\vbox/);
          const overfull = [...log.matchAll(/Overfull \\hbox \(([\d.]+)pt too wide\)/g)]
            .map((m) => Number(m[1]));
          // No overfull box at all: every trace equation breaks before it would run off the line.
          assert.deepEqual(overfull, [], `lines too wide by ${overfull.join(", ")} pt`);
          const pdf = await Deno.readFile(`${dir}/${stem}.pdf`);
          assert.equal(new TextDecoder().decode(pdf.subarray(0, 5)), "%PDF-");
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
