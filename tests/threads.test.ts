import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { auditStore } from "../src/audit/audit-store.js";
import { resolveFilterOptions } from "../src/filter/filter-options.js";
import { generateFixtures } from "../src/fixtures/generate.js";
import { collectEligible } from "../src/train/collect-eligible.js";
import { canScanRanges, loadNativeScanner } from "../src/scan/native.js";
import { readPicks } from "../src/store/record-source.js";
import { readFailure } from "../src/store/open-input.js";
import { InputError } from "../src/errors.js";
import { open } from "node:fs/promises";
import { ROOT } from "./helpers/cli.js";
import { gamePick, jsonl, tempDir, writeStore } from "./helpers/store.js";

const filter = resolveFilterOptions({ asOf: "2026-11-20", days: "all" });

async function auditWith(store: string, threads: number, blockBytes?: number) {
  const grades = path.join(path.dirname(store), "graded_picks.jsonl");
  const report = await auditStore({
    store: { path: store, source: "test" },
    grades: readdirSync(path.dirname(store)).includes("graded_picks.jsonl") ? { path: grades, source: "test" } : null,
    filter,
    threads,
    ...(blockBytes ? { blockBytes } : {}),
    now: new Date("2026-11-21T12:00:00Z"),
  });
  return report;
}

async function stores(): Promise<string[]> {
  const out: string[] = [path.join(ROOT, "fixtures/store/predictions.jsonl")];
  for (const [records, seed, recordBytes] of [[300, 1, 4096], [1000, 2, 12000], [50, 3, 2048]] as const) {
    out.push((await generateFixtures({ records, seed, recordBytes, outDir: tempDir() })).storePath);
  }
  const huge = `{"pick_id":"big","pad":"${"x".repeat(300_000)}"}`;
  out.push(writeStore(`\ufeff${jsonl([gamePick({ pick_id: "a" })])}\r\n\n${huge}\n{bad\n${jsonl([gamePick({ pick_id: "a" }), gamePick({ pick_id: "b" })])}{"pick_id":"t"`));
  out.push(writeStore(""));
  out.push(writeStore("no newline at all"));
  return out;
}

describe("scanning on the main thread, one worker or several gives exactly the same numbers", () => {
  it("for audit-store, on every kind of store, whatever the block size", async () => {
    for (const store of await stores()) {
      const one = await auditWith(store, 0);
      // Tiny blocks put boundaries inside every line; they are slow, so only on the smaller stores.
      const small = one.store_provenance.size_bytes < 2_000_000;
      const variants = small
        ? ([[1, undefined], [2, undefined], [2, 4096], [3, 65536], [0, 1000]] as const)
        : ([[2, undefined], [1, 262144]] as const);
      for (const [threads, blockBytes] of variants) {
        const other = await auditWith(store, threads, blockBytes);
        expect(other.store_provenance.threads).toBe(threads);
        expect({ ...other, store_provenance: { ...other.store_provenance, threads: 0 } }, `${store} threads=${threads} block=${blockBytes}`).toEqual(one);
      }
    }
  });

  it("for train's read-and-filter pass, sample ids and SHA-256 included", async () => {
    for (const store of (await stores()).slice(0, 3)) {
      const run = (threads: number) =>
        collectEligible({ store: { path: store, source: "test" }, grades: null, volumeMountPath: null, filter, threads });
      const [one, two] = [await run(0), await run(2)];
      expect(two.telemetry).toEqual(one.telemetry);
      expect({ ...two.reading, provenance: { ...two.reading.provenance, threads: 0 } }).toEqual(one.reading);
      expect(two.eligible).toEqual(one.eligible);
      expect(one.reading.provenance.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe("scanning threads that read the store themselves (through a mapping)", () => {
  it.skipIf(process.env.ENGINE1_SCANNER === "js")("are what the comparisons above run on this platform", () => {
    expect(canScanRanges(loadNativeScanner())).toBe(true);
  });

  it.skipIf(!canScanRanges(loadNativeScanner()))("stop at the first error while merging, with the error, once every range out is back", async () => {
    const store = (await generateFixtures({ records: 400, seed: 5, recordBytes: 4096, outDir: tempDir() })).storePath;
    const handle = await open(store, "r");
    let records = 0;
    try {
      const size = (await handle.stat()).size;
      const reading = readPicks(handle, { size, threads: 2, blockBytes: 16384 }, {
        record: () => {
          records += 1;
          if (records === 30) throw new Error("stop at record 30");
        },
        other: () => undefined,
      });
      await expect(reading).rejects.toThrow("stop at record 30");
    } finally {
      await handle.close();
    }
    expect(records).toBe(30);
  });

  it.skipIf(!canScanRanges(loadNativeScanner()))("turn a store that shrank below its snapshot size into one input error", async () => {
    const store = writeStore(jsonl([gamePick({ pick_id: "a" }), gamePick({ pick_id: "b" })]));
    const handle = await open(store, "r");
    let thrown: unknown = null;
    try {
      // As if the file had been cut short after it was opened: the snapshot says 200 KB more.
      const size = (await handle.stat()).size + 200_000;
      await readPicks(handle, { size, threads: 2 }, { record: () => undefined, other: () => undefined });
    } catch (error) {
      thrown = readFailure("store", store, error);
    } finally {
      await handle.close();
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).exitCode).toBe(2);
    expect((thrown as Error).message).toBe(`cannot read store ${store}: the file shrank while it was being read (it is read as it was when opened)`);
  });
});
