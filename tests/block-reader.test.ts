import fc from "fast-check";
import { open } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { forEachLine } from "../src/scan/block.js";
import { readBlocks } from "../src/scan/block-reader.js";
import type { LineEnd } from "../src/store/line-limits.js";
import { writeStore } from "./helpers/store.js";

async function split(content: Buffer, blockBytes: number) {
  const file = writeStore(content, "lines.bin");
  const handle = await open(file, "r");
  const lines: [string, number, LineEnd][] = [];
  const chunks: Buffer[] = [];
  try {
    const read = await readBlocks(handle, { snapshotSize: content.length, blockBytes, onChunk: (c) => chunks.push(Buffer.from(c)) }, (event) => {
      if (event.type === "block") {
        forEachLine(event.bytes, (line) => lines.push([line.toString("latin1"), lines.length + 1, "newline"]));
      } else {
        lines.push([event.type === "tail" ? Buffer.from(event.bytes).toString("latin1") : "", lines.length + 1, event.type]);
      }
    });
    return { lines, read, hashed: Buffer.concat(chunks) };
  } finally {
    await handle.close();
  }
}

/** The reference: drop a BOM at byte 0, split on \n, drop one \r before it, the rest is the tail. */
function reference(content: Buffer): [string, number, LineEnd][] {
  let text = content.toString("latin1");
  if (text.startsWith("\xef\xbb\xbf")) text = text.slice(3);
  const parts = text.split("\n");
  const tail = parts.pop()!;
  const lines: [string, number, LineEnd][] = parts.map((p, i) => [p.endsWith("\r") ? p.slice(0, -1) : p, i + 1, "newline"]);
  if (tail !== "") lines.push([tail, parts.length + 1, "tail"]);
  return lines;
}

describe("block reader", () => {
  it("splits the same way whatever the block size (block boundaries everywhere)", async () => {
    const piece = fc.constantFrom("a", "{", "}", "\n", "\r", "\r\n", "\xef\xbb\xbf", "xyz", "\n\n");
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 9 }), async (pieces, blockBytes) => {
        const content = Buffer.from(pieces.join(""), "latin1");
        const { lines, read, hashed } = await split(content, blockBytes);
        expect(lines).toEqual(reference(content));
        expect(read).toBe(content.length);
        expect(hashed.equals(content)).toBe(true);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("reads a last block shorter than the buffer without stale bytes", async () => {
    const content = Buffer.from("0123456\nabc\nde\n");
    const { lines } = await split(content, 6);
    expect(lines).toEqual([
      ["0123456", 1, "newline"],
      ["abc", 2, "newline"],
      ["de", 3, "newline"],
    ]);
  });
});

describe("block reader on a long line", () => {
  it("reads a line many blocks long in a few reads that double, not one read per block", async () => {
    const line = `{"pick_id":"long","pad":"${"x".repeat(1 << 20)}"}`; // 1 MiB + 27 bytes
    const content = Buffer.from(`{"pick_id":"a"}\n${line}\n{"pick_id":"b"}\n`);
    const file = writeStore(content, "long.jsonl");
    const handle = await open(file, "r");
    const reads: number[] = [];
    const read = handle.read.bind(handle);
    // Every read's length, as readBlocks asks for it.
    handle.read = ((buffer: Uint8Array, offset: number, length: number, position: number) => {
      reads.push(length);
      return read(buffer, offset, length, position);
    }) as typeof handle.read;
    const blocks: string[][] = [];
    try {
      await readBlocks(handle, { snapshotSize: content.length, blockBytes: 1024 }, (event) => {
        if (event.type === "block") {
          const lines: string[] = [];
          forEachLine(event.bytes, (l) => lines.push(l.length > 40 ? `${l.length} bytes` : l.toString("latin1")));
          blocks.push(lines);
        }
      });
    } finally {
      await handle.close();
    }
    expect(blocks.flat()).toEqual(['{"pick_id":"a"}', `${line.length} bytes`, '{"pick_id":"b"}']);
    // The BOM probe (3 bytes), a first block of 1 KiB (1,008 bytes of the long line carried), then each
    // read as long as what is carried, doubling it, until the newline is in: 13 reads in all, where one
    // read per KiB would be over a thousand.
    const expected = [3, 1024];
    for (let carried = 1024 - 16; expected.reduce((a, b) => a + b, 0) - 3 <= 16 + line.length; ) {
      const next = Math.min(Math.max(1024, carried), content.length - (expected.reduce((a, b) => a + b, 0) - 3));
      expected.push(next);
      carried += next;
    }
    expect(reads).toEqual(expected);
    expect(reads).toHaveLength(13);
  });
});
