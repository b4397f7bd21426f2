import { z } from "zod";
import { count, isoDate } from "./common.js";
import { filterTelemetrySchema } from "./filter.js";
import { ensembleSignatureSchema, matchupSignatureSchema, MODEL_NAMES, RUN_STATUSES, teamSignatureSchema } from "./run.js";

export const TRAINING_HEALTH = ["HEALTHY", "STALE", "NEVER_RAN", "FAILED", "NO_DATA"] as const;

const runSummary = z.strictObject({
  run_id: z.string(),
  dir: z.string(),
  status: z.enum(RUN_STATUSES),
  started_at: z.string(),
  date_et: isoDate,
  age_hours: z.number(),
  failures: z.array(z.string()),
});

/** `engine1 status --json` (SPEC 9). */
export const statusSchema = z.strictObject({
  schema_version: z.literal(1),
  engine1_version: z.string(),
  generated_at: z.string(),
  home: z.string(),
  training_health: z.enum(TRAINING_HEALTH),
  health_reason: z.string(),
  current_run_id: z.string().nullable(),
  last_run: runSummary.nullable(),
  last_successful_run: runSummary.nullable(),
  last_run_telemetry: filterTelemetrySchema.nullable(),
  signatures: z
    .strictObject({ team_lstm: teamSignatureSchema, matchup: matchupSignatureSchema, ensemble: ensembleSignatureSchema })
    .nullable(),
  artifact_proof: z.array(
    z.strictObject({
      model: z.enum(MODEL_NAMES),
      file: z.string().nullable(),
      exists: z.boolean(),
      size_bytes: count.nullable(),
      mtime_iso: z.string().nullable(),
      sha256: z.string().nullable(),
      expected_sha256: z.string().nullable(),
      matches: z.boolean(),
    }),
  ),
  store_audit: z
    .strictObject({
      path: z.string(),
      exists: z.boolean(),
      size_bytes: count,
      total_lines: count,
      reconciled: z.boolean(),
      records: count,
      graded_count: count,
      ungraded_count: count,
      graded_by_result: z.record(z.string(), count),
      eligible_timestamp_range: z.strictObject({ records: count, earliest: isoDate.nullable(), latest: isoDate.nullable() }),
      eligible_now: count,
      as_of: isoDate,
      window_days: z.union([z.number().int().positive(), z.literal("all")]),
    })
    .nullable(),
});
export type StatusDocument = z.infer<typeof statusSchema>;
