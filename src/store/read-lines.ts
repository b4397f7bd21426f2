import { open } from "node:fs/promises";
import { readBlocks } from "../scan/block-reader.js";
import { isJsonObject, type JsonObject } from "./classify-line.js";
import { walkJsonArray } from "./json-array.js";
import type { StoreFormat } from "./record-source.js";
import { readFailure } from "./open-input.js";

const NEWLINE = 0x0a;
const decoder = new TextDecoder("utf-8", { fatal: true });
/** Thrown from the block callback to stop reading once the last wanted line has gone by. */
const DONE = Symbol("done");

function parseObject(bytes: Uint8Array): JsonObject | null {
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

export interface ReadLinesOptions {
  /** Block size of the read (tests make it small to put block boundaries everywhere). */
  blockBytes?: number;
}

/**
 * The JSON objects on the given 1-based lines of the first `snapshotBytes` bytes of a JSONL file,
 * counted the way the store reader counts them (a BOM at byte 0 skipped, `\r\n` ends a line like
 * `\n`, the last line may lack its newline). Only the wanted lines are decoded and parsed; a wanted
 * line that is not a JSON object (or not there) is absent from the map. Reading stops after the
 * last wanted line.
 */
export async function readLinesAt(
  file: string,
  snapshotBytes: number,
  lineNumbers: Iterable<number>,
  options: ReadLinesOptions = {},
): Promise<Map<number, JsonObject>> {
  const wanted = new Set(lineNumbers);
  const found = new Map<number, JsonObject>();
  let last = 0;
  for (const n of wanted) last = Math.max(last, n);
  if (wanted.size === 0 || snapshotBytes === 0) return found;
  const handle = await open(file, "r");
  let line = 1;
  try {
    await readBlocks(handle, { snapshotSize: snapshotBytes, ...(options.blockBytes ? { blockBytes: options.blockBytes } : {}) }, (event) => {
      if (event.type === "oversize") {
        line += 1;
      } else {
        const bytes = event.bytes;
        let start = 0;
        while (start < bytes.length) {
          const nl = bytes.indexOf(NEWLINE, start);
          const end = nl === -1 ? bytes.length : nl;
          if (wanted.has(line)) {
            const object = parseObject(bytes.subarray(start, end));
            if (object !== null) found.set(line, object);
          }
          line += 1;
          start = end + 1;
        }
      }
      if (line > last) throw DONE;
    });
  } catch (error) {
    if (error !== DONE) throw readFailure("store", file, error);
  } finally {
    await handle.close();
  }
  return found;
}

/** The same for a legacy store that is one JSON array: the objects at the given 0-based element indexes. */
export async function readElementsAt(file: string, snapshotBytes: number, indexes: Iterable<number>): Promise<Map<number, JsonObject>> {
  const wanted = new Set(indexes);
  const found = new Map<number, JsonObject>();
  if (wanted.size === 0) return found;
  const handle = await open(file, "r");
  try {
    await walkJsonArray(handle, snapshotBytes, (value, index) => {
      if (wanted.has(index) && isJsonObject(value)) found.set(index, value);
    });
  } catch (error) {
    throw readFailure("store", file, error);
  } finally {
    await handle.close();
  }
  return found;
}

/** The records at the positions the store reader gave its picks (line numbers, or element indexes). */
export function readRecordsAt(file: string, format: StoreFormat, snapshotBytes: number, positions: Iterable<number>): Promise<Map<number, JsonObject>> {
  return format === "json-array" ? readElementsAt(file, snapshotBytes, positions) : readLinesAt(file, snapshotBytes, positions);
}
