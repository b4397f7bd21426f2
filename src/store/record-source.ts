import { createHash, type Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { classifyLine, readValue, type LineReading } from "./classify-line.js";
import { firstSignificantByte, walkJsonArray } from "./json-array.js";
import { readLines } from "./line-reader.js";

export type StoreFormat = "jsonl" | "json-array";

export interface SourceReadOptions {
  size: number;
  onProgress?: (bytesRead: number) => void;
  /** Hash the bytes as they are read (SHA-256), not in a second pass. */
  hash?: boolean;
}

export interface SourceReadResult {
  format: StoreFormat;
  bytesRead: number;
  sha256: string | null;
}

/**
 * Reads a JSONL file, or a legacy file that is exactly one JSON array, handing every line (or
 * element) to `onReading` with its position: the 1-based line number, or the 0-based element index.
 */
export async function readSource(
  handle: FileHandle,
  options: SourceReadOptions,
  onReading: (reading: LineReading, position: number) => void,
): Promise<SourceReadResult> {
  const { size } = options;
  const hash: Hash | null = options.hash ? createHash("sha256") : null;
  if ((await firstSignificantByte(handle, size)) === 0x5b && (await walkJsonArray(handle, size))) {
    await walkJsonArray(handle, size, (value, index) => onReading(readValue(value), index));
    if (hash) await hashRange(handle, size, hash);
    options.onProgress?.(size);
    return { format: "json-array", bytesRead: size, sha256: hash ? hash.digest("hex") : null };
  }
  const bytesRead = await readLines(
    handle,
    { line: (bytes, lineNumber, end) => onReading(classifyLine(bytes, end), lineNumber) },
    {
      snapshotSize: size,
      skipBom: true,
      ...(hash ? { onChunk: (chunk: Buffer) => hash.update(chunk) } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  return { format: "jsonl", bytesRead, sha256: hash ? hash.digest("hex") : null };
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
