import { isUtf8 } from "node:buffer";
import type { FileHandle } from "node:fs/promises";
import { MAX_LINE_BYTES } from "./line-limits.js";

const CHUNK_BYTES = 1024 * 1024;
const isJsonSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** Byte offset after a BOM at byte 0 and JSON whitespace, and the byte found there (-1 at end). */
export async function firstSignificantByte(handle: FileHandle, size: number): Promise<number> {
  const buffer = Buffer.alloc(Math.min(size, 64 * 1024));
  let position = 0;
  let first = true;
  while (position < size) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - position), position);
    if (bytesRead === 0) break;
    let i = 0;
    if (first && bytesRead >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) i = 3;
    first = false;
    for (; i < bytesRead; i++) if (!isJsonSpace(buffer[i]!)) return buffer[i]!;
    position += bytesRead;
  }
  return -1;
}

/**
 * Walks a legacy store that is one JSON array, handing each element to `onElement` with its 0-based
 * index. Returns false as soon as the file turns out not to be exactly one valid JSON array (so it
 * is read as JSONL instead); call it once without `onElement` to decide, then again to read.
 * Elements are split at depth-1 commas outside strings and each is checked with `JSON.parse`.
 */
export async function walkJsonArray(
  handle: FileHandle,
  size: number,
  onElement?: (value: unknown, index: number) => void,
): Promise<boolean> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  let finished = false;
  let index = 0;
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let bomChecked = false;

  const takeElement = (allowEmpty: boolean): boolean => {
    const bytes = Buffer.concat(pieces, pieceBytes);
    pieces = [];
    pieceBytes = 0;
    if (!isUtf8(bytes)) return false;
    const text = bytes.toString("utf8");
    if (text.trim() === "") return allowEmpty;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return false;
    }
    onElement?.(value, index);
    index += 1;
    return true;
  };

  const buffer = Buffer.alloc(CHUNK_BYTES);
  let position = 0;
  while (position < size) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - position), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    let i = 0;
    if (!bomChecked) {
      bomChecked = true;
      if (bytesRead >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) i = 3;
    }
    let elementStart = i;
    for (; i < bytesRead; i++) {
      const b = buffer[i]!;
      if (finished) {
        if (!isJsonSpace(b)) return false;
        continue;
      }
      if (!started) {
        if (isJsonSpace(b)) continue;
        if (b !== 0x5b) return false;
        started = true;
        depth = 1;
        elementStart = i + 1;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
        continue;
      }
      if (b === 0x22) inString = true;
      else if (b === 0x5b || b === 0x7b) depth += 1;
      else if (b === 0x7d || (b === 0x5d && depth > 1)) depth -= 1;
      else if (depth === 1 && (b === 0x2c || b === 0x5d)) {
        pieces.push(Buffer.from(buffer.subarray(elementStart, i)));
        pieceBytes += i - elementStart;
        const closing = b === 0x5d;
        // `[]` is an empty array; an empty element anywhere else (`[,1]`, `[1,]`) is invalid.
        if (!takeElement(closing && index === 0)) return false;
        elementStart = i + 1;
        if (closing) finished = true;
      }
      if (depth < 1) return false;
    }
    if (started && !finished) {
      pieces.push(Buffer.from(buffer.subarray(elementStart, bytesRead)));
      pieceBytes += bytesRead - elementStart;
      if (pieceBytes > MAX_LINE_BYTES) return false;
    }
  }
  return finished;
}
