import type { Worker } from "node:worker_threads";
import type { ScannedBlock } from "./block.js";
import { BLOCK_BYTES } from "./block-reader.js";
import { encodePicks, type PickBatch } from "./pick-batch.js";
import { startScanWorker, takeScanWorker } from "./prestart.js";
import { scanBlock } from "./scanner.js";


/** Readable bytes guaranteed after the end of every block (simdjson's SIMDJSON_PADDING is 64). */
export const BLOCK_PADDING = 64;
/**
 * The smallest block buffer: a default block, a carried-over line of up to 256 KiB (a record is
 * about 12 KB) and the padding. A longer carried line gets a buffer of its own size.
 */
const MIN_BUFFER_BYTES = BLOCK_BYTES + 256 * 1024;
/**
 * Blocks out per scanning thread, each in a buffer of its own: one being scanned and one waiting,
 * so a thread never waits for the reader between two blocks (reading a block takes a fraction of
 * the time scanning one does). More only adds memory.
 */
const QUEUED_PER_THREAD = 2;

/** What a pool hands back for a block: the reference scan's records, or normalised picks. */
export type ScanMode = "raw" | "picks";
export type ScanResult<M extends ScanMode> = M extends "raw" ? ScannedBlock : PickBatch;

/** The message a scanning thread gets (src/scan/scan-worker.ts): a block read for it, or a range of the file to read itself. */
export type ScanRequest =
  | { seq: number; kind: "block"; buffer: ArrayBuffer; offset: number; length: number; mode: ScanMode }
  | { seq: number; kind: "range"; fd: number; start: number; end: number; size: number; mode: ScanMode };

/**
 * A scanning thread's reply: what the scan found, a block's buffer back (for reuse), whether a
 * range ended in the truncated tail, or why a range could not be read (an error's message and code).
 */
export interface ScanReply {
  seq: number;
  buffer?: ArrayBuffer;
  result?: ScannedBlock | PickBatch;
  tail?: boolean;
  error?: { message: string; code?: string };
}

/** What a range scan hands back: the result for its lines, and whether the truncated tail follows them. */
export interface RangeResult<M extends ScanMode> {
  result: ScanResult<M>;
  tail: boolean;
}

export { defaultThreads } from "./prestart.js";

/** Scans one block on the calling thread, as a scanning thread does. */
export function scanInMode(bytes: Uint8Array, mode: ScanMode): ScannedBlock | PickBatch {
  const scanned = scanBlock(bytes);
  return mode === "raw" ? scanned : encodePicks(scanned);
}

interface Slot {
  worker: Worker;
  queued: number;
}

/**
 * Scans blocks on `threads` worker threads (0: inline, on the calling thread: small files, and
 * tests). With threads, the calling thread only reads and merges, so the scanning garbage never
 * reaches its heap, where the pick ids and grades live. Results are handed back per block; the
 * caller puts them back in file order (record-source.ts).
 *
 * Block buffers are the only large memory: at most QUEUED_PER_THREAD per thread exist, each
 * travels to a thread and comes back with the block's result to be reused, and `allocate` waits for one to come back when they are all out. A buffer is free as soon as its
 * block is scanned (the result is small and does not need it), so reading never waits for results
 * to be merged, only for a thread to finish a block.
 */
export class ScanPool<M extends ScanMode> {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { resolve: (reply: ScanReply) => void; reject: (e: Error) => void }>();
  private readonly spare: ArrayBuffer[] = [];
  private readonly bufferWaiters: (() => void)[] = [];
  private buffersOut = 0;
  private next = 0;
  private failure: Error | null = null;
  readonly maxBuffers: number;

  constructor(
    readonly threads: number,
    readonly mode: M,
  ) {
    this.maxBuffers = threads < 1 ? 1 : threads * QUEUED_PER_THREAD;
    for (let i = 0; i < threads; i++) {
      const worker = takeScanWorker() ?? startScanWorker();
      const slot: Slot = { worker, queued: 0 };
      worker.on("message", (m: ScanReply) => {
        slot.queued -= 1;
        if (m.buffer) this.release(m.buffer);
        const waiting = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        if (m.error) waiting?.reject(Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {}));
        else waiting?.resolve(m);
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (this.pending.size > 0) this.fail(new Error(`a scanning thread stopped (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    for (const wake of this.bufferWaiters.splice(0)) wake();
  }

  /** Gives back a buffer from `allocate` that was not handed to `scan` (no complete line in it). */
  release(buffer: ArrayBuffer): void {
    this.buffersOut -= 1;
    this.spare.push(buffer);
    this.bufferWaiters.shift()?.();
  }

  /**
   * A buffer for the next block, with at least BLOCK_PADDING bytes after `minBytes`, so the native
   * scanner may parse lines in place (simdjson reads up to 64 bytes past the end of a document).
   * A returned one when it is big enough; waits while all maxBuffers are out.
   */
  allocate = async (minBytes: number): Promise<ArrayBuffer> => {
    const need = minBytes + BLOCK_PADDING;
    while (this.buffersOut >= this.maxBuffers) {
      if (this.failure) throw this.failure;
      await new Promise<void>((wake) => this.bufferWaiters.push(wake));
    }
    if (this.failure) throw this.failure;
    this.buffersOut += 1;
    const i = this.spare.findIndex((b) => b.byteLength >= need);
    if (i !== -1) return this.spare.splice(i, 1)[0]!;
    // None big enough (a long line carried over): a spare too small is dropped for a bigger one.
    if (this.spare.length + this.buffersOut > this.maxBuffers) this.spare.shift();
    return new ArrayBuffer(Math.max(need, MIN_BUFFER_BYTES));
  };

  /** Scans a block held in a buffer from `allocate`; the buffer must not be used again by the caller. */
  scan(bytes: Uint8Array): Promise<ScanResult<M>> {
    const buffer = bytes.buffer as ArrayBuffer;
    if (this.failure) return Promise.reject(this.failure);
    if (this.slots.length === 0) {
      let result: ScanResult<M>;
      try {
        result = scanInMode(bytes, this.mode) as ScanResult<M>;
      } finally {
        this.release(buffer);
      }
      return Promise.resolve(result);
    }
    return this.post({ seq: this.next++, kind: "block", buffer, offset: bytes.byteOffset, length: bytes.byteLength, mode: this.mode }, [buffer]).then(
      (reply) => reply.result as ScanResult<M>,
    );
  }

  /**
   * Has a scanning thread read and scan the lines that start in [start, end) of the open file `fd`
   * (see NativeScanner.scanRange; only with threads, and an addon that has it: `canScanRanges`).
   */
  scanRange(fd: number, start: number, end: number, size: number): Promise<RangeResult<M>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.slots.length === 0) return Promise.reject(new Error("scanRange needs scanning threads"));
    return this.post({ seq: this.next++, kind: "range", fd, start, end, size, mode: this.mode }, []).then((reply) => ({
      result: reply.result as ScanResult<M>,
      tail: reply.tail === true,
    }));
  }

  private post(request: ScanRequest, transfer: ArrayBuffer[]): Promise<ScanReply> {
    // The thread with the fewest requests queued: a thread slowed down (by another process, say)
    // gets fewer of them instead of holding the others up.
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.queued < slot.queued) slot = s;
    slot.queued += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(request.seq, { resolve, reject });
      slot.worker.postMessage(request, transfer);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
