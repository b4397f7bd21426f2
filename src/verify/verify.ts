import path from "node:path";
import { isoEt, todayEt } from "../dates.js";
import { proveArtifacts } from "../runs/artifact-proof.js";
import { listRuns } from "../runs/run-list.js";
import { currentRunDir, loadRun, runIdOf, summarize, type RunSummary } from "../runs/run-summary.js";
import { RUNS_DIR } from "../runs/run-writer.js";
import { MODEL_NAMES, type RunDocument } from "../schemas/run.js";
import type { VerifyVerdict } from "../schemas/verify.js";

export const DEFAULT_MAX_AGE_HOURS = 24;

export interface VerifyOptions {
  home: string;
  /** The ET date training should have run on (default: today in ET). */
  asOf?: string;
  maxAgeHours?: number;
  now?: Date;
}

interface Finding {
  check: string;
  alert: string;
}

/** What a run itself must show: reconciled telemetry, matching schemas, samples, intact artifacts. */
async function checkRun(dir: string, run: RunDocument): Promise<Finding[]> {
  const id = run.run_id;
  const found: Finding[] = [];
  if (!run.filter_telemetry.assertion_passed) {
    found.push({ check: "assertions", alert: `ASSERTION: run ${id}: the filter telemetry does not reconcile: ${run.filter_telemetry.assertion_error}` });
  }
  for (const model of MODEL_NAMES) {
    const s = run.models[model].signature;
    if (!s.filter_telemetry.assertion_passed) {
      found.push({ check: "assertions", alert: `ASSERTION: run ${id}: ${model}'s telemetry does not reconcile: ${s.filter_telemetry.assertion_error}` });
    }
    if (!s.schema_match) found.push({ check: "schema_match", alert: `SCHEMA_MISMATCH: run ${id}: ${model}'s schema_match is false` });
    if (s.samples_used === 0) found.push({ check: "samples", alert: `ZERO_SAMPLES: run ${id}: ${model} used zero samples` });
  }
  for (const proof of await proveArtifacts(dir, run)) {
    if (proof.file === null) {
      found.push({ check: "artifacts", alert: `MISSING_ARTIFACT: run ${id}: ${proof.model} saved no artifact` });
    } else if (!proof.exists) {
      found.push({ check: "artifacts", alert: `MISSING_ARTIFACT: run ${id}: ${proof.file} is missing` });
    } else if (!proof.matches) {
      found.push({
        check: "artifacts",
        alert:
          `CHECKSUM: run ${id}: ${proof.file} was changed after training ` +
          `(sha256 ${proof.sha256!.slice(0, 12)}… on disk, ${proof.expected_sha256!.slice(0, 12)}… in run.json)`,
      });
    }
  }
  return found;
}

const CHECKS = ["current_run", "run_document", "ran_recently", "latest_run", "assertions", "schema_match", "samples", "artifacts"] as const;

/**
 * The 07:30 check (SPEC 8): the run `current` points to — and the newest run, when it is newer — exists,
 * parses, ran today (or within --max-age-hours), reconciled, matched its schemas, used samples, and its
 * artifacts are the bytes run.json recorded. Reads two run documents and hashes their artifacts; never
 * loads a model.
 */
export async function verifyTraining(options: VerifyOptions): Promise<Omit<VerifyVerdict, "alert_file">> {
  const now = options.now ?? new Date();
  const asOf = options.asOf ?? todayEt(now);
  const maxAge = options.maxAgeHours ?? DEFAULT_MAX_AGE_HOURS;
  const home = options.home;
  const runs = await listRuns(home);
  const findings: Finding[] = [];
  const currentDir = await currentRunDir(home);
  const newestDir = runs.length > 0 ? path.join(home, RUNS_DIR, runs.at(-1)!) : null;
  let current: RunSummary | null = null;
  let newest: RunSummary | null = null;

  if (currentDir === null) {
    findings.push({
      check: "current_run",
      alert:
        runs.length === 0
          ? `NEVER_RAN: no training run exists in ${home}: the daily training has never run here`
          : `NEVER_RAN: no run in ${home} has ever succeeded: there is no current run (${runs.length} failed or empty runs)`,
    });
  } else {
    const loaded = await loadRun(currentDir);
    if (loaded.run === null) {
      findings.push({ check: "run_document", alert: `INVALID_RUN: the current run cannot be read: ${loaded.error}` });
    } else {
      current = summarize(currentDir, loaded.run, now);
      if (current.date_et !== asOf && current.age_hours > maxAge) {
        findings.push({
          check: "ran_recently",
          alert:
            `STALE: the current run ${current.run_id} started ${current.started_at}, not on ${asOf}, and is ` +
            `${current.age_hours} hours old (limit ${maxAge}): training did not happen on ${asOf}`,
        });
      }
      if (loaded.run.status !== "SUCCESS") {
        findings.push({ check: "latest_run", alert: `FAILED: the current run ${current.run_id} is ${loaded.run.status}` });
      }
      findings.push(...(await checkRun(currentDir, loaded.run)));
    }
  }
  if (newestDir !== null && newestDir !== currentDir && (currentDir === null || runIdOf(newestDir) > runIdOf(currentDir))) {
    const loaded = await loadRun(newestDir);
    if (loaded.run === null) {
      findings.push({ check: "run_document", alert: `INVALID_RUN: the latest run cannot be read: ${loaded.error}` });
    } else {
      newest = summarize(newestDir, loaded.run, now);
      const why = loaded.run.failures.length > 0 ? `: ${loaded.run.failures.join("; ")}` : "";
      findings.push({
        check: "latest_run",
        alert: `${loaded.run.status === "NO_DATA" ? "NO_DATA" : "FAILED"}: the latest run ${newest.run_id} (started ${newest.started_at}) is ${loaded.run.status}${why}`,
      });
    }
  }
  const latest = newest ?? current;
  const trainingRan = latest !== null && latest.date_et === asOf;
  const failing = new Set(findings.map((f) => f.check));
  const alerts = findings.map((f) => f.alert);
  // Without a readable current run, the checks of its contents did not run: say so, not "passed".
  const ran = (name: (typeof CHECKS)[number]): boolean =>
    current !== null || name === "current_run" || name === "latest_run" || (name === "run_document" && (currentDir ?? newestDir) !== null);
  return {
    schema_version: 1,
    verdict: alerts.length === 0 ? "PASS" : "FAIL",
    home,
    date_et: asOf,
    check_time_et: isoEt(now),
    max_age_hours: maxAge,
    training_ran: trainingRan,
    current_run: current,
    latest_run: newest,
    checks: CHECKS.map((name) => ({ name, status: failing.has(name) ? "failed" : ran(name) ? "passed" : "skipped" })),
    alerts,
    action:
      alerts.length === 0
        ? null
        : `Read the training log, run \`engine1 status --home ${home}\`, fix the cause, then run \`engine1 train\` by hand; ` +
          (current ? `current still points to ${current.run_id}.` : "no model is current."),
  };
}
