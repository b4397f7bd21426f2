import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { modelCardSchema } from "../src/schemas/card.js";
import { evaluationDocumentSchema } from "../src/schemas/evaluation.js";
import { registryEventSchema } from "../src/schemas/registry-event.js";
import { runSchema, type RunDocument } from "../src/schemas/run.js";
import { engine1, ROOT, type CliResult } from "./helpers/cli.js";
import { currentTarget, runDirs } from "./helpers/runs.js";
import { tempDir } from "./helpers/store.js";

const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
const SOURCE = ["--store", STORE, "--as-of", "2026-11-20", "--days", "all"];
const train = (home: string, extra: string[] = [], env: Record<string, string> = {}) =>
  engine1(["train", ...SOURCE, "--lstm-epochs", "2", "--home", home, "--json", ...extra], env);
const evaluate = (home: string, extra: string[] = [], env: Record<string, string> = {}) => engine1(["evaluate", ...SOURCE, "--home", home, ...extra], env);

function writeConfig(content: unknown, dir = tempDir(), name = "engine1.config.json"): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  return file;
}

// On the fixture (213 samples, 141 of them scored on folds 2–5) an ECE of 0 cannot be met, nor a million samples.
const FAILING = { $schema: "../schemas/engine1.config.schema.json", gates: { max_ece: 0, min_log_loss_improvement: -1, min_samples: 1_000_000 } };
const PASSING = { gates: { max_ece: 0.5, min_samples: 100 } };

const read = (home: string, runId: string, file: string) => JSON.parse(readFileSync(path.join(home, "runs", runId, file), "utf8"));

describe("promotion gates in engine1 train", () => {
  const home = tempDir();
  const failingFile = writeConfig(FAILING, tempDir(), "failing.json");
  const homeFile = path.join(home, "engine1.config.json");
  let passed: { result: CliResult; run: RunDocument };
  let held: { result: CliResult; run: RunDocument };
  let skipped: { result: CliResult; run: RunDocument };
  beforeAll(() => {
    // 1. Gates that pass, from <home>/engine1.config.json; 2. failing gates by --config, which beats the
    // home file; 3. the same failing gates by ENGINE1_CONFIG, with --no-gates.
    writeConfig(PASSING, home);
    const run = (result: CliResult) => ({ result, run: runSchema.parse(JSON.parse(result.stdout)) });
    passed = run(train(home));
    held = run(train(home, ["--config", failingFile]));
    skipped = run(train(home, ["--no-gates"], { ENGINE1_CONFIG: failingFile }));
  });

  it("gates that pass let current move, and the run records them with the config file they came from", () => {
    expect([passed.result.status, passed.result.stderr]).toEqual([0, ""]);
    expect(passed.run.status).toBe("SUCCESS");
    const ece = passed.run.evaluation!.ece!;
    expect(passed.run.gates).toEqual({
      configured: true,
      skipped: false,
      passed: true,
      config_path: homeFile,
      results: [
        { gate: "max_ece", threshold: 0.5, actual: ece, passed: true, detail: `ECE ${ece.toFixed(4)} on 141 scored picks ≤ 0.5000` },
        { gate: "min_samples", threshold: 100, actual: 213, passed: true, detail: "213 training samples ≥ 100" },
      ],
    });
  });

  it("a gate that fails exits 1, names the failed gates on stderr and in run.json, and leaves current where it was", () => {
    const { result, run } = held;
    expect(result.status).toBe(1);
    const e = evaluationDocumentSchema.parse(read(home, run.run_id, "evaluation.json")).evaluation;
    const ece = e.comparison!.ensemble.ece;
    const gain = e.comparison!.log_loss_improvement;
    expect(run.evaluation).toMatchObject({ ece, log_loss_improvement: gain });
    expect(run.gates).toEqual({
      configured: true,
      skipped: false,
      passed: false,
      config_path: failingFile,
      results: [
        { gate: "max_ece", threshold: 0, actual: ece, passed: false, detail: `ECE ${ece.toFixed(4)} on 141 scored picks > 0` },
        {
          gate: "min_log_loss_improvement",
          threshold: -1,
          actual: gain,
          passed: true,
          detail: `log loss ${e.comparison!.ensemble.log_loss.toFixed(4)} vs best baseline ${e.comparison!.best_baseline} ${(e.comparison!.ensemble.log_loss + gain).toFixed(4)}: improvement ${gain.toFixed(4)} ≥ -1`,
        },
        { gate: "min_samples", threshold: 1_000_000, actual: 213, passed: false, detail: "213 training samples < 1000000" },
      ],
    });
    const failure = `promotion gates failed: max_ece (ECE ${ece.toFixed(4)} on 141 scored picks > 0); min_samples (213 training samples < 1000000)`;
    expect(run.failures).toEqual([failure]);
    expect(result.stderr).toBe(`engine1: ${failure}\n`);
    // Every model trained: it is the gates that failed the run.
    expect(run.status).toBe("FAILED");
    expect([run.models.team_lstm.status, run.models.matchup.status, run.models.ensemble.status]).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
    // The run is written (run.json on disk says the same) but current stayed on the run before it.
    expect(runSchema.parse(read(home, run.run_id, "run.json"))).toEqual(run);
    expect(read(home, run.run_id, "card.json").gates).toEqual(run.gates);
  });

  it("--no-gates promotes anyway and records the gates as skipped, failures included", () => {
    const { result, run } = skipped;
    expect([result.status, result.stderr]).toEqual([0, ""]);
    expect([run.status, run.failures]).toEqual(["SUCCESS", []]);
    expect(run.gates).toEqual({ ...held.run.gates, skipped: true, passed: true });
    expect(run.gates!.results.map((r) => [r.gate, r.passed])).toEqual([["max_ece", false], ["min_log_loss_improvement", true], ["min_samples", false]]);
    expect(read(home, run.run_id, "run.json").gates.skipped).toBe(true);
  });

  it("current moved for the passing run, stayed for the held one, and moved again with --no-gates", () => {
    expect(runDirs(home)).toEqual([passed.run.run_id, held.run.run_id, skipped.run.run_id].sort());
    expect(currentTarget(home)).toBe(`runs/${skipped.run.run_id}`);
    const registry = readFileSync(path.join(home, "registry.ndjson"), "utf8").trim().split("\n").map((l) => registryEventSchema.parse(JSON.parse(l)));
    expect(registry.map((e) => [e.action, e.run, e.previous_run, e.reason])).toEqual([
      ["train", passed.run.run_id, null, "trained; every assertion and gate passed"],
      ["train", skipped.run.run_id, passed.run.run_id, "trained; every assertion passed, gates skipped by --no-gates"],
    ]);
  });

  it("card.json validates with its schema: leakage checks passed per fold, latency of 1,000 predictions, the run's gates", () => {
    const { run } = passed;
    const raw = read(home, run.run_id, "card.json");
    const card = modelCardSchema.parse(raw);
    const e = evaluationDocumentSchema.parse(read(home, run.run_id, "evaluation.json")).evaluation;
    expect(run.evaluation!.card!.sha256).toBe(createHash("sha256").update(readFileSync(path.join(home, "runs", run.run_id, "card.json"))).digest("hex"));
    expect([card.run_id, card.model, card.evaluation_file]).toEqual([run.run_id, "ensemble", "evaluation.json"]);
    expect(card.leakage_checks).toEqual({
      passed: true,
      embargo_days: 1,
      folds: e.folds.map((f) => ({ fold: f.fold, latest_train_date: f.train.last_date, earliest_validation_date: f.validation.first_date, passed: true })),
    });
    expect(card.leakage_checks.folds.map((f) => [f.latest_train_date, f.earliest_validation_date])).toEqual([
      ["2026-03-24", "2026-03-27"], ["2026-05-14", "2026-05-16"], ["2026-06-27", "2026-06-30"], ["2026-08-18", "2026-08-23"], ["2026-10-07", "2026-10-10"],
    ]);
    const l = card.latency;
    expect(l.predictions).toBe(1000);
    expect(l.p50_us <= l.p95_us && l.p95_us <= l.p99_us && l.p99_us <= l.max_us).toBe(true);
    expect(card.gates).toEqual(run.gates);
    expect(card.training).toEqual({
      as_of: "2026-11-20",
      window_days: "all",
      sport: null,
      date_range: { first: "2026-02-01", last: "2026-11-18", dates: 151 },
      rows: 213,
      class_balance: { wins: 90, losses: 123, hit_rate: 90 / 213 },
    });
    expect(card.metrics.out_of_fold).toEqual(e.out_of_fold);
    expect(card.metrics.scored).toMatchObject({ rows: 141, ensemble: e.comparison!.ensemble, log_loss_improvement: e.comparison!.log_loss_improvement });
    expect(card.feature_importance.map((f) => f.rank)).toEqual([1, 2, 3, 4]);
    expect(card.feature_importance.map((f) => f.feature).sort()).toEqual(["ensemble", "lstm", "matchup", "monte_carlo"]);
    const magnitudes = card.feature_importance.map((f) => Math.abs(f.standardized_coefficient));
    expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
    const artifact = read(home, run.run_id, "ensemble.json");
    for (const f of card.feature_importance) expect(f.coefficient).toBe(artifact.coefficients[artifact.feature_names.indexOf(f.feature)]);
  });
});

describe("promotion gates in engine1 evaluate, and where the configuration comes from", () => {
  it("exits 1 with the table of gates when one fails, 0 when all pass", () => {
    const failing = writeConfig(FAILING);
    const result = evaluate(tempDir(), ["--config", failing]);
    expect([result.status, result.stderr]).toEqual([
      1,
      "engine1: promotion gates failed: max_ece (ECE 0.0143 on 141 scored picks > 0); min_samples (213 training samples < 1000000)\n",
    ]);
    const lines = result.stdout.trimEnd().split("\n");
    const at = lines.indexOf(`gates   ${failing}`);
    expect(at).toBeGreaterThan(0);
    const cells = (line: string) => line.split("│").slice(1, -1).map((s) => s.trim());
    expect(cells(lines[at + 2]!)).toEqual(["gate", "threshold", "actual", "result", "detail"]);
    expect(lines.slice(at + 4, at + 7).map((l) => cells(l).slice(0, 4).filter((_, k) => k !== 2))).toEqual([
      ["max_ece", "0", "FAIL"],
      ["min_log_loss_improvement", "-1", "pass"],
      ["min_samples", "1000000", "FAIL"],
    ]);
    expect(cells(lines[at + 6]!).slice(2)).toEqual(["213", "FAIL", "213 training samples < 1000000"]);
    expect(evaluate(tempDir(), ["--config", writeConfig(PASSING), "--quiet"]).status).toBe(0);
  });

  it("--config beats ENGINE1_CONFIG, which beats <home>/engine1.config.json; the file used is reported", () => {
    const home = tempDir();
    const inHome = writeConfig({ evaluation: { folds: 2 } }, home);
    const byEnv = writeConfig({ evaluation: { folds: 3 } }, tempDir(), "env.json");
    const byFlag = writeConfig({ evaluation: { folds: 4 } }, tempDir(), "flag.json");
    const used = (extra: string[], env: Record<string, string> = {}) => {
      const result = evaluate(home, [...extra, "--json"], env);
      expect([result.status, result.stderr]).toEqual([0, ""]);
      const doc = evaluationDocumentSchema.parse(JSON.parse(result.stdout));
      return [doc.gates.config_path, doc.evaluation.options.folds, doc.evaluation.folds.length];
    };
    expect(used([])).toEqual([inHome, 2, 2]);
    expect(used([], { ENGINE1_CONFIG: byEnv })).toEqual([byEnv, 3, 3]);
    expect(used(["--config", byFlag], { ENGINE1_CONFIG: byEnv })).toEqual([byFlag, 4, 4]);
    // A flag beats the file's default; an empty ENGINE1_CONFIG is no choice at all.
    expect(used(["--folds", "5"], { ENGINE1_CONFIG: byEnv })).toEqual([byEnv, 5, 5]);
    expect(used([], { ENGINE1_CONFIG: "" })).toEqual([inHome, 2, 2]);
    expect(evaluationDocumentSchema.parse(JSON.parse(evaluate(tempDir(), ["--json"]).stdout)).gates.config_path).toBeNull();
  });

  it("a configuration file named by --config or ENGINE1_CONFIG must exist (exit 2)", () => {
    const missing = path.join(tempDir(), "nope.json");
    expect(evaluate(tempDir(), ["--config", missing])).toEqual({ status: 2, stdout: "", stderr: `engine1: cannot read ${missing}: ENOENT\n` });
    expect(evaluate(tempDir(), [], { ENGINE1_CONFIG: missing })).toEqual({ status: 2, stdout: "", stderr: `engine1: cannot read ${missing}: ENOENT\n` });
  });
});

describe("a configuration that does not match its schema", () => {
  const cases: [string, unknown, string][] = [
    ["an unknown gate", { gates: { max_eece: 0.1 } }, 'gates: Unrecognized key: "max_eece"'],
    ["an unknown section", { gatez: {} }, 'Unrecognized key: "gatez"'],
    ["max_ece above 1", { gates: { max_ece: 2 } }, "gates.max_ece: Too big: expected number to be <=1"],
    ["a fractional min_samples", { gates: { min_samples: 2.5 } }, "gates.min_samples: Invalid input: expected int, received number"],
    ["folds as a string", { evaluation: { folds: "5" } }, "evaluation.folds: Invalid input: expected number, received string"],
  ];
  it.each(cases)("%s: train exits 2 with one line naming the file and the path, before anything is written", (_name, content, problem) => {
    const home = tempDir();
    const file = writeConfig(content);
    expect(train(home, ["--config", file])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: ${file} is not a valid engine1 configuration: ${problem}\n`,
    });
    expect(existsSync(path.join(home, "runs"))).toBe(false);
  });

  it("a file that is not JSON: exit 2 with one line naming the file", () => {
    const file = writeConfig('{"gates": {"max_ece": 0.1},}\n');
    const result = train(tempDir(), ["--config", file]);
    expect([result.status, result.stdout]).toEqual([2, ""]);
    // The rest of the line is V8's message, which differs between Node versions.
    expect(result.stderr.startsWith(`engine1: ${file} is not valid JSON: `)).toBe(true);
    expect(result.stderr.split("\n")).toHaveLength(2);
  });

  // V8 quotes a short text whole, line end included: the error stays on one line.
  it("a short file that is not JSON still gives one line", () => {
    const file = writeConfig("not json\n");
    const result = train(tempDir(), ["--config", file]);
    expect(result.status).toBe(2);
    expect(result.stderr.split("\n")).toEqual([expect.stringMatching(new RegExp(`^engine1: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid JSON: `)), ""]);
  });
});

describe("a window too short for the folds", () => {
  it("trains with the fixed C, a card saying why nothing was measured, and a gate that needs a measurement fails", () => {
    const home = tempDir();
    // The last 10 days hold ensemble samples on 5 dates: 5 folds need 6.
    const args = ["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "10", "--home", home, "--lstm-epochs", "1", "--json"];
    const ok = engine1(args);
    expect(ok.status).toBe(0);
    const run = runSchema.parse(JSON.parse(ok.stdout));
    expect(run.evaluation).toMatchObject({ skipped_reason: "5 folds need at least 6 distinct dates, and the samples span 5", chosen_C: 1, calibration: "none", ece: null });
    const card = modelCardSchema.parse(read(home, run.run_id, "card.json"));
    expect(card.leakage_checks).toEqual({ passed: true, embargo_days: 1, folds: [] });
    expect(card.metrics).toMatchObject({ out_of_fold: null, scored: null, evaluation_skipped_reason: "5 folds need at least 6 distinct dates, and the samples span 5" });
    expect(card.hyperparameters).toMatchObject({
      C: 1,
      search: "grid",
      values_tried: 0,
      chosen_by: "not searched (5 folds need at least 6 distinct dates, and the samples span 5): the default C",
    });
    const gated = engine1([...args, "--config", writeConfig({ gates: { max_ece: 0.2 } })]);
    expect(gated.status).toBe(1);
    const held = runSchema.parse(JSON.parse(gated.stdout));
    expect(held.failures).toEqual(["promotion gates failed: max_ece (not measured: 5 folds need at least 6 distinct dates, and the samples span 5)"]);
    expect(currentTarget(home)).toBe(`runs/${run.run_id}`);
  });
});
