import type { FileHandle } from "node:fs/promises";
import { MAX_LINE_BYTES } from "../store/line-limits.js";

/**
 * Big enough that the per-block costs (a read, two messages between threads, a native call) are
 * small beside the scan and a thread is seldom kept waiting; small enough that a few buffers per
 * thread stay well inside the memory budget. Measured on the 1.2 GB benchmark store: 4 MiB blocks
 * were faster than 1 MiB ones, at the same peak memory.
 */
export const BLOCK_BYTES = 4 * 1024 * 1024;
/**
 * Blocks scanned on the thread that reads (no scanning threads, and the grade file): their
 * records and garbage share that thread's heap with the pick ids and grades, and 4 MiB of short
 * grade lines is some 20,000 records at once, so they stay small.
 */
export const INLINE_BLOCK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/** What the reader hands on, in file order: blocks of complete lines, and lines no block can hold. */
export type ReadEvent =
  | { type: "block"; bytes: Uint8Array }
  | { type: "oversize" }
  | { type: "tail"; bytes: Uint8Array };

export interface BlockReadOptions {
  snapshotSize: number;
  blockBytes?: number;
  /** Every byte read, BOM included, in order: for the SHA-256 of the snapshot. */
  onChunk?: (chunk: Uint8Array) => void;
  onProgress?: (bytesRead: number) => void;
  /** Where block buffers come from: a pool that recycles them keeps memory flat (it may make the reader wait). */
  allocate?: (minBytes: number) => ArrayBuffer | Promise<ArrayBuffer>;
  /** Takes back a buffer from `allocate` that was not handed on in a block (it held no complete line). */
  release?: (buffer: ArrayBuffer) => void;
}

/**
 * Reads the snapshot once, in chunks, and cuts it into blocks of complete lines: each block ends at
 * the last newline of what was read, and the partial line after it starts the next block. A line that
 * grows past 64 MiB is dropped as it streams (`oversize`, never buffered whole); a last line with no
 * newline is the `tail`. A BOM at byte 0 is skipped. Blocks are fresh buffers the caller may transfer.
 */
export async function readBlocks(
  handle: FileHandle,
  options: BlockReadOptions,
  onEvent: (event: ReadEvent) => Promise<void> | void,
): Promise<number> {
  const { snapshotSize, onChunk, onProgress } = options;
  const blockBytes = options.blockBytes ?? BLOCK_BYTES;
  let position = 0;
  let carry = new Uint8Array(0);
  let skippingOversize = false;
  // The BOM is looked for apart from the blocks, so a block boundary can never split it.
  if (snapshotSize >= 3) {
    const head = new Uint8Array(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    if (bytesRead === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      position = 3;
      onChunk?.(head);
    }
  }
  while (position < snapshotSize) {
    // A long partial line carried over makes the next read as long as it (up to where the line
    // would pass the limit): reading one block at a time would copy the carry again for every block,
    // quadratic in the line's length (a 64 MiB line in 1 MiB blocks: some 2 GB copied).
    const stretch = Math.min(carry.length, MAX_LINE_BYTES + 1 - carry.length);
    const want = Math.min(Math.max(blockBytes, stretch), snapshotSize - position);
    // The carried partial line goes first, then the new bytes are read in right after it.
    const buffer = new Uint8Array(options.allocate ? await options.allocate(carry.length + want) : new ArrayBuffer(carry.length + want), 0, carry.length + want);
    let handedOn = false;
    buffer.set(carry, 0);
    const { bytesRead } = await handle.read(buffer, carry.length, want, position);
    if (bytesRead === 0) {
      options.release?.(buffer.buffer as ArrayBuffer);
      break;
    }
    const fresh = buffer.subarray(carry.length, carry.length + bytesRead);
    onChunk?.(fresh);
    let start = 0;
    position += bytesRead;
    const filled = carry.length + bytesRead;
    if (skippingOversize) {
      const nl = fresh.indexOf(NEWLINE);
      if (nl === -1) {
        carry = new Uint8Array(0);
        options.release?.(buffer.buffer as ArrayBuffer);
        onProgress?.(position);
        continue;
      }
      skippingOversize = false;
      await onEvent({ type: "oversize" });
      start = carry.length + nl + 1;
    }
    if (!skippingOversize && carry.length > 0 && start < carry.length) {
      // The carried line ends in this chunk: it may have grown past the limit on its last stretch.
      const nl = fresh.indexOf(NEWLINE);
      if (nl !== -1 && carry.length + nl > MAX_LINE_BYTES) {
        await onEvent({ type: "oversize" });
        start = carry.length + nl + 1;
      }
    }
    const lastNl = buffer.lastIndexOf(NEWLINE, filled - 1);
    if (lastNl >= start) {
      // Copy the partial line out first: the block's buffer may be handed to another thread.
      carry = buffer.slice(lastNl + 1, filled);
      handedOn = true;
      await onEvent({ type: "block", bytes: buffer.subarray(start, lastNl + 1) });
    } else {
      carry = buffer.slice(start, filled);
    }
    if (!handedOn) options.release?.(buffer.buffer as ArrayBuffer);
    if (carry.length > MAX_LINE_BYTES) {
      skippingOversize = true;
      carry = new Uint8Array(0);
    }
    onProgress?.(position);
  }
  if (skippingOversize) await onEvent({ type: "tail", bytes: new Uint8Array(0) });
  else if (carry.length > 0) await onEvent({ type: "tail", bytes: carry });
  return position;
}
