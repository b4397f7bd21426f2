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
