import { classifyLine } from "../store/classify-line.js";
import { extractRawPick, type RawPick } from "../store/pick.js";

/** Line classes a block scan can tell by itself (duplicates and the tail need the whole file). */
export const BLOCK_KINDS = ["record", "blank", "parse_error", "not_object", "missing_pick_id"] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];
export const KIND_CODE: Record<BlockKind, number> = { record: 0, blank: 1, parse_error: 2, not_object: 3, missing_pick_id: 4 };

/** A record found in a block: its 0-based line index within the block, its pick_id and the values engine1 reads. */
export interface BlockRecord {
  index: number;
  pickId: string;
  raw: RawPick;
}

/** What one block of complete lines holds: a class code per line, and the records. */
export interface ScannedBlock {
  kinds: Uint8Array;
  records: BlockRecord[];
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Calls `each` for every line of a block of complete lines (every line ends with "\n"), with the
 * "\r" before a "\n" dropped, as the line reader does.
 */
export function forEachLine(block: Uint8Array, each: (line: Buffer, index: number) => void): number {
  const buffer = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  let start = 0;
  let index = 0;
  for (;;) {
    const nl = buffer.indexOf(NEWLINE, start);
    if (nl === -1) break;
    const end = nl > start && buffer[nl - 1] === CR ? nl - 1 : nl;
    each(buffer.subarray(start, end), index);
    index += 1;
    start = nl + 1;
  }
  return index;
}

/** The reference scan: `JSON.parse` of every line (the classes stay exactly `JSON.parse`'s). */
export function scanBlockJs(block: Uint8Array): ScannedBlock {
  const kinds: number[] = [];
  const records: BlockRecord[] = [];
  forEachLine(block, (line, index) => {
    const reading = classifyLine(line, "newline");
    if (reading.kind === "record") {
      records.push({ index, pickId: reading.pickId, raw: extractRawPick(reading.object, reading.pickId) });
    }
    kinds.push(KIND_CODE[reading.kind as BlockKind]);
  });
  return { kinds: Uint8Array.from(kinds), records };
}
