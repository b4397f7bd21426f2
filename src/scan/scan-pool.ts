import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ScannedBlock } from "./block.js";
import { scanBlock } from "./scanner.js";

/** The compiled worker, found from this file in dist/ or src/ alike (both sit two levels under the root). */
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "scan", "scan-worker.js");
/** Young-generation cap per scanning thread: the JSON.parse path makes short-lived garbage fast. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 48 };

/** Readable bytes guaranteed after the end of every block (simdjson's SIMDJSON_PADDING is 64). */
export const BLOCK_PADDING = 64;

export function defaultThreads(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

interface Reply {
  seq: number;
  buffer: ArrayBuffer;
  kinds: Uint8Array;
  records: ScannedBlock["records"];
}

/**
 * Scans blocks on `threads` worker threads and hands results back in the order the blocks were
 * submitted, so merging them gives exactly what one pass gives. With 0 threads it scans inline, on
 * the calling thread (small files, and tests). With threads, the calling thread only reads and
 * merges, so the scanning garbage never reaches its heap, where the pick ids and grades live.
 * At most two blocks per thread are in flight, and block buffers travel to a thread and back to be
 * reused, so memory stays flat however large the file.
 */
export class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (b: ScannedBlock) => void; reject: (e: Error) => void }>();
  private readonly spare: ArrayBuffer[] = [];
  private next = 0;
  readonly maxInFlight: number;

  constructor(readonly threads: number) {
    this.maxInFlight = Math.max(threads, 1) * 2;
    if (threads < 1) return;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER, { resourceLimits: WORKER_LIMITS });
      worker.on("message", (m: Reply) => {
        this.spare.push(m.buffer);
        const waiting = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        waiting?.resolve({ kinds: m.kinds, records: m.records });
      });
      worker.on("error", (error) => {
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
    }
  }

  /**
   * A buffer for the next block: a returned one when it is big enough. Every buffer has at least
   * BLOCK_PADDING bytes after the block, so the native scanner may parse lines in place (simdjson
   * reads up to 64 bytes past the end of a document).
   */
  allocate = (minBytes: number): ArrayBuffer => {
    const need = minBytes + BLOCK_PADDING;
    const i = this.spare.findIndex((b) => b.byteLength >= need);
    return i === -1 ? new ArrayBuffer(Math.max(need, 5 * 1024 * 1024)) : this.spare.splice(i, 1)[0]!;
  };

  /** Scans a block; its buffer goes to the thread and must not be used again by the caller. */
  scan(bytes: Uint8Array): Promise<ScannedBlock> {
    const buffer = bytes.buffer as ArrayBuffer;
    if (this.workers.length === 0) {
      const result = scanBlock(bytes);
      this.spare.push(buffer);
      return Promise.resolve(result);
    }
    const seq = this.next++;
    const worker = this.workers[seq % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      worker.postMessage({ seq, buffer, offset: bytes.byteOffset, length: bytes.byteLength }, [buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
