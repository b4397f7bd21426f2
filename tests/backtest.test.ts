import { describe, expect, it } from "vitest";
import { backtestStore, type BacktestOptions } from "../src/backtest/backtest-store.js";
import { maxDrawdown, profitCurve } from "../src/backtest/curve.js";
import { segmentOf, topByEdge, type SettledBet } from "../src/backtest/segment.js";
import { walkForward, type TrainingView } from "../src/backtest/walk-forward.js";
import { DEFAULT_KELLY } from "../src/betting/kelly.js";
import { DEFAULT_TIERS } from "../src/betting/tiers.js";
import { addDays } from "../src/dates.js";
import { PickFilter } from "../src/filter/filter.js";
import type { Pick as StorePick } from "../src/store/normalize.js";
import { backtestDocumentSchema, type BacktestCurvePoint } from "../src/schemas/backtest.js";
import { gamePick, jsonl, readPicks, writeStore } from "./helpers/store.js";
import { VIG_ROI, writeFlipStore, writeTruthStore, type TruthStore } from "./helpers/truth-store.js";

function bet(overrides: Partial<SettledBet> & Pick<SettledBet, "pickId" | "date" | "result" | "odds" | "probability">): SettledBet {
  return { position: 1, fair: 0.5, edge: 0, tier: "D", stake: 0, ...overrides };
}

// Five settled picks whose arithmetic is done by hand in the comments.
const HAND = [
  bet({ pickId: "a", date: "2026-03-01", position: 1, result: "WIN", odds: 150, probability: 0.5, stake: 0.05 }), // flat +1.5, Kelly +0.075
  bet({ pickId: "b", date: "2026-03-01", position: 2, result: "LOSS", odds: -110, probability: 0.6, stake: 0.02 }), // −1, −0.02
  bet({ pickId: "c", date: "2026-03-02", position: 3, result: "PUSH", odds: -110, probability: 0.55, stake: 0.01 }), // 0 (stake back), 0
  bet({ pickId: "d", date: "2026-03-03", position: 4, result: "LOSS", odds: 120, probability: 0.4, stake: 0 }), // −1, not bet
  bet({ pickId: "e", date: "2026-03-03", position: 5, result: "WIN", odds: -125, probability: 0.7, stake: 0.03 }), // +0.8, +0.024
];

describe("segment arithmetic", () => {
  it("adds flat and Kelly profit by hand: a push returns its stake and is left out of the hit rate and the expectation", () => {
    const s = segmentOf(HAND);
    expect(s).toEqual({
      picks: 5,
      wins: 2,
      losses: 2,
      pushes: 1,
      staked_units: 5,
      profit_units: expect.closeTo(0.3, 12), // 1.5 − 1 + 0 − 1 + 0.8
      roi: expect.closeTo(0.06, 12), // 0.3 / 5
      hit_rate: 0.5, // 2 / (2 + 2)
      expected_hits: expect.closeTo(2.2, 12), // 0.5 + 0.6 + 0.4 + 0.7, the push's 0.55 left out
      actual_expected: expect.closeTo(2 / 2.2, 12),
      kelly: {
        bets: 4, // d's stake is 0
        staked: expect.closeTo(0.11, 12),
        profit: expect.closeTo(0.079, 12), // 0.075 − 0.02 + 0 + 0.024
        yield: expect.closeTo(0.079 / 0.11, 12),
      },
    });
  });

  it("gives nulls, not zeros or NaN, where a ratio has nothing to divide by", () => {
    expect(segmentOf([])).toEqual({
      picks: 0, wins: 0, losses: 0, pushes: 0, staked_units: 0, profit_units: 0, roi: null, hit_rate: null,
      expected_hits: 0, actual_expected: null, kelly: { bets: 0, staked: 0, profit: 0, yield: null },
    });
    const pushes = segmentOf([HAND[2]!, { ...HAND[2]!, pickId: "c2", stake: 0 }]);
    expect(pushes).toMatchObject({ picks: 2, pushes: 2, profit_units: 0, roi: 0, hit_rate: null, expected_hits: 0, actual_expected: null });
    expect(pushes.kelly).toEqual({ bets: 1, staked: 0.01, profit: 0, yield: 0 });
  });

  it("takes the first ceil(X %) by edge, equal edges in date then store order", () => {
    const bets = [
      bet({ pickId: "top", date: "2026-03-03", position: 1, result: "WIN", odds: -110, probability: 0.6, edge: 0.1 }),
      bet({ pickId: "x", date: "2026-03-02", position: 5, result: "WIN", odds: -110, probability: 0.6, edge: 0.05 }),
      bet({ pickId: "y", date: "2026-03-01", position: 9, result: "WIN", odds: -110, probability: 0.6, edge: 0.05 }),
      bet({ pickId: "z", date: "2026-03-01", position: 3, result: "WIN", odds: -110, probability: 0.6, edge: 0.05 }),
      bet({ pickId: "p", date: "2026-03-01", position: 1, result: "LOSS", odds: -110, probability: 0.6, edge: 0.02 }),
      bet({ pickId: "q", date: "2026-03-01", position: 2, result: "LOSS", odds: -110, probability: 0.6, edge: 0 }),
      bet({ pickId: "r", date: "2026-03-01", position: 4, result: "LOSS", odds: -110, probability: 0.6, edge: -0.1 }),
    ];
    const ids = (percent: number) => topByEdge(bets, percent).map((b) => b.pickId);
    expect(ids(10)).toEqual(["top"]); // ceil(0.7)
    expect(ids(20)).toEqual(["top", "z"]); // ceil(1.4): of the three 0.05s, the earliest date, then the earliest line
    expect(ids(30)).toEqual(["top", "z", "y"]); // ceil(2.1)
    expect(ids(100)).toEqual(["top", "z", "y", "x", "p", "q", "r"]);
    expect(topByEdge([], 10)).toEqual([]);
  });
});

describe("profit curve and drawdown", () => {
  it("has one point per day with the running flat and Kelly totals", () => {
    const curve = profitCurve(HAND);
    expect(curve.map((p) => [p.date, p.picks])).toEqual([["2026-03-01", 2], ["2026-03-02", 1], ["2026-03-03", 2]]);
    expect(curve.map((p) => p.cumulative_units)).toEqual([0.5, 0.5, expect.closeTo(0.3, 12)]);
    expect(curve.map((p) => p.kelly_bankroll)).toEqual([expect.closeTo(1.055, 12), expect.closeTo(1.055, 12), expect.closeTo(1.079, 12)]);
    // The flat total sat at its 0.5 peak through 03-02 and fell 0.2 on 03-03; the Kelly bankroll never fell.
    expect(maxDrawdown(curve)).toEqual({
      flat_units: expect.closeTo(0.2, 12), flat_from: "2026-03-03", flat_to: "2026-03-03",
      kelly_share: 0, kelly_from: null, kelly_to: null,
    });
  });

  it("finds the largest fall from a running peak, the start included", () => {
    const points = (cumulative: number[], bankroll: number[]): BacktestCurvePoint[] =>
      cumulative.map((c, i) => ({ date: `2026-04-0${i + 1}`, picks: 1, profit_units: 0, cumulative_units: c, kelly_profit: 0, kelly_bankroll: bankroll[i]! }));
    // Flat: 3 → −1 (4 units, 04-03 … 04-04) beats 4 → 2. Kelly: 1.05 → 1.00 (0.05/1.05) beats 1.03 → 0.99 (0.04/1.03).
    expect(maxDrawdown(points([1, 3, 2, -1, 0, 4, 2], [1.01, 1.03, 1.02, 0.99, 1, 1.05, 1]))).toEqual({
      flat_units: 4, flat_from: "2026-04-03", flat_to: "2026-04-04",
      kelly_share: expect.closeTo(0.05 / 1.05, 12), kelly_from: "2026-04-07", kelly_to: "2026-04-07",
    });
    // Losing from the first day: the start (0 units, bankroll 1) is the peak.
    expect(maxDrawdown(points([-1, -2, 1], [0.98, 0.97, 1.01]))).toMatchObject({
      flat_units: 2, flat_from: "2026-04-01", flat_to: "2026-04-02", kelly_share: expect.closeTo(0.03, 12), kelly_from: "2026-04-01", kelly_to: "2026-04-02",
    });
    expect(maxDrawdown([])).toEqual({ flat_units: 0, kelly_share: 0, flat_from: null, flat_to: null, kelly_from: null, kelly_to: null });
  });
});

const BASE = { C: 1, embargoDays: 0, kelly: DEFAULT_KELLY, tiers: DEFAULT_TIERS, sports: null, markets: null, threads: 0, now: new Date("2026-06-01T12:00:00Z") };

function options(store: TruthStore | string, rest: Partial<BacktestOptions> & Pick<BacktestOptions, "from" | "to">): BacktestOptions {
  const paths = typeof store === "string" ? { store, grades: null } : { store: store.store, grades: store.grades };
  return {
    ...BASE,
    store: { path: paths.store, source: "test" },
    grades: paths.grades === null ? null : { path: paths.grades, source: "test" },
    ...rest,
  };
}

describe("backtestStore accounting", () => {
  it("counts every candidate once: before the first model, without odds, without usable values, outside the model's domain, scored", async () => {
    const day1 = "2026-03-01";
    const day2 = "2026-03-02";
    const priced = { odds: -110, side: "home", line: -3.5, event_id: "e" };
    const store = writeStore(
      jsonl([
        gamePick({ ...priced, pick_id: "d1-win", date_et: day1, result: "WIN", ai_breakdown: { raw_inputs: { model_preds: { values: [0.6, 0.6, 0.6, 0.6] } } } }),
        gamePick({ ...priced, pick_id: "d1-loss", date_et: day1, result: "LOSS", ai_breakdown: { raw_inputs: { model_preds: { values: [0.4, 0.4, 0.4, 0.4] } } } }),
        gamePick({ ...priced, pick_id: "d2-scored", date_et: day2, result: "PUSH" }),
        gamePick({ pick_id: "d2-no-odds", date_et: day2, odds: "-110" }),
        gamePick({ ...priced, pick_id: "d2-no-preds", date_et: day2, ai_breakdown: { raw_inputs: { other: 1 } } }),
        gamePick({ ...priced, pick_id: "d2-three-values", date_et: day2, ai_breakdown: { raw_inputs: { model_preds: { values: [0.5, 0.5, 0.5] } } } }),
        gamePick({ ...priced, pick_id: "d2-outside-logit", date_et: day2, ai_breakdown: { raw_inputs: { model_preds: { values: [0.5, 1.5, 0.5, 0.5] } } } }),
        gamePick({ ...priced, pick_id: "d2-ungraded", date_et: day2, grade_status: "PENDING", result: null }),
        gamePick({ ...priced, pick_id: "d3-after-to", date_et: "2026-03-03" }),
      ]),
    );
    const doc = await backtestStore(options(store, { from: day1, to: day2 }));
    expect(doc.accounting).toEqual({
      candidates: 7,
      scored: 1,
      unscored: { no_odds: 1, no_model_preds: 1, insufficient_values: 1, outside_transform_domain: 1 },
      no_model_yet: 2,
    });
    expect(doc.range).toEqual({ from: day1, to: day2, days: 2, days_with_bets: 1 });
    expect(doc.summary).toMatchObject({ picks: 1, pushes: 1, profit_units: 0, roi: 0, hit_rate: null });
    expect(doc.pricing).toEqual({ method: "opposite_side_or_implied", vig_removed: 0, implied_with_margin: 1 });
    expect(doc.fits).toEqual({ refits: 1, largest_training_rows: 2, calibration_fits: 0 });
    expect(backtestDocumentSchema.parse(doc)).toEqual(doc);
  });
});

/** The backtest of a truth store, with every day's training rows recorded. */
async function traced(truth: TruthStore, rest: Partial<BacktestOptions> & Pick<BacktestOptions, "from" | "to">) {
  const fits: { day: string; training: TrainingView }[] = [];
  const doc = await backtestStore(options(truth, { ...rest, onFit: (day, training) => fits.push({ day, training }) }));
  return { doc, fits };
}

describe("leakage", () => {
  it("never trains a day's model on that day's picks or any later pick (the embargo held too)", async () => {
    const truth = writeTruthStore({ seed: 11, edge: true, days: 20, games: 5 });
    const dates = new Map<string, string>();
    const { picks } = await readPicks(truth.store, truth.grades);
    for (const p of picks) dates.set(p.pickId, p.date!);
    for (const [embargo, calibration] of [[0, "none"], [3, "none"], [0, "platt"], [2, "platt"]] as const) {
      const from = addDays(truth.first, 5);
      const { doc, fits } = await traced(truth, { from, to: truth.last, embargoDays: embargo, calibration });
      expect(fits.map((f) => f.day)).toEqual(Array.from({ length: 15 }, (_, i) => addDays(from, i)));
      for (const { day, training } of fits) {
        const cutoff = addDays(day, -embargo);
        expect(training.pickIds.length).toBe(training.rows);
        expect(training.dates.every((d) => d < cutoff)).toBe(true);
        expect(training.pickIds.every((id) => dates.get(id)! < cutoff)).toBe(true);
        // Everything eligible before the cutoff is used: 5 games × 2 sides a day.
        expect(training.rows).toBe(10 * Math.max(0, Math.round((Date.parse(cutoff) - Date.parse(truth.first)) / 86_400_000)));
        // The calibration map, too, only saw out-of-sample predictions of picks settled before the cutoff.
        expect(training.calibrationDates.every((d) => d < cutoff)).toBe(true);
      }
      expect(doc.options).toMatchObject({ embargo_days: embargo, calibration });
      if (calibration === "platt") {
        // 10 picks a day, predicted from the second day on: a map needs 100 rows, so the first bet days wait for one.
        const calibrated = fits.filter((f) => f.training.calibrationDates.length > 0);
        expect(calibrated.length).toBeGreaterThan(0);
        expect(calibrated.every((f) => f.training.calibrationDates.length >= 100)).toBe(true);
        expect(doc.accounting.no_model_yet).toBe(10 * (fits.length - calibrated.length));
      }
    }
  });

  it("a model that saw the day's own results would rank it right; the walk forward ranks it backwards", async () => {
    // Each day's values point the opposite way to the day before, and each day outweighs all earlier
    // days together: only a model fitted on the day itself (a leak) can rank that day's picks right.
    const flip = writeFlipStore({ seed: 5 });
    const honest = await backtestStore(options(flip, { from: flip.first, to: flip.last }));
    expect(honest.accounting.no_model_yet).toBe(8);
    expect(honest.accounting.scored).toBe(16 + 32 + 64 + 128 + 256);
    expect(honest.top["30"].hit_rate!).toBeLessThan(0.1);

    // The same walk with the day's own rows let in (embargo −1: rows dated before day + 1): the leak shows.
    const { picks } = await readPicks(flip.store, flip.grades);
    const filter = new PickFilter({ asOf: flip.last, days: "all", sports: null, markets: null });
    const eligible = picks.filter((p: StorePick) => filter.apply(p) === null);
    const quotes = new Map(eligible.map((p) => [p.position, { odds: -110, otherSide: null }]));
    const leaky = walkForward(eligible, quotes, { from: flip.first, to: flip.last, C: 1, embargoDays: -1, kelly: DEFAULT_KELLY, tiers: DEFAULT_TIERS });
    const leakyTop = segmentOf(topByEdge(leaky.bets, 30));
    expect(leakyTop.hit_rate!).toBeGreaterThan(0.9);
  });
});

describe("a store with a known truth (fixed seeds)", () => {
  // 60 days × 20 games × 2 sides; the first 10 days only train, 50 × 40 = 2,000 picks are bet.
  // Both sides of every game are bet flat at −110, so the summary's ROI is exactly −1/22 (−vig)
  // whatever the model does; what the model adds shows in the picks it ranks first and in its stakes.
  // A flat −110 bet at p = 0.5 has a standard deviation of 0.95 units: ±0.12 is about 3 deviations of
  // the ROI of the 600 picks in the top 30 %, ±0.2 about 3 of the 200 in the top 10 %.
  const range = (truth: TruthStore) => ({ from: addDays(truth.first, 10), to: truth.last });

  it("shows a positive ROI where the upstream values know p_true", async () => {
    const truth = writeTruthStore({ seed: 7, edge: true });
    const doc = await backtestStore(options(truth, range(truth)));
    expect(doc.accounting).toEqual({ candidates: 2000, scored: 2000, unscored: {}, no_model_yet: 0 });
    expect(doc.pricing.vig_removed).toBe(2000);
    expect(doc.summary.roi!).toBeCloseTo(VIG_ROI, 12);
    // Seeds 7, 8 and 9 give top 10 % ROIs of 0.17, 0.11 and 0.14, top 30 % of 0.13, 0.11 and 0.11.
    expect(doc.top["10"].roi!).toBeGreaterThan(0.1);
    expect(doc.top["30"].roi!).toBeGreaterThan(0.05);
    // The bets the model would place (edge > 0), 1 unit each: a positive ROI where the truth gives it an edge.
    expect(doc.positive_edge!.roi!).toBeGreaterThan(0.03);
    expect(doc.summary.kelly.yield!).toBeGreaterThan(0.05);
    expect(doc.by_tier.A.picks).toBeGreaterThan(50);
    expect(doc.by_tier.A.roi!).toBeGreaterThan(0);
    expect(doc.summary.actual_expected!).toBeGreaterThan(0.95);
    expect(doc.summary.actual_expected!).toBeLessThan(1.05);
  });

  it("with --calibration platt keeps the edge where there is one and shrinks the edges it fitted to noise", async () => {
    const edge = writeTruthStore({ seed: 7, edge: true });
    const calibrated = await backtestStore(options(edge, { ...range(edge), calibration: "platt" }));
    expect(calibrated.accounting).toEqual({ candidates: 2000, scored: 2000, unscored: {}, no_model_yet: 0 });
    expect(calibrated.fits.calibration_fits).toBeGreaterThan(0);
    expect(calibrated.top["10"].roi!).toBeGreaterThan(0.1);
    expect(calibrated.summary.kelly.yield!).toBeGreaterThan(0.05);

    const noise = writeTruthStore({ seed: 7, edge: false });
    const raw = await backtestStore(options(noise, range(noise)));
    const shrunk = await backtestStore(options(noise, { ...range(noise), calibration: "platt" }));
    expect(shrunk.summary.roi!).toBeCloseTo(VIG_ROI, 12);
    // Seeds 7, 8, 9: 275 → 0, 417 → 9, 186 → 110 Kelly bets.
    expect(shrunk.summary.kelly.bets).toBeLessThan(raw.summary.kelly.bets / 2);
  });

  it("shows about −vig where they do not", async () => {
    const truth = writeTruthStore({ seed: 7, edge: false });
    const doc = await backtestStore(options(truth, range(truth)));
    expect(doc.accounting.scored).toBe(2000);
    expect(doc.summary.roi!).toBeCloseTo(VIG_ROI, 12);
    expect(Math.abs(doc.top["30"].roi! - VIG_ROI)).toBeLessThan(0.12);
    // Its positive-edge bets are about half the picks (~1,000 bets): about −vig, within ~3 standard deviations.
    expect(Math.abs(doc.positive_edge!.roi! - VIG_ROI)).toBeLessThan(0.1);
    expect(Math.abs(doc.top["10"].roi! - VIG_ROI)).toBeLessThan(0.2);
    // No signal: the model's probabilities stay near 0.5, and hardly a pick reaches tier A.
    expect(doc.by_tier.A.picks).toBeLessThan(20);
    expect(doc.by_tier.D.picks).toBeGreaterThan(1500);
  });
});
