import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../src/dates.js";
import { assertNoLeakage, checkFoldOptions, dateFolds, LeakageError, type DateFold } from "../src/eval/folds.js";
import { resolveFilterOptions } from "../src/filter/filter-options.js";
import { collectSamples } from "../src/models/ensemble/samples.js";
import { evaluationDocumentSchema } from "../src/schemas/evaluation.js";
import { collectEligible } from "../src/train/collect-eligible.js";
import { engine1 } from "./helpers/cli.js";
import { dayAfterNewYear } from "./helpers/ensemble-picks.js";
import { storeRecord } from "./helpers/eval-samples.js";
import { jsonl, writeStore } from "./helpers/store.js";

function thrown(work: () => unknown): Error & { exitCode?: number } {
  try {
    work();
  } catch (error) {
    return error as Error & { exitCode?: number };
  }
  throw new Error("expected an error");
}

const march = (day: number) => `2026-03-${String(day).padStart(2, "0")}`;
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/**
 * Twelve dates, 2026-03-01 … 2026-03-12, two picks each (one win, one loss), written as a store where
 * the picks of the latest date, 2026-03-12, were appended right after those of 2026-03-01: rows 2 and 3.
 * Row order: 03-01 ×2, 03-12 ×2, 03-02 ×2, …, 03-11 ×2.
 */
function outOfOrderStore(): { path: string; order: number[] } {
  const order = [1, 12, ...range(2, 11)];
  const records = order.flatMap((day) => [
    storeRecord(`d${day}w`, march(day), "WIN", [0.5 + day / 100, 0.55, 0.5, 0.45]),
    storeRecord(`d${day}l`, march(day), "LOSS", [0.5 - day / 100, 0.45, 0.5, 0.55]),
  ]);
  return { path: writeStore(jsonl(records)), order };
}

async function storeDates(store: string): Promise<string[]> {
  const data = await collectEligible({
    store: { path: store, source: "test" },
    grades: null,
    volumeMountPath: null,
    filter: resolveFilterOptions({ asOf: "2026-03-12", days: "all" }),
  });
  const samples = collectSamples(data.eligible);
  expect(samples.rows).toBe(24);
  return samples.dates.map((d) => d!);
}

describe("the leakage guard on a store written out of date order", () => {
  it("refuses a split by position that would train on 2026-03-12 to predict 2026-03-09, naming both dates", async () => {
    const store = outOfOrderStore();
    const dates = await storeDates(store.path);
    expect(dates).toEqual(store.order.flatMap((d) => [march(d), march(d)]));
    // The first 18 rows hold 2026-03-01 … 2026-03-08 and, at rows 2–3, 2026-03-12; the last 6 rows are 03-09 … 03-11.
    const train = range(0, 17);
    const validation = range(18, 23);
    const error = thrown(() => assertNoLeakage("the first 18 rows", train, validation, dates, 0));
    expect(error).toBeInstanceOf(LeakageError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      "leakage: the first 18 rows trains on picks dated up to 2026-03-12 but validates on picks from 2026-03-09; " +
        "training dates must end before validation dates start",
    );
  });

  it("splits the same rows by date: three expanding folds, whole dates on one side, one embargoed date each", async () => {
    const dates = await storeDates(outOfOrderStore().path);
    const folds = dateFolds(dates, { folds: 3, embargoDays: 1 });
    // 12 dates in 4 blocks of 3: fold k validates on block k + 1 and trains on the dates more than a day before it.
    const expected: DateFold[] = [
      {
        fold: 1,
        train: [0, 1, 4, 5],
        validation: range(8, 13),
        trainRange: { first: "2026-03-01", last: "2026-03-02", dates: 2, rows: 4 },
        validationRange: { first: "2026-03-04", last: "2026-03-06", dates: 3, rows: 6 },
        embargoedDates: 1,
        embargoedRows: 2,
      },
      {
        fold: 2,
        train: [0, 1, ...range(4, 11)],
        validation: range(14, 19),
        trainRange: { first: "2026-03-01", last: "2026-03-05", dates: 5, rows: 10 },
        validationRange: { first: "2026-03-07", last: "2026-03-09", dates: 3, rows: 6 },
        embargoedDates: 1,
        embargoedRows: 2,
      },
      {
        fold: 3,
        train: [0, 1, ...range(4, 17)],
        // The late-appended picks of 2026-03-12 (rows 2 and 3) validate with the other latest dates.
        validation: [2, 3, 20, 21, 22, 23],
        trainRange: { first: "2026-03-01", last: "2026-03-08", dates: 8, rows: 16 },
        validationRange: { first: "2026-03-10", last: "2026-03-12", dates: 3, rows: 6 },
        embargoedDates: 1,
        embargoedRows: 2,
      },
    ];
    expect(folds).toEqual(expected);
    for (const fold of expected) {
      const trainDates = new Set(fold.train.map((i) => dates[i]));
      const validationDates = new Set(fold.validation.map((i) => dates[i]));
      expect([...trainDates].filter((d) => validationDates.has(d))).toEqual([]);
      expect(fold.trainRange.last < fold.validationRange.first).toBe(true);
      expect(() => assertNoLeakage(`fold ${fold.fold}`, fold.train, fold.validation, dates, 1)).not.toThrow();
    }
  });

  it("the same positional split of the store in date order passes with no embargo and is refused with one", () => {
    const dates = range(1, 12).flatMap((d) => [march(d), march(d)]);
    const train = range(0, 17);
    const validation = range(18, 23);
    expect(() => assertNoLeakage("rows 1–18", train, validation, dates, 0)).not.toThrow();
    expect(thrown(() => assertNoLeakage("rows 1–18", train, validation, dates, 1)).message).toBe(
      "leakage: rows 1–18 trains on picks dated up to 2026-03-09 but validates on picks from 2026-03-10; " +
        "training dates must end before validation dates start with an embargo of 1 day (training must end before 2026-03-09)",
    );
    expect(thrown(() => assertNoLeakage("rows 1–18", train, validation, dates, 2)).message).toMatch(
      /with an embargo of 2 days \(training must end before 2026-03-08\)$/,
    );
    expect(thrown(() => assertNoLeakage("fold 9", [], validation, dates, 0)).message).toBe("fold 9: a split needs training and validation rows");
    expect(thrown(() => assertNoLeakage("fold 9", train, [], dates, 0))).toBeInstanceOf(LeakageError);
  });

  it("engine1 evaluate on the out-of-order store reports the same date folds, each with its leakage check passed", () => {
    const result = engine1(["evaluate", "--store", outOfOrderStore().path, "--no-grades", "--as-of", "2026-03-12", "--days", "all", "--folds", "3", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const doc = evaluationDocumentSchema.parse(JSON.parse(result.stdout));
    const side = (first: string, last: string, dates: number, rows: number) => ({ first_date: first, last_date: last, dates, rows });
    expect(doc.evaluation.folds.map((f) => ({ fold: f.fold, train: f.train, validation: f.validation, embargoed: [f.embargoed_dates, f.embargoed_rows], leakage: f.leakage_check }))).toEqual([
      { fold: 1, train: side("2026-03-01", "2026-03-02", 2, 4), validation: side("2026-03-04", "2026-03-06", 3, 6), embargoed: [1, 2], leakage: "passed" },
      { fold: 2, train: side("2026-03-01", "2026-03-05", 5, 10), validation: side("2026-03-07", "2026-03-09", 3, 6), embargoed: [1, 2], leakage: "passed" },
      { fold: 3, train: side("2026-03-01", "2026-03-08", 8, 16), validation: side("2026-03-10", "2026-03-12", 3, 6), embargoed: [1, 2], leakage: "passed" },
    ]);
  });
});

describe("date folds", () => {
  // 8 distinct dates with gaps (03-03 and 03-07 have no picks) and 15 rows, in date order.
  const counts: [number, number][] = [[1, 1], [2, 2], [4, 3], [5, 1], [6, 2], [8, 1], [9, 3], [10, 2]];
  const gapped = counts.flatMap(([day, n]) => Array.from({ length: n }, () => march(day)));
  const summary = (folds: DateFold[] | string) => {
    if (typeof folds === "string") throw new Error(folds);
    return folds.map((f) => [f.trainRange.rows, f.validationRange.rows, f.embargoedDates, f.embargoedRows, f.validationRange.first]);
  };

  it("leaves out the calendar days of the embargo, not a count of dates, with exact counts", () => {
    expect(gapped).toHaveLength(15);
    // Blocks of 2 dates: validation 03-04/05, 03-06/08, 03-09/10. [train rows, validation rows, embargoed dates, embargoed rows, first validation date]
    expect(summary(dateFolds(gapped, { folds: 3, embargoDays: 0 }))).toEqual([
      [3, 4, 0, 0, "2026-03-04"],
      [7, 3, 0, 0, "2026-03-06"],
      [10, 5, 0, 0, "2026-03-09"],
    ]);
    expect(summary(dateFolds(gapped, { folds: 3, embargoDays: 1 }))).toEqual([
      [3, 4, 0, 0, "2026-03-04"], // the day before 03-04 has no picks
      [6, 3, 1, 1, "2026-03-06"], // 03-05 (1 row)
      [9, 5, 1, 1, "2026-03-09"], // 03-08 (1 row)
    ]);
    expect(summary(dateFolds(gapped, { folds: 3, embargoDays: 2 }))).toEqual([
      [1, 4, 1, 2, "2026-03-04"], // 03-02 (2 rows) is within 2 days of 03-04
      [3, 3, 2, 4, "2026-03-06"], // 03-04 and 03-05 (3 + 1 rows)
      [9, 5, 1, 1, "2026-03-09"], // 03-08 (1 row); 03-07 has none
    ]);
    expect(dateFolds(gapped, { folds: 3, embargoDays: 3 })).toBe(
      "fold 1 has no training date more than 3 day(s) before its first validation date 2026-03-04",
    );
  });

  it("gives the remainder of the dates to the first training block and validates on the latest ones", () => {
    const dates = range(1, 9).map(march); // 9 dates, 3 folds: blocks of 2, the first training block 3
    const folds = dateFolds(dates, { folds: 3, embargoDays: 0 });
    if (typeof folds === "string") throw new Error(folds);
    expect(folds.map((f) => [f.train, f.validation])).toEqual([
      [[0, 1, 2], [3, 4]],
      [[0, 1, 2, 3, 4], [5, 6]],
      [[0, 1, 2, 3, 4, 5, 6], [7, 8]],
    ]);
  });

  it("says why the dates cannot be split", () => {
    expect(dateFolds([march(1), march(1), march(2)], { folds: 2, embargoDays: 0 })).toBe("2 folds need at least 3 distinct dates, and the samples span 2");
    expect(dateFolds([], { folds: 5, embargoDays: 1 })).toBe("5 folds need at least 6 distinct dates, and the samples span 0");
  });

  it("refuses fold options that are not whole numbers in range, as usage errors (exit 2)", () => {
    const cases: [{ folds: number; embargoDays: number }, string][] = [
      [{ folds: 1, embargoDays: 0 }, "--folds must be a whole number of at least 2, got 1"],
      [{ folds: 2.5, embargoDays: 0 }, "--folds must be a whole number of at least 2, got 2.5"],
      [{ folds: 3, embargoDays: -1 }, "--embargo-days must be a whole number of days, 0 or more, got -1"],
      [{ folds: 3, embargoDays: 0.5 }, "--embargo-days must be a whole number of days, 0 or more, got 0.5"],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => checkFoldOptions(options));
      expect([error.name, error.message, error.exitCode]).toEqual(["UsageError", message, 2]);
      expect(thrown(() => dateFolds(gapped, options)).message).toBe(message);
    }
  });

  it("property: any dates in any order split into expanding, disjoint, whole-date folds that pass the guard", () => {
    const arbitrary = fc.record({
      offsets: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 0, maxLength: 90 }),
      folds: fc.integer({ min: 2, max: 6 }),
      embargoDays: fc.integer({ min: 0, max: 4 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ offsets, folds: k, embargoDays }) => {
        const dates = offsets.map(dayAfterNewYear);
        const distinct = [...new Set(dates)].sort();
        const folds = dateFolds(dates, { folds: k, embargoDays });
        if (typeof folds === "string") {
          const size = Math.floor(distinct.length / (k + 1));
          return size < 1 ? folds.includes(`span ${distinct.length}`) : folds.startsWith("fold ");
        }
        expect(folds.map((f) => f.fold)).toEqual(range(1, k));
        const size = Math.floor(distinct.length / (k + 1));
        expect(folds.at(-1)!.validationRange.last).toBe(distinct.at(-1));
        folds.forEach((fold, index) => {
          expect(() => assertNoLeakage("f", fold.train, fold.validation, dates, embargoDays)).not.toThrow();
          const onTrain = new Set(fold.train.map((i) => dates[i]!));
          const onValidation = new Set(fold.validation.map((i) => dates[i]!));
          expect(onValidation.size).toBe(size);
          // Whole dates: every row of a date on a side is on that side, and no date is on both.
          dates.forEach((d, i) => {
            expect(fold.train.includes(i)).toBe(onTrain.has(d));
            expect(fold.validation.includes(i)).toBe(onValidation.has(d));
          });
          const start = fold.validationRange.first;
          const embargoed = dates.filter((d) => d >= addDays(start, -embargoDays) && d < start);
          expect([fold.embargoedDates, fold.embargoedRows]).toEqual([new Set(embargoed).size, embargoed.length]);
          // Every row is in training, the embargo, validation or after it.
          const after = dates.filter((d) => d > fold.validationRange.last).length;
          expect(fold.train.length + fold.embargoedRows + fold.validation.length + after).toBe(dates.length);
          expect([...fold.train].sort((a, b) => a - b)).toEqual(fold.train);
          if (index > 0) {
            const previous = folds[index - 1]!;
            expect(previous.train.every((i) => fold.train.includes(i))).toBe(true);
            expect(previous.validationRange.last < fold.validationRange.first).toBe(true);
          }
        });
        return true;
      }),
      { numRuns: 300, seed: 6 },
    );
  });
});
