/** Runs a lesson exercise's command the way a learner pastes it into a shell. */
const ROOT = new URL("../../", import.meta.url);

/** Runs an exercise's command as a learner pastes it (an `L='…'` line, `\` continuations). */
export async function optimize(command: string) {
  const lines = command.replace(/ \\\n\s*/g, " ").split("\n");
  const L = lines[0].match(/^L='(.*)'$/)?.[1];
  const call = lines.at(-1)!;
  const args = [...call.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(1)
    .map((a) => (L === undefined ? a : a.replace("$L", L)));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "mod.ts", ...args, "--format", "json"],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  return { code: out.code, json: JSON.parse(new TextDecoder().decode(out.stdout)) };
}
