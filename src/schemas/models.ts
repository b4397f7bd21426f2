import { z } from "zod";
import { modelCardSchema } from "./card.js";
import { count, isoDate } from "./common.js";
import { gatesReportSchema } from "./evaluation.js";
import { REGISTRY_ACTIONS, registryEventSchema } from "./registry-event.js";
import { MODEL_NAMES, RUN_STATUSES, runSchema } from "./run.js";

/** How a run stands against its promotion gates: none when it was not evaluated, unconfigured when no gate was listed. */
export const GATE_STATES = ["passed", "failed", "skipped", "unconfigured", "none"] as const;

/** The registry log as the views see it. */
export const registryStateSchema = z.strictObject({
  file: z.string(),
  events: count,
  /** The unfinished last line of the log, if its last append never finished. */
  truncated_line: z.strictObject({ line: count, bytes: count }).nullable(),
  /** Where `models rollback` would go now; null when there is nowhere to go or the log disagrees with current. */
  rollback_to: z.string().nullable(),
});

/** One run in `models list`. */
export const modelRunRowSchema = z.strictObject({
  run_id: z.string(),
  dir: z.string(),
  /** Null when run.json cannot be read; `error` says why. */
  status: z.enum(RUN_STATUSES).nullable(),
  error: z.string().nullable(),
  started_at: z.string().nullable(),
  date_et: isoDate.nullable(),
  /** Picks the ensemble was fitted on. */
  samples: count.nullable(),
  /** The ensemble's out-of-fold log loss and ECE from run.json `evaluation`; null when not evaluated. */
  log_loss: z.number().nullable(),
  ece: z.number().nullable(),
  gates: z.enum(GATE_STATES).nullable(),
  current: z.boolean(),
  last_action: z.strictObject({ action: z.enum(REGISTRY_ACTIONS), time: z.string() }).nullable(),
});
export type ModelRunRow = z.infer<typeof modelRunRowSchema>;

const header = {
  schema_version: z.literal(1),
  engine1_version: z.string(),
  generated_at: z.string(),
  home: z.string(),
  current_run: z.string().nullable(),
  registry: registryStateSchema,
  /** Disagreements between `current` and the log, and an unfinished last line: reported, never fatal. */
  warnings: z.array(z.string()),
};

/** `engine1 models list --json`: every run of the home, oldest first. */
export const modelsListSchema = z.strictObject({ ...header, runs: z.array(modelRunRowSchema) });
export type ModelsList = z.infer<typeof modelsListSchema>;

/** `engine1 models show --json`: one run, its models' signatures in brief, evaluation, card and registry history. */
export const modelsShowSchema = z.strictObject({
  ...header,
  run: modelRunRowSchema,
  failures: z.array(z.string()),
  as_of: isoDate,
  window_days: z.union([z.number().int().positive(), z.literal("all")]),
  sport: z.string().nullable(),
  models: z.array(
    z.strictObject({
      model: z.enum(MODEL_NAMES),
      status: z.enum(["SUCCESS", "FAILED"]),
      samples_used: count,
      feature_schema_hash: z.string(),
      feature_order_hash: z.string(),
      schema_match: z.boolean(),
      artifact_sha256: z.string().nullable(),
    }),
  ),
  evaluation: runSchema.shape.evaluation.unwrap(),
  gates: gatesReportSchema.nullable(),
  card: modelCardSchema.nullable(),
  /** Every event that made this run current or moved current away from it, oldest first. */
  history: z.array(registryEventSchema),
});
export type ModelsShow = z.infer<typeof modelsShowSchema>;

/** `engine1 models promote|rollback --json`. */
export const registryChangeSchema = z.strictObject({
  schema_version: z.literal(1),
  changed: z.boolean(),
  current_run: z.string(),
  event: registryEventSchema.nullable(),
  note: z.string().nullable(),
});
