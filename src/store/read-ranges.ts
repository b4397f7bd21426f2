import type { FileHandle } from "node:fs/promises";
import { BLOCK_BYTES } from "../scan/block-reader.js";
import type { RangeResult, ScanMode, ScanPool, ScanResult } from "../scan/scan-pool.js";
import type { SourceReading, SourceReadOptions, SourceReadResult } from "./record-source.js";

/** Where a JSONL pipeline hands its results, in file order: a block's (or range's) lines, or one line's reading. */
export interface Deliver<M extends ScanMode> {
  block: (result: ScanResult<M>) => void;
  line: (reading: SourceReading) => void;
}

/** A last line with no newline: a write in progress. */
export const TAIL: SourceReading = { kind: "truncated_tail" };

/** Ranges out per scanning thread: one being scanned and two waiting, so a thread never waits for the next. */
const RANGES_PER_THREAD = 3;
/**
 * Ranges scanned per thread before anything may be merged (`ready`): enough for the threads to
 * keep busy while the grade file is read (a range's result is some 100 KB; a range takes a thread
 * a few milliseconds).
 */
const RANGES_PER_THREAD_BEFORE_READY = 32;
/** And at most this many in all, however many threads (a bound on the results held). */
const MAX_RANGES_BEFORE_READY = 64;

/**
 * The JSONL pipeline when the scanning threads read the file themselves (the native scanner's
 * scanRange, through a mapping of the file): this thread only hands out byte ranges and merges
 * their results in file order, as readJsonl merges blocks. No block is read or copied here. Only
 * without hashing (the SHA-256 needs every byte in order, on one thread).
 */
export async function readRanges<M extends ScanMode>(
  handle: FileHandle,
  options: SourceReadOptions,
  pool: ScanPool<M>,
  deliver: Deliver<M>,
): Promise<SourceReadResult> {
  const { size } = options;
  const blockBytes = options.blockBytes ?? BLOCK_BYTES;
  const ranges = Math.ceil(size / blockBytes);
  const done = new Map<number, RangeResult<M>>();
  let submitted = 0;
  let merged = 0;
  let isReady = options.ready === undefined;
  await new Promise<void>((resolve, reject) => {
    let failure: { error: unknown } | null = null;
    let inFlight = 0;
    // The caller closes the file once this settles: after a failure, not before every range out
    // has come back (a thread still reading the descriptor must not see it closed, or reused).
    const settle = (): void => {
      if (failure !== null && inFlight === 0) reject(failure.error);
    };
    const fail = (error: unknown): void => {
      failure ??= { error };
      settle();
    };
    options.ready?.then(() => {
      isReady = true;
      merge();
    }, fail);
    const submit = (): void => {
      const maxAhead = isReady ? pool.threads * RANGES_PER_THREAD : Math.min(pool.threads * RANGES_PER_THREAD_BEFORE_READY, MAX_RANGES_BEFORE_READY);
      while (failure === null && submitted < ranges && submitted - merged < maxAhead) {
        const k = submitted++;
        const start = k * blockBytes;
        inFlight += 1;
        pool.scanRange(handle.fd, start, Math.min(size, start + blockBytes), size).then(
          (result) => {
            inFlight -= 1;
            done.set(k, result);
            merge();
          },
          (error: unknown) => {
            inFlight -= 1;
            fail(error);
          },
        );
      }
    };
    const merge = (): void => {
      if (failure !== null) return settle();
      if (!isReady) return submit();
      try {
        for (let item = done.get(merged); item !== undefined; item = done.get(merged)) {
          done.delete(merged);
          merged += 1;
          deliver.block(item.result);
          if (item.tail) deliver.line(TAIL);
          options.onProgress?.(Math.min(size, merged * blockBytes));
        }
      } catch (error) {
        return fail(error);
      }
      if (merged === ranges) resolve();
      else submit();
    };
    merge();
  });
  return { format: "jsonl", bytesRead: size, sha256: null };
}
