import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { auditStore } from "../src/audit/audit-store.js";
import { resolveFilterOptions } from "../src/filter/filter-options.js";
import type { AuditReport } from "../src/schemas/audit-report.js";
import { ANOMALY_KINDS, type AnomalyCounts } from "../src/fixtures/anomaly-counts.js";
import { generateFixtures, type GenerateOptions, type GenerateResult } from "../src/fixtures/generate.js";
import type { FixtureManifest } from "../src/fixtures/manifest.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "engine1-fixtures-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function generate(options: Omit<GenerateOptions, "outDir">): Promise<GenerateResult> {
  return generateFixtures({ ...options, outDir: await tempDir() });
}

async function sha256(file: string): Promise<string> {
  return createHash("sha256").update(await readFile(file)).digest("hex");
}

async function audit(result: GenerateResult, sport?: string): Promise<AuditReport> {
  return auditStore({
    store: { path: result.storePath, source: "test" },
    grades: { path: result.gradesPath, source: "test" },
    filter: resolveFilterOptions({ asOf: result.manifest.options.endDate, days: "all", ...(sport ? { sport } : {}) }),
    now: new Date(0),
  });
}

const accounting = (a: AuditReport["line_accounting"]) => ({ total_lines: a.total_lines, counts: a.counts, first_bad_lines: a.first_bad_lines });

function filterCounts(t: AuditReport["filter_preview"]) {
  return {
    as_of: t.as_of, window_days: t.window_days, sport: t.sport,
    loaded_total: t.loaded_total, graded_total: t.graded_total, ungraded_total: t.ungraded_total,
    drop_no_grade: t.drop_no_grade, drop_no_result: t.drop_no_result, drop_wrong_market: t.drop_wrong_market,
    drop_missing_required: t.drop_missing_required, drop_outside_window: t.drop_outside_window, drop_wrong_sport: t.drop_wrong_sport,
    eligible_total: t.eligible_total, sample_pick_ids: t.sample_pick_ids,
  };
}

/** Every count the manifest states must be the audit's, compared as whole objects. */
async function expectAuditAgrees(result: GenerateResult): Promise<AuditReport> {
  const m: FixtureManifest = result.manifest;
  const [all, nba] = await Promise.all([audit(result), audit(result, "NBA")]);
  expect(all.reconciled).toBe(true);
  expect(nba.reconciled).toBe(true);
  expect(all.line_accounting.reconciled).toBe(true);
  expect(all.store_provenance.format).toBe(m.format);
  expect(all.store_provenance.size_bytes).toBe(m.files.store_bytes);
  expect(all.grade_overlay.size_bytes).toBe(m.files.grades_bytes);
  expect(accounting(all.line_accounting)).toEqual(m.line_accounting);
  const o = all.grade_overlay;
  expect({
    line_accounting: accounting(o.line_accounting),
    grade_records: o.grade_records,
    superseded: o.superseded,
    applied: o.applied,
    orphaned: o.orphaned,
  }).toEqual(m.grade_overlay);
  expect(all.data_quality).toEqual(m.data_quality);
  expect(all.distribution).toEqual(m.distribution);
  expect(all.eligible_timestamp_range).toEqual(m.eligible_timestamp_range);
  expect(filterCounts(all.filter_preview)).toEqual(m.filter_all);
  expect(filterCounts(nba.filter_preview)).toEqual(m.filter_sport);
  expect(all.preds_introduced).toBe(m.preds_introduced);
  return all;
}

const CUSTOM: Partial<AnomalyCounts> = {
  blank: 8, crlf: 5, parse_error: 13, invalid_utf8: 6, not_object: 9, missing_pick_id: 10, duplicate_pick_id: 6,
  truncated_tail: 1, bom: 1, future_dates: 4, bad_values: 9, insufficient_values: 8, extra_values: 3, error_path: 10,
  heuristic_fallback: 6, empty_raw_inputs: 4, unknown_preds: 4, wrong_types: 13, bad_dates: 12, nested_nulls: 14,
  date_fallback: 6, grade_bad_lines: 10, grade_superseded: 5, grade_orphans: 3, grade_blank: 4,
};

describe("fixture generator: determinism", () => {
  it("writes byte-identical files for the same options, and different bytes for another seed", async () => {
    const options = { records: 250, seed: 42, recordBytes: 2048 };
    const [a, b, c] = await Promise.all([generate(options), generate(options), generate({ ...options, seed: 43 })]);
    for (const key of ["storePath", "gradesPath", "manifestPath"] as const) {
      expect(await sha256(a[key])).toBe(await sha256(b[key]));
    }
    expect(await sha256(c.storePath)).not.toBe(await sha256(a.storePath));
    expect(await sha256(c.gradesPath)).not.toBe(await sha256(a.gradesPath));
    expect(JSON.parse(await readFile(a.manifestPath, "utf8"))).toEqual(a.manifest);
    expect(a.manifest.files.store_sha256).toBe(await sha256(a.storePath));
  });
});

describe("fixture generator: the manifest is what audit-store reports", () => {
  it("300 records, default anomalies: at least one of every kind, all counts agree", async () => {
    const result = await generate({ records: 300, seed: 1 });
    for (const kind of ANOMALY_KINDS) expect(result.manifest.anomalies.placed[kind], kind).toBeGreaterThanOrEqual(1);
    const report = await expectAuditAgrees(result);
    const q = report.data_quality;
    for (const bucket of Object.values(q.missing_model_preds_attribution)) expect(bucket).toBeGreaterThan(0);
    expect(q.bad_values).toBeGreaterThan(0);
    expect(q.extra_values).toBeGreaterThan(0);
    expect(q.insufficient_model_preds).toBeGreaterThan(0);
    expect(report.filter_preview.drop_outside_window).toBeGreaterThan(0);
    expect(report.filter_preview.eligible_total).toBeGreaterThan(0);
  });

  it("1000 records of about 12 KB: counts agree and lines average recordBytes within 15 %", async () => {
    const result = await generate({ records: 1000, seed: 2, recordBytes: 12000 });
    const m = result.manifest;
    await expectAuditAgrees(result);
    const average = m.files.store_bytes / m.line_accounting.total_lines;
    expect(Math.abs(average - 12000) / 12000).toBeLessThan(0.15);
  });

  it("anomalies none: a clean store, every line a record, every count agrees", async () => {
    const result = await generate({ records: 500, seed: 3, anomalies: "none", endDate: "2026-06-30", spanDays: 200 });
    const m = result.manifest;
    await expectAuditAgrees(result);
    expect(m.line_accounting.total_lines).toBe(500);
    expect(m.line_accounting.counts.record).toBe(500);
    expect(m.grade_overlay.line_accounting.total_lines).toBe(m.grade_overlay.grade_records);
    expect(m.data_quality.missing_model_preds_attribution.unknown).toBe(0);
    const average = m.files.store_bytes / m.line_accounting.total_lines;
    expect(Math.abs(average - 4096) / 4096).toBeLessThan(0.15);
  });

  it("explicit anomaly counts are planted exactly", async () => {
    const result = await generate({ records: 400, seed: 4, anomalies: CUSTOM, recordBytes: 3000 });
    const m = result.manifest;
    for (const kind of ANOMALY_KINDS) expect(m.anomalies.placed[kind], kind).toBe(CUSTOM[kind] ?? 0);
    await expectAuditAgrees(result);
    const c = m.line_accounting.counts;
    expect(c.parse_error).toBe(13 + 6);
    expect([c.not_object, c.missing_pick_id, c.duplicate_pick_id, c.truncated_tail, c.blank]).toEqual([9, 10, 6, 1, 8]);
    expect(m.grade_overlay.superseded).toBe(5);
    expect(m.grade_overlay.orphaned).toBe(3);
  });

  it("many anomalies of every kind, around both DST changes and at month/day >= 10, agree", async () => {
    const heavy = (n: number): Partial<AnomalyCounts> =>
      Object.fromEntries(ANOMALY_KINDS.map((k) => [k, k === "truncated_tail" || k === "bom" ? 1 : n]));
    for (const [seed, endDate, spanDays] of [[21, "2026-12-31", 90], [22, "2026-03-20", 60], [23, "2026-11-10", 30]] as const) {
      const result = await generate({ records: 800, seed, endDate, spanDays, recordBytes: 600, anomalies: heavy(30) });
      for (const kind of ANOMALY_KINDS) expect(result.manifest.anomalies.placed[kind], kind).toBe(heavy(30)[kind]);
      await expectAuditAgrees(result);
    }
  });

  it("several seeds and date ranges agree too", async () => {
    for (const [seed, endDate, spanDays] of [[11, "2026-02-20", 60], [12, "2027-01-05", 500], [13, "2026-11-20", 30], [14, "2025-06-01", 365]] as const) {
      await expectAuditAgrees(await generate({ records: 220, seed, endDate, spanDays, recordBytes: 1500 }));
    }
  });

  it("stores with no records: only bad lines, never mistaken for a legacy array store", async () => {
    const only = await generate({ records: 0, seed: 5, anomalies: { blank: 3, not_object: 9, parse_error: 13, invalid_utf8: 2, missing_pick_id: 4, truncated_tail: 1, bom: 1, grade_orphans: 2, grade_bad_lines: 3 } });
    const report = await expectAuditAgrees(only);
    expect(report.line_accounting.counts.record).toBe(0);
    expect(only.manifest.grade_overlay.orphaned).toBe(2);
    const empty = await generate({ records: 0, seed: 5, anomalies: "none" });
    expect(empty.manifest.files.store_bytes).toBe(0);
    await expectAuditAgrees(empty);
  });
});

describe("fixture generator: records look like the scorer's output", () => {
  it("game picks carry four model_preds in (0,1) from 2026-02-09, none before 2026-02-01; props have no pick_type", async () => {
    const result = await generate({ records: 300, seed: 6, anomalies: "none", recordBytes: 1500 });
    const lines = (await readFile(result.storePath, "utf8")).split("\n").filter((l) => l !== "");
    let games = 0;
    let props = 0;
    for (const line of lines) {
      const r = JSON.parse(line) as Record<string, any>;
      const values = r.ai_breakdown?.raw_inputs?.model_preds?.values;
      const isProp = /^(player|pitcher|batter)_|prop/i.test(String(r.market)) && !("pick_type" in r);
      if (isProp) {
        props += 1;
        expect(values).toBeUndefined();
      } else if (["SPREAD", "SPREADS", "TOTAL", "TOTALS", "MONEYLINE", "MONEYLINES", "ML", "H2H"].includes(String(r.pick_type ?? r.market).trim().toUpperCase())) {
        games += 1;
        if (r.date_et >= "2026-02-09") {
          expect(values).toHaveLength(4);
          for (const v of values) expect(v > 0 && v < 1).toBe(true);
        }
        if (r.date_et < "2026-02-01") expect(values).toBeUndefined();
      }
    }
    expect(games).toBeGreaterThan(100);
    expect(props).toBeGreaterThan(20);
  });

  it("refuses explicit counts that cannot fit", async () => {
    await expect(generate({ records: 0, seed: 1, anomalies: { duplicate_pick_id: 1 } })).rejects.toThrow(RangeError);
    await expect(generate({ records: 10, seed: 1, anomalies: { crlf: 11 } })).rejects.toThrow(RangeError);
    await expect(generate({ records: 10, seed: 1, anomalies: { bom: 2 } })).rejects.toThrow(RangeError);
  });
});
