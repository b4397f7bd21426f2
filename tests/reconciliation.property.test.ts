import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ATTRIBUTION_BUCKETS } from "../src/audit/attribution.js";
import { DROP_STAGES } from "../src/filter/filter.js";
import { audit, writeStore } from "./helpers/store.js";

const sports = fc.constantFrom("NBA", "nfl", " nhl ", "", 3, null);
const markets = fc.constantFrom("SPREAD", "totals", "h2h", "ML", "PLAYER_POINTS", "SHARP", "", null);
const dates = fc.constantFrom("2026-03-10", "2026-03-04", "2026-03-03", "2026-03-11", "2026-01-15", "2026-02-30", "3/10/2026", null);
const preds = fc.oneof(
  fc.constant(undefined),
  fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null), fc.constant("0.5")), { maxLength: 6 }),
);

const record = fc.record(
  {
    pick_id: fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h", " ", ""),
    grade_status: fc.constantFrom("GRADED", "graded", "PENDING", null),
    result: fc.constantFrom("WIN", "loss", "PUSH", "VOID", null),
    pick_type: markets,
    sport: sports,
    home_team: fc.constantFrom("Celtics", "", null),
    away_team: fc.constantFrom("Heat", "  "),
    date_et: dates,
    values: preds,
  },
  { requiredKeys: ["pick_id"] },
);

const line = fc.oneof(
  { weight: 6, arbitrary: record.map(({ values, ...r }) => JSON.stringify(values === undefined ? r : { ...r, ai_breakdown: { raw_inputs: { model_preds: { values } } } })) },
  { weight: 1, arbitrary: fc.constantFrom("", "  ", "\t", "{oops", "[1]", "null", '"s"', "7", '{"x":1}', "\u00a0") },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** The reference reading: split on "\n", JSON.parse each line, first pick_id wins. */
function referenceCounts(text: string) {
  const counts = { record: 0, blank: 0, parse_error: 0, not_object: 0, missing_pick_id: 0, duplicate_pick_id: 0, truncated_tail: 0 };
  const lines = text.split("\n");
  const last = lines.pop()!;
  const seen = new Set<string>();
  for (const raw of lines) {
    const l = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (l.trim() === "") counts.blank++;
    else {
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        counts.parse_error++;
        continue;
      }
      if (typeof v !== "object" || v === null || Array.isArray(v)) counts.not_object++;
      else {
        const id = (v as { pick_id?: unknown }).pick_id;
        if (typeof id !== "string" || id.trim() === "") counts.missing_pick_id++;
        else if (seen.has(id)) counts.duplicate_pick_id++;
        else {
          seen.add(id);
          counts.record++;
        }
      }
    }
  }
  if (last !== "") counts.truncated_tail++;
  return counts;
}

describe("reconciliation identities over random stores (property)", () => {
  it("accounts for every line exactly once and every record in exactly one filter bucket", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom("1", "7", "all"),
        fc.constantFrom(undefined, "NBA", "nba,NFL"),
        async (lines, tail, days, sport) => {
          const text = lines.join("\n") + (tail || lines.length === 0 ? "" : "\n");
          // A JSONL test: keep a leading "[" from turning the file into a legacy array store.
          const store = writeStore(`{"pick_id":"first"}\n${text}`);
          const report = await audit(store, { days, ...(sport ? { sport } : {}) });
          const a = report.line_accounting;
          const expected = referenceCounts(`{"pick_id":"first"}\n${text}`);
          expect(a.counts).toEqual(expected);
          expect(Object.values(a.counts).reduce((x, y) => x + y, 0)).toBe(a.total_lines);
          expect(a.reconciled).toBe(true);
          const f = report.filter_preview;
          expect(f.loaded_total).toBe(a.counts.record);
          expect(f.eligible_total + DROP_STAGES.reduce((s, d) => s + f[d], 0)).toBe(f.loaded_total);
          expect(f.graded_total + f.ungraded_total).toBe(f.loaded_total);
          expect(f.assertion_passed).toBe(true);
          const q = report.data_quality;
          expect(q.total_records).toBe(a.counts.record);
          expect(q.graded_count).toBe(f.graded_total);
          expect(ATTRIBUTION_BUCKETS.reduce((s, b) => s + q.missing_model_preds_attribution[b], 0)).toBe(q.missing_model_preds_total);
          expect(Object.values(q.missing_model_preds_by_market).reduce((x, y) => x + y, 0)).toBe(q.missing_model_preds_total);
          expect(q.missing_model_preds_total + q.insufficient_model_preds + q.bad_values + q.complete_model_preds).toBe(q.total_records);
          expect(Object.values(report.distribution.by_sport).reduce((x, y) => x + y, 0)).toBe(q.total_records);
          expect(report.reconciled).toBe(true);
        },
      ),
      { numRuns: 150, seed: 20261121 },
    );
  });
});
