import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstFailingStage, PickFilter } from "../src/filter/filter.js";
import { parseDays, parseList, parseMarkets, resolveFilterOptions, windowStart } from "../src/filter/filter-options.js";
import { normalizePick } from "../src/store/normalize.js";
import { extractRawPick } from "../src/store/pick.js";
import { gamePick } from "./helpers/store.js";

const pick = (overrides: Record<string, unknown> = {}) => {
  const object = gamePick(overrides);
  return normalizePick(extractRawPick(object, String(object.pick_id)), 1);
};
const stage = (overrides: Record<string, unknown>, flags: Parameters<typeof resolveFilterOptions>[0] = {}) => {
  const options = resolveFilterOptions({ asOf: "2026-03-10", ...flags });
  return firstFailingStage(pick(overrides), options, windowStart(options))?.stage ?? "eligible";
};

describe("the six-stage filter (SPEC 4)", () => {
  it("passes a complete graded game pick", () => {
    expect(stage({})).toBe("eligible");
  });

  it("drops at the first failing stage, in order", () => {
    expect(stage({ grade_status: "PENDING", result: null, pick_type: "PLAYER_POINTS" })).toBe("drop_no_grade");
    expect(stage({ result: "VOID", pick_type: "PLAYER_POINTS" })).toBe("drop_no_result");
    expect(stage({ pick_type: "PLAYER_POINTS", home_team: "" })).toBe("drop_wrong_market");
    expect(stage({ home_team: " ", date_et: "2020-01-01" })).toBe("drop_missing_required");
    expect(stage({ date_et: "2026-02-01", sport: "NFL" }, { sport: "NBA" })).toBe("drop_outside_window");
    expect(stage({ sport: "NFL" }, { sport: "NBA" })).toBe("drop_wrong_sport");
  });

  it("reads grade_status, result, market and sport case-insensitively and trimmed", () => {
    expect(stage({ grade_status: " graded ", result: "win", pick_type: "spread", sport: "nba" }, { sport: "NBA" })).toBe("eligible");
    expect(stage({ result: "push" })).toBe("eligible");
    expect(stage({ grade_status: 1 })).toBe("drop_no_grade");
    expect(stage({ result: ["WIN"] })).toBe("drop_no_result");
  });

  it("knows plural, ML and H2H market names, and lets pick_type win over market", () => {
    for (const name of ["SPREAD", "spreads", "Total", "TOTALS", "moneyline", "Moneylines", "ml", "H2H", "h2h"]) {
      expect(stage({ pick_type: name })).toBe("eligible");
    }
    expect(stage({ pick_type: undefined, market: "totals" })).toBe("eligible");
    expect(stage({ pick_type: "SHARP", market: "SPREAD" })).toBe("drop_wrong_market");
    expect(stage({ pick_type: null, market: "H2H" })).toBe("eligible");
    expect(stage({ pick_type: undefined, market: undefined })).toBe("drop_wrong_market");
    expect(stage({ pick_type: "TOTAL" }, { markets: "spread,ml" })).toBe("drop_wrong_market");
    expect(stage({ pick_type: "h2h" }, { markets: "spread,ml" })).toBe("eligible");
  });

  it("requires home_team, away_team, sport and a valid date", () => {
    expect(stage({ away_team: null })).toBe("drop_missing_required");
    expect(stage({ sport: 5 })).toBe("drop_missing_required");
    expect(stage({ date_et: "03/10/2026" })).toBe("drop_missing_required");
    expect(stage({ date_et: "2026-02-30" })).toBe("drop_missing_required");
    // A malformed date_et is missing: there is no fallback to created_at.
    expect(stage({ date_et: "soon", created_at: "2026-03-10T12:00:00Z" })).toBe("drop_missing_required");
    // Absent or null date_et falls back to created_at, then persisted_at_et.
    expect(stage({ date_et: null, created_at: "2026-03-10T12:00:00-05:00" })).toBe("eligible");
    expect(stage({ date_et: undefined, persisted_at_et: "2026-03-10 08:00:00" })).toBe("eligible");
    expect(stage({ date_et: undefined, created_at: "yesterday" })).toBe("drop_missing_required");
    expect(stage({ date_et: undefined, created_at: "yesterday", persisted_at_et: "2026-03-09T23:00:00-05:00" })).toBe("eligible");
  });

  it("keeps the window [as_of - (N - 1), as_of] and never the future", () => {
    expect(stage({ date_et: "2026-03-04" })).toBe("eligible");
    expect(stage({ date_et: "2026-03-03" })).toBe("drop_outside_window");
    expect(stage({ date_et: "2026-03-11" })).toBe("drop_outside_window");
    expect(stage({ date_et: "2026-03-10" }, { days: "1" })).toBe("eligible");
    expect(stage({ date_et: "2026-03-09" }, { days: "1" })).toBe("drop_outside_window");
    expect(stage({ date_et: "2019-01-01" }, { days: "all" })).toBe("eligible");
    expect(stage({ date_et: "2026-03-11" }, { days: "ALL" })).toBe("drop_outside_window");
  });

  it("takes sport comma lists trimmed, upper-cased, empty entries ignored", () => {
    expect(stage({ sport: "NFL" }, { sport: " nba, ,nfl ," })).toBe("eligible");
    expect(stage({ sport: "NHL" }, { sport: "nba,nfl" })).toBe("drop_wrong_sport");
    expect(stage({ sport: "NHL" }, { sport: " , " })).toBe("eligible");
    expect(parseList(" nba, ,Nfl,NBA ")).toEqual(["NBA", "NFL"]);
  });

  it("reports the failing value for --explain", () => {
    const options = resolveFilterOptions({ asOf: "2026-03-10", sport: "NBA" });
    expect(firstFailingStage(pick({ grade_status: "pending" }), options, windowStart(options))).toEqual({
      stage: "drop_no_grade",
      field: "grade_status",
      value: "PENDING",
    });
    expect(firstFailingStage(pick({ date_et: "2026-04-01" }), options, windowStart(options))).toEqual({
      stage: "drop_outside_window",
      field: "date",
      value: "2026-04-01",
    });
    expect(firstFailingStage(pick({ pick_type: "player_points" }), options, windowStart(options))).toEqual({
      stage: "drop_wrong_market",
      field: "market",
      value: "PLAYER_POINTS",
    });
  });

  it("rejects bad --days and --markets values", () => {
    expect(() => parseDays("0")).toThrow('--days must be a whole number of days (1 or more) or "all", got "0"');
    expect(() => parseDays("7.5")).toThrow(/got "7.5"/);
    expect(() => parseMarkets("spread,props")).toThrow('--markets takes game markets (SPREAD, TOTAL, MONEYLINE), got "PROPS"');
    expect(() => resolveFilterOptions({ asOf: "2026-02-30" })).toThrow('--as-of must be a calendar date YYYY-MM-DD, got "2026-02-30"');
  });
});

describe("ET dates across daylight-saving changes", () => {
  let tz: string | undefined;
  beforeAll(() => {
    // The process's own zone must not matter: every date decision is made in America/New_York.
    tz = process.env.TZ;
    process.env.TZ = "Asia/Tokyo";
  });
  afterAll(() => {
    process.env.TZ = tz;
  });

  const dateOf = (created_at: string) => pick({ date_et: undefined, created_at }).date;

  it("converts instants with the offset in force on that day", () => {
    // Spring forward on 2026-03-08 at 02:00 EST (07:00Z).
    expect(dateOf("2026-03-08T04:59:59Z")).toBe("2026-03-07");
    expect(dateOf("2026-03-08T05:00:00Z")).toBe("2026-03-08");
    expect(dateOf("2026-03-09T03:59:59Z")).toBe("2026-03-08");
    expect(dateOf("2026-03-09T04:00:00Z")).toBe("2026-03-09");
    // Fall back on 2026-11-01 at 02:00 EDT (06:00Z).
    expect(dateOf("2026-11-01T03:59:59Z")).toBe("2026-10-31");
    expect(dateOf("2026-11-01T04:00:00Z")).toBe("2026-11-01");
    expect(dateOf("2026-11-02T04:59:59Z")).toBe("2026-11-01");
    expect(dateOf("2026-11-02T05:00:00Z")).toBe("2026-11-02");
    expect(dateOf("2026-11-02T00:30:00+01:00")).toBe("2026-11-01");
    // No offset: ET wall time.
    expect(dateOf("2026-03-08T23:59:59")).toBe("2026-03-08");
  });

  it("puts window edges on ET dates on both sides of a change", () => {
    const filter = new PickFilter(resolveFilterOptions({ asOf: "2026-03-08", days: "2" }));
    const stamps = ["2026-03-07T04:59:59Z", "2026-03-07T05:00:00Z", "2026-03-09T03:59:59Z", "2026-03-09T04:00:00Z"];
    const stages = stamps.map((s) => filter.apply(pick({ date_et: undefined, created_at: s }))?.stage ?? "eligible");
    expect(stages).toEqual(["drop_outside_window", "eligible", "eligible", "drop_outside_window"]);
    expect(filter.telemetry()).toMatchObject({ loaded_total: 4, eligible_total: 2, drop_outside_window: 2, window_start: "2026-03-07" });
  });
});

describe("filter telemetry", () => {
  it("reconciles and keeps the first ten eligible ids", () => {
    const filter = new PickFilter(resolveFilterOptions({ asOf: "2026-03-10", sport: "nba" }));
    for (let i = 0; i < 14; i++) filter.apply(pick({ pick_id: `e${i}` }));
    filter.apply(pick({ pick_id: "u", grade_status: "PENDING" }));
    filter.apply(pick({ pick_id: "x", result: null }));
    filter.apply(pick({ pick_id: "n", sport: "NHL" }));
    expect(filter.telemetry()).toEqual({
      filter_version: "3.0",
      loaded_total: 17,
      graded_total: 16,
      ungraded_total: 1,
      drop_no_grade: 1,
      drop_no_result: 1,
      drop_wrong_market: 0,
      drop_missing_required: 0,
      drop_outside_window: 0,
      drop_wrong_sport: 1,
      eligible_total: 14,
      sample_pick_ids: ["e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"],
      as_of: "2026-03-10",
      window_days: 7,
      window_start: "2026-03-04",
      sport: "NBA",
      markets: null,
      assertion_passed: true,
      assertion_error: null,
    });
  });
});
