import { z } from "zod";
import { count } from "./common.js";

export const REPORT_SCHEMA_VERSION = 1;

/** The sections of an `engine1 report` page, in page order. */
export const REPORT_SECTIONS = [
  "run",
  "line_accounting",
  "grade_overlay",
  "filter_funnel",
  "model_telemetry",
  "reliability",
  "folds",
  "model_card",
  "backtest",
] as const;

/** What `engine1 report --json` prints: where the page went and what it holds. */
export const reportResultSchema = z.strictObject({
  schema_version: z.literal(REPORT_SCHEMA_VERSION),
  out: z.string(),
  bytes: count,
  /** The sections that hold data, in page order; the others only say why they have none. */
  sections: z.array(z.enum(REPORT_SECTIONS)),
  charts: count,
});

export type ReportResult = z.infer<typeof reportResultSchema>;
