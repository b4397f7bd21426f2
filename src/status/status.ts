import path from "node:path";
import { auditStore } from "../audit/audit-store.js";
import { isoEt } from "../dates.js";
import type { FilterOptions } from "../filter/filter-options.js";
import type { ResolvedPath } from "../paths.js";
import { proveArtifacts } from "../runs/artifact-proof.js";
import { listRuns } from "../runs/run-list.js";
import { currentRunDir, loadRun, summarize, type RunSummary } from "../runs/run-summary.js";
import { RUNS_DIR } from "../runs/run-writer.js";
import type { RunDocument } from "../schemas/run.js";
import type { StatusDocument } from "../schemas/status.js";
import { ENGINE1_VERSION } from "../version.js";

/** A successful run older than this makes training STALE (SPEC 9). */
export const STALE_AFTER_HOURS = 24;

export interface StatusOptions {
  home: string;
  /** The store to summarise, or null to skip reading it (`--no-store`). */
  store: { store: ResolvedPath; grades: ResolvedPath | null; volumeMountPath: string | null; filter: FilterOptions; threads?: number } | null;
  now?: Date;
}

type LoadedOk = { dir: string; run: RunDocument; error: null };
type Health = Pick<StatusDocument, "training_health" | "health_reason">;

function judgeHealth(last: RunSummary | null, lastSuccess: RunSummary | null, store: StatusDocument["store_audit"]): Health {
  if (last === null) return { training_health: "NEVER_RAN", health_reason: "no training run exists in this home" };
  if (last.status === "FAILED") {
    return { training_health: "FAILED", health_reason: `the last run ${last.run_id} failed: ${last.failures[0] ?? "see run.json"}` };
  }
  if (last.status === "NO_DATA") return { training_health: "NO_DATA", health_reason: `the last run ${last.run_id} had no eligible picks` };
  if (store !== null && store.exists && store.graded_count === 0) {
    return { training_health: "NO_DATA", health_reason: "the store holds no graded records after the grade overlay" };
  }
  if (lastSuccess === null || lastSuccess.age_hours > STALE_AFTER_HOURS) {
    return {
      training_health: "STALE",
      health_reason: lastSuccess
        ? `the last successful run ${lastSuccess.run_id} is ${lastSuccess.age_hours} hours old (more than ${STALE_AFTER_HOURS})`
        : "no run has succeeded",
    };
  }
  return { training_health: "HEALTHY", health_reason: `the last run ${last.run_id} succeeded ${last.age_hours} h ago` };
}

async function storeSummary(options: NonNullable<StatusOptions["store"]>): Promise<StatusDocument["store_audit"]> {
  const report = await auditStore({ ...options, volumeMountPath: options.volumeMountPath });
  const graded: Record<string, number> = {};
  // Health counts graded records after the overlay, never raw store lines.
  for (const [result, n] of Object.entries(report.distribution.by_result)) graded[result] = n;
  return {
    path: report.store_provenance.path,
    exists: report.store_provenance.exists,
    size_bytes: report.store_provenance.size_bytes,
    total_lines: report.line_accounting.total_lines,
    reconciled: report.reconciled,
    records: report.data_quality.total_records,
    graded_count: report.data_quality.graded_count,
    ungraded_count: report.data_quality.ungraded_count,
    graded_by_result: graded,
    eligible_timestamp_range: report.eligible_timestamp_range,
    eligible_now: report.filter_preview.eligible_total,
    as_of: report.filter_preview.as_of,
    window_days: report.filter_preview.window_days,
  };
}

/** The training-status document (SPEC 9): health, the last run, artifact proof and a store summary. */
export async function trainingStatus(options: StatusOptions): Promise<StatusDocument> {
  const now = options.now ?? new Date();
  const home = options.home;
  const runs = await listRuns(home);
  const currentDir = await currentRunDir(home);
  // Newest first, and only as far back as needed: the last run, the last success and current.
  let lastLoaded: LoadedOk | null = null;
  let successLoaded: LoadedOk | null = null;
  let current: LoadedOk | null = null;
  for (const id of runs.slice().reverse()) {
    const loaded = await loadRun(path.join(home, RUNS_DIR, id));
    if (loaded.run === null) continue;
    lastLoaded ??= loaded;
    if (loaded.run.status === "SUCCESS") successLoaded ??= loaded;
    if (loaded.dir === currentDir) current = loaded;
    if (successLoaded !== null && (currentDir === null || current !== null)) break;
  }
  const last = lastLoaded && summarize(lastLoaded.dir, lastLoaded.run, now);
  const lastSuccess = successLoaded && summarize(successLoaded.dir, successLoaded.run, now);
  const store = options.store === null ? null : await storeSummary(options.store);
  return {
    schema_version: 1,
    engine1_version: ENGINE1_VERSION,
    generated_at: isoEt(now),
    home,
    ...judgeHealth(last, lastSuccess, store),
    current_run_id: current?.run.run_id ?? null,
    last_run: last,
    last_successful_run: lastSuccess,
    last_run_telemetry: lastLoaded?.run.filter_telemetry ?? null,
    signatures: lastLoaded
      ? {
          team_lstm: lastLoaded.run.models.team_lstm.signature,
          matchup: lastLoaded.run.models.matchup.signature,
          ensemble: lastLoaded.run.models.ensemble.signature,
        }
      : null,
    artifact_proof: current ? await proveArtifacts(current.dir, current.run) : [],
    store_audit: store,
  };
}
