import { z } from "zod";
import { isoDate } from "./common.js";

const clockTime = z.string().regex(/^\d{2}:\d{2}$/);
const dailyExpression = z.string().regex(/^\d{1,2} \d{1,2} \* \* \*$/).describe("the five time fields of a crontab line");
const utcOffset = z.string().regex(/^[+-]\d{2}:\d{2}$/);
const absolutePath = z.string().startsWith("/");

const jobSchema = z.strictObject({
  et_time: clockTime.describe("the America/New_York wall time the job runs at"),
  command: z.string().describe("the command field of the crontab line, exactly as it is written after the time fields"),
  cron_tz_schedule: dailyExpression.describe("time fields to use under CRON_TZ=America/New_York"),
  cron_tz_line: z.string(),
  utc_schedule: dailyExpression.describe("time fields for a cron clock in UTC, right for the season of as_of"),
  utc_line: z.string(),
});

const seasonSchema = z.strictObject({
  abbreviation: z.string().describe("EST or EDT"),
  utc_offset: utcOffset,
});

/** `engine1 schedule --json`: the crontab lines for the daily training and verification, as data. */
export const scheduleReportSchema = z.strictObject({
  schema_version: z.literal(1),
  timezone: z.literal("America/New_York"),
  as_of: isoDate.describe("the ET date whose season the UTC lines are computed for"),
  season: seasonSchema,
  next_dst_change: z
    .strictObject({
      date: isoDate.describe("the first ET date on which the UTC lines must change"),
      ...seasonSchema.shape,
      train_utc_schedule: dailyExpression,
      verify_utc_schedule: dailyExpression,
    })
    .nullable(),
  train: jobSchema,
  verify: jobSchema,
  timeout_minutes: z.number().int().positive().describe("train --timeout"),
  kill_after_minutes: z.number().int().positive().describe("when coreutils timeout ends a training that did not stop"),
  binary: absolutePath,
  node: absolutePath,
  store: absolutePath,
  grades: z.union([absolutePath, z.literal(false), z.null()]).describe("a grade file, false for --no-grades, null when train looks beside the store"),
  home: absolutePath,
  log: absolutePath,
  crontab_cron_tz: z.string().describe("the whole block to paste where cron honours CRON_TZ"),
  crontab_utc: z.string().describe("the whole block to paste where cron runs in UTC without CRON_TZ"),
  warnings: z.array(z.string()),
});
export type ScheduleReport = z.infer<typeof scheduleReportSchema>;
