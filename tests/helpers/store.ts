import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { auditStore } from "../../src/audit/audit-store.js";
import { resolveFilterOptions, type FilterFlags } from "../../src/filter/filter-options.js";
import type { Pick } from "../../src/store/normalize.js";
import { readStore } from "../../src/store/read-store.js";

export function tempDir(prefix = "engine1-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes `content` (lines joined as given, or raw bytes) to a new temporary file and returns its path. */
export function writeStore(content: string | Buffer, name = "predictions.jsonl", dir = tempDir()): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** One JSONL line per record, each ending in a newline. */
export function jsonl(records: unknown[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

/** A graded game pick that passes every filter stage for as-of 2026-03-10. */
export function gamePick(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pick_id: "p1",
    sport: "NBA",
    home_team: "Boston Celtics",
    away_team: "Miami Heat",
    pick_type: "SPREAD",
    date_et: "2026-03-10",
    grade_status: "GRADED",
    result: "WIN",
    ai_breakdown: { raw_inputs: { model_preds: { values: [0.55, 0.6, 0.52, 0.58] } } },
    ...overrides,
  };
}

export async function readPicks(
  store: string,
  grades: string | null = null,
  threads = 0,
): Promise<{ picks: Pick[]; reading: Awaited<ReturnType<typeof readStore>> }> {
  const picks: Pick[] = [];
  const reading = await readStore({
    store: { path: store, source: "test" },
    grades: grades === null ? null : { path: grades, source: "test" },
    threads,
    onPick: (p) => picks.push(p),
  });
  return { picks, reading };
}

export async function audit(store: string, flags: FilterFlags = {}, grades: string | null = null) {
  return auditStore({
    store: { path: store, source: "test" },
    grades: grades === null ? null : { path: grades, source: "test" },
    filter: resolveFilterOptions({ asOf: "2026-03-10", ...flags }),
    now: new Date("2026-03-10T12:00:00Z"),
  });
}
