import type { distributionSchema, eligibleRangeSchema } from "../schemas/audit-report.js";
import type { z } from "zod";
import type { Pick } from "../store/normalize.js";
import { marketKey, MISSING } from "./data-quality.js";

export type DistributionReport = z.infer<typeof distributionSchema>;

export type EligibleRange = z.infer<typeof eligibleRangeSchema>;

class Tally {
  private readonly counts = new Map<string, number>();
  add(key: string | null): void {
    const k = key ?? MISSING;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
  /** Most frequent first, ties by key, so the document is the same on every run. */
  sorted(limit = Infinity): Record<string, number> {
    const entries = [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(entries.slice(0, limit));
  }
}

/** Distribution tables and the eligible date range (SPEC 7). */
export class Distribution {
  private readonly sport = new Tally();
  private readonly market = new Tally();
  private readonly pickType = new Tally();
  private readonly gradeStatus = new Tally();
  private readonly result = new Tally();
  private readonly range: EligibleRange = { records: 0, earliest: null, latest: null };

  add(pick: Pick): void {
    this.sport.add(pick.sport);
    this.market.add(marketKey(pick));
    this.pickType.add(pick.pickType);
    this.gradeStatus.add(pick.gradeStatus);
    this.result.add(pick.result);
    if (pick.gradeStatus === "GRADED" && (pick.result === "WIN" || pick.result === "LOSS") && pick.date !== null) {
      const r = this.range;
      r.records += 1;
      if (r.earliest === null || pick.date < r.earliest) r.earliest = pick.date;
      if (r.latest === null || pick.date > r.latest) r.latest = pick.date;
    }
  }

  report(): DistributionReport {
    return {
      by_sport: this.sport.sorted(),
      by_market: this.market.sorted(),
      by_pick_type_top5: this.pickType.sorted(5),
      by_grade_status: this.gradeStatus.sorted(),
      by_result: this.result.sorted(),
    };
  }

  eligibleRange(): EligibleRange {
    return { ...this.range };
  }
}
