import type { filterTelemetrySchema } from "../schemas/filter.js";
import type { z } from "zod";
import type { Pick } from "../store/normalize.js";
import { windowStart, type FilterOptions } from "./filter-options.js";

export const FILTER_VERSION = "3.0";
export const DROP_STAGES = [
  "drop_no_grade",
  "drop_no_result",
  "drop_wrong_market",
  "drop_missing_required",
  "drop_outside_window",
  "drop_wrong_sport",
] as const;
export type DropStage = (typeof DROP_STAGES)[number];

const RESULTS = new Set(["WIN", "LOSS", "PUSH"]);
const SAMPLE_IDS_KEPT = 10;

/** Why a pick was dropped: the stage, the field it looked at, and the value that failed. */
export interface Drop {
  stage: DropStage;
  field: string;
  value: string | null;
}

export type FilterTelemetry = z.infer<typeof filterTelemetrySchema>;

/** The six stages of SPEC 4 for one pick: the first failing stage, or null when it is eligible. */
export function firstFailingStage(pick: Pick, options: FilterOptions, start: string | null): Drop | null {
  if (pick.gradeStatus !== "GRADED") return { stage: "drop_no_grade", field: "grade_status", value: pick.gradeStatus };
  if (pick.result === null || !RESULTS.has(pick.result)) {
    return { stage: "drop_no_result", field: "result", value: pick.result };
  }
  if (pick.gameMarket === null || (options.markets !== null && !options.markets.includes(pick.gameMarket))) {
    return { stage: "drop_wrong_market", field: "market", value: pick.marketLabel };
  }
  if (pick.homeTeam === null) return { stage: "drop_missing_required", field: "home_team", value: null };
  if (pick.awayTeam === null) return { stage: "drop_missing_required", field: "away_team", value: null };
  if (pick.sport === null) return { stage: "drop_missing_required", field: "sport", value: null };
  if (pick.date === null) return { stage: "drop_missing_required", field: "date", value: null };
  if (pick.date > options.asOf || (start !== null && pick.date < start)) {
    return { stage: "drop_outside_window", field: "date", value: pick.date };
  }
  if (options.sports !== null && !options.sports.includes(pick.sport)) {
    return { stage: "drop_wrong_sport", field: "sport", value: pick.sport };
  }
  return null;
}

/** Runs picks through the six-stage filter one at a time and keeps the telemetry. */
export class PickFilter {
  private readonly start: string | null;
  private loaded = 0;
  private graded = 0;
  private ungraded = 0;
  private eligible = 0;
  private readonly drops: Record<DropStage, number> = Object.fromEntries(DROP_STAGES.map((s) => [s, 0])) as Record<
    DropStage,
    number
  >;
  private readonly samples: string[] = [];

  constructor(readonly options: FilterOptions) {
    this.start = windowStart(options);
  }

  /** Counts the pick and returns why it was dropped, or null when it is eligible. */
  apply(pick: Pick): Drop | null {
    this.loaded += 1;
    if (pick.gradeStatus === "GRADED") this.graded += 1;
    else this.ungraded += 1;
    const drop = firstFailingStage(pick, this.options, this.start);
    if (drop === null) {
      this.eligible += 1;
      if (this.samples.length < SAMPLE_IDS_KEPT) this.samples.push(pick.pickId);
    } else {
      this.drops[drop.stage] += 1;
    }
    return drop;
  }

  telemetry(): FilterTelemetry {
    const dropped = DROP_STAGES.reduce((sum, stage) => sum + this.drops[stage], 0);
    const ungraded = this.ungraded;
    const errors: string[] = [];
    if (this.eligible + dropped !== this.loaded) {
      errors.push(`eligible_total ${this.eligible} + drops ${dropped} != loaded_total ${this.loaded}`);
    }
    if (this.graded + ungraded !== this.loaded) {
      errors.push(`graded_total ${this.graded} + ungraded_total ${ungraded} != loaded_total ${this.loaded}`);
    }
    return {
      filter_version: FILTER_VERSION,
      loaded_total: this.loaded,
      graded_total: this.graded,
      ungraded_total: ungraded,
      ...this.drops,
      eligible_total: this.eligible,
      sample_pick_ids: [...this.samples],
      as_of: this.options.asOf,
      window_days: this.options.days,
      window_start: this.start,
      sport: this.options.sports === null ? null : this.options.sports.join(","),
      markets: this.options.markets === null ? null : [...this.options.markets],
      assertion_passed: errors.length === 0,
      assertion_error: errors.length === 0 ? null : errors.join("; "),
    };
  }
}
