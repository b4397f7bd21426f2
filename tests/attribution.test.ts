import { describe, expect, it } from "vitest";
import { attributeMissingPreds } from "../src/audit/attribution.js";
import { normalizePick } from "../src/store/normalize.js";
import { extractRawPick } from "../src/store/pick.js";
import { audit, gamePick, jsonl, writeStore } from "./helpers/store.js";

const bucket = (overrides: Record<string, unknown>, introduced = "2026-02-01") => {
  const object = gamePick({ ai_breakdown: { raw_inputs: { lines: [1] } }, ...overrides });
  return attributeMissingPreds(normalizePick(extractRawPick(object, "p"), 1), introduced);
};

describe("attribution of missing model_preds (SPEC 7): first match wins", () => {
  it("puts old records first, whatever else they have", () => {
    expect(bucket({ date_et: "2026-01-31", pick_type: "PLAYER_POINTS", ai_breakdown: { error: "boom" } })).toBe("old_schema");
    expect(bucket({ date_et: "2026-02-01" })).toBe("unknown");
    expect(bucket({ date_et: "2026-02-01" }, "2026-02-09")).toBe("old_schema");
  });

  it("then non-game markets (props, other and missing market)", () => {
    expect(bucket({ pick_type: undefined, market: "player_points", ai_breakdown: { error: "x" } })).toBe("non_game_market");
    expect(bucket({ pick_type: "SHARP" })).toBe("non_game_market");
    expect(bucket({ pick_type: undefined })).toBe("non_game_market");
  });

  it("then the error path, in each of its forms", () => {
    expect(bucket({ ai_breakdown: { error: "timeout", ai_mode: "HEURISTIC_FALLBACK" } })).toBe("error_path");
    expect(bucket({ ai_breakdown: { fallback: true } })).toBe("error_path");
    expect(bucket({ scoring_breakdown: { timeout: 30 } })).toBe("error_path");
    expect(bucket({ scoring_breakdown: { error: "x" } })).toBe("error_path");
    expect(bucket({ ai_breakdown: { model_status: " timeout ", raw_inputs: {} } })).toBe("error_path");
    expect(bucket({ ai_breakdown: { error: null, fallback: false, model_status: "OK", raw_inputs: { a: 1 } } })).toBe("unknown");
  });

  it("then the heuristic fallback, on the breakdown or the record", () => {
    expect(bucket({ ai_breakdown: { ai_mode: "heuristic_fallback", raw_inputs: {} } })).toBe("heuristic_fallback");
    expect(bucket({ ai_mode: "HEURISTIC_DETERMINISTIC" })).toBe("heuristic_fallback");
  });

  it("then empty or absent raw_inputs, then unknown", () => {
    expect(bucket({ ai_breakdown: { raw_inputs: {} } })).toBe("empty_raw_inputs");
    expect(bucket({ ai_breakdown: null })).toBe("empty_raw_inputs");
    expect(bucket({ ai_breakdown: { raw_inputs: { model_preds: null } } })).toBe("unknown");
  });

  it("sums its buckets to the missing total in the audit", async () => {
    const store = writeStore(
      jsonl([
        gamePick({ pick_id: "1", date_et: "2026-01-01", ai_breakdown: null }),
        gamePick({ pick_id: "2", pick_type: "PLAYER_POINTS", ai_breakdown: null }),
        gamePick({ pick_id: "3", ai_breakdown: { error: "x" } }),
        gamePick({ pick_id: "4", ai_mode: "HEURISTIC_FALLBACK", ai_breakdown: { raw_inputs: { a: 1 } } }),
        gamePick({ pick_id: "5", ai_breakdown: { raw_inputs: {} } }),
        gamePick({ pick_id: "6", ai_breakdown: { raw_inputs: { model_preds: { values: null } } } }),
        gamePick({ pick_id: "7", ai_breakdown: { raw_inputs: { model_preds: { values: [0.5, 0.5] } } } }),
        gamePick({ pick_id: "8", ai_breakdown: { raw_inputs: { model_preds: { values: [0.5, "0.5", 0.5, 0.5] } } } }),
        gamePick({ pick_id: "9", ai_breakdown: { raw_inputs: { model_preds: { values: [0.5, 0.5, 0.5, 0.5, null] } } } }),
        gamePick({ pick_id: "10" }),
      ]),
    );
    const q = (await audit(store)).data_quality;
    expect(q.missing_model_preds_total).toBe(6);
    expect(q.missing_model_preds_attribution).toEqual({
      old_schema: 1,
      non_game_market: 1,
      error_path: 1,
      heuristic_fallback: 1,
      empty_raw_inputs: 1,
      unknown: 1,
    });
    expect(q.missing_model_preds_by_market).toEqual({ game: 5, prop: 1, other: 0, MISSING: 0 });
    expect([q.insufficient_model_preds, q.insufficient_model_preds_by_length, q.bad_values]).toEqual([1, { "2": 1 }, 1]);
    expect([q.complete_model_preds, q.extra_values]).toEqual([2, 1]);
  });
});
