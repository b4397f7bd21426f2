import type { KellyOptions } from "../betting/kelly.js";
import { TIER_NAMES, type TierThresholds } from "../betting/tiers.js";
import { addDays } from "../dates.js";
import { PickFilter } from "../filter/filter.js";
import type { FilterOptions } from "../filter/filter-options.js";
import type { ResolvedPath } from "../paths.js";
import { BACKTEST_SCHEMA_VERSION, backtestDocumentSchema, type BacktestDocument } from "../schemas/backtest.js";
import type { Pick as StorePick } from "../store/normalize.js";
import { readRecordsAt } from "../store/read-lines.js";
import { readStore } from "../store/read-store.js";
import { ENGINE1_VERSION } from "../version.js";
import { maxDrawdown, profitCurve } from "./curve.js";
import { quotePicks } from "./quotes.js";
import { byDateThenPosition, segmentOf, topByEdge } from "./segment.js";
import { walkForward, type TrainingView, type WalkForwardResult } from "./walk-forward.js";

export const TOP_SHARES = [10, 20, 30, 100] as const;

export interface BacktestOptions {
  store: ResolvedPath;
  grades: ResolvedPath | null;
  /** First and last ET dates bet, inclusive. */
  from: string;
  to: string;
  sports: string[] | null;
  markets: FilterOptions["markets"];
  C: number;
  embargoDays: number;
  /** Default "none". */
  calibration?: "none" | "platt";
  kelly: KellyOptions;
  tiers: TierThresholds;
  threads?: number;
  now?: Date;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Called for every bet day with the training rows its model was fitted on. */
  onFit?: (day: string, training: TrainingView) => void;
}

/** Whole ET calendar days from `from` to `to`, both included. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The document of a finished walk forward: the segments, the curve and the drawdowns. */
export function backtestDocument(walk: WalkForwardResult, meta: Pick<BacktestOptions, "from" | "to" | "sports" | "markets" | "C" | "embargoDays" | "calibration" | "kelly" | "tiers"> & {
  store: BacktestDocument["store"];
  now: Date;
}): BacktestDocument {
  const bets = [...walk.bets].sort(byDateThenPosition);
  const curve = profitCurve(bets);
  const unscored = Object.fromEntries(Object.entries(walk.unscored).filter(([, n]) => n > 0));
  return backtestDocumentSchema.parse({
    schema_version: BACKTEST_SCHEMA_VERSION,
    engine1_version: ENGINE1_VERSION,
    generated_at: meta.now.toISOString(),
    store: meta.store,
    range: { from: meta.from, to: meta.to, days: daysBetween(meta.from, meta.to), days_with_bets: curve.length },
    options: {
      sport: meta.sports === null ? null : meta.sports.join(","),
      markets: meta.markets === null ? null : [...meta.markets],
      C: meta.C,
      embargo_days: meta.embargoDays,
      kelly_fraction: meta.kelly.fraction,
      kelly_cap: meta.kelly.cap,
      tiers: { ...meta.tiers },
      calibration: meta.calibration ?? "none",
    },
    accounting: { candidates: walk.candidates, scored: bets.length, unscored, no_model_yet: walk.noModelYet },
    pricing: { method: "opposite_side_or_implied", vig_removed: walk.vigRemoved, implied_with_margin: bets.length - walk.vigRemoved },
    fits: { refits: walk.refits, largest_training_rows: walk.largestTrainingRows, calibration_fits: walk.calibrationFits },
    summary: segmentOf(bets),
    positive_edge: segmentOf(bets.filter((b) => b.edge > 0)),
    by_tier: Object.fromEntries(TIER_NAMES.map((tier) => [tier, segmentOf(bets.filter((b) => b.tier === tier))])),
    top: Object.fromEntries(TOP_SHARES.map((share) => [String(share), segmentOf(topByEdge(bets, share))])),
    curve,
    max_drawdown: maxDrawdown(curve),
  });
}

/**
 * The backtest of a store: one pass with the six-stage filter (every date up to `to`, so earlier
 * history trains the first days), a second pass over the same snapshot for the range's prices, then
 * the walk forward. Nothing is written.
 */
export async function backtestStore(options: BacktestOptions): Promise<BacktestDocument> {
  const filter = new PickFilter({ asOf: options.to, days: "all", sports: options.sports, markets: options.markets });
  const eligible: StorePick[] = [];
  const inRange: StorePick[] = [];
  const gamePicks: StorePick[] = [];
  const reading = await readStore({
    store: options.store,
    grades: options.grades,
    hash: true,
    threads: options.threads ?? 0,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    onPick: (pick) => {
      const dated = pick.date !== null && pick.date >= options.from && pick.date <= options.to;
      if (filter.apply(pick) === null) {
        eligible.push(pick);
        if (dated) inRange.push(pick);
      }
      if (dated && pick.gameMarket !== null) gamePicks.push(pick);
    },
  });
  const { provenance } = reading;
  const positions = new Set([...inRange, ...gamePicks].map((p) => p.position));
  const records = await readRecordsAt(options.store.path, provenance.format ?? "jsonl", provenance.bytes_read, positions);
  const quotes = quotePicks(inRange, gamePicks, records);
  const walk = walkForward(eligible, quotes, {
    from: options.from,
    to: options.to,
    C: options.C,
    embargoDays: options.embargoDays,
    calibration: options.calibration ?? "none",
    kelly: options.kelly,
    tiers: options.tiers,
    ...(options.onFit ? { onFit: options.onFit } : {}),
  });
  return backtestDocument(walk, {
    ...options,
    store: { path: provenance.path, sha256: provenance.sha256 ?? "", bytes_read: provenance.bytes_read },
    now: options.now ?? new Date(),
  });
}

/** The default range: 30 days ending with `to` (so `--from` defaults to 29 days before it). */
export function defaultFrom(to: string): string {
  return addDays(to, -29);
}
