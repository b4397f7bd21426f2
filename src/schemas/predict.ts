import { z } from "zod";
import { count, isoDate, tally } from "./common.js";

export const PREDICT_SCHEMA_VERSION = 1;
export const TIERS = ["A", "B", "C", "D"] as const;

/** Why a candidate pick was not scored, in the order they are checked. */
export const UNSCORED_REASONS = [
  "not_json",
  "not_object",
  "missing_pick_id",
  "duplicate_pick_id",
  "record_unreadable",
  "no_market",
  "not_game_market",
  "no_model_preds",
  "insufficient_values",
  "bad_values",
  "no_odds",
  "bad_odds",
  "outside_transform_domain",
] as const;
export type UnscoredReason = (typeof UNSCORED_REASONS)[number];

const probability = z.number().min(0).max(1);
const share = z.number().min(0).max(1);

/** Where the other side's price came from, when the margin was removed. */
export const OTHER_SIDE_SOURCES = ["record", "store", "stdin"] as const;

export const scoredPickSchema = z.strictObject({
  pick_id: z.string(),
  /** The store's line number (0-based element index in a legacy array store), or the stdin line number. */
  source_line: count,
  date: isoDate.nullable(),
  sport: z.string().nullable(),
  market: z.enum(["SPREAD", "TOTAL", "MONEYLINE"]),
  home_team: z.string().nullable(),
  away_team: z.string().nullable(),
  selection: z.string().nullable(),
  side: z.string().nullable(),
  /** The spread or total the pick is on (null for a moneyline). */
  line: z.number().nullable(),
  book: z.string().nullable(),
  odds: z.number(),
  probability,
  probability_uncalibrated: probability,
  /** The probability the pick's price implies, margin included. */
  implied: probability,
  /** The implied probability with the margin removed when the other side's price is known, else `implied`. */
  fair: probability,
  vig_removed: z.boolean(),
  other_side_source: z.enum(OTHER_SIDE_SOURCES).nullable(),
  other_side_odds: z.number().nullable(),
  /** The pick of the other side the price was taken from (store or stdin), else null. */
  other_side_pick_id: z.string().nullable(),
  overround: z.number().nullable(),
  /** probability − fair. */
  edge: z.number().min(-1).max(1),
  tier: z.enum(TIERS),
  /** The full Kelly share for `probability` at `odds` (negative when the bet has no positive expectation). */
  kelly_full: z.number(),
  /** Fractional Kelly, capped, 0 unless the edge is positive: the share of the bankroll to stake. */
  stake: share,
  /** `stake` × `--bankroll`, or null without it. */
  stake_units: z.number().nonnegative().nullable(),
});

export const unscoredPickSchema = z.strictObject({
  /** Null for a stdin line that has none (not JSON, not an object, no pick_id). */
  pick_id: z.string().nullable(),
  source_line: count,
  date: isoDate.nullable(),
  sport: z.string().nullable(),
  market: z.string().nullable(),
  reason: z.enum(UNSCORED_REASONS),
  detail: z.string(),
});

export const predictDocumentSchema = z.strictObject({
  schema_version: z.literal(PREDICT_SCHEMA_VERSION),
  engine1_version: z.string(),
  generated_at: z.string(),
  run_id: z.string(),
  model: z.strictObject({
    /** The run's as-of date: the model saw graded picks up to it. */
    trained_as_of: isoDate,
    feature_names: z.array(z.string()),
    transform: z.enum(["logit", "standardize"]),
    C: z.number().positive(),
    calibration: z.enum(["platt", "isotonic"]).nullable(),
    artifact_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  source: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("store"), path: z.string(), grades: z.string().nullable(), bytes_read: count, format: z.enum(["jsonl", "json-array"]).nullable() }),
    z.strictObject({ kind: z.literal("stdin") }),
  ]),
  /** The ET date whose picks were read from the store; null for stdin. */
  date: isoDate.nullable(),
  options: z.strictObject({
    kelly_fraction: z.number().gt(0).max(1),
    kelly_cap: z.number().gt(0).max(1),
    tiers: z.strictObject({ A: z.number(), B: z.number(), C: z.number() }),
    min_edge: z.number().nullable(),
    tier_filter: z.array(z.enum(TIERS)).nullable(),
    sport: z.array(z.string()).nullable(),
    markets: z.array(z.string()).nullable(),
    bankroll: z.number().positive().nullable(),
  }),
  accounting: z.strictObject({
    /** Store: records dated `date`. Stdin: non-blank lines. */
    read: count,
    /** Store records already graded (after the overlay): not candidates. */
    already_graded: count,
    /** Left out by --sport or --markets: not candidates. */
    not_selected: count,
    /** Blank stdin lines (0 for the store). */
    blank_lines: count,
    candidates: count,
    scored: count,
    unscored: count,
    unscored_by_reason: tally,
    /** Scored picks left out of the listing by --min-edge or --tier. */
    filtered_out: count,
    listed: count,
    listed_by_tier: z.strictObject({ A: count, B: count, C: count, D: count }),
    assertion_passed: z.boolean(),
    assertion_error: z.string().nullable(),
  }),
  /** Scored picks that passed --min-edge and --tier, by edge (highest first), then pick_id. */
  picks: z.array(scoredPickSchema),
  /** Candidates that could not be scored, in input order, each with its reason. */
  unscored: z.array(unscoredPickSchema),
});

export type ScoredPick = z.infer<typeof scoredPickSchema>;
export type UnscoredPick = z.infer<typeof unscoredPickSchema>;
export type PredictDocument = z.infer<typeof predictDocumentSchema>;
