import { z } from "zod";
import { isoDate } from "./common.js";
import { runSummarySchema } from "./run.js";

/** `engine1 verify --json`: the verdict, pass or fail. */
export const verifyVerdictSchema = z.strictObject({
  schema_version: z.literal(1),
  verdict: z.enum(["PASS", "FAIL"]),
  home: z.string(),
  date_et: isoDate,
  check_time_et: z.string(),
  max_age_hours: z.number().positive(),
  training_ran: z.boolean(),
  current_run: runSummarySchema.nullable(),
  latest_run: runSummarySchema.nullable(),
  checks: z.array(z.strictObject({ name: z.string(), status: z.enum(["passed", "failed", "skipped"]) })),
  alerts: z.array(z.string()),
  action: z.string().nullable(),
  alert_file: z.string().nullable(),
});
export type VerifyVerdict = z.infer<typeof verifyVerdictSchema>;

/** `<home>/audit_logs/training_alert_<YYYY-MM-DD>.json` (SPEC 8). */
export const trainingAlertSchema = z.strictObject({
  schema_version: z.literal(1),
  date_et: isoDate,
  check_time_et: z.string(),
  training_ran: z.boolean(),
  alerts: z.array(z.string()).min(1),
  action: z.string(),
  home: z.string(),
  current_run_id: z.string().nullable(),
});
export type TrainingAlert = z.infer<typeof trainingAlertSchema>;
