import { z } from "zod";
import { count, isoDate, tally } from "./common.js";

export const BACKTEST_SCHEMA_VERSION = 1;

const share = z.number().min(0).max(1);

/** One group of settled picks: 1 unit flat on each, and the fractional-Kelly stakes beside it. */
export const backtestSegmentSchema = z.strictObject({
  picks: count,
  wins: count,
  losses: count,
  pushes: count,
  staked_units: z.number().nonnegative(),
  profit_units: z.number(),
  /** profit_units ÷ staked_units; null with no picks. */
  roi: z.number().nullable(),
  /** wins ÷ (wins + losses); null when every pick pushed or there are none. */
  hit_rate: share.nullable(),
  /** Σ model probability over the picks that did not push. */
  expected_hits: z.number().nonnegative(),
  /** wins ÷ expected_hits; null when expected_hits is 0. */
  actual_expected: z.number().nonnegative().nullable(),
  kelly: z.strictObject({
    /** Picks with a positive stake. */
    bets: count,
    /** Σ stake, as shares of a bankroll of 1 (not compounding). */
    staked: z.number().nonnegative(),
    profit: z.number(),
    /** profit ÷ staked; null when nothing was staked. */
    yield: z.number().nullable(),
  }),
});

export const backtestCurvePointSchema = z.strictObject({
  date: isoDate,
  picks: count,
  profit_units: z.number(),
  cumulative_units: z.number(),
  kelly_profit: z.number(),
  kelly_bankroll: z.number(),
});

/** What `engine1 backtest --json` prints and `--out FILE` writes. */
export const backtestDocumentSchema = z.strictObject({
  schema_version: z.literal(BACKTEST_SCHEMA_VERSION),
  engine1_version: z.string(),
  generated_at: z.string(),
  store: z.strictObject({ path: z.string(), sha256: z.string(), bytes_read: count }),
  range: z.strictObject({ from: isoDate, to: isoDate, days: count, days_with_bets: count }),
  options: z.strictObject({
    sport: z.string().nullable(),
    markets: z.array(z.string()).nullable(),
    C: z.number().positive(),
    embargo_days: count,
    kelly_fraction: z.number().positive().max(1),
    kelly_cap: z.number().positive().max(1),
    tiers: z.strictObject({ A: share, B: share, C: share }),
    /** "platt": probabilities through a Platt map fitted on the walk's out-of-sample predictions of earlier days only (absent in documents before it existed: none). */
    calibration: z.enum(["none", "platt"]).default("none"),
  }),
  accounting: z.strictObject({
    /** Eligible graded picks dated inside the range: scored + Σ unscored + no_model_yet. */
    candidates: count,
    scored: count,
    /** Picks of a day with a model that could not be scored, by reason. */
    unscored: tally,
    /** Picks of days before the first fit was possible (no training rows, or one class only). */
    no_model_yet: count,
  }),
  /**
   * How the fair probability the edge is measured against was found: with the margin removed when
   * the store holds the opposite side of the same event, market and date, else the quoted implied probability.
   */
  pricing: z.strictObject({
    method: z.literal("opposite_side_or_implied"),
    vig_removed: count,
    implied_with_margin: count,
  }),
  /** The refits: days a new model was fitted, the largest training set, Platt maps fitted. */
  fits: z.strictObject({ refits: count, largest_training_rows: count, calibration_fits: count.default(0) }),
  summary: backtestSegmentSchema,
  /** The bets the model would place: every scored pick with a positive edge, 1 unit flat each (absent in documents of 0.1.0 backtests). */
  positive_edge: backtestSegmentSchema.optional(),
  by_tier: z.strictObject({ A: backtestSegmentSchema, B: backtestSegmentSchema, C: backtestSegmentSchema, D: backtestSegmentSchema }),
  /** The top X % of scored picks by edge: the first ceil(X % × scored) by edge, ties in date and store order; 100 is all. */
  top: z.strictObject({ "10": backtestSegmentSchema, "20": backtestSegmentSchema, "30": backtestSegmentSchema, "100": backtestSegmentSchema }),
  curve: z.array(backtestCurvePointSchema),
  max_drawdown: z.strictObject({
    /** Largest fall of cumulative_units from a running peak (the start, 0, counts as a peak). */
    flat_units: z.number().nonnegative(),
    /** Largest fall of kelly_bankroll from a running peak (the start, 1, counts), as a share of that peak. */
    kelly_share: share,
    /** The fall's first day (the first bet day after the peak) and its trough's day; null when nothing fell. */
    flat_from: isoDate.nullable(),
    flat_to: isoDate.nullable(),
    kelly_from: isoDate.nullable(),
    kelly_to: isoDate.nullable(),
  }),
});

export type BacktestDocument = z.infer<typeof backtestDocumentSchema>;
export type BacktestSegment = z.infer<typeof backtestSegmentSchema>;
export type BacktestCurvePoint = z.infer<typeof backtestCurvePointSchema>;
