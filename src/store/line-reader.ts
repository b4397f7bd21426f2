import { open, type FileHandle } from "node:fs/promises";

/** A line longer than this is a parse_error and is never buffered whole (SPEC 3). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;
const CR = 0x0d;

/** How a physical line ended: with a newline, at end of file without one, or past the size limit. */
export type LineEnd = "newline" | "tail" | "oversize";

export interface LineSink {
  /** `bytes` is valid only during the call: the reader reuses its buffers. */
  line(bytes: Buffer, lineNumber: number, end: LineEnd): void;
}

export interface ReadLinesOptions {
  /** Bytes to read: the file's size when it was opened (snapshot semantics). */
  snapshotSize: number;
  /** Read size; tests make it tiny to put chunk boundaries everywhere. */
  chunkBytes?: number;
  /** Skip a UTF-8 byte-order mark at byte 0 (and only there). */
  skipBom?: boolean;
  onChunk?: (chunk: Buffer) => void;
  onProgress?: (bytesRead: number) => void;
}

/**
 * Splits the first `snapshotSize` bytes of a file into physical lines, in bounded memory.
 * A `\r` just before a `\n` is dropped; a final line with no newline is reported as `tail`.
 * Returns the number of bytes actually read (less than the snapshot if the file shrank).
 */
export async function readLines(handle: FileHandle, sink: LineSink, options: ReadLinesOptions): Promise<number> {
  const { snapshotSize, onChunk, onProgress } = options;
  let position = 0;
  let lineNumber = 0;
  // Pieces of a line that spans chunks; dropped once the line passes MAX_LINE_BYTES.
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let oversize = false;

  const emit = (piece: Buffer, end: LineEnd): void => {
    lineNumber += 1;
    if (oversize || carryBytes + piece.length > MAX_LINE_BYTES) {
      sink.line(Buffer.alloc(0), lineNumber, end === "tail" ? "tail" : "oversize");
    } else {
      let bytes = carryBytes > 0 ? Buffer.concat([...carry, piece], carryBytes + piece.length) : piece;
      if (end === "newline" && bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
      sink.line(bytes, lineNumber, end);
    }
    carry = [];
    carryBytes = 0;
    oversize = false;
  };

  if (options.skipBom && snapshotSize >= 3) {
    const head = Buffer.alloc(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    if (bytesRead === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      position = 3;
      onChunk?.(head);
    }
  }
  // One buffer for the whole read: lines are handed out as views valid only during the sink call,
  // and carried pieces are copied, so nothing outlives a chunk and memory stays flat.
  const buffer = Buffer.allocUnsafe(Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, Math.max(snapshotSize, 1)));
  while (position < snapshotSize) {
    const want = Math.min(buffer.length, snapshotSize - position);
    const { bytesRead } = await handle.read(buffer, 0, want, position);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    position += bytesRead;
    onChunk?.(chunk);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      emit(chunk.subarray(start, nl), "newline");
      start = nl + 1;
    }
    if (start < chunk.length && !oversize) {
      const rest = chunk.subarray(start);
      if (carryBytes + rest.length > MAX_LINE_BYTES) {
        oversize = true;
        carry = [];
        carryBytes = 0;
      } else {
        // Copy: the chunk buffer is not kept, but a carried piece must outlive it unchanged.
        carry.push(Buffer.from(rest));
        carryBytes += rest.length;
      }
    }
    onProgress?.(position);
  }
  if (carryBytes > 0 || oversize) emit(Buffer.alloc(0), "tail");
  return position;
}

export async function openForRead(path: string): Promise<FileHandle> {
  return open(path, "r");
}
