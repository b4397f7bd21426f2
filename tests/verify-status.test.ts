import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { statusSchema } from "../src/schemas/status.js";
import { trainingAlertSchema, verifyVerdictSchema } from "../src/schemas/verify.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { tempDir } from "./helpers/store.js";

const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
/** 07:00 and 07:30 in New York on a November day are 12:00Z and 12:30Z. */
const at = (date: string, time: "07:00" | "07:30") => ({ ENGINE1_NOW: `${date}T${time === "07:00" ? "12:00" : "12:30"}:00Z` });
const train = (home: string, date: string, extra: string[] = []) =>
  engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--sport", "NBA", "--home", home, "--lstm-epochs", "1", "--quiet", ...extra], at(date, "07:00"));
const verify = (home: string, date: string) => {
  const r = engine1(["verify", "--home", home, "--json"], at(date, "07:30"));
  return { ...r, verdict: r.stdout ? verifyVerdictSchema.parse(JSON.parse(r.stdout)) : null };
};
const alertFile = (home: string, date: string) => path.join(home, "audit_logs", `training_alert_${date}.json`);
const status = (home: string, date: string, extra: string[] = []) => {
  const r = engine1(["status", "--home", home, "--store", STORE, "--as-of", date, "--json", ...extra], at(date, "07:30"));
  expect(r.status).toBe(0);
  return statusSchema.parse(JSON.parse(r.stdout));
};

describe("a day of cron: train at 07:00, verify at 07:30", () => {
  const home = tempDir();

  it("passes on the day training ran, with no alert file", () => {
    expect(train(home, "2026-11-20").status).toBe(0);
    const v = verify(home, "2026-11-20");
    expect(v.status).toBe(0);
    expect(v.stderr).toBe("");
    expect(v.verdict).toMatchObject({ verdict: "PASS", date_et: "2026-11-20", check_time_et: "2026-11-20T07:30:00.000-05:00", training_ran: true, alerts: [], alert_file: null, action: null });
    expect(v.verdict!.checks.every((c) => c.status === "passed")).toBe(true);
    expect(existsSync(path.join(home, "audit_logs"))).toBe(false);
  });

  it("fails the next day when no training ran, and writes the alert file", () => {
    const v = verify(home, "2026-11-21");
    expect(v.status).toBe(1);
    const runId = v.verdict!.current_run!.run_id;
    const stale =
      `STALE: the current run ${runId} started 2026-11-20T07:00:00.000-05:00, not on 2026-11-21, and is 24.5 hours old (limit 24): ` +
      "training did not happen on 2026-11-21";
    expect(v.verdict!.alerts).toEqual([stale]);
    expect(v.stderr).toBe(`engine1: ${stale}\n`);
    expect(v.verdict!.alert_file).toBe(alertFile(home, "2026-11-21"));
    const alert = trainingAlertSchema.parse(JSON.parse(readFileSync(alertFile(home, "2026-11-21"), "utf8")));
    expect(alert).toEqual({
      schema_version: 1,
      date_et: "2026-11-21",
      check_time_et: "2026-11-21T07:30:00.000-05:00",
      training_ran: false,
      alerts: [stale],
      action: `Read the training log, run \`engine1 status --home ${home}\`, fix the cause, then run \`engine1 train\` by hand; current still points to ${runId}.`,
      home,
      current_run_id: runId,
    });
    // --max-age-hours can accept yesterday's run.
    expect(engine1(["verify", "--home", home, "--max-age-hours", "25", "--quiet"], at("2026-11-21", "07:30")).status).toBe(0);
  });

  it("fails when an artifact was altered after training", () => {
    const h = tempDir();
    train(h, "2026-11-20");
    const file = path.join(h, "current", "matchup.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"prior_strength": 5', '"prior_strength": 0'));
    const v = verify(h, "2026-11-20");
    expect(v.status).toBe(1);
    expect(v.verdict!.alerts).toHaveLength(1);
    expect(v.verdict!.alerts[0]).toMatch(
      new RegExp(`^CHECKSUM: run \\S+: ${file.replace(/current/, "runs/\\S+").replace(/\./g, "\\.")} was changed after training \\(sha256 [0-9a-f]{12}… on disk, [0-9a-f]{12}… in run\\.json\\)$`),
    );
    expect(v.verdict!.checks.find((c) => c.name === "artifacts")!.status).toBe("failed");
    expect(existsSync(alertFile(h, "2026-11-20"))).toBe(true);
  });

  it("fails with NEVER_RAN on an empty home", () => {
    const h = tempDir();
    const v = verify(h, "2026-11-20");
    expect(v.status).toBe(1);
    expect(v.verdict!.alerts).toEqual([`NEVER_RAN: no training run exists in ${h}: the daily training has never run here`]);
    expect(v.verdict!.training_ran).toBe(false);
    expect(v.verdict!.checks.map((c) => `${c.name}:${c.status}`)).toEqual([
      "current_run:failed", "run_document:skipped", "ran_recently:skipped", "latest_run:passed",
      "assertions:skipped", "schema_match:skipped", "samples:skipped", "artifacts:skipped",
    ]);
  });

  it("fails with FAILED when the latest run failed, and on a run whose assertion failed", () => {
    const h = tempDir();
    train(h, "2026-11-20");
    // The next morning's run fails: nothing before February carries model_preds.
    const failed = engine1(["train", "--store", STORE, "--as-of", "2026-01-31", "--days", "all", "--home", h, "--lstm-epochs", "1", "--quiet"], at("2026-11-21", "07:00"));
    expect(failed.status).toBe(1);
    const v = verify(h, "2026-11-21");
    expect(v.status).toBe(1);
    expect(v.verdict!.training_ran).toBe(true);
    expect(v.verdict!.alerts).toHaveLength(2);
    expect(v.verdict!.alerts[0]).toMatch(/^STALE: /);
    expect(v.verdict!.alerts[1]).toMatch(/^FAILED: the latest run \S+ \(started 2026-11-21T07:00:00\.000-05:00\) is FAILED: ensemble used zero samples: /);

    const h2 = tempDir();
    train(h2, "2026-11-20");
    const runFile = path.join(h2, "current", "run.json");
    const run = JSON.parse(readFileSync(runFile, "utf8"));
    run.models.ensemble.signature.filter_telemetry.assertion_passed = false;
    run.models.ensemble.signature.filter_telemetry.assertion_error = "used_for_training 45 + drops 13 != eligible_from_upstream 59";
    writeFileSync(runFile, JSON.stringify(run));
    const v2 = verify(h2, "2026-11-20");
    expect(v2.status).toBe(1);
    expect(v2.verdict!.alerts).toEqual([
      `ASSERTION: run ${run.run_id}: ensemble's telemetry does not reconcile: used_for_training 45 + drops 13 != eligible_from_upstream 59`,
    ]);
  });

  it("exits 2 when the home cannot be read", () => {
    const file = path.join(tempDir(), "home-is-a-file");
    writeFileSync(file, "x");
    expect(engine1(["verify", "--home", file], at("2026-11-20", "07:30"))).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: cannot read ${path.join(file, "runs")}: ENOTDIR\n`,
    });
  });
});

describe("engine1 status", () => {
  it("reports NEVER_RAN, HEALTHY, STALE, FAILED and NO_DATA", () => {
    const home = tempDir();
    expect(status(home, "2026-11-20")).toMatchObject({ training_health: "NEVER_RAN", last_run: null, artifact_proof: [] });
    train(home, "2026-11-20");
    const healthy = status(home, "2026-11-20");
    expect(healthy.training_health).toBe("HEALTHY");
    expect(healthy.artifact_proof.map((p) => [path.basename(p.file!), p.matches])).toEqual([
      ["team_lstm.json", true],
      ["matchup.json", true],
      ["ensemble.json", true],
    ]);
    expect(healthy.store_audit).toMatchObject({ records: 400, graded_count: 385, ungraded_count: 15, reconciled: true });
    expect(status(home, "2026-11-22")).toMatchObject({ training_health: "STALE", health_reason: expect.stringMatching(/is 48\.5 hours old \(more than 24\)$/) });
    engine1(["train", "--store", STORE, "--as-of", "2026-01-31", "--days", "all", "--home", home, "--lstm-epochs", "1", "--quiet"], at("2026-11-22", "07:00"));
    const failed = status(home, "2026-11-22");
    expect(failed).toMatchObject({ training_health: "FAILED", last_run: { status: "FAILED" } });
    expect(failed.current_run_id).toBe(healthy.current_run_id);
    engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "1", "--sport", "NCAAB", "--home", home, "--lstm-epochs", "1", "--quiet"], at("2026-11-23", "07:00"));
    expect(status(home, "2026-11-23")).toMatchObject({ training_health: "NO_DATA", last_run: { status: "NO_DATA" } });
  });

  it("judges NO_DATA from graded records after the overlay, not from raw lines", () => {
    const home = tempDir();
    train(home, "2026-11-20");
    const dir = tempDir();
    const store = path.join(dir, "predictions.jsonl");
    writeFileSync(store, `${JSON.stringify({ pick_id: "a", grade_status: "PENDING" })}\n`);
    const withOverlay = path.join(dir, "graded_picks.jsonl");
    const r = engine1(["status", "--home", home, "--store", store, "--json", "--no-grades"], at("2026-11-20", "07:30"));
    expect(statusSchema.parse(JSON.parse(r.stdout))).toMatchObject({ training_health: "NO_DATA", health_reason: "the store holds no graded records after the grade overlay" });
    writeFileSync(withOverlay, `${JSON.stringify({ pick_id: "a", grade_status: "GRADED", result: "WIN" })}\n`);
    const graded = engine1(["status", "--home", home, "--store", store, "--json"], at("2026-11-20", "07:30"));
    expect(statusSchema.parse(JSON.parse(graded.stdout)).training_health).toBe("HEALTHY");
  });
});
