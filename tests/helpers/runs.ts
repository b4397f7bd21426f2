import { createHash } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";

/** Every file under a run directory with its SHA-256, to show a run was left untouched. */
export function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, createHash("sha256").update(readFileSync(path.join(dir, f))).digest("hex")]),
  );
}

export function currentTarget(home: string): string {
  return readlinkSync(path.join(home, "current"));
}

export function runDirs(home: string): string[] {
  return readdirSync(path.join(home, "runs")).sort();
}

const VARYING = new Set(["run_id", "training_run_id", "started_at", "finished_at", "training_timestamp", "durations_ms", "mtime_iso", "home"]);

/** A run document with what legitimately varies between two runs (ids, times, durations, paths) removed. */
export function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !VARYING.has(k))
        .map(([k, v]) => [k, scrub(v)]),
    );
  }
  return value;
}
