import { addDays } from "../dates.js";
import type { EnsembleModel } from "../models/ensemble/artifact.js";
import type { EnsembleTrainingResult } from "../models/ensemble/train-ensemble.js";
import { CARD_SCHEMA_VERSION, modelCardSchema, type ModelCard } from "../schemas/card.js";
import { ENGINE1_VERSION } from "../version.js";
import type { GatesReport } from "./gates.js";
import { measureLatency } from "./latency.js";

export const CARD_FILE = "card.json";
export const EVALUATION_FILE = "evaluation.json";

export interface CardContext {
  runId: string;
  createdAt: string;
  asOf: string;
  windowDays: number | "all";
  sport: string | null;
  tensorflow: "tfjs" | "tfjs-node";
}

/**
 * The model card of a run's ensemble, validated by its schema: built from the training result, its
 * evaluation and gates, and the model as read back from the saved file (which the latency is timed on).
 */
export function buildModelCard(ensemble: EnsembleTrainingResult, model: EnsembleModel, gates: GatesReport, context: CardContext): ModelCard {
  const evaluation = ensemble.evaluation;
  const artifact = ensemble.artifact;
  if (evaluation === null || artifact === null) throw new Error("buildModelCard: needs a fitted and evaluated ensemble");
  const { wins, losses } = ensemble.class_balance;
  const comparison = evaluation.comparison;
  const best = comparison?.baselines.find((b) => b.name === comparison.best_baseline) ?? null;
  const std = ensemble.transformed_std ?? artifact.coefficients.map(() => 1);
  const importance = artifact.feature_names
    .map((feature, j) => ({ feature, coefficient: artifact.coefficients[j]!, standardized_coefficient: artifact.coefficients[j]! * std[j]! }))
    .sort((a, b) => Math.abs(b.standardized_coefficient) - Math.abs(a.standardized_coefficient) || a.feature.localeCompare(b.feature))
    .map((entry, k) => ({ ...entry, rank: k + 1 }));
  const embargo = evaluation.options.embargo_days;
  const leakage = evaluation.folds.map((f) => ({
    fold: f.fold,
    latest_train_date: f.train.last_date,
    earliest_validation_date: f.validation.first_date,
    passed: f.train.last_date < addDays(f.validation.first_date, -embargo),
  }));
  return modelCardSchema.parse({
    schema_version: CARD_SCHEMA_VERSION,
    model: "ensemble",
    run_id: context.runId,
    created_at: context.createdAt,
    engine1_version: ENGINE1_VERSION,
    backend: { ensemble: "javascript", tensorflow: context.tensorflow },
    training: {
      as_of: context.asOf,
      window_days: context.windowDays,
      sport: context.sport,
      date_range: evaluation.date_range,
      rows: ensemble.samples_used,
      class_balance: { wins, losses, hit_rate: wins + losses === 0 ? null : wins / (wins + losses) },
    },
    hyperparameters: {
      C: artifact.C,
      search: evaluation.tuning?.search ?? evaluation.options.search,
      values_tried: evaluation.tuning?.trials.length ?? 0,
      chosen_by:
        evaluation.tuning === null
          ? `not searched (${evaluation.skipped_reason ?? "no evaluation"}): the default C`
          : evaluation.tuning.search === "fixed"
            ? "fixed by --C"
            : "lowest out-of-fold log loss",
      transform: evaluation.transform_kind,
    },
    calibration: {
      requested: evaluation.options.calibration,
      method: artifact.calibration?.method ?? "none",
      fitted_on: artifact.calibration?.fitted_on ?? 0,
      map: artifact.calibration,
    },
    metrics: {
      out_of_fold: evaluation.out_of_fold,
      scored:
        comparison === null || best === null
          ? null
          : {
              rows: comparison.rows,
              ensemble: comparison.ensemble,
              best_baseline: { name: best.name, log_loss: best.metrics.log_loss, n: best.metrics.n },
              log_loss_improvement: comparison.log_loss_improvement,
              beats_best_baseline: comparison.beats_best_baseline,
            },
      evaluation_skipped_reason: evaluation.skipped_reason,
    },
    feature_importance: importance,
    // Every fold that was built passed; with no folds (too few dates) nothing was split, so nothing leaked.
    leakage_checks: { passed: leakage.every((l) => l.passed), embargo_days: embargo, folds: leakage },
    latency: measureLatency(model, ensemble.probe_rows),
    gates,
    evaluation_file: EVALUATION_FILE,
  });
}
