import { fullKelly, kellyStake, type KellyOptions } from "../betting/kelly.js";
import { fairProbability, isAmericanOdds } from "../betting/odds.js";
import { tierOf, type TierThresholds } from "../betting/tiers.js";
import type { EnsembleModel } from "../models/ensemble/artifact.js";
import type { ScoredPick } from "../schemas/predict.js";
import { MODEL_PREDS_LENGTH } from "../store/normalize.js";
import { rejection, type Candidate, type Rejection } from "./candidate.js";
import type { OtherSideIndex } from "./other-side.js";

export interface ScoringOptions {
  kelly: KellyOptions;
  tiers: TierThresholds;
  /** Stakes are also given in units of this bankroll; null for shares only. */
  bankroll: number | null;
}

export type Scoring = { scored: ScoredPick } | { unscored: Rejection };

/**
 * Scores one candidate: the ensemble's calibrated probability from the pick's four upstream values,
 * the fair probability of its price (margin removed when the other side's price is on the record or
 * in `others`), the edge between them, its tier, and the fractional Kelly stake — 0 unless the edge
 * is positive, never above the cap. A candidate that cannot be scored is returned with its reason.
 */
export function scorePick(model: EnsembleModel, candidate: Candidate, others: OtherSideIndex, options: ScoringOptions): Scoring {
  const { pick, betting } = candidate;
  const reject = (reason: Rejection["reason"], detail: string): Scoring => ({ unscored: rejection(candidate, reason, detail) });
  if (betting === null) return reject("record_unreadable", "the record could not be read back from the store snapshot");
  if (pick.marketLabel === null) return reject("no_market", "the record has no pick_type or market");
  if (pick.gameMarket === null) return reject("not_game_market", `market ${pick.marketLabel} is not a game market (SPREAD, TOTAL, MONEYLINE)`);
  const preds = pick.preds;
  if (preds.status === "missing") return reject("no_model_preds", "no ai_breakdown.raw_inputs.model_preds.values");
  if (preds.status === "insufficient") return reject("insufficient_values", `model_preds has ${preds.length} values, the ensemble needs ${MODEL_PREDS_LENGTH}`);
  if (preds.status === "bad") return reject("bad_values", `model_preds has a value among its first ${MODEL_PREDS_LENGTH} that is not a finite number`);
  const { odds } = betting;
  if (odds === undefined || odds === null) return reject("no_odds", "the record has no odds");
  if (!isAmericanOdds(odds)) return reject("bad_odds", `odds ${JSON.stringify(odds)} is not an American price (a number ≤ −100 or ≥ +100)`);
  let probability: number;
  let uncalibrated: number;
  try {
    uncalibrated = model.predictUncalibrated(preds.values);
    probability = model.predict(preds.values);
  } catch (error) {
    if (error instanceof RangeError) return reject("outside_transform_domain", error.message);
    throw error;
  }
  const fromRecord = betting.otherSideOdds;
  const found = fromRecord === null ? others.find({ sourceLine: candidate.sourceLine, pick, betting }) : null;
  const otherOdds = fromRecord ?? found?.odds ?? null;
  const fair = fairProbability(odds, otherOdds);
  const edge = probability - fair.probability;
  // Kelly prices the bet at the quoted odds; with a negative margin on the two prices a pick could have a
  // positive Kelly fraction and no edge over the fair price. The edge decides whether to bet at all.
  const stake = edge > 0 ? kellyStake(probability, odds, options.kelly) : 0;
  return {
    scored: {
      pick_id: pick.pickId,
      source_line: candidate.sourceLine,
      date: pick.date,
      sport: pick.sport,
      market: pick.gameMarket,
      home_team: pick.homeTeam,
      away_team: pick.awayTeam,
      selection: betting.selection,
      side: betting.side,
      line: betting.line,
      book: betting.book,
      odds,
      probability,
      probability_uncalibrated: uncalibrated,
      implied: fair.implied,
      fair: fair.probability,
      vig_removed: fair.vig_removed,
      other_side_source: fromRecord !== null ? "record" : (found?.source ?? null),
      other_side_odds: otherOdds,
      other_side_pick_id: found?.pickId ?? null,
      overround: fair.overround,
      edge,
      tier: tierOf(edge, options.tiers),
      kelly_full: fullKelly(probability, odds),
      stake,
      stake_units: options.bankroll === null ? null : stake * options.bankroll,
    },
  };
}
