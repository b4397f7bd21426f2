import type { FilterTelemetry } from "../filter/filter.js";
import type { EnsembleModel } from "../models/ensemble/artifact.js";
import { ENSEMBLE_FEATURES, ENSEMBLE_LABEL, type EnsembleTrainingResult } from "../models/ensemble/train-ensemble.js";
import type { MatchupModel } from "../models/matchup/matchup-model.js";
import { MATCHUP_FEATURES, MATCHUP_LABEL, type MatchupResult } from "../models/matchup/train-matchup.js";
import type { TeamLstmModel } from "../models/team-lstm/artifact.js";
import { TEAM_FEATURES, TEAM_LABEL, type TeamLstmResult } from "../models/team-lstm/train-team-lstm.js";
import type { ModelTelemetry } from "../models/telemetry.js";
import type { WrittenFile } from "../runs/run-writer.js";
import type { ModelEntry, ModelName, RunDocument } from "../schemas/run.js";
import { baseSignature, compareSchemas, type FeatureSchema } from "./signature.js";

/** A saved artifact and the model the inference code read back from that file. */
export interface ModelOutcome<M> {
  file: WrittenFile | null;
  readBack: M | null;
}

interface Common {
  runId: string;
  timestamp: string;
  seed: number;
}

/** Why a model's training cannot count as a success, or null when it can. */
function modelFailure(name: ModelName, failure: string | null, telemetry: ModelTelemetry, schemaMatch: boolean): string | null {
  if (telemetry.used_for_training === 0) return `${name} used zero samples${failure ? `: ${failure}` : ""}`;
  if (failure !== null) return `${name}: ${failure}`;
  if (!telemetry.assertion_passed) return `${name} telemetry does not reconcile: ${telemetry.assertion_error}`;
  if (!schemaMatch) return `${name} schema_match is false: the saved artifact's features differ from training's`;
  return null;
}

function entry<S>(name: ModelName, failure: string | null, telemetry: ModelTelemetry, file: WrittenFile | null, signature: S & { schema_match: boolean }) {
  const why = modelFailure(name, failure, telemetry, signature.schema_match);
  return { status: why === null ? ("SUCCESS" as const) : ("FAILED" as const), failure: why, artifact: file, signature };
}

const schemaOf = (names: readonly string[], transform: unknown = null): FeatureSchema => ({ names, transform });

export function teamEntry(team: TeamLstmResult, telemetry: ModelTelemetry, saved: ModelOutcome<TeamLstmModel>, c: Common) {
  const schema = compareSchemas(schemaOf(TEAM_FEATURES), saved.readBack && schemaOf(saved.readBack.featureNames));
  return entry("team_lstm", team.failure, telemetry, saved.file, {
    ...baseSignature({ model: "team_lstm", ...c, samplesUsed: telemetry.used_for_training, schema, label: TEAM_LABEL, telemetry, hyperparameters: team.hyperparameters }),
    model: "team_lstm" as const,
    backend: team.backend,
    games_processed: team.games_processed,
    teams_cached_total: team.teams_cached_total,
    sports_included: team.sports_included,
    sequence_examples: team.sequence_examples,
    final_loss: team.final_loss,
    holdout: team.holdout,
    holdout_skipped_reason: team.holdout_skipped_reason,
  });
}

export function matchupEntry(matchup: MatchupResult, telemetry: ModelTelemetry, saved: ModelOutcome<MatchupModel>, c: Common) {
  const schema = compareSchemas(schemaOf(MATCHUP_FEATURES), saved.readBack && schemaOf(saved.readBack.featureNames));
  return entry("matchup", matchup.failure, telemetry, saved.file, {
    ...baseSignature({ model: "matchup", ...c, samplesUsed: telemetry.used_for_training, schema, label: MATCHUP_LABEL, telemetry, hyperparameters: matchup.hyperparameters }),
    model: "matchup" as const,
    games_processed: matchup.games_processed,
    matchups_tracked_total: matchup.matchups_tracked_total,
    sports_included: matchup.sports_included,
  });
}

export function ensembleEntry(ensemble: EnsembleTrainingResult, saved: ModelOutcome<EnsembleModel>, c: Common) {
  const trained = schemaOf(ENSEMBLE_FEATURES, ensemble.artifact?.transform.kind ?? null);
  const read = saved.readBack && schemaOf(saved.readBack.featureNames, saved.readBack.transformKind);
  const schema = compareSchemas(trained, read);
  const telemetry = ensemble.telemetry;
  return entry("ensemble", ensemble.failure, telemetry, saved.file, {
    ...baseSignature({ model: "ensemble", ...c, samplesUsed: ensemble.samples_used, schema, label: ENSEMBLE_LABEL, telemetry, hyperparameters: ensemble.hyperparameters }),
    model: "ensemble" as const,
    iterations: ensemble.fit?.iterations ?? null,
    final_loss: ensemble.fit?.final_loss ?? null,
    final_log_loss: ensemble.fit?.final_log_loss ?? null,
    converged: ensemble.fit?.converged ?? false,
    extra_values_count: ensemble.extra_values_count,
    class_balance: ensemble.class_balance,
    holdout: ensemble.holdout,
    holdout_skipped_reason: ensemble.holdout_skipped_reason,
  });
}

/** Every reason the run is not a success: the upstream assertion, then each model's failure. */
export function runFailures(upstream: FilterTelemetry, models: Record<ModelName, ModelEntry>): string[] {
  const failures: string[] = [];
  if (!upstream.assertion_passed) failures.push(`filter telemetry does not reconcile: ${upstream.assertion_error}`);
  if (upstream.eligible_total === 0) failures.push("no eligible picks: the six-stage filter kept nothing");
  for (const model of Object.values(models)) if (model.failure !== null) failures.push(model.failure);
  return failures;
}

/** NO_DATA when nothing passed the filter (and the filter itself reconciled); FAILED on any other failure. */
export function runStatus(upstream: FilterTelemetry, failures: string[]): RunDocument["status"] {
  if (failures.length === 0) return "SUCCESS";
  return upstream.assertion_passed && upstream.eligible_total === 0 ? "NO_DATA" : "FAILED";
}
