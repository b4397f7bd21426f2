import { createHash, type Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { BLOCK_KINDS, type ScannedBlock } from "../scan/block.js";
import { readBlocks, type ReadEvent } from "../scan/block-reader.js";
import { ScanPool } from "../scan/scan-pool.js";
import { readValue } from "./classify-line.js";
import { firstSignificantByte, walkJsonArray } from "./json-array.js";
import { extractRawPick, type RawPick } from "./pick.js";

export type StoreFormat = "jsonl" | "json-array";

/** One line (or array element) as the store readers see it: a record's values, or its class. */
export type SourceReading =
  | { kind: "record"; pickId: string; raw: RawPick }
  | { kind: "blank" | "parse_error" | "not_object" | "missing_pick_id" | "truncated_tail" };

export interface SourceReadOptions {
  size: number;
  onProgress?: (bytesRead: number) => void;
  /** Hash the bytes as they are read (SHA-256), not in a second pass. */
  hash?: boolean;
  /** Worker threads that scan (0: scan on the calling thread). */
  threads?: number;
  blockBytes?: number;
}

export interface SourceReadResult {
  format: StoreFormat;
  bytesRead: number;
  sha256: string | null;
}

const TAIL: SourceReading = { kind: "truncated_tail" };
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
  if ((await firstSignificantByte(handle, size)) === 0x5b && (await walkJsonArray(handle, size))) {
    await walkJsonArray(handle, size, (value, index) => {
      const reading = readValue(value);
      onReading(reading.kind === "record" ? { kind: "record", pickId: reading.pickId, raw: extractRawPick(reading.object, reading.pickId) } : reading, index);
    });
    if (hash) await hashRange(handle, size, hash);
    options.onProgress?.(size);
    return { format: "json-array", bytesRead: size, sha256: hash ? hash.digest("hex") : null };
  }
  const pool = new ScanPool(options.threads ?? 0);
  const queue: Promise<ScannedBlock | ReadEvent>[] = [];
  let line = 1;
  const deliverNext = async (): Promise<void> => {
    const item = await queue.shift()!;
    if ("kinds" in item) line += deliverBlock(item, line, onReading);
    else onReading(item.type === "tail" ? TAIL : OVERSIZE, line++);
  };
  try {
    const bytesRead = await readBlocks(
      handle,
      {
        snapshotSize: size,
        allocate: pool.allocate,
        ...(options.blockBytes ? { blockBytes: options.blockBytes } : {}),
        ...(hash ? { onChunk: (chunk: Uint8Array) => hash.update(chunk) } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
      async (event) => {
        queue.push(event.type === "block" ? pool.scan(event.bytes) : Promise.resolve(event));
        while (queue.length > pool.maxInFlight) await deliverNext();
      },
    );
    while (queue.length > 0) await deliverNext();
    return { format: "jsonl", bytesRead, sha256: hash ? hash.digest("hex") : null };
  } finally {
    await pool.close();
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
