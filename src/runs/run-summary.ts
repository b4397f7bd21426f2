import path from "node:path";
import { etDateOfInstant } from "../dates.js";
import type { RunDocument, RunSummary } from "../schemas/run.js";

export type { RunSummary };
import { readRun, resolveRunDir } from "./run-reader.js";


export function summarize(dir: string, run: RunDocument, now: Date): RunSummary {
  const started = Date.parse(run.started_at);
  return {
    run_id: run.run_id,
    dir,
    status: run.status,
    started_at: run.started_at,
    date_et: etDateOfInstant(started),
    age_hours: Math.round(((now.getTime() - started) / 3_600_000) * 100) / 100,
    failures: run.failures,
  };
}

/** A run read for checking: its document, or why it could not be read. */
export type LoadedRun = { dir: string; run: RunDocument; error: null } | { dir: string; run: null; error: string };

export async function loadRun(dir: string): Promise<LoadedRun> {
  try {
    return { dir, run: await readRun(dir), error: null };
  } catch (error) {
    return { dir, run: null, error: (error as Error).message };
  }
}

/** The directory `current` points to, or null when there is no `current`. */
export async function currentRunDir(home: string): Promise<string | null> {
  try {
    return await resolveRunDir(home, "current");
  } catch {
    return null;
  }
}

export const runIdOf = (dir: string): string => path.basename(dir);
