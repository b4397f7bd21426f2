import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** The compiled scanning thread, found from this file in dist/ or src/ alike (both sit two levels under the root). */
const SCAN_WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "scan", "scan-worker.js");
/**
 * A scanning thread's heap: a small young generation (the JSON.parse path makes short-lived garbage
 * fast), and room in the old one for the longest line a store may hold: a 64 MiB line handed to
 * JSON.parse is its text and its value, up to four times its size with UTF-16 text. A limit, not a
 * reservation: ordinary stores use a few MB.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 512 };

export function defaultThreads(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

export function startScanWorker(): Worker {
  return new Worker(SCAN_WORKER, { resourceLimits: WORKER_LIMITS });
}

const waiting: { worker: Worker; broken: boolean }[] = [];

/**
 * Starts `threads` scanning threads at once, before the command that will use them has loaded:
 * a thread takes some 50 ms to start, and this way it starts while the main thread loads the
 * command instead of after. Until a ScanPool takes them they are unref'd (they never keep the
 * process alive) and a failed one is only set aside (the pool then starts its own, which reports
 * the failure).
 */
export function prestartScanWorkers(threads: number): void {
  for (let i = 0; i < threads; i++) {
    const entry = { worker: startScanWorker(), broken: false };
    entry.worker.unref();
    entry.worker.once("error", () => (entry.broken = true));
    entry.worker.once("exit", () => (entry.broken = true));
    waiting.push(entry);
  }
}

/** A scanning thread started earlier by prestartScanWorkers, now the caller's (ref'd), or undefined. */
export function takeScanWorker(): Worker | undefined {
  for (let entry = waiting.shift(); entry !== undefined; entry = waiting.shift()) {
    if (entry.broken) {
      void entry.worker.terminate();
      continue;
    }
    entry.worker.removeAllListeners("error").removeAllListeners("exit");
    entry.worker.ref();
    return entry.worker;
  }
  return undefined;
}
