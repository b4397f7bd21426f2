import type { Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { errnoCode, InputError } from "../errors.js";
import type { ResolvedPath } from "../paths.js";

export interface OpenedInput {
  handle: FileHandle;
  stats: Stats;
}

function chosenBy(input: ResolvedPath): string {
  return input.source === "default" ? "the default path" : input.source;
}

/**
 * Opens a store or grade file for reading and takes its snapshot size, turning every way this can
 * fail into one clear line that names the path and how it was chosen. Null when it does not exist
 * and `allowMissing` is set.
 */
export async function openInput(input: ResolvedPath, what: string, allowMissing: boolean): Promise<OpenedInput | null> {
  let handle: FileHandle;
  try {
    handle = await open(input.path, "r");
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") {
      if (allowMissing) return null;
      throw new InputError(`${what} not found: ${input.path} (chosen by ${chosenBy(input)})`, { cause: error });
    }
    if (code === "EACCES" || code === "EPERM") {
      throw new InputError(`cannot read ${what} ${input.path}: permission denied (chosen by ${chosenBy(input)})`, {
        cause: error,
      });
    }
    throw new InputError(`cannot open ${what} ${input.path}: ${(error as Error).message}`, { cause: error });
  }
  const stats = await handle.stat();
  if (stats.isDirectory()) {
    await handle.close();
    throw new InputError(`${what} ${input.path} is a directory, not a file (chosen by ${chosenBy(input)})`);
  }
  return { handle, stats };
}

/** Turns an I/O failure in the middle of a read into an InputError naming the file; other errors pass. */
export function readFailure(what: string, path: string, error: unknown): unknown {
  if (errnoCode(error) === undefined) return error;
  return new InputError(`cannot read ${what} ${path}: ${(error as Error).message}`, { cause: error });
}
