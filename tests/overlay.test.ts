import { describe, expect, it } from "vitest";
import { audit, gamePick, jsonl, readPicks, tempDir, writeStore } from "./helpers/store.js";

describe("the grade overlay (SPEC 3)", () => {
  it("applies the last grade record of a pick_id, counts orphans, and keeps its own line accounting", async () => {
    const dir = tempDir();
    const store = writeStore(
      jsonl([
        gamePick({ pick_id: "a", grade_status: "PENDING", result: null }),
        gamePick({ pick_id: "b", grade_status: "PENDING", result: null }),
        gamePick({ pick_id: "c", grade_status: "PENDING", result: null }),
      ]),
      "predictions.jsonl",
      dir,
    );
    const grades = writeStore(
      [
        JSON.stringify({ pick_id: "a", grade_status: "GRADED", result: "LOSS", actual_home_score: 100, actual_away_score: 90 }),
        "{broken",
        "",
        "[]",
        JSON.stringify({ result: "WIN" }),
        JSON.stringify({ pick_id: "a", grade_status: "GRADED", result: "WIN" }),
        JSON.stringify({ pick_id: "b", grade_status: "graded", result: "push", actual_home_score: null }),
        JSON.stringify({ pick_id: "zz", grade_status: "GRADED", result: "WIN" }),
        JSON.stringify({ pick_id: "zz", grade_status: "GRADED", result: "LOSS" }),
        JSON.stringify({ pick_id: "yy", grade_status: "GRADED", result: "WIN" }),
      ].join("\n") + "\n",
      "graded_picks.jsonl",
      dir,
    );
    const { picks, reading } = await readPicks(store, grades);
    expect(picks.map((p) => [p.pickId, p.gradeStatus, p.result, p.homeScore, p.awayScore])).toEqual([
      // The last record for "a" wins; it has no scores, so the earlier record's scores are not kept.
      ["a", "GRADED", "WIN", null, null],
      ["b", "GRADED", "PUSH", null, null],
      ["c", "PENDING", null, null, null],
    ]);
    expect(reading.grade_overlay).toEqual({
      path: grades,
      source: "test",
      exists: true,
      format: "jsonl",
      size_bytes: reading.grade_overlay.size_bytes,
      bytes_read: reading.grade_overlay.size_bytes,
      line_accounting: {
        total_lines: 10,
        counts: { record: 6, blank: 1, parse_error: 1, not_object: 1, missing_pick_id: 1, duplicate_pick_id: 0, truncated_tail: 0 },
        first_bad_lines: { parse_error: [2], not_object: [4], missing_pick_id: [5], duplicate_pick_id: [], truncated_tail: [] },
        reconciled: true,
      },
      grade_records: 4,
      superseded: 2,
      applied: 2,
      orphaned: 2,
    });
  });

  it("copies an explicit null but leaves absent keys alone", async () => {
    const dir = tempDir();
    const store = writeStore(jsonl([gamePick({ pick_id: "a", actual_home_score: 101, actual_away_score: 99 })]), "predictions.jsonl", dir);
    const grades = writeStore(jsonl([{ pick_id: "a", actual_home_score: null }]), "graded_picks.jsonl", dir);
    const { picks } = await readPicks(store, grades);
    expect([picks[0]!.homeScore, picks[0]!.awayScore, picks[0]!.gradeStatus, picks[0]!.result]).toEqual([null, 99, "GRADED", "WIN"]);
  });

  it("grades only the first record of a duplicated pick_id", async () => {
    const dir = tempDir();
    const store = writeStore(
      jsonl([gamePick({ pick_id: "a", grade_status: "PENDING" }), gamePick({ pick_id: "a", grade_status: "PENDING" })]),
      "predictions.jsonl",
      dir,
    );
    const grades = writeStore(jsonl([{ pick_id: "a", grade_status: "GRADED", result: "WIN" }]), "graded_picks.jsonl", dir);
    const report = await audit(store, {}, grades);
    expect(report.line_accounting.counts.duplicate_pick_id).toBe(1);
    expect(report.data_quality.graded_count).toBe(1);
    expect(report.grade_overlay.applied).toBe(1);
    expect(report.grade_overlay.orphaned).toBe(0);
  });

  it("counts the audit's graded numbers after the overlay, so audit and filter agree", async () => {
    const dir = tempDir();
    const store = writeStore(
      jsonl([
        gamePick({ pick_id: "a", grade_status: "PENDING", result: null }),
        gamePick({ pick_id: "b", grade_status: "PENDING", result: null }),
        gamePick({ pick_id: "c", grade_status: "GRADED", result: "LOSS" }),
      ]),
      "predictions.jsonl",
      dir,
    );
    const grades = writeStore(jsonl([{ pick_id: "a", grade_status: "GRADED", result: "WIN" }]), "graded_picks.jsonl", dir);
    const report = await audit(store, {}, grades);
    expect([report.data_quality.graded_count, report.data_quality.ungraded_count]).toEqual([2, 1]);
    expect([report.filter_preview.graded_total, report.filter_preview.ungraded_total, report.filter_preview.eligible_total]).toEqual([2, 1, 2]);
    const alone = await audit(store);
    expect([alone.data_quality.graded_count, alone.filter_preview.eligible_total]).toEqual([1, 1]);
  });

  it("fails with a clear error when a named grade file is missing", async () => {
    const store = writeStore(jsonl([gamePick()]));
    await expect(readPicks(store, "/nonexistent/graded.jsonl")).rejects.toThrow(
      "grade file not found: /nonexistent/graded.jsonl (chosen by test)",
    );
  });
});
