import { z } from "zod";
import { eligibleRangeSchema } from "./audit-report.js";
import { count, isoDate } from "./common.js";
import { filterTelemetrySchema } from "./filter.js";
import { ensembleSignatureSchema, matchupSignatureSchema, MODEL_NAMES, runSummarySchema, teamSignatureSchema } from "./run.js";

export const TRAINING_HEALTH = ["HEALTHY", "STALE", "NEVER_RAN", "FAILED", "NO_DATA"] as const;

/** `engine1 status --json` (SPEC 9). */
export const statusSchema = z.strictObject({
  schema_version: z.literal(1),
  engine1_version: z.string(),
  generated_at: z.string(),
  home: z.string(),
  training_health: z.enum(TRAINING_HEALTH),
  health_reason: z.string(),
  current_run_id: z.string().nullable(),
  last_run: runSummarySchema.nullable(),
  last_successful_run: runSummarySchema.nullable(),
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
      eligible_timestamp_range: eligibleRangeSchema,
      eligible_now: count,
      as_of: isoDate,
      window_days: z.union([z.number().int().positive(), z.literal("all")]),
    })
    .nullable(),
});
export type StatusDocument = z.infer<typeof statusSchema>;
