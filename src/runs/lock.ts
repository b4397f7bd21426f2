import { open, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Engine1Error, errnoCode, InputError } from "../errors.js";

export const LOCK_FILE = "train.lock";

export interface LockOwner {
  pid: number;
  hostname: string;
  run_id: string;
  started_at: string;
}

/** Another training holds the lock: the command cannot run now (exit 2). */
export class LockHeldError extends Engine1Error {
  constructor(
    readonly lockPath: string,
    readonly owner: LockOwner | null,
  ) {
    const who = owner
      ? `pid ${owner.pid} on ${owner.hostname}, run ${owner.run_id}, started ${owner.started_at}`
      : "an unreadable lock file";
    super(`another training holds the lock ${lockPath}: ${who}; if no training is running, remove that file`, 2);
  }
}

export interface HeldLock {
  path: string;
  /** The dead owner whose lock was taken over, if any: the CLI says so. */
  recovered: LockOwner | null;
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === "EPERM";
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await readFile(lockPath, "utf8")) as Partial<LockOwner>;
    return typeof owner.pid === "number" && typeof owner.hostname === "string" ? (owner as LockOwner) : null;
  } catch {
    return null;
  }
}

/**
 * Takes `<home>/train.lock` so two trainings never overlap. Written by hand rather than with a lock
 * library: the contract is about the owning process (a lock whose process is dead is taken over and
 * reported), which needs the pid, host and run in the file, not an mtime-based staleness guess.
 * A lock from another host is never taken over automatically: its process cannot be checked.
 */
export async function acquireLock(home: string, owner: Omit<LockOwner, "pid" | "hostname">): Promise<HeldLock> {
  const lockPath = path.join(home, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), ...owner };
  let recovered: LockOwner | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return {
        path: lockPath,
        recovered,
        release: async () => {
          const current = await readOwner(lockPath);
          if (current?.pid === me.pid && current.run_id === me.run_id) await rm(lockPath, { force: true });
        },
      };
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") {
        throw new InputError(`cannot create the lock ${lockPath}: ${errnoCode(error) ?? (error as Error).message}`, { cause: error });
      }
    }
    const holder = await readOwner(lockPath);
    const stale = holder !== null && holder.hostname === os.hostname() && !isAlive(holder.pid);
    if (!stale) throw new LockHeldError(lockPath, holder);
    recovered = holder;
    await rm(lockPath, { force: true });
  }
  throw new LockHeldError(lockPath, await readOwner(lockPath));
}
