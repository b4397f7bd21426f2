/**
 * The store's records take a shortcut to their picks: normalised on the scanning threads, sent
 * to the main thread in a compact form (src/scan/pick-batch.ts), graded there from a compact,
 * pre-normalised grade index (src/store/grade-overlay.ts). This checks that shortcut against the
 * definition, written out here the long way: JSON.parse every line, keep the first record of each
 * pick_id, copy the fields of the last grade record of its pick_id (applyGrade), normalizePick.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyLine } from "../src/store/classify-line.js";
import { applyGradeToPick, normalizePick, type Pick } from "../src/store/normalize.js";
import { applyGrade, extractRawPick, type GradeValues } from "../src/store/pick.js";
import { readStore } from "../src/store/read-store.js";
import { tempDir, writeStore } from "./helpers/store.js";

const label = fc.constantFrom<unknown>(
  "GRADED",
  " graded ",
  "Win",
  "loss",
  "PUSH",
  "",
  "  ",
  "\u00a0void\u2003",
  "ß",
  "ﬁx",
  "Ünïcödé",
  null,
  0,
  -0,
  7.5,
  true,
  [],
  {},
  ["WIN"],
);
const market = fc.constantFrom<unknown>("SPREAD", "spreads", " ML ", "h2h", "Totals", "player_points", "PITCHER_K", "alt_prop", "SHARP", "", null, 3);
const text = fc.constantFrom<unknown>("Boston Celtics", " Miami Heat ", "", "   ", "Zürich", "東京", null, 12, false);
const date = fc.constantFrom<unknown>("2026-03-10", " 2026-02-29 ", "2024-02-29", "2026-13-01", "2026-3-1", "", null, 20260310);
const stamp = fc.constantFrom<unknown>(
  "2026-03-10T23:30:00-05:00",
  "2026-03-11T03:30:00Z",
  "2026-03-10 07:00",
  "2026-03-10T24:00:00",
  "2026-03-10T12:00:00+14:00",
  "not a date",
  null,
  5,
);
const score = fc.constantFrom<unknown>(0, -0, 101, 99.5, -3, 1e308, "100", null, true, [1]);
const preds = fc.constantFrom<unknown>(
  [0.5, 0.6, 0.55, 0.52],
  [0.5, 0.6, 0.55, 0.52, 0.9],
  [0.5, 0.6],
  [],
  [0.5, "0.6", 0.55, 0.52],
  [-0, 0, 1, 1],
  null,
  "values",
  { a: 1 },
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });
const pickIds = fc.constantFrom("a", "b", " c", "d", "e", "f", "g", "h", "é", "0");

const record = fc.record(
  {
    pick_id: pickIds,
    grade_status: optional(label),
    result: optional(label),
    pick_type: optional(market),
    market: optional(market),
    sport: optional(label),
    home_team: optional(text),
    away_team: optional(text),
    date_et: optional(date),
    created_at: optional(stamp),
    persisted_at_et: optional(stamp),
    event_id: optional(fc.constantFrom<unknown>("nba_1", " ", 42, -0, 1.5, null)),
    actual_home_score: optional(score),
    actual_away_score: optional(score),
    ai_mode: optional(fc.constantFrom<unknown>("HEURISTIC_FALLBACK", "ai", null)),
    ai_breakdown: optional(
      fc.record(
        {
          error: optional(fc.constantFrom<unknown>(null, false, true, "boom", 0, {})),
          model_status: optional(fc.constantFrom<unknown>("ok", " timeout ", null)),
          ai_mode: optional(fc.constantFrom<unknown>("heuristic_deterministic", "AI")),
          raw_inputs: optional(fc.oneof(fc.constant<unknown>(null), fc.constant({}), fc.record({ model_preds: optional(fc.record({ values: optional(preds) }, { requiredKeys: [] })) }, { requiredKeys: [] }))),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ["pick_id"] },
);
const grade = fc.record(
  {
    pick_id: pickIds,
    grade_status: optional(label),
    result: optional(label),
    actual_home_score: optional(score),
    actual_away_score: optional(score),
    graded_at: optional(fc.constant("2026-03-11T06:00:00Z")),
  },
  { requiredKeys: ["pick_id"] },
);
const line = fc.oneof(
  { weight: 8, arbitrary: record.map((r) => JSON.stringify(r)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "{bad",
      "[1]",
      '{"x":1}',
      // What JSON.stringify never writes: negative zeros, numbers beyond double range.
      '{"pick_id":"z","pick_type":"ml","actual_home_score":-0,"ai_breakdown":{"raw_inputs":{"model_preds":{"values":[-0,0.5,-0.0,2]}}}}',
      '{"pick_id":"y","actual_away_score":-0.0,"actual_home_score":1e400,"event_id":-0,"ai_breakdown":{"raw_inputs":{"model_preds":{"values":[1e400,0,0,0]}}}}',
    ),
  },
);

/** The definition: every line with JSON.parse, first record of a pick_id, last grade record, normalizePick. */
function reference(storeLines: string[], gradeLines: string[]): Pick[] {
  const grades = new Map<string, GradeValues>();
  for (const l of gradeLines) {
    const reading = classifyLine(Buffer.from(l), "newline");
    if (reading.kind === "record") grades.set(reading.pickId, extractRawPick(reading.object, reading.pickId));
  }
  const seen = new Set<string>();
  const picks: Pick[] = [];
  storeLines.forEach((l, i) => {
    const reading = classifyLine(Buffer.from(l), "newline");
    if (reading.kind !== "record" || seen.has(reading.pickId)) return;
    seen.add(reading.pickId);
    const raw = extractRawPick(reading.object, reading.pickId);
    const g = grades.get(reading.pickId);
    if (g !== undefined) applyGrade(raw, g);
    picks.push(normalizePick(raw, i + 1));
  });
  return picks;
}

async function read(store: string, grades: string, threads: number, blockBytes?: number): Promise<Pick[]> {
  const picks: Pick[] = [];
  await readStore({
    store: { path: store, source: "test" },
    grades: { path: grades, source: "test" },
    threads,
    ...(blockBytes ? { blockBytes } : {}),
    onPick: (p) => picks.push(p),
  });
  return picks;
}

/** Same values (Object.is, so -0 is not 0) and the same keys in the same order. */
function expectSamePicks(actual: Pick[], expected: Pick[]): void {
  expect(actual).toStrictEqual(expected);
  expect(actual.map((p) => Object.keys(p).join())).toEqual(expected.map((p) => Object.keys(p).join()));
  for (let i = 0; i < actual.length; i++) {
    for (const key of ["homeScore", "awayScore"] as const) expect(Object.is(actual[i]![key], expected[i]![key])).toBe(true);
    const [a, e] = [actual[i]!.preds, expected[i]!.preds];
    if (a.status === "ok" && e.status === "ok") a.values.forEach((v, k) => expect(Object.is(v, e.values[k])).toBe(true));
  }
}

describe("a record's way to its pick (scanning threads, compact batches, compact grade index)", () => {
  it("gives exactly normalizePick of the graded record, on the main thread and on scanning threads", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.array(grade, { maxLength: 15 }), async (storeLines, grades) => {
        const dir = tempDir();
        const store = writeStore(storeLines.map((l) => `${l}\n`).join(""), "predictions.jsonl", dir);
        const gradeLines = grades.map((g) => JSON.stringify(g));
        const gradeFile = writeStore(gradeLines.map((l) => `${l}\n`).join(""), "graded_picks.jsonl", dir);
        const expected = reference(storeLines, gradeLines);
        expectSamePicks(await read(store, gradeFile, 0), expected);
        expectSamePicks(await read(store, gradeFile, 0, 97), expected);
        expectSamePicks(await read(store, gradeFile, 2, 211), expected);
      }),
      { numRuns: 40, seed: 5 },
    );
  });

  it("applyGradeToPick is normalizePick after applyGrade", () => {
    fc.assert(
      fc.property(record, grade, (r, g) => {
        const raw = extractRawPick(JSON.parse(JSON.stringify(r)), r.pick_id);
        const gradeValues = extractRawPick(JSON.parse(JSON.stringify(g)), g.pick_id) as GradeValues;
        const shortcut = normalizePick(raw, 7);
        applyGradeToPick(shortcut, gradeValues);
        const graded = { ...raw };
        applyGrade(graded, gradeValues);
        expectSamePicks([shortcut], [normalizePick(graded, 7)]);
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});
