import { z } from "zod";
import { CALIBRATION_CHOICES } from "../eval/choose-calibration.js";
import { GATE_NAMES } from "../eval/gates.js";
import { SEARCH_KINDS } from "../eval/tuning.js";
import { calibrationMapSchema } from "../models/calibration/calibration.js";
import { count, isoDate } from "./common.js";

const probability = z.number().min(0).max(1);

export const reliabilityBinSchema = z.strictObject({
  index: count,
  lower: probability,
  upper: probability,
  count,
  hits: count,
  expected_hits: z.number().nonnegative(),
  mean_prediction: probability.nullable(),
  hit_rate: probability.nullable(),
  actual_expected: z.number().nonnegative().nullable(),
});

/** Every metric with the number of picks it was computed on (`n`). */
export const metricReportSchema = z.strictObject({
  n: count,
  positives: count,
  accuracy: probability,
  log_loss: z.number().nonnegative(),
  brier: probability,
  auc: probability.nullable(),
  ece: probability,
  actual_expected: z.number().nonnegative().nullable(),
  bins: z.array(reliabilityBinSchema),
});

const dateSide = z.strictObject({ first_date: isoDate, last_date: isoDate, dates: count, rows: count });

export const foldReportSchema = z.strictObject({
  fold: z.number().int().positive(),
  train: dateSide,
  validation: dateSide,
  embargoed_dates: count,
  embargoed_rows: count,
  leakage_check: z.literal("passed"),
  train_hit_rate: probability,
  newton_iterations: count.nullable(),
  failure: z.string().nullable(),
  metrics: metricReportSchema.nullable(),
});

const calibrationMethod = z.enum(["none", "platt", "isotonic"]);

export const ensembleEvaluationSchema = z.strictObject({
  rows: count,
  date_range: z.strictObject({ first: isoDate, last: isoDate, dates: count }).nullable(),
  class_balance: z.strictObject({ wins: count, losses: count }),
  transform_kind: z.enum(["logit", "standardize"]).nullable(),
  options: z.strictObject({
    folds: z.number().int().min(2),
    embargo_days: count,
    calibration: z.enum(CALIBRATION_CHOICES),
    search: z.enum(SEARCH_KINDS),
    trials: z.number().int().positive(),
    seed: z.number().int(),
    isotonic_min_samples: z.number().int().positive(),
  }),
  skipped_reason: z.string().nullable(),
  folds: z.array(foldReportSchema),
  tuning: z
    .strictObject({
      search: z.enum(SEARCH_KINDS),
      seed: z.number().int(),
      trials: z.array(
        z.strictObject({
          trial: z.number().int().positive(),
          C: z.number().positive(),
          log_loss: z.number().nonnegative().nullable(),
          rows: count,
          failed_folds: count,
        }),
      ),
      chosen_C: z.number().positive(),
    })
    .nullable(),
  out_of_fold: metricReportSchema.nullable(),
  comparison: z
    .strictObject({
      from_fold: z.number().int().positive(),
      rows: count,
      ensemble: metricReportSchema,
      uncalibrated: metricReportSchema,
      baselines: z.array(z.strictObject({ name: z.string(), description: z.string(), metrics: metricReportSchema })),
      best_baseline: z.string(),
      log_loss_improvement: z.number(),
      beats_best_baseline: z.boolean(),
    })
    .nullable(),
  calibration: z
    .strictObject({
      requested: z.enum(CALIBRATION_CHOICES),
      chosen: calibrationMethod,
      candidates: z.array(
        z.strictObject({
          method: calibrationMethod,
          log_loss: z.number().nonnegative().nullable(),
          eligible: z.boolean(),
          reason: z.string().nullable(),
        }),
      ),
      map: calibrationMapSchema.nullable(),
      isotonic_min_samples: z.number().int().positive(),
    })
    .nullable(),
});

export const gatesReportSchema = z.strictObject({
  configured: z.boolean(),
  skipped: z.boolean(),
  passed: z.boolean(),
  config_path: z.string().nullable(),
  results: z.array(
    z.strictObject({
      gate: z.enum(GATE_NAMES),
      threshold: z.number(),
      actual: z.number().nullable(),
      passed: z.boolean(),
      detail: z.string(),
    }),
  ),
});

export const EVALUATION_SCHEMA_VERSION = 1;

/** What `engine1 evaluate --json` prints, and `<run>/evaluation.json`. */
export const evaluationDocumentSchema = z.strictObject({
  schema_version: z.literal(EVALUATION_SCHEMA_VERSION),
  engine1_version: z.string(),
  generated_at: z.string(),
  model: z.literal("ensemble"),
  source: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("run"), run_id: z.string(), dir: z.string() }),
    z.strictObject({
      kind: z.literal("store"),
      path: z.string(),
      sha256: z.string().nullable(),
      as_of: isoDate,
      window_days: z.union([z.number().int().positive(), z.literal("all")]),
      sport: z.string().nullable(),
    }),
  ]),
  evaluation: ensembleEvaluationSchema,
  gates: gatesReportSchema,
});

export type EvaluationDocument = z.infer<typeof evaluationDocumentSchema>;
