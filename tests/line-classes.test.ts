import { appendFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_LINE_BYTES } from "../src/store/line-limits.js";
import { readPicks, writeStore } from "./helpers/store.js";

const zero = { record: 0, blank: 0, parse_error: 0, not_object: 0, missing_pick_id: 0, duplicate_pick_id: 0, truncated_tail: 0 };

async function classes(content: string | Buffer) {
  const { reading, picks } = await readPicks(writeStore(content));
  return { ...reading.line_accounting, picks, format: reading.provenance.format };
}

describe("line classes (SPEC 3)", () => {
  it("puts each kind of line in exactly one class and reconciles", async () => {
    const content = [
      '{"pick_id":"a"}',
      "",
      "   \t ",
      "{not json",
      "[1,2]",
      '"text"',
      "42",
      "null",
      '{"pick_id":""}',
      '{"pick_id":"   "}',
      '{"pick_id":7}',
      '{"other":1}',
      '{"pick_id":"a","again":true}',
      '{"pick_id":"b"}',
    ].join("\n") + "\n";
    const r = await classes(content);
    expect(r.counts).toEqual({ ...zero, record: 2, blank: 2, parse_error: 1, not_object: 4, missing_pick_id: 4, duplicate_pick_id: 1 });
    expect(r.total_lines).toBe(14);
    expect(r.reconciled).toBe(true);
    expect(r.first_bad_lines).toEqual({
      parse_error: [4],
      not_object: [5, 6, 7, 8],
      missing_pick_id: [9, 10, 11, 12],
      duplicate_pick_id: [13],
      truncated_tail: [],
    });
    expect(r.picks.map((p) => [p.pickId, p.position])).toEqual([["a", 1], ["b", 14]]);
  });

  it("keeps only the first five line numbers of a bad class", async () => {
    const r = await classes("x\n".repeat(8));
    expect(r.counts.parse_error).toBe(8);
    expect(r.first_bad_lines.parse_error).toEqual([1, 2, 3, 4, 5]);
  });

  it("treats a last line without newline as truncated_tail, whatever it holds", async () => {
    expect((await classes('{"pick_id":"a"}\n{"pick_id":"b"}')).counts).toEqual({ ...zero, record: 1, truncated_tail: 1 });
    expect((await classes('{"pick_id":"a"}\n{"pick_')).first_bad_lines.truncated_tail).toEqual([2]);
    expect((await classes('{"pick_id":"a"}\n   ')).counts).toEqual({ ...zero, record: 1, truncated_tail: 1 });
    expect((await classes('{"pick_id":"a"}\n')).counts).toEqual({ ...zero, record: 1 });
  });

  it("counts an empty file as zero lines, reconciled", async () => {
    const r = await classes("");
    expect(r.total_lines).toBe(0);
    expect(r.counts).toEqual(zero);
    expect(r.reconciled).toBe(true);
  });

  it("accepts a BOM at byte 0 only, and CRLF line ends", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const r = await classes(Buffer.concat([bom, Buffer.from('{"pick_id":"a"}\r\n{"pick_id":"b"}\r\n\r\n')]));
    expect(r.counts).toEqual({ ...zero, record: 2, blank: 1 });
    // A BOM that starts line 2 is not at byte 0: JSON.parse rejects it.
    const later = await classes(Buffer.concat([Buffer.from('{"pick_id":"a"}\n'), bom, Buffer.from('{"pick_id":"b"}\n')]));
    expect(later.counts).toEqual({ ...zero, record: 1, parse_error: 1 });
  });

  it("drops only one \\r before the newline", async () => {
    const r = await classes('{"pick_id":"a"}\r\r\n');
    // "\r" is JSON whitespace, so the remaining one is still valid JSON.
    expect(r.counts).toEqual({ ...zero, record: 1 });
  });

  it("reads whitespace as String.prototype.trim does", async () => {
    const r = await classes("\u00a0\u2003\ufeff\n\v\f\n");
    expect(r.counts).toEqual({ ...zero, blank: 2 });
  });

  it("counts invalid UTF-8 as a parse error, even inside a string", async () => {
    const bad = Buffer.concat([Buffer.from('{"pick_id":"a","team":"'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    const surrogate = Buffer.concat([Buffer.from('{"pick_id":"b","x":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}\n')]);
    const r = await classes(Buffer.concat([bad, surrogate, Buffer.from('{"pick_id":"c"}\n')]));
    expect(r.counts).toEqual({ ...zero, record: 1, parse_error: 2 });
    expect(r.first_bad_lines.parse_error).toEqual([1, 2]);
  });

  it("follows JSON.parse strictly: NaN, trailing commas and single quotes are parse errors", async () => {
    const r = await classes(['{"pick_id":"a","v":NaN}', '{"pick_id":"b",}', "{'pick_id':'c'}", '{"pick_id":"d","v":1e400}'].join("\n") + "\n");
    expect(r.counts).toEqual({ ...zero, parse_error: 3, record: 1 });
  });

  it("keeps the last value of a duplicated key, as JSON.parse does", async () => {
    const r = await classes('{"pick_id":"","pick_id":"x"}\n{"pick_id":"y","pick_id":""}\n');
    expect(r.counts).toEqual({ ...zero, record: 1, missing_pick_id: 1 });
  });

  it("reads a valid line of 50 MiB as a record, here and on scanning threads (their heap has room for it)", async () => {
    const store = writeStore(`{"pick_id":"a"}\n{"pick_id":"big","notes":"${"z".repeat(50 * 1024 * 1024)}"}\n{"pick_id":"b"}\n`);
    for (const threads of [0, 2]) {
      const { reading, picks } = await readPicks(store, null, threads);
      expect(reading.line_accounting.counts, `threads=${threads}`).toEqual({ ...zero, record: 3 });
      expect(picks.map((p) => p.pickId)).toEqual(["a", "big", "b"]);
    }
  });

  it("makes a line over 64 MiB a parse error without failing the read, read here or by scanning threads", async () => {
    const huge = `{"pick_id":"big","pad":"${"x".repeat(MAX_LINE_BYTES)}"}`;
    const store = writeStore(`{"pick_id":"a"}\n${huge}\n{"pick_id":"b"}\n${huge}`);
    for (const threads of [0, 2]) {
      const { reading, picks } = await readPicks(store, null, threads);
      expect(reading.line_accounting.counts, `threads=${threads}`).toEqual({ ...zero, record: 2, parse_error: 1, truncated_tail: 1 });
      expect(reading.line_accounting.first_bad_lines.parse_error).toEqual([2]);
      expect(picks.map((p) => [p.pickId, p.position])).toEqual([["a", 1], ["b", 3]]);
    }
  });

  it("reads a legacy JSON array store element by element", async () => {
    const r = await classes(' [ {"pick_id":"a"}, {"pick_id":"a"}, [1], {"x":1},\n {"pick_id":"b","s":"],[{"} ]\n');
    expect(r.format).toBe("json-array");
    expect(r.counts).toEqual({ ...zero, record: 2, duplicate_pick_id: 1, not_object: 1, missing_pick_id: 1 });
    expect(r.first_bad_lines).toEqual({ parse_error: [], not_object: [2], missing_pick_id: [3], duplicate_pick_id: [1], truncated_tail: [] });
    expect(r.picks.map((p) => p.position)).toEqual([0, 4]);
    const empty = await classes("\ufeff[]\n");
    expect(empty.format).toBe("json-array");
    expect(empty.total_lines).toBe(0);
  });

  it("reads a JSONL file whose first line starts with [ as JSONL", async () => {
    const r = await classes('[1,2]\n{"pick_id":"a"}\n');
    expect(r.format).toBe("jsonl");
    expect(r.counts).toEqual({ ...zero, record: 1, not_object: 1 });
    const broken = await classes('[{"pick_id":"a"},\n{"pick_id":"b"}\n');
    expect(broken.format).toBe("jsonl");
    expect(broken.counts).toEqual({ ...zero, parse_error: 1, record: 1 });
  });

  it("reads the snapshot that existed when the file was opened, not later appends", async () => {
    const store = writeStore('{"pick_id":"a"}\n{"pick_id":"b"}\n{"pick_id":"c"}\n');
    const { reading, picks } = await readPicks(store).then(async (first) => {
      appendFileSync(store, '{"pick_id":"late"}\n');
      return first;
    });
    expect(picks.map((p) => p.pickId)).toEqual(["a", "b", "c"]);
    expect(reading.provenance.bytes_read).toBe(48);
    const appendWhileReading = writeStore('{"pick_id":"a"}\n{"pick_id":"b"}\n');
    const ids: string[] = [];
    const { readStore } = await import("../src/store/read-store.js");
    const during = await readStore({
      store: { path: appendWhileReading, source: "test" },
      grades: null,
      onPick: (p) => {
        ids.push(p.pickId);
        appendFileSync(appendWhileReading, '{"pick_id":"late"}\n{"pick_');
      },
    });
    expect(ids).toEqual(["a", "b"]);
    expect(during.line_accounting.total_lines).toBe(2);
    expect(during.provenance.size_bytes).toBe(32);
  });
});
