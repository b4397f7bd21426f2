import type { FileHandle } from "node:fs/promises";
import { MAX_LINE_BYTES } from "../store/line-limits.js";

/** Small enough that a block's records die young; big enough that a thread is not kept waiting. */
export const BLOCK_BYTES = 1024 * 1024;
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
  /** Where block buffers come from: a pool that recycles them keeps memory flat. */
  allocate?: (minBytes: number) => ArrayBuffer;
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
    const want = Math.min(blockBytes, snapshotSize - position);
    // The carried partial line goes first, then the new bytes are read in right after it.
    const buffer = new Uint8Array(options.allocate ? options.allocate(carry.length + want) : new ArrayBuffer(carry.length + want), 0, carry.length + want);
    buffer.set(carry, 0);
    const { bytesRead } = await handle.read(buffer, carry.length, want, position);
    if (bytesRead === 0) break;
    const fresh = buffer.subarray(carry.length, carry.length + bytesRead);
    onChunk?.(fresh);
    let start = 0;
    position += bytesRead;
    const filled = carry.length + bytesRead;
    if (skippingOversize) {
      const nl = fresh.indexOf(NEWLINE);
      if (nl === -1) {
        carry = new Uint8Array(0);
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
      await onEvent({ type: "block", bytes: buffer.subarray(start, lastNl + 1) });
    } else {
      carry = buffer.slice(start, filled);
    }
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
