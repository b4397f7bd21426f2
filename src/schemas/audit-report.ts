import { z } from "zod";
import { ATTRIBUTION_BUCKETS } from "../audit/attribution.js";
import { count, counts, isoDate, tally } from "./common.js";
import { filterTelemetrySchema } from "./filter.js";
import { gradeOverlaySchema, lineAccountingSchema, storeProvenanceSchema } from "./store.js";

import { AUDIT_SCHEMA_VERSION } from "./audit-version.js";

export { AUDIT_SCHEMA_VERSION };

export const dataQualitySchema = z.strictObject({
  total_records: count,
  graded_count: count,
  ungraded_count: count,
  missing_grade_status: count,
  missing_result: count,
  missing_required_fields: counts(["home_team", "away_team", "sport", "date"]),
  missing_model_preds_total: count,
  missing_model_preds_attribution: counts(ATTRIBUTION_BUCKETS),
  missing_model_preds_by_market: counts(["game", "prop", "other", "MISSING"]),
  insufficient_model_preds: count,
  insufficient_model_preds_by_length: tally,
  bad_values: count,
  extra_values: count,
  complete_model_preds: count,
});

export const distributionSchema = z.strictObject({
  by_sport: tally,
  by_market: tally,
  by_pick_type_top5: tally,
  by_grade_status: tally,
  by_result: tally,
});

export const eligibleRangeSchema = z.strictObject({
  records: count,
  earliest: isoDate.nullable(),
  latest: isoDate.nullable(),
});

/** The document `engine1 audit-store --json` prints. */
export const auditReportSchema = z.strictObject({
  schema_version: z.literal(AUDIT_SCHEMA_VERSION),
  engine1_version: z.string(),
  generated_at: z.string(),
  preds_introduced: isoDate,
  store_provenance: storeProvenanceSchema,
  line_accounting: lineAccountingSchema,
  grade_overlay: gradeOverlaySchema,
  data_quality: dataQualitySchema,
  distribution: distributionSchema,
  eligible_timestamp_range: eligibleRangeSchema,
  filter_preview: filterTelemetrySchema,
  reconciled: z.boolean(),
});
export type AuditReport = z.infer<typeof auditReportSchema>;
