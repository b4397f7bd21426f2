import { kellyStake, type KellyOptions } from "../betting/kelly.js";
import { tierOf, type TierThresholds } from "../betting/tiers.js";
import { addDays } from "../dates.js";
import { applyCalibration, type CalibrationMap } from "../models/calibration/calibration.js";
import { EnsembleModel } from "../models/ensemble/artifact.js";
import { fitEnsemble } from "../models/ensemble/fit-ensemble.js";
import { collectSamples } from "../models/ensemble/samples.js";
import { ENSEMBLE_TOLERANCE } from "../models/ensemble/train-ensemble.js";
import { MODEL_PREDS_LENGTH, type Pick } from "../store/normalize.js";
import { OutOfSampleCalibrator } from "./calibrator.js";
import { fairOf, type Quote } from "./quotes.js";
import type { SettledBet, SettledResult } from "./segment.js";

/** Why a candidate of a day with a model was not scored, in the order they are tested. */
export const UNSCORED_REASONS = ["fit_failed", "no_odds", "no_model_preds", "insufficient_values", "bad_values", "outside_transform_domain"] as const;
export type UnscoredReason = (typeof UNSCORED_REASONS)[number];

/** The training rows a bet day's model was fitted on. */
export interface TrainingView {
  rows: number;
  pickIds: readonly string[];
  dates: readonly string[];
  /** Dates of the out-of-sample predictions the day's calibration map was fitted on (empty without one). */
  calibrationDates: readonly string[];
}

export interface WalkForwardOptions {
  from: string;
  to: string;
  C: number;
  /**
   * Whole days left out between the last training date and the day bet: rows dated before day − embargo
   * train. The CLI takes 0 or more; −1 would let the day's own results in, which a test uses to show what
   * a leak looks like.
   */
  embargoDays: number;
  kelly: KellyOptions;
  tiers: TierThresholds;
  maxIterations?: number;
  /**
   * "platt": each day's probabilities go through a Platt map fitted on the walk's own out-of-sample
   * predictions of earlier days (dated before the cutoff); days before it has MIN_CALIBRATION_ROWS
   * such rows count as no model yet. Default "none".
   */
  calibration?: "none" | "platt";
  /** Called for every bet day, before its picks are scored, with the rows its model was fitted on. */
  onFit?: (day: string, training: TrainingView) => void;
}

export interface WalkForwardResult {
  bets: SettledBet[];
  candidates: number;
  unscored: Record<UnscoredReason, number>;
  noModelYet: number;
  /** Scored bets whose fair probability had the margin removed (the opposite side was in the store). */
  vigRemoved: number;
  refits: number;
  largestTrainingRows: number;
  /** Platt maps fitted (0 without calibration). */
  calibrationFits: number;
}

/** Eligible picks by ET date, each day's in store order. */
function byDate(picks: readonly Pick[]): Map<string, Pick[]> {
  const days = new Map<string, Pick[]>();
  for (const pick of picks) {
    if (pick.date === null) throw new Error(`backtest: eligible pick ${pick.pickId} has no date`);
    const day = days.get(pick.date);
    if (day) day.push(pick);
    else days.set(pick.date, [pick]);
  }
  return days;
}

/** The training matrix, grown a day at a time in date order and never shrunk. */
class TrainingRows {
  readonly x: Float64Array;
  readonly y: Uint8Array;
  readonly pickIds: string[] = [];
  readonly dates: string[] = [];
  rows = 0;

  constructor(capacity: number) {
    this.x = new Float64Array(capacity * MODEL_PREDS_LENGTH);
    this.y = new Uint8Array(capacity);
  }

  /** Appends one day's picks, dropped and labelled exactly as training does (collectSamples). */
  append(picks: readonly Pick[]): void {
    const samples = collectSamples(picks);
    const used = picks.filter((p) => p.preds.status === "ok" && (p.result === "WIN" || p.result === "LOSS"));
    if (used.length !== samples.rows) throw new Error(`backtest: ${samples.rows} training rows from ${used.length} usable picks`);
    this.x.set(samples.x, this.rows * MODEL_PREDS_LENGTH);
    this.y.set(samples.y, this.rows);
    for (const pick of used) {
      this.pickIds.push(pick.pickId);
      this.dates.push(pick.date!);
    }
    this.rows += samples.rows;
  }
}

function settledResult(pick: Pick): SettledResult {
  if (pick.result === "WIN" || pick.result === "LOSS" || pick.result === "PUSH") return pick.result;
  throw new Error(`backtest: pick ${pick.pickId} reached settlement with result ${String(pick.result)}`);
}

/**
 * The walk forward: for each ET date in [from, to] with eligible picks, fit the ensemble on every
 * eligible pick dated before that day minus the embargo (nothing of the day itself or later), score
 * the day's picks, and settle them with their real results. `eligible` is every eligible graded pick
 * up to `to` (earlier history included); `quotes` holds the prices of the range's picks by position.
 */
export function walkForward(eligible: readonly Pick[], quotes: ReadonlyMap<number, Quote>, options: WalkForwardOptions): WalkForwardResult {
  const days = byDate(eligible);
  const dates = [...days.keys()].sort();
  const training = new TrainingRows(eligible.length);
  const calibrator = options.calibration === "platt" ? new OutOfSampleCalibrator() : null;
  const unscored = Object.fromEntries(UNSCORED_REASONS.map((r) => [r, 0])) as Record<UnscoredReason, number>;
  const result: WalkForwardResult = { bets: [], candidates: 0, unscored, noModelYet: 0, vigRemoved: 0, refits: 0, largestTrainingRows: 0, calibrationFits: 0 };
  const fitOptions = { C: options.C, maxIterations: options.maxIterations ?? 100, tolerance: ENSEMBLE_TOLERANCE };
  let next = 0;
  let model: EnsembleModel | null = null;
  let everFitted = false;
  let fittedRows = -1;
  const isBetDay = (d: string): boolean => d >= options.from && d <= options.to;
  // Calibration needs out-of-sample predictions from before the range too, so it walks every day.
  const walked = dates.filter((d) => d <= options.to && (calibrator !== null || d >= options.from));

  for (const day of walked) {
    const cutoff = addDays(day, -options.embargoDays);
    while (next < dates.length && dates[next]! < cutoff) training.append(days.get(dates[next++]!)!);
    if (training.rows !== fittedRows) {
      fittedRows = training.rows;
      const rows = training.rows;
      const fit = fitEnsemble(training.x.subarray(0, rows * MODEL_PREDS_LENGTH), training.y.subarray(0, rows), rows, fitOptions);
      model = fit.artifact === null ? null : EnsembleModel.fromArtifact(fit.artifact, `backtest model for ${day}`);
      if (model !== null) {
        everFitted = true;
        result.refits += 1;
        result.largestTrainingRows = Math.max(result.largestTrainingRows, rows);
      }
    }
    const map = calibrator?.mapBefore(cutoff) ?? null;
    if (isBetDay(day)) {
      options.onFit?.(day, {
        rows: training.rows,
        pickIds: training.pickIds.slice(0, training.rows),
        dates: training.dates.slice(0, training.rows),
        calibrationDates: calibrator === null ? [] : calibrator.dates.slice(0, calibrator.rows),
      });
      // Without its calibration map yet, the model asked for does not exist yet either.
      const waitingForMap = model !== null && calibrator !== null && map === null;
      const ready = waitingForMap ? null : model;
      for (const pick of days.get(day)!) scoreAndSettle(pick, ready, map, !everFitted || waitingForMap, quotes, options, result);
    }
    // After the day is bet: its picks become out-of-sample rows for later days' maps.
    if (calibrator !== null && model !== null) {
      for (const pick of days.get(day)!) {
        if (pick.preds.status !== "ok" || (pick.result !== "WIN" && pick.result !== "LOSS")) continue;
        const p = predictOrNull(model, pick.preds.values);
        if (p !== null) calibrator.add(day, p, pick.result === "WIN");
      }
    }
  }
  result.calibrationFits = calibrator?.fits ?? 0;
  return result;
}

function predictOrNull(model: EnsembleModel, values: readonly number[]): number | null {
  try {
    return model.predictUncalibrated(values);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** One candidate of a bet day: counted as not yet modelled, unscored with its reason, or scored and settled. */
function scoreAndSettle(
  pick: Pick,
  model: EnsembleModel | null,
  map: CalibrationMap | null,
  /** No model yet (rather than a failed refit) when `model` is null. */
  notYet: boolean,
  quotes: ReadonlyMap<number, Quote>,
  options: WalkForwardOptions,
  result: WalkForwardResult,
): void {
  const { unscored } = result;
  result.candidates += 1;
  const outcome = settledResult(pick);
  if (model === null) {
    if (notYet) result.noModelYet += 1;
    else unscored.fit_failed += 1;
    return;
  }
  const quote = quotes.get(pick.position);
  if (quote === undefined || quote.odds === null) {
    unscored.no_odds += 1;
    return;
  }
  const preds = pick.preds;
  if (preds.status !== "ok") {
    unscored[preds.status === "missing" ? "no_model_preds" : preds.status === "insufficient" ? "insufficient_values" : "bad_values"] += 1;
    return;
  }
  const raw = predictOrNull(model, preds.values);
  if (raw === null) {
    unscored.outside_transform_domain += 1;
    return;
  }
  const probability = map === null ? raw : applyCalibration(map, raw);
  const fair = fairOf({ odds: quote.odds, otherSide: quote.otherSide });
  if (fair.vigRemoved) result.vigRemoved += 1;
  const edge = probability - fair.probability;
  result.bets.push({
    pickId: pick.pickId,
    date: pick.date!,
    position: pick.position,
    result: outcome,
    odds: quote.odds,
    probability,
    fair: fair.probability,
    edge,
    tier: tierOf(edge, options.tiers),
    // As predict: the edge over the fair price decides whether to bet, Kelly at the quoted odds how much.
    stake: edge > 0 ? kellyStake(probability, quote.odds, options.kelly) : 0,
  });
}
