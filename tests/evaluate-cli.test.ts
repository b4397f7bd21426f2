import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluationDocumentSchema, type EvaluationDocument } from "../src/schemas/evaluation.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { tempDir } from "./helpers/store.js";

const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
const STORE_SHA256 = (JSON.parse(readFileSync(path.join(ROOT, "fixtures/store/manifest.json"), "utf8")) as { files: { store_sha256: string } }).files.store_sha256;
const NOW = { ENGINE1_NOW: "2026-11-21T12:00:00.000Z" };
const fresh = (home = tempDir()) => ["evaluate", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--home", home];

const fx = (x: number | null, digits = 4) => (x === null ? "–" : x.toFixed(digits));

describe("engine1 evaluate on the store (a fresh fit)", () => {
  it("--json prints one evaluation document that validates, with the fixture's exact folds and counts", () => {
    const result = engine1([...fresh(), "--json"], NOW);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const doc = evaluationDocumentSchema.parse(JSON.parse(result.stdout));
    expect({ ...doc, evaluation: null }).toEqual({
      schema_version: 1,
      engine1_version: "0.1.0",
      generated_at: "2026-11-21T12:00:00.000Z",
      model: "ensemble",
      source: { kind: "store", path: STORE, sha256: STORE_SHA256, as_of: "2026-11-20", window_days: "all", sport: null },
      evaluation: null,
      gates: { configured: false, skipped: false, passed: true, config_path: null, results: [] },
    });
    const e = doc.evaluation;
    expect([e.rows, e.date_range, e.class_balance, e.transform_kind, e.skipped_reason]).toEqual([
      213, { first: "2026-02-01", last: "2026-11-18", dates: 151 }, { wins: 90, losses: 123 }, "logit", null,
    ]);
    expect(e.options).toEqual({ folds: 5, embargo_days: 1, calibration: "auto", search: "grid", trials: 6, seed: 42, isotonic_min_samples: 1000 });
    // 151 dates: 5 validation blocks of 25 dates, the first training block 26 dates less the embargo.
    expect(e.folds.map((f) => [f.fold, f.train.first_date, f.train.last_date, f.train.rows, f.validation.first_date, f.validation.last_date, f.validation.dates, f.validation.rows, f.embargoed_rows, f.leakage_check, f.failure])).toEqual([
      [1, "2026-02-01", "2026-03-24", 38, "2026-03-27", "2026-05-14", 25, 33, 1, "passed", null],
      [2, "2026-02-01", "2026-05-14", 72, "2026-05-16", "2026-06-27", 25, 34, 0, "passed", null],
      [3, "2026-02-01", "2026-06-27", 106, "2026-06-30", "2026-08-22", 25, 37, 0, "passed", null],
      [4, "2026-02-01", "2026-08-18", 141, "2026-08-23", "2026-10-07", 25, 34, 2, "passed", null],
      [5, "2026-02-01", "2026-10-07", 177, "2026-10-10", "2026-11-18", 25, 36, 0, "passed", null],
    ]);
    // Every row is in a fold's training dates, its embargo, its validation dates or after them.
    e.folds.forEach((f, k) => {
      const after = e.folds.slice(k + 1).reduce((sum, g) => sum + g.validation.rows, 0);
      expect(f.train.rows + f.embargoed_rows + f.validation.rows + after).toBe(213);
      expect(f.metrics!.n).toBe(f.validation.rows);
    });
    expect(e.out_of_fold!.n).toBe(33 + 34 + 37 + 34 + 36);
    const c = e.comparison!;
    expect([c.from_fold, c.rows, c.ensemble.n, c.uncalibrated.n]).toEqual([2, 141, 141, 141]);
    expect(c.baselines.map((b) => [b.name, b.metrics.n])).toEqual(
      ["base_rate", "upstream_ensemble", "upstream_lstm", "upstream_matchup", "upstream_monte_carlo", "upstream_average"].map((name) => [name, 141]),
    );
    const best = c.baselines.reduce((a, b) => (b.metrics.log_loss < a.metrics.log_loss ? b : a));
    expect(c.best_baseline).toBe(best.name);
    expect(c.log_loss_improvement).toBe(best.metrics.log_loss - c.ensemble.log_loss);
    expect(c.beats_best_baseline).toBe(c.log_loss_improvement > 0);
    expect(e.tuning!.trials.map((t) => [t.C, t.rows, t.failed_folds])).toEqual([0.001, 0.01, 0.1, 1, 10, 100].map((C) => [C, 174, 0]));
    expect(e.calibration!.candidates.find((x) => x.method === "isotonic")).toMatchObject({
      eligible: false,
      reason: "174 out-of-fold rows, below the isotonic minimum of 1000",
    });
  });

  it("prints the fold table with its leakage column, the search, the baselines and the verdict for people", () => {
    const home = tempDir();
    const doc = evaluationDocumentSchema.parse(JSON.parse(engine1([...fresh(home), "--json"], NOW).stdout));
    const result = engine1(fresh(home), NOW);
    expect([result.status, result.stderr]).toEqual([0, ""]);
    const lines = result.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual([
      `ensemble evaluation of ${STORE} (fresh fit, as of 2026-11-20)`,
      "samples 213 (90 wins, 123 losses; 2026-02-01 … 2026-11-18, 151 dates); 5 date folds, embargo 1 day",
    ]);
    const cells = (line: string) => line.split("│").slice(1, -1).map((s) => s.trim());
    const header = lines.findIndex((l) => l.includes("│ fold │"));
    expect(cells(lines[header]!)).toEqual(["fold", "train dates", "validation dates", "train", "valid", "embargo", "log loss", "Brier", "AUC", "ECE", "leakage"]);
    const foldLines = lines.slice(header + 2, header + 7).map(cells);
    expect(foldLines).toEqual(
      doc.evaluation.folds.map((f) => [
        String(f.fold),
        `${f.train.first_date} … ${f.train.last_date}`,
        `${f.validation.first_date} … ${f.validation.last_date}`,
        String(f.train.rows),
        String(f.validation.rows),
        String(f.embargoed_rows),
        fx(f.metrics!.log_loss),
        fx(f.metrics!.brier),
        fx(f.metrics!.auc, 3),
        fx(f.metrics!.ece),
        "passed",
      ]),
    );
    const e = doc.evaluation;
    const c = e.comparison!;
    expect(lines.filter((l) => l.startsWith("search  "))).toEqual([
      `search  grid, C = ${e.tuning!.chosen_C} (out-of-fold log loss ${fx(e.tuning!.trials.find((t) => t.C === e.tuning!.chosen_C)!.log_loss)}); tried ` +
        e.tuning!.trials.map((t) => `${t.C}: ${fx(t.log_loss)}`).join(", "),
    ]);
    expect(lines).toContain("on the 141 picks of folds 2–5 (calibration fitted on earlier folds only):");
    for (const b of c.baselines) expect(lines.filter((l) => cells(l)[0] === b.name).map(cells)).toEqual([[b.name, "141", fx(b.metrics.accuracy, 3), fx(b.metrics.log_loss), fx(b.metrics.brier), fx(b.metrics.auc, 3), fx(b.metrics.ece), fx(b.metrics.actual_expected, 3)]]);
    expect(lines).toContain(
      c.beats_best_baseline
        ? `✔ the ensemble beats the best baseline (${c.best_baseline}) by ${fx(c.log_loss_improvement)} log loss`
        : `✖ the ensemble does not beat the best baseline (${c.best_baseline}): ${fx(-c.log_loss_improvement)} log loss worse`,
    );
    expect(lines.at(-2)).toBe("gates   none configured (add \"gates\" to engine1.config.json: max_ece, min_log_loss_improvement, min_samples)");
  });

  it("exits 2 with one line for contradictory or unknown evaluation flags", () => {
    expect(engine1([...fresh(), "--C", "0.5", "--search", "grid"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "engine1: --C fixes the regularisation strength and --search grid searches for it: give one of them\n",
    });
    expect(engine1([...fresh(), "--C", "0.5", "--search", "random", "--json"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "engine1: --C fixes the regularisation strength and --search random searches for it: give one of them\n",
    });
    expect(engine1([...fresh(), "--calibration", "beta"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "engine1: option '--calibration <method>' argument 'beta' is invalid. Allowed choices are auto, platt, isotonic, none.\n",
    });
  });

  it("says why there is no evaluation when the window holds too few dates (exit 0, the reason in the document)", () => {
    const result = engine1(["evaluate", "--store", STORE, "--as-of", "2026-11-20", "--days", "3", "--home", tempDir(), "--json"]);
    expect(result.status).toBe(0);
    const e = evaluationDocumentSchema.parse(JSON.parse(result.stdout)).evaluation;
    expect(e.skipped_reason).toMatch(/^5 folds need at least 6 distinct dates, and the samples span [0-5]$/);
    expect([e.folds, e.comparison, e.tuning]).toEqual([[], null, null]);
  });

  // --explain writes the picks the filter dropped, as train does.
  it("--explain writes the dropped picks, never silently ignored", () => {
    const file = path.join(tempDir(), "dropped.ndjson");
    const result = engine1([...fresh(), "--explain", file, "--quiet"]);
    expect(result).toEqual({ status: 0, stdout: "", stderr: "" });
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "fixtures/store/manifest.json"), "utf8"));
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.length).toBe(manifest.filter_all.loaded_total - manifest.filter_all.eligible_total); // 400 − 270 = 130
  });
});

describe("engine1 evaluate --run (the evaluation a run saved)", () => {
  let home: string;
  let saved: EvaluationDocument;
  let runId: string;
  beforeAll(() => {
    home = tempDir();
    const train = engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--lstm-epochs", "2", "--home", home, "--json"]);
    expect(train.status).toBe(0);
    runId = JSON.parse(train.stdout).run_id;
    saved = JSON.parse(readFileSync(path.join(home, "runs", runId, "evaluation.json"), "utf8"));
  });

  it("--run current --json prints the run's evaluation.json as it is, and so does --run <id>", () => {
    const result = engine1(["evaluate", "--run", "current", "--home", home, "--json"]);
    expect([result.status, result.stderr]).toEqual([0, ""]);
    expect(JSON.parse(result.stdout)).toEqual(saved);
    expect(evaluationDocumentSchema.parse(saved).source).toEqual({ kind: "run", run_id: runId, dir: path.join(home, "runs", runId) });
    expect(JSON.parse(engine1(["evaluate", "--run", runId, "--home", home, "--json"]).stdout)).toEqual(saved);
    // The saved evaluation is the fresh fit's on the same store and flags: only the source and time differ.
    const again = JSON.parse(engine1([...fresh(), "--json"]).stdout);
    expect(again.evaluation).toEqual(saved.evaluation);
  });

  it("--run current prints the same report for people, headed by the run", () => {
    const result = engine1(["evaluate", "--run", "current", "--home", home]);
    expect([result.status, result.stderr]).toEqual([0, ""]);
    expect(result.stdout.split("\n")[0]).toBe(`ensemble evaluation of run ${runId}`);
    expect(result.stdout).toContain("│ leakage │");
  });

  it("--run with a flag of a fresh fit exits 2 with one line naming the flags", () => {
    expect(engine1(["evaluate", "--run", "current", "--home", home, "--folds", "3"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "engine1: --run shows the evaluation a run saved; --folds only apply to a fresh fit from the store\n",
    });
    expect(engine1(["evaluate", "--run", "current", "--home", home, "--as-of", "2026-11-20", "--embargo-days", "2", "--calibration", "none", "--json"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "engine1: --run shows the evaluation a run saved; --as-of, --embargo-days, --calibration only apply to a fresh fit from the store\n",
    });
  });

  it("--run with --C names the flag as it is typed", () => {
    expect(engine1(["evaluate", "--run", "current", "--home", home, "--C", "2"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "engine1: --run shows the evaluation a run saved; --C only apply to a fresh fit from the store\n",
    });
  });

  it("exits 2 naming what is missing: no current run, no such run, a run without evaluation.json", () => {
    const empty = tempDir();
    expect(engine1(["evaluate", "--run", "current", "--home", empty])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: no current run: ${path.join(empty, "current")} does not exist (has train ever succeeded in this home?)\n`,
    });
    const other = tempDir();
    expect(engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--sport", "NBA", "--lstm-epochs", "2", "--home", other, "--quiet"]).status).toBe(0);
    expect(engine1(["evaluate", "--run", "no-such-run", "--home", other])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: no run found at ${path.join(ROOT, "no-such-run")} or ${path.join(other, "runs", "no-such-run")}\n`,
    });
    const runDir = path.join(other, "runs", JSON.parse(readFileSync(path.join(other, "current", "run.json"), "utf8")).run_id);
    rmSync(path.join(runDir, "evaluation.json"));
    expect(engine1(["evaluate", "--run", "current", "--home", other])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: ${runDir} has no evaluation.json: its ensemble was not evaluated (a failed ensemble, or a run of engine1 0.1.0)\n`,
    });
  });
});

describe("engine1 evaluate --explain never writes to an input", () => {
  it("refuses the grade file (exit 2, one line) and leaves it as it was", () => {
    const dir = tempDir();
    const store = path.join(dir, "predictions.jsonl");
    const grades = path.join(dir, "graded_picks.jsonl");
    copyFileSync(STORE, store);
    copyFileSync(path.join(ROOT, "fixtures/store/graded_picks.jsonl"), grades);
    const before = readFileSync(grades, "utf8");
    const result = engine1(["evaluate", "--store", store, "--as-of", "2026-11-20", "--days", "all", "--home", dir, "--explain", grades]);
    expect(result).toEqual({ status: 2, stdout: "", stderr: `engine1: --explain ${grades} is an input file; engine1 never writes to the store\n` });
    expect(readFileSync(grades, "utf8")).toBe(before);
  });
});
