import { z } from "zod";
import { count, isoDate } from "./common.js";
import { filterTelemetrySchema } from "./filter.js";
import { gradeOverlaySchema, lineAccountingSchema, storeProvenanceSchema } from "./store.js";
import { gatesReportSchema } from "./evaluation.js";

export const RUN_SCHEMA_VERSION = 1;
export const MODEL_NAMES = ["team_lstm", "matchup", "ensemble"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
const hash16 = z.string().regex(/^[0-9a-f]{16}$/);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const modelTelemetrySchema = z.strictObject({
  eligible_from_upstream: count,
  drops: z.record(z.string(), count),
  used_for_training: count,
  assertion_passed: z.boolean(),
  assertion_error: z.string().nullable(),
});

/** SPEC 6: what every model's training signature holds. */
const baseSignature = z.strictObject({
  model: z.enum(MODEL_NAMES),
  training_run_id: z.string(),
  training_timestamp: z.string(),
  samples_used: count,
  feature_names: z.array(z.string()),
  feature_schema_hash: hash16,
  feature_order_hash: hash16,
  inference_feature_names: z.array(z.string()).nullable(),
  inference_feature_schema_hash: hash16.nullable(),
  inference_feature_order_hash: hash16.nullable(),
  schema_match: z.boolean(),
  label_type: z.string(),
  label_definition: z.string(),
  filter_telemetry: modelTelemetrySchema,
  hyperparameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  seed: z.number().int(),
  engine1_version: z.string(),
});

const holdoutTeam = z.strictObject({
  holdout_start_date: isoDate,
  train_examples: count,
  holdout_examples: count,
  mae: z.number(),
  baseline_mae: z.number(),
});

export const teamSignatureSchema = baseSignature.extend({
  model: z.literal("team_lstm"),
  backend: z.enum(["tfjs", "tfjs-node"]),
  games_processed: count,
  teams_cached_total: count,
  sports_included: z.array(z.string()),
  sequence_examples: count,
  final_loss: z.number().nullable(),
  holdout: holdoutTeam.nullable(),
  holdout_skipped_reason: z.string().nullable(),
});

export const matchupSignatureSchema = baseSignature.extend({
  model: z.literal("matchup"),
  games_processed: count,
  matchups_tracked_total: count,
  sports_included: z.array(z.string()),
});

export const ensembleSignatureSchema = baseSignature.extend({
  model: z.literal("ensemble"),
  iterations: count.nullable(),
  final_loss: z.number().nullable(),
  final_log_loss: z.number().nullable(),
  converged: z.boolean(),
  extra_values_count: count,
  class_balance: z.strictObject({ wins: count, losses: count }),
  holdout: z
    .strictObject({
      train_rows: count,
      holdout_rows: count,
      holdout_start_date: isoDate,
      log_loss: z.number(),
      brier: z.number(),
      auc: z.number().nullable(),
      base_rate: z.number(),
      base_rate_log_loss: z.number(),
    })
    .nullable(),
  holdout_skipped_reason: z.string().nullable(),
});

export const artifactRefSchema = z.strictObject({ file: z.string(), bytes: count, sha256 });

const modelEntry = <S extends z.ZodType>(signature: S) =>
  z.strictObject({
    status: z.enum(["SUCCESS", "FAILED"]),
    failure: z.string().nullable(),
    artifact: artifactRefSchema.nullable(),
    signature,
  });

export const RUN_STATUSES = ["SUCCESS", "NO_DATA", "FAILED"] as const;

/** `<home>/runs/<run_id>/run.json`, and what `train --json` prints. */
export const runSchema = z.strictObject({
  schema_version: z.literal(RUN_SCHEMA_VERSION),
  run_id: z.string(),
  engine1_version: z.string(),
  status: z.enum(RUN_STATUSES),
  failures: z.array(z.string()),
  started_at: z.string(),
  finished_at: z.string(),
  date_et: isoDate,
  durations_ms: z.record(z.string(), z.number().nonnegative()),
  as_of: isoDate,
  window_days: z.union([z.number().int().positive(), z.literal("all")]),
  sport: z.string().nullable(),
  markets: z.array(z.string()).nullable(),
  seed: z.number().int(),
  backend: z.enum(["tfjs", "tfjs-node"]),
  home: z.string(),
  lock_recovered_from: z
    .strictObject({ pid: z.number().int(), hostname: z.string(), run_id: z.string(), started_at: z.string() })
    .nullable(),
  store: z.strictObject({
    provenance: storeProvenanceSchema,
    line_accounting: lineAccountingSchema,
    grade_overlay: gradeOverlaySchema,
  }),
  filter_telemetry: filterTelemetrySchema,
  models: z.strictObject({
    team_lstm: modelEntry(teamSignatureSchema),
    matchup: modelEntry(matchupSignatureSchema),
    ensemble: modelEntry(ensembleSignatureSchema),
  }),
  /** The ensemble's date-fold evaluation in brief (the whole of it is in `evaluation.json`); null when not evaluated. Absent in runs of 0.1.0. */
  evaluation: z
    .strictObject({
      file: artifactRefSchema.nullable(),
      card: artifactRefSchema.nullable(),
      skipped_reason: z.string().nullable(),
      chosen_C: z.number().positive(),
      calibration: z.string(),
      ece: z.number().nullable(),
      log_loss: z.number().nullable(),
      best_baseline: z.string().nullable(),
      log_loss_improvement: z.number().nullable(),
    })
    .nullable()
    .optional(),
  /** The promotion gates checked before `current` moved; null when there was no evaluation. Absent in runs of 0.1.0. */
  gates: gatesReportSchema.nullable().optional(),
});
export type RunDocument = z.infer<typeof runSchema>;
export type TeamSignature = z.infer<typeof teamSignatureSchema>;
export type MatchupSignature = z.infer<typeof matchupSignatureSchema>;
export type EnsembleSignature = z.infer<typeof ensembleSignatureSchema>;
export type ModelEntry = RunDocument["models"][ModelName];

/** Where a run is and when it started, as `verify` and `status` show it. */
export const runSummarySchema = z.strictObject({
  run_id: z.string(),
  dir: z.string(),
  status: z.enum(RUN_STATUSES),
  started_at: z.string(),
  date_et: isoDate,
  age_hours: z.number(),
  failures: z.array(z.string()),
});
export type RunSummary = z.infer<typeof runSummarySchema>;
