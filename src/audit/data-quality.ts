import type { dataQualitySchema } from "../schemas/audit-report.js";
import type { z } from "zod";
import type { Pick } from "../store/normalize.js";
import { ATTRIBUTION_BUCKETS, attributeMissingPreds, type AttributionBucket } from "./attribution.js";

export const MISSING = "MISSING";
const REQUIRED_FIELDS = ["home_team", "away_team", "sport", "date"] as const;
type RequiredField = (typeof REQUIRED_FIELDS)[number];
const MARKET_KEYS = ["game", "prop", "other", MISSING] as const;
type MarketKey = (typeof MARKET_KEYS)[number];

export type DataQualityReport = z.infer<typeof dataQualitySchema>;

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export const marketKey = (pick: Pick): MarketKey => pick.marketClass ?? MISSING;

/** Counts what is missing or malformed in the records, after the overlay. */
export class DataQuality {
  private readonly report_: DataQualityReport = {
    total_records: 0,
    graded_count: 0,
    ungraded_count: 0,
    missing_grade_status: 0,
    missing_result: 0,
    missing_required_fields: zeros(REQUIRED_FIELDS),
    missing_model_preds_total: 0,
    missing_model_preds_attribution: zeros(ATTRIBUTION_BUCKETS),
    missing_model_preds_by_market: zeros(MARKET_KEYS),
    insufficient_model_preds: 0,
    insufficient_model_preds_by_length: {},
    bad_values: 0,
    extra_values: 0,
    complete_model_preds: 0,
  };

  constructor(private readonly predsIntroduced: string) {}

  add(pick: Pick): void {
    const r = this.report_;
    r.total_records += 1;
    if (pick.gradeStatus === "GRADED") r.graded_count += 1;
    else r.ungraded_count += 1;
    if (pick.gradeStatus === null) r.missing_grade_status += 1;
    if (pick.result === null) r.missing_result += 1;
    if (pick.homeTeam === null) r.missing_required_fields.home_team += 1;
    if (pick.awayTeam === null) r.missing_required_fields.away_team += 1;
    if (pick.sport === null) r.missing_required_fields.sport += 1;
    if (pick.date === null) r.missing_required_fields.date += 1;
    const preds = pick.preds;
    switch (preds.status) {
      case "missing":
        r.missing_model_preds_total += 1;
        r.missing_model_preds_attribution[attributeMissingPreds(pick, this.predsIntroduced)] += 1;
        r.missing_model_preds_by_market[marketKey(pick)] += 1;
        break;
      case "insufficient": {
        r.insufficient_model_preds += 1;
        const key = String(preds.length);
        r.insufficient_model_preds_by_length[key] = (r.insufficient_model_preds_by_length[key] ?? 0) + 1;
        break;
      }
      case "bad":
        r.bad_values += 1;
        break;
      case "ok":
        r.complete_model_preds += 1;
        if (preds.length > 4) r.extra_values += 1;
        break;
    }
  }

  report(): DataQualityReport {
    return structuredClone(this.report_);
  }
}
