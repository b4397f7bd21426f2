import { describe, expect, it } from "vitest";
import { batchRecords, PickBatchReader } from "../src/scan/pick-batch.js";
import type { PickBatch } from "../src/scan/pick-batch.js";
import { scanInMode } from "../src/scan/scan-pool.js";
import { sampleLines } from "../src/scan/warm-up.js";

describe("the scanning threads' warm-up sample", () => {
  const lines = sampleLines();
  const batch = scanInMode(Buffer.from(`${lines.join("\n")}\n`), "picks") as PickBatch;
  const reader = new PickBatchReader(batch);
  const picks = Array.from({ length: batchRecords(batch) }, (_, r) => reader.decode(r, r + 1));

  it("is 48 records, each read as a record", () => {
    expect(lines).toHaveLength(48);
    expect([...batch.kinds]).toEqual(new Array(48).fill(0));
    expect(picks.map((p) => p.pickId)).toEqual(lines.map((_, i) => `warm-${i}`));
  });

  it("takes every branch the per-record code has on the way to a pick", () => {
    const count = (values: unknown[]) => Object.fromEntries([...new Set(values.map(String))].sort().map((v) => [v, values.filter((x) => String(x) === v).length]));
    // Derived from sampleLines' construction (record i of 0–47):
    // raw_inputs {} when i % 5 = 1 (10), else values [i % 4]: 4 numbers, one, not numbers, null.
    expect(count(picks.map((p) => p.preds.status))).toEqual({ bad: 9, insufficient: 9, missing: 20, ok: 10 });
    // market floor(i / 3) % 6: spreads, Totals, h2h, player_points 9 each; futures, MONEYLINE 6 each.
    expect(count(picks.map((p) => p.marketClass))).toEqual({ game: 33, other: 6, prop: 9 });
    expect(count(picks.map((p) => p.gameMarket))).toEqual({ MONEYLINE: 15, SPREAD: 9, TOTAL: 9, null: 15 });
    expect(count(picks.map((p) => p.marketLabel !== null && p.pickType === null))).toEqual({ false: 32, true: 16 });
    // date_et null when i % 4 = 0 (and no created_at: no date), a valid date_et otherwise.
    expect(count(picks.map((p) => p.date)).null).toBe(12);
    expect(picks.filter((p) => p.date !== null)).toHaveLength(36);
    // error i % 11 = 0, fallback i % 13 = 0, TIMEOUT i % 10 = 0, scoring timeout i % 12 = 2: 15 distinct.
    expect(count(picks.map((p) => p.predsErrorPath))).toEqual({ false: 33, true: 15 });
    // HEURISTIC_FALLBACK i % 8 = 0, heuristic_deterministic i % 9 = 0: 11 distinct.
    expect(count(picks.map((p) => p.predsHeuristic))).toEqual({ false: 37, true: 11 });
    expect(count(picks.map((p) => p.rawInputsEmpty))).toEqual({ false: 38, true: 10 });
    expect(count(picks.map((p) => p.homeScore === null))).toEqual({ false: 24, true: 24 });
    expect(count(picks.map((p) => p.sport))).toEqual({ NBA: 10, NFL: 38 });
    expect(picks.filter((p) => p.homeTeam === "Montréal")).toHaveLength(7);
    expect(picks.filter((p) => /^10\d\d$/.test(p.eventId ?? ""))).toHaveLength(8);
  });
});
