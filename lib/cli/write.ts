/**
 * Writing `--out` the way a shell redirection or `cp` does, never replacing what the user named:
 * a regular file (or a new one) is written atomically (a temporary file in the same folder, then
 * a rename, so no half-written file is ever left, with the old file's permissions kept); a
 * symbolic link is followed and its target written (atomically when the target is a regular
 * file); a FIFO, a character device or `/dev/stdout` is opened and written directly; a folder is
 * refused. Every failure is one `UsageError` line naming the path.
 *
 * @module
 */
import { UsageError } from "./usage_error.ts";

/** The first line of an error's message. */
export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/** The folder part of a path (`.` for a bare name). */
export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

/** The last part of a path. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += await file.write(bytes.subarray(done));
}

/** Opens an existing special file (FIFO, device, `/dev/stdout`) and writes into it. */
async function writeDirect(path: string, bytes: Uint8Array): Promise<void> {
  const file = await Deno.open(path, { write: true });
  try {
    await writeAll(file, bytes);
  } finally {
    file.close();
  }
}

/** A temporary file beside `target`, then a rename over it. */
async function writeReplacing(target: string, bytes: Uint8Array, mode?: number): Promise<void> {
  const tmp = `${dirname(target)}/.${basename(target)}.${Deno.pid}.${
    Math.random().toString(36).slice(2, 8)
  }.tmp`;
  try {
    const file = await Deno.open(tmp, { write: true, createNew: true, mode: mode ?? 0o666 });
    try {
      await writeAll(file, bytes);
    } finally {
      file.close();
    }
    if (mode !== undefined) await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, target);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * The file a write to `path` lands in: `path` itself, or, for a symbolic link, the file it points
 * to. `kind` is what is there now.
 */
async function resolveTarget(
  path: string,
): Promise<{ target: string; kind: "new" | "file" | "folder" | "special"; mode?: number }> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path); // follows links
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    // Nothing there, or a dangling link: a link is followed to the (new) file it names.
    let target = path;
    for (let hops = 0; hops < 40; hops++) {
      let link: string;
      try {
        link = await Deno.readLink(target);
      } catch {
        break;
      }
      target = link.startsWith("/") ? link : `${dirname(target)}/${link}`;
    }
    return { target, kind: "new" };
  }
  if (info.isDirectory) return { target: path, kind: "folder" };
  if (!info.isFile) return { target: path, kind: "special" };
  const target = await Deno.realPath(path);
  return { target, kind: "file", mode: info.mode === null ? undefined : info.mode & 0o7777 };
}

/**
 * Writes `data` to `path` as `--out` promises (see the module doc). Throws a one-line
 * `UsageError` naming `what` (e.g. `"--out report.md"`) when it cannot.
 *
 * @example
 * ```ts
 * import { writeOutput } from "./write.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/real.txt`, "old");
 * await Deno.symlink(`${dir}/real.txt`, `${dir}/link.txt`);
 * await writeOutput(`${dir}/link.txt`, "new");
 * assert.equal(await Deno.readTextFile(`${dir}/real.txt`), "new");
 * assert.ok((await Deno.lstat(`${dir}/link.txt`)).isSymlink); // the link is still a link
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeOutput(
  path: string,
  data: string | Uint8Array,
  what = `--out ${path}`,
): Promise<void> {
  const bytes = bytesOf(data);
  let where;
  try {
    where = await resolveTarget(path);
  } catch (e) {
    throw new UsageError(`cannot write ${what}: ${firstLine(e)}`);
  }
  if (where.kind === "folder") {
    throw new UsageError(`cannot write ${what}: it is a folder; name a file`);
  }
  try {
    if (where.kind === "special") {
      await writeDirect(where.target, bytes);
      return;
    }
    try {
      await writeReplacing(where.target, bytes, where.mode);
    } catch (e) {
      // A file the user may write in a folder they may not: written in place, as `cp` does.
      if (where.kind === "file" && e instanceof Deno.errors.PermissionDenied) {
        const file = await Deno.open(where.target, { write: true, truncate: true });
        try {
          await writeAll(file, bytes);
        } finally {
          file.close();
        }
      } else throw e;
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof Deno.errors.NotFound) {
      throw new UsageError(`cannot write ${what}: there is no folder "${dirname(where.target)}"`);
    }
    throw new UsageError(`cannot write ${what}: ${firstLine(e)}`);
  }
}
