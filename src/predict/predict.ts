import { UNSCORED_REASONS, PREDICT_SCHEMA_VERSION, predictDocumentSchema, TIERS, type PredictDocument, type ScoredPick } from "../schemas/predict.js";
import { ENGINE1_VERSION } from "../version.js";
import type { CandidateSet } from "./candidates.js";
import type { Rejection } from "./candidate.js";
import type { RunEnsemble } from "./load-model.js";
import type { PredictSettings } from "./predict-options.js";
import { scorePick } from "./score-picks.js";

export interface PredictOptions {
  ensemble: RunEnsemble;
  candidates: CandidateSet;
  settings: PredictSettings;
  /** The ET date the candidates were read for (null for stdin). */
  date: string | null;
  sports: string[] | null;
  markets: string[] | null;
  bankroll: number | null;
  now?: Date;
}

const byEdge = (a: ScoredPick, b: ScoredPick): number => b.edge - a.edge || (a.pick_id < b.pick_id ? -1 : a.pick_id > b.pick_id ? 1 : 0);

/**
 * Scores every candidate with the run's ensemble and assembles the prediction document: each
 * candidate is either scored (and listed unless --min-edge or --tier leaves it out) or unscored
 * with its reason, and the accounting reconciles (read = graded + not selected + candidates;
 * candidates = scored + unscored; scored = listed + filtered out).
 */
export function predictPicks(options: PredictOptions): PredictDocument {
  const { ensemble, candidates: set, settings } = options;
  const scored: ScoredPick[] = [];
  const unscored: Rejection[] = [...set.rejected];
  for (const candidate of set.candidates) {
    const result = scorePick(ensemble.model, candidate, set.others, { kelly: settings.kelly, tiers: settings.tiers, bankroll: options.bankroll });
    if ("scored" in result) scored.push(result.scored);
    else unscored.push(result.unscored);
  }
  unscored.sort((a, b) => a.source_line - b.source_line);
  const listed = scored
    .filter((p) => (settings.minEdge === null || p.edge >= settings.minEdge) && (settings.tierFilter === null || settings.tierFilter.includes(p.tier)))
    .sort(byEdge);
  const candidates = set.candidates.length + set.rejected.length;
  const errors: string[] = [];
  if (set.read !== set.alreadyGraded + set.notSelected + candidates) {
    errors.push(`read ${set.read} != already_graded ${set.alreadyGraded} + not_selected ${set.notSelected} + candidates ${candidates}`);
  }
  if (candidates !== scored.length + unscored.length) errors.push(`candidates ${candidates} != scored ${scored.length} + unscored ${unscored.length}`);
  const unscoredByReason: Record<string, number> = {};
  for (const reason of UNSCORED_REASONS) {
    const n = unscored.filter((u) => u.reason === reason).length;
    if (n > 0) unscoredByReason[reason] = n;
  }
  const { artifact, run } = ensemble;
  return predictDocumentSchema.parse({
    schema_version: PREDICT_SCHEMA_VERSION,
    engine1_version: ENGINE1_VERSION,
    generated_at: (options.now ?? new Date()).toISOString(),
    run_id: run.run_id,
    model: {
      trained_as_of: run.as_of,
      feature_names: artifact.feature_names,
      transform: artifact.transform.kind,
      C: artifact.C,
      calibration: artifact.calibration?.method ?? null,
      artifact_sha256: ensemble.sha256,
    },
    source: set.source,
    date: options.date,
    options: {
      kelly_fraction: settings.kelly.fraction,
      kelly_cap: settings.kelly.cap,
      tiers: settings.tiers,
      min_edge: settings.minEdge,
      tier_filter: settings.tierFilter,
      sport: options.sports,
      markets: options.markets,
      bankroll: options.bankroll,
    },
    accounting: {
      read: set.read,
      already_graded: set.alreadyGraded,
      not_selected: set.notSelected,
      blank_lines: set.blankLines,
      candidates,
      scored: scored.length,
      unscored: unscored.length,
      unscored_by_reason: unscoredByReason,
      filtered_out: scored.length - listed.length,
      listed: listed.length,
      listed_by_tier: Object.fromEntries(TIERS.map((t) => [t, listed.filter((p) => p.tier === t).length])),
      assertion_passed: errors.length === 0,
      assertion_error: errors.length === 0 ? null : errors.join("; "),
    },
    picks: listed,
    unscored,
  });
}
