import { createHash } from "node:crypto";
import { mkdir, open, rename, rm, symlink } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { errnoCode, InputError } from "../errors.js";

export const RUNS_DIR = "runs";
export const CURRENT_LINK = "current";
const PARTIAL_PREFIX = ".partial-";

export interface WrittenFile {
  file: string;
  bytes: number;
  sha256: string;
}

/** An I/O failure while writing a run: the command could not run (exit 2), and says where and why. */
export function writeFailure(what: string, target: string, error: unknown): InputError {
  const code = errnoCode(error);
  const hint = code === "ENOSPC" ? " (the disk is full)" : code === "EACCES" || code === "EROFS" ? " (not writable)" : "";
  return new InputError(`cannot write ${what} ${target}: ${code ?? (error as Error).message}${hint}`, { cause: error });
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a run into `<home>/runs/.partial-<run_id>/` and renames it to `<home>/runs/<run_id>/` only
 * when everything is on disk, so a crash or a full disk never leaves a half-written run where a
 * reader would take it for a whole one. Files are written with write-file-atomic (fsync + rename).
 */
export class RunWriter {
  private constructor(
    readonly home: string,
    readonly runId: string,
    readonly partialDir: string,
    readonly finalDir: string,
  ) {}

  static async create(home: string, runId: string): Promise<RunWriter> {
    const runsDir = path.join(home, RUNS_DIR);
    const partialDir = path.join(runsDir, `${PARTIAL_PREFIX}${runId}`);
    try {
      await mkdir(partialDir, { recursive: true });
    } catch (error) {
      throw writeFailure("the run directory", partialDir, error);
    }
    return new RunWriter(home, runId, partialDir, path.join(runsDir, runId));
  }

  /** Writes `<name>` as pretty JSON and returns its size and SHA-256 for run.json. */
  async writeJson(name: string, document: unknown): Promise<WrittenFile> {
    const text = `${JSON.stringify(document, null, 2)}\n`;
    const target = path.join(this.partialDir, name);
    try {
      await writeFileAtomic(target, text, { encoding: "utf8" });
    } catch (error) {
      throw writeFailure("the artifact", target, error);
    }
    const bytes = Buffer.byteLength(text);
    return { file: name, bytes, sha256: createHash("sha256").update(text).digest("hex") };
  }

  pathOf(name: string): string {
    return path.join(this.partialDir, name);
  }

  /** Renames the finished run into place. */
  async commit(): Promise<string> {
    try {
      await syncDirectory(this.partialDir);
      await rename(this.partialDir, this.finalDir);
      await syncDirectory(path.dirname(this.finalDir));
    } catch (error) {
      throw writeFailure("the run", this.finalDir, error);
    }
    return this.finalDir;
  }

  async abort(): Promise<void> {
    await rm(this.partialDir, { recursive: true, force: true });
  }
}

/**
 * Points `<home>/current` at `runs/<run_id>` atomically: a new symlink is made beside it and renamed
 * over the old one, so a reader sees either the previous run or the new one, never neither.
 */
export async function pointCurrentAt(home: string, runId: string): Promise<void> {
  const link = path.join(home, CURRENT_LINK);
  const temporary = path.join(home, `.current-${process.pid}-${runId}`);
  try {
    await rm(temporary, { force: true });
    await symlink(path.join(RUNS_DIR, runId), temporary);
    await rename(temporary, link);
    await syncDirectory(home);
  } catch (error) {
    await rm(temporary, { force: true });
    throw writeFailure("the current link", link, error);
  }
}
