/**
 * `--out` writes into what the user named, as a shell redirection or `cp` does (issue 10, point 1):
 * every kind of path in a temporary folder; never a real device node (a FIFO with a reader
 * stands in for /dev/stdout and /dev/null).
 */
import assert from "node:assert/strict";
import { main } from "../../lib/cli/main.ts";
import { writeOutput } from "../../lib/cli/write.ts";

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const errs: string[] = [];
  const error = console.error, log = console.log;
  console.error = (...a: unknown[]) => errs.push(a.join(" "));
  console.log = () => {};
  try {
    return { code: await main(args), err: errs.join("\n") };
  } finally {
    console.error = error;
    console.log = log;
  }
}

const OPT = ["optimize", "x^2", "--start", "x=1", "--optimizer", "sgd", "--steps", "2"];

async function inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.chmod(dir, 0o700).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

const entries = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("--out a new file and an existing file: written whole, no temporary left, mode kept", async () => {
  await inTemp(async (dir) => {
    assert.equal((await run([...OPT, "--out", `${dir}/new.txt`])).code, 0);
    assert.match(await Deno.readTextFile(`${dir}/new.txt`), /x/);
    await Deno.writeTextFile(`${dir}/old.txt`, "old");
    await Deno.chmod(`${dir}/old.txt`, 0o640);
    const inode = (await Deno.stat(`${dir}/old.txt`)).ino;
    assert.equal((await run([...OPT, "--out", `${dir}/old.txt`])).code, 0);
    const info = await Deno.stat(`${dir}/old.txt`);
    assert.notEqual(await Deno.readTextFile(`${dir}/old.txt`), "old");
    assert.equal(info.mode! & 0o777, 0o640);
    assert.notEqual(info.ino, inode, "replaced atomically by a rename, not rewritten in place");
    assert.deepEqual(entries(dir), ["new.txt", "old.txt"]);
  });
});

Deno.test("--out a symlink: the link stays, the file it points to is written", async () => {
  await inTemp(async (dir) => {
    await Deno.mkdir(`${dir}/real`);
    await Deno.writeTextFile(`${dir}/real/target.txt`, "old");
    await Deno.symlink("real/target.txt", `${dir}/link.txt`);
    assert.equal((await run([...OPT, "--out", `${dir}/link.txt`])).code, 0);
    assert.ok((await Deno.lstat(`${dir}/link.txt`)).isSymlink);
    assert.equal(await Deno.readLink(`${dir}/link.txt`), "real/target.txt");
    assert.match(await Deno.readTextFile(`${dir}/real/target.txt`), /x/);
    assert.deepEqual(entries(`${dir}/real`), ["target.txt"]);
    // a dangling link: its target is created, the link kept
    await Deno.symlink("real/later.txt", `${dir}/dangling.txt`);
    assert.equal((await run([...OPT, "--out", `${dir}/dangling.txt`])).code, 0);
    assert.ok((await Deno.lstat(`${dir}/dangling.txt`)).isSymlink);
    assert.match(await Deno.readTextFile(`${dir}/real/later.txt`), /x/);
  });
});

Deno.test("--out a FIFO (standing in for /dev/stdout): written into, not replaced", async () => {
  await inTemp(async (dir) => {
    const fifo = `${dir}/pipe`;
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.ok(made.success);
    const reader = new Deno.Command("cat", { args: [fifo], stdout: "piped" }).output();
    const { code } = await run([...OPT, "--out", fifo]);
    const read = await reader;
    assert.equal(code, 0);
    assert.match(new TextDecoder().decode(read.stdout), /x/);
    assert.ok((await Deno.lstat(fifo)).isFifo, "still a FIFO");
    assert.deepEqual(entries(dir), ["pipe"]);
    // the same through a symlink (as /dev/stdout is a link to the terminal or pipe)
    await Deno.symlink(fifo, `${dir}/stdout`);
    const reader2 = new Deno.Command("cat", { args: [fifo], stdout: "piped" }).output();
    assert.equal((await run([...OPT, "--out", `${dir}/stdout`])).code, 0);
    assert.match(new TextDecoder().decode((await reader2).stdout), /x/);
    assert.ok((await Deno.lstat(fifo)).isFifo);
    assert.ok((await Deno.lstat(`${dir}/stdout`)).isSymlink);
  });
});

Deno.test("--out a folder: exit 2, one line, the folder untouched", async () => {
  await inTemp(async (dir) => {
    await Deno.mkdir(`${dir}/sub`);
    for (const args of [[...OPT, "--out", `${dir}/sub`], ["handout", "1", "--out", `${dir}/sub`]]) {
      const { code, err } = await run(args);
      assert.equal(code, 2, err);
      assert.equal(err.trim().split("\n").length, 1, err);
      assert.match(err, /folder|\.html/);
    }
    assert.deepEqual(entries(`${dir}/sub`), []);
    await assert.rejects(writeOutput(`${dir}/sub`, "x"), /folder/);
  });
});

Deno.test({
  name: "--out in a read-only folder: a new file is refused; an existing writable file is written",
  ignore: Deno.uid() === 0, // root writes into read-only folders; the check means nothing there
  async fn() {
    await inTemp(async (dir) => {
      await Deno.writeTextFile(`${dir}/mine.txt`, "old");
      await Deno.chmod(dir, 0o500);
      const { code, err } = await run([...OPT, "--out", `${dir}/new.txt`]);
      assert.equal(code, 2);
      assert.match(err, /new\.txt/);
      assert.equal((await run([...OPT, "--out", `${dir}/mine.txt`])).code, 0);
      assert.match(await Deno.readTextFile(`${dir}/mine.txt`), /x/);
      assert.deepEqual(entries(dir), ["mine.txt"]);
    });
  },
});

Deno.test("--out into a folder that does not exist: exit 2 naming it", async () => {
  await inTemp(async (dir) => {
    const { code, err } = await run([...OPT, "--out", `${dir}/nope/x.txt`]);
    assert.equal(code, 2);
    assert.match(err, /nope/);
    assert.deepEqual(entries(dir), []);
  });
});
