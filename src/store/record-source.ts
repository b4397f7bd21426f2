import { createHash, type Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { BLOCK_KINDS, type ScannedBlock } from "../scan/block.js";
import { BLOCK_BYTES, INLINE_BLOCK_BYTES, readBlocks, type ReadEvent } from "../scan/block-reader.js";
import { batchLineIndex, batchRecords, PickBatchReader } from "../scan/pick-batch.js";
import { canScanRanges, loadNativeScanner } from "../scan/native.js";
import { ScanPool, type ScanMode, type ScanResult } from "../scan/scan-pool.js";
import { readValue } from "./classify-line.js";
import { firstSignificantByte, walkJsonArray } from "./json-array.js";
import { normalizePick, type Pick } from "./normalize.js";
import { extractRawPick, type RawPick } from "./pick.js";
import { readRanges, TAIL, type Deliver } from "./read-ranges.js";

export type StoreFormat = "jsonl" | "json-array";

/** One line (or array element) as the store readers see it: a record's values, or its class. */
export type SourceReading =
  | { kind: "record"; pickId: string; raw: RawPick }
  | { kind: "blank" | "parse_error" | "not_object" | "missing_pick_id" | "truncated_tail" };

export interface SourceReadOptions {
  size: number;
  /**
   * Nothing is handed on before this settles (readPicks: the grade index, loaded meanwhile); the
   * scanning threads may read ahead in the meantime. A rejection ends the read with its error.
   */
  ready?: Promise<unknown>;
  onProgress?: (bytesRead: number) => void;
  /** Hash the bytes as they are read (SHA-256), not in a second pass. */
  hash?: boolean;
  /** Worker threads that scan (0: scan on the calling thread). */
  threads?: number;
  blockBytes?: number;
}

/** readPicks' options: it may be given its scanning threads, started earlier by the caller (who closes them). */
export interface PickReadOptions extends SourceReadOptions {
  pool?: ScanPool<"picks">;
}

export interface SourceReadResult {
  format: StoreFormat;
  bytesRead: number;
  sha256: string | null;
}

const OVERSIZE: SourceReading = { kind: "parse_error" };
const BY_CODE = BLOCK_KINDS.map((kind) => ({ kind }) as SourceReading);

/** Hands every line of a scanned block on, in order, with its line number. */
function deliverBlock(block: ScannedBlock, firstLine: number, onReading: (r: SourceReading, position: number) => void): number {
  let next = 0;
  const { kinds, records } = block;
  for (let i = 0; i < kinds.length; i++) {
    const record = records[next];
    if (record !== undefined && record.index === i) {
      onReading({ kind: "record", pickId: record.pickId, raw: record.raw }, firstLine + i);
      next += 1;
    } else {
      onReading(BY_CODE[kinds[i]!]!, firstLine + i);
    }
  }
  return kinds.length;
}

/**
 * Reads a JSONL file, or a legacy file that is exactly one JSON array, handing every line (or
 * element) to `onReading` in file order with its position: the 1-based line number, or the 0-based
 * element index. JSONL is read once, in blocks scanned on `threads` threads; the results are merged
 * in block order, so one thread and many give the same readings, numbers and order.
 */
export async function readSource(
  handle: FileHandle,
  options: SourceReadOptions,
  onReading: (reading: SourceReading, position: number) => void,
): Promise<SourceReadResult> {
  const { size } = options;
  const hash: Hash | null = options.hash ? createHash("sha256") : null;
  if (await isJsonArray(handle, size)) {
    await walkJsonArray(handle, size, (value, index) => {
      const reading = readValue(value);
      onReading(reading.kind === "record" ? { kind: "record", pickId: reading.pickId, raw: extractRawPick(reading.object, reading.pickId) } : reading, index);
    });
    return arrayDone(handle, size, hash, options);
  }
  let line = 1;
  return readJsonl(handle, options, hash, "raw", {
    block: (block) => (line += deliverBlock(block, line, onReading)),
    line: (reading) => onReading(reading, line++),
  });
}

/** Where readPicks hands each line: a record's pick (position set, grade not applied), or another class. */
export interface PickSink {
  record(pick: Pick): void;
  other(kind: Exclude<SourceReading["kind"], "record">, position: number): void;
}

/**
 * readSource for the store: the same lines in the same order, but each record comes as its pick,
 * normalised (normalizePick) before the grade overlay, which the caller applies
 * (applyGradeToPick). With threads, the scanning threads normalise and send picks in the compact
 * form of src/scan/pick-batch.ts.
 */
export async function readPicks(handle: FileHandle, options: PickReadOptions, sink: PickSink): Promise<SourceReadResult> {
  const { size } = options;
  const hash: Hash | null = options.hash ? createHash("sha256") : null;
  if (await isJsonArray(handle, size)) {
    await options.ready;
    await walkJsonArray(handle, size, (value, index) => {
      const reading = readValue(value);
      if (reading.kind === "record") sink.record(normalizePick(extractRawPick(reading.object, reading.pickId), index));
      else sink.other(reading.kind, index);
    });
    return arrayDone(handle, size, hash, options);
  }
  let line = 1;
  return readJsonl(handle, options, hash, options.pool ?? "picks", {
    block: (batch) => {
      const { kinds } = batch;
      const records = batchRecords(batch);
      const reader = new PickBatchReader(batch);
      let r = 0;
      let next = r < records ? batchLineIndex(batch, r) : -1;
      for (let i = 0; i < kinds.length; i++) {
        if (i === next) {
          sink.record(reader.decode(r, line + i));
          r += 1;
          next = r < records ? batchLineIndex(batch, r) : -1;
        } else {
          sink.other(BLOCK_KINDS[kinds[i]!]! as Exclude<SourceReading["kind"], "record">, line + i);
        }
      }
      line += kinds.length;
    },
    line: (reading) => sink.other(reading.kind as Exclude<SourceReading["kind"], "record">, line++),
  });
}

async function isJsonArray(handle: FileHandle, size: number): Promise<boolean> {
  return (await firstSignificantByte(handle, size)) === 0x5b && (await walkJsonArray(handle, size));
}

async function arrayDone(handle: FileHandle, size: number, hash: Hash | null, options: SourceReadOptions): Promise<SourceReadResult> {
  if (hash) await hashRange(handle, size, hash);
  options.onProgress?.(size);
  return { format: "json-array", bytesRead: size, sha256: hash ? hash.digest("hex") : null };
}

/** How many blocks may be read beyond the oldest one not yet merged, per scanning thread. */
const AHEAD_PER_THREAD = 4;

/**
 * The JSONL pipeline: blocks are read and handed to the scanning threads as buffers come back,
 * and each block's result is merged (`deliver.block`) as soon as it and every block before it are
 * scanned. Reading waits only for a free buffer (or, if one thread falls far behind, for the merge
 * to catch up), never for the merge itself, so neither the reader nor the threads sit idle
 * waiting on each other. Oversize lines and the tail go through `deliver.line` in their place.
 */
async function readJsonl<M extends ScanMode>(
  handle: FileHandle,
  options: SourceReadOptions,
  hash: Hash | null,
  modeOrPool: M | ScanPool<M>,
  deliver: Deliver<M>,
): Promise<SourceReadResult> {
  const ownPool = typeof modeOrPool === "string";
  const pool = ownPool ? new ScanPool(options.threads ?? 0, modeOrPool) : modeOrPool;
  if (hash === null && pool.threads > 0 && canScanRanges(loadNativeScanner())) {
    try {
      return await readRanges(handle, options, pool, deliver);
    } finally {
      if (ownPool) await pool.close();
    }
  }
  try {
    await options.ready;
  } catch (error) {
    if (ownPool) await pool.close();
    throw error;
  }
  // Results (or reader events) by sequence number, until every earlier one has been merged.
  const ready = new Map<number, ScanResult<M> | SourceReading>();
  let submitted = 0;
  let merged = 0;
  let failure = null as { error: unknown } | null;
  let wakeReader: (() => void) | null = null;
  const merge = (): void => {
    try {
      for (let item = ready.get(merged); item !== undefined; item = ready.get(merged)) {
        ready.delete(merged);
        merged += 1;
        if ("kind" in item) deliver.line(item);
        else deliver.block(item as ScanResult<M>);
      }
    } catch (error) {
      failure ??= { error };
    }
    wakeReader?.();
  };
  const maxAhead = Math.max(pool.threads, 1) * AHEAD_PER_THREAD;
  try {
    const bytesRead = await readBlocks(
      handle,
      {
        snapshotSize: options.size,
        allocate: pool.allocate,
        release: (buffer) => pool.release(buffer),
        blockBytes: options.blockBytes ?? (pool.threads > 0 ? BLOCK_BYTES : INLINE_BLOCK_BYTES),
        ...(hash ? { onChunk: (chunk: Uint8Array) => hash.update(chunk) } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
      async (event: ReadEvent) => {
        if (failure) throw failure.error;
        const seq = submitted++;
        if (event.type === "block") {
          pool.scan(event.bytes).then(
            (result) => {
              ready.set(seq, result);
              merge();
            },
            (error: unknown) => {
              failure ??= { error };
              wakeReader?.();
            },
          );
        } else {
          ready.set(seq, event.type === "tail" ? TAIL : OVERSIZE);
          merge();
        }
        while (submitted - merged > maxAhead && !failure) await new Promise<void>((wake) => (wakeReader = wake));
        wakeReader = null;
      },
    );
    while (merged < submitted && !failure) await new Promise<void>((wake) => (wakeReader = wake));
    if (failure) throw failure.error;
    return { format: "jsonl", bytesRead, sha256: hash ? hash.digest("hex") : null };
  } finally {
    if (ownPool) await pool.close();
  }
}

async function hashRange(handle: FileHandle, size: number, hash: Hash): Promise<void> {
  const buffer = Buffer.alloc(1024 * 1024);
  let position = 0;
  while (position < size) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - position), position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}
