import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readElementsAt, readLinesAt } from "../src/store/read-lines.js";
import { readStore } from "../src/store/read-store.js";
import { ROOT } from "./helpers/cli.js";
import { writeStore } from "./helpers/store.js";

const STORE = `${ROOT}fixtures/store/predictions.jsonl`;
const size = (file: string): number => statSync(file).size;
const ids = (found: Map<number, Record<string, unknown>>): Record<number, unknown> =>
  Object.fromEntries([...found].map(([line, object]) => [line, object.pick_id]));

describe("readLinesAt", () => {
  const lines = ['{"pick_id":"a"}', "not json", '{"pick_id":"c"}', "", "[1,2]", '{"pick_id":"f","n":6}'];
  const file = writeStore(`${lines.join("\n")}\n`);

  it("parses exactly the wanted lines; a wanted line that is not a JSON object is absent", async () => {
    const found = await readLinesAt(file, size(file), [1, 2, 3, 4, 5, 6, 9]);
    expect(ids(found)).toEqual({ 1: "a", 3: "c", 6: "f" });
    expect(found.get(6)).toEqual({ pick_id: "f", n: 6 });
    expect(ids(await readLinesAt(file, size(file), [3]))).toEqual({ 3: "c" });
    expect((await readLinesAt(file, size(file), [])).size).toBe(0);
  });

  it("counts lines the same at every block size, boundaries anywhere in a line", async () => {
    for (const blockBytes of [1, 2, 3, 5, 7, 16, 64]) {
      expect(ids(await readLinesAt(file, size(file), [1, 3, 6], { blockBytes }))).toEqual({ 1: "a", 3: "c", 6: "f" });
    }
  });

  it("skips a BOM at byte 0, also when blocks are smaller than it", async () => {
    const bom = writeStore(`\uFEFF{"pick_id":"x"}\n{"pick_id":"y"}\n`);
    for (const blockBytes of [1, 2, 4, 1024]) {
      expect(ids(await readLinesAt(bom, size(bom), [1, 2], { blockBytes }))).toEqual({ 1: "x", 2: "y" });
    }
  });

  it("reads \\r\\n line ends, and a last line without a newline", async () => {
    const crlf = writeStore('{"pick_id":"x"}\r\n\r\n{"pick_id":"z"}\r\n{"pick_id":"tail"}');
    for (const blockBytes of [3, 1024]) {
      expect(ids(await readLinesAt(crlf, size(crlf), [1, 2, 3, 4], { blockBytes }))).toEqual({ 1: "x", 3: "z", 4: "tail" });
    }
  });

  it("reads only the snapshot: a line appended after it is not there", async () => {
    const text = '{"pick_id":"a"}\n{"pick_id":"b"}\n';
    const appended = writeStore(`${text}{"pick_id":"later"}\n`);
    expect(ids(await readLinesAt(appended, Buffer.byteLength(text), [1, 2, 3]))).toEqual({ 1: "a", 2: "b" });
  });

  it("numbers lines as the store reader numbers its picks (the fixture store: BOM, CRLF, bad UTF-8, blank lines, a tail)", async () => {
    const positions = new Map<number, string>();
    const reading = await readStore({ store: { path: STORE, source: "test" }, grades: null, onPick: (p) => positions.set(p.position, p.pickId) });
    expect(positions.size).toBe(reading.line_accounting.counts.record);
    for (const blockBytes of [4096, 100_000]) {
      const found = await readLinesAt(STORE, reading.provenance.bytes_read, positions.keys(), { blockBytes });
      expect(ids(found)).toEqual(Object.fromEntries(positions));
    }
  });
});

describe("readElementsAt", () => {
  it("the objects at the given 0-based indexes of a JSON-array store", async () => {
    const file = writeStore('[{"pick_id":"a"}, 7, {"pick_id":"c"}]', "legacy.json");
    expect(ids(await readElementsAt(file, size(file), [0, 1, 2]))).toEqual({ 0: "a", 2: "c" });
  });
});
