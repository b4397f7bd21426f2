import { z } from "zod";
import { count, isoDate } from "./common.js";

export const filterTelemetrySchema = z.strictObject({
  filter_version: z.string(),
  loaded_total: count,
  graded_total: count,
  ungraded_total: count,
  drop_no_grade: count,
  drop_no_result: count,
  drop_wrong_market: count,
  drop_missing_required: count,
  drop_outside_window: count,
  drop_wrong_sport: count,
  eligible_total: count,
  sample_pick_ids: z.array(z.string()),
  as_of: isoDate,
  window_days: z.union([z.number().int().positive(), z.literal("all")]),
  window_start: isoDate.nullable(),
  sport: z.string().nullable(),
  markets: z.array(z.string()).nullable(),
  assertion_passed: z.boolean(),
  assertion_error: z.string().nullable(),
});
