import { z } from "zod";
import { calibrationMapSchema } from "../models/calibration/calibration.js";
import { count, isoDate } from "./common.js";
import { gatesReportSchema, metricReportSchema } from "./evaluation.js";

export const CARD_SCHEMA_VERSION = 1;

/** `<run>/card.json`: what the ensemble of a run is, what it was trained on and how good it is. */
export const modelCardSchema = z.strictObject({
  schema_version: z.literal(CARD_SCHEMA_VERSION),
  model: z.literal("ensemble"),
  run_id: z.string(),
  created_at: z.string(),
  engine1_version: z.string(),
  backend: z.strictObject({
    /** The ensemble is fitted and scored in plain JavaScript (Newton / IRLS). */
    ensemble: z.literal("javascript"),
    /** The TensorFlow.js backend the run's team model used. */
    tensorflow: z.enum(["tfjs", "tfjs-node"]),
  }),
  training: z.strictObject({
    as_of: isoDate,
    window_days: z.union([z.number().int().positive(), z.literal("all")]),
    sport: z.string().nullable(),
    date_range: z.strictObject({ first: isoDate, last: isoDate, dates: count }).nullable(),
    rows: count,
    class_balance: z.strictObject({ wins: count, losses: count, hit_rate: z.number().min(0).max(1).nullable() }),
  }),
  hyperparameters: z.strictObject({
    C: z.number().positive(),
    search: z.enum(["grid", "random", "fixed"]),
    values_tried: count,
    chosen_by: z.string(),
    transform: z.enum(["logit", "standardize"]).nullable(),
  }),
  calibration: z.strictObject({
    requested: z.string(),
    method: z.enum(["none", "platt", "isotonic"]),
    fitted_on: count,
    map: calibrationMapSchema.nullable(),
  }),
  metrics: z.strictObject({
    out_of_fold: metricReportSchema.nullable(),
    scored: z
      .strictObject({
        rows: count,
        ensemble: metricReportSchema,
        best_baseline: z.strictObject({ name: z.string(), log_loss: z.number().nonnegative(), n: count }),
        log_loss_improvement: z.number(),
        beats_best_baseline: z.boolean(),
      })
      .nullable(),
    evaluation_skipped_reason: z.string().nullable(),
  }),
  feature_importance: z.array(
    z.strictObject({
      feature: z.string(),
      coefficient: z.number(),
      /** The coefficient times the training deviation of its transformed feature: comparable across features. */
      standardized_coefficient: z.number(),
      rank: z.number().int().positive(),
    }),
  ),
  leakage_checks: z.strictObject({
    passed: z.boolean(),
    embargo_days: count,
    folds: z.array(
      z.strictObject({ fold: z.number().int().positive(), latest_train_date: isoDate, earliest_validation_date: isoDate, passed: z.boolean() }),
    ),
  }),
  latency: z.strictObject({
    predictions: z.number().int().positive(),
    p50_us: z.number().nonnegative(),
    p95_us: z.number().nonnegative(),
    p99_us: z.number().nonnegative(),
    max_us: z.number().nonnegative(),
  }),
  gates: gatesReportSchema,
  evaluation_file: z.string(),
});

export type ModelCard = z.infer<typeof modelCardSchema>;
