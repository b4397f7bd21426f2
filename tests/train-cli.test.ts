import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runSchema } from "../src/schemas/run.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { currentTarget, fingerprint, runDirs, scrub } from "./helpers/runs.js";
import { tempDir } from "./helpers/store.js";

const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
const FAST = ["--lstm-epochs", "2"];
const trainArgs = (home: string, extra: string[] = []) => [
  "train", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--sport", "NBA", "--home", home, ...FAST, ...extra,
];

describe("engine1 train", () => {
  it("trains the three models on the fixture store, prints run.json with --json, and moves current", () => {
    const home = tempDir();
    const result = engine1(trainArgs(home, ["--json"]));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const run = runSchema.parse(JSON.parse(result.stdout));
    expect(run.status).toBe("SUCCESS");
    expect(run.failures).toEqual([]);
    expect(currentTarget(home)).toBe(`runs/${run.run_id}`);
    expect(runDirs(home)).toEqual([run.run_id]);
    expect(Object.keys(fingerprint(path.join(home, "runs", run.run_id)))).toEqual(["card.json", "ensemble.json", "evaluation.json", "matchup.json", "run.json", "team_lstm.json"]);
    expect(JSON.parse(readFileSync(path.join(home, "current", "run.json"), "utf8"))).toEqual(run);
    // Upstream and per-model telemetry reconcile, and every model says what it used.
    const f = run.filter_telemetry;
    expect(f.assertion_passed).toBe(true);
    for (const name of ["team_lstm", "matchup", "ensemble"] as const) {
      const t = run.models[name].signature.filter_telemetry;
      expect(t.eligible_from_upstream).toBe(f.eligible_total);
      expect(t.used_for_training + Object.values(t.drops).reduce((a, b) => a + b, 0)).toBe(t.eligible_from_upstream);
      expect(run.models[name].signature.schema_match).toBe(true);
      expect(run.models[name].artifact!.sha256).toBe(fingerprint(path.join(home, "current"))[`${name}.json`]);
    }
    expect(run.models.ensemble.signature.feature_schema_hash).toBe("7353259d6bb0f7ce");
    expect(run.models.matchup.signature.feature_schema_hash).toBe("a64a454ab4edfdfa");
    expect(run.store.provenance.sha256).toBe(
      (JSON.parse(readFileSync(path.join(ROOT, "fixtures/store/manifest.json"), "utf8")) as { files: { store_sha256: string } }).files.store_sha256,
    );
  });

  it("gives the same signatures, models and metrics on the same store, --as-of and --seed", () => {
    const [a, b] = [tempDir(), tempDir()];
    const first = JSON.parse(engine1(trainArgs(a, ["--json"])).stdout);
    const second = JSON.parse(engine1(trainArgs(b, ["--json"])).stdout);
    expect(first.run_id).not.toBe(second.run_id);
    // evaluation.json and card.json carry the run's id and time, so their hashes differ; their contents are compared below.
    const withoutFiles = (run: { evaluation: object }) => ({ ...run, evaluation: { ...run.evaluation, file: null, card: null } });
    expect(scrub(withoutFiles(second))).toEqual(scrub(withoutFiles(first)));
    const read = (home: string, file: string) => JSON.parse(readFileSync(path.join(home, "current", file), "utf8"));
    const evaluationOf = (home: string) => ({ ...read(home, "evaluation.json"), generated_at: null, source: null });
    expect(evaluationOf(b)).toEqual(evaluationOf(a));
    // The card differs only in ids, times and the latency measurement.
    const cardOf = (home: string) => ({ ...read(home, "card.json"), run_id: null, created_at: null, latency: null });
    expect(cardOf(b)).toEqual(cardOf(a));
    for (const file of ["team_lstm.json", "matchup.json", "ensemble.json"]) {
      expect(readFileSync(path.join(b, "current", file), "utf8")).toBe(readFileSync(path.join(a, "current", file), "utf8"));
    }
    const otherSeed = JSON.parse(engine1(trainArgs(tempDir(), ["--json", "--seed", "7"])).stdout);
    expect(otherSeed.models.team_lstm.artifact.sha256).not.toBe(first.models.team_lstm.artifact.sha256);
  });

  it("fails with exit 1 and leaves current alone when a model used zero samples", () => {
    const home = tempDir();
    expect(engine1(trainArgs(home, ["--quiet"])).status).toBe(0);
    const before = currentTarget(home);
    // MLB has games in the fixture store, but on 2026-11-20 alone there are none: nothing is eligible.
    const result = engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "1", "--sport", "NCAAB", "--home", home, ...FAST, "--json"]);
    expect(result.status).toBe(1);
    const run = runSchema.parse(JSON.parse(result.stdout));
    expect(run.status).toBe("NO_DATA");
    expect(run.models.ensemble).toMatchObject({ status: "FAILED", artifact: null });
    expect(result.stderr.split("\n")[0]).toBe("engine1: no eligible picks: the six-stage filter kept nothing");
    expect(currentTarget(home)).toBe(before);
    expect(runDirs(home)).toHaveLength(2);
  });

  it("fails the run with exit 1 when one model used zero samples, even though others trained", () => {
    const home = tempDir();
    // Before 2026-02-01 no pick carries model_preds: the ensemble has nothing to learn from.
    const result = engine1(["train", "--store", STORE, "--as-of", "2026-01-31", "--days", "all", "--home", home, ...FAST, "--json"]);
    expect(result.status).toBe(1);
    const run = runSchema.parse(JSON.parse(result.stdout));
    expect(run.status).toBe("FAILED");
    expect([run.models.team_lstm.status, run.models.matchup.status, run.models.ensemble.status]).toEqual(["SUCCESS", "SUCCESS", "FAILED"]);
    expect(run.models.ensemble.signature.filter_telemetry).toEqual({
      eligible_from_upstream: 47,
      drops: { drop_no_model_preds: 47, drop_insufficient_values: 0, drop_bad_values: 0, drop_push_excluded: 0 },
      used_for_training: 0,
      assertion_passed: true,
      assertion_error: null,
    });
    expect(run.failures).toEqual(["ensemble used zero samples: no training samples: every eligible pick was dropped or none was eligible"]);
    expect(result.stderr).toBe("engine1: ensemble used zero samples: no training samples: every eligible pick was dropped or none was eligible\n");
    expect(existsSync(path.join(home, "current"))).toBe(false);
  });

  it("exits 2 naming the store and how it was chosen when it is missing", () => {
    const missing = path.join(tempDir(), "predictions.jsonl");
    expect(engine1(["train", "--home", tempDir()], { ENGINE1_STORE: missing })).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: store not found: ${missing} (chosen by ENGINE1_STORE)\n`,
    });
  });

  it("exits 2 when the home cannot be created", () => {
    const file = path.join(tempDir(), "not-a-dir");
    writeFileSync(file, "x");
    const result = engine1(trainArgs(path.join(file, "home")));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`engine1: cannot write the home directory ${path.join(file, "home")}: ENOTDIR\n`);
  });

  it("exits 2 naming the holder when another training holds the lock", async () => {
    const home = tempDir();
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      const owner = { pid: sleeper.pid, hostname: os.hostname(), run_id: "20261121T120000Z-abcdef", started_at: "2026-11-21T07:00:00.000-05:00" };
      writeFileSync(path.join(home, "train.lock"), JSON.stringify(owner));
      expect(engine1(trainArgs(home))).toEqual({
        status: 2,
        stdout: "",
        stderr:
          `engine1: another training holds the lock ${path.join(home, "train.lock")}: pid ${sleeper.pid} on ${os.hostname()}, ` +
          "run 20261121T120000Z-abcdef, started 2026-11-21T07:00:00.000-05:00; if no training is running, remove that file\n",
      });
      expect(existsSync(path.join(home, "runs"))).toBe(false);
    } finally {
      sleeper.kill();
    }
  });

  it("survives a crash mid-run: current and the previous run untouched, the stale lock recovered next time", () => {
    const home = tempDir();
    const first = JSON.parse(engine1(trainArgs(home, ["--json"])).stdout);
    const previous = fingerprint(path.join(home, "runs", first.run_id));
    const crashed = engine1(trainArgs(home, ["--json"]), { ENGINE1_FAULT: "crash-after-artifacts" });
    expect(crashed.status).toBe(null);
    expect(crashed.stdout).toBe("");
    expect(currentTarget(home)).toBe(`runs/${first.run_id}`);
    expect(fingerprint(path.join(home, "runs", first.run_id))).toEqual(previous);
    const leftovers = runDirs(home).filter((d) => d !== first.run_id);
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/^\.partial-/);
    expect(existsSync(path.join(home, "train.lock"))).toBe(true);
    const next = engine1(trainArgs(home));
    expect(next.status).toBe(0);
    expect(next.stderr).toMatch(/^engine1: recovered a stale lock left by pid \d+ \(run \S+, started \S+\); that process is gone\n$/);
    expect(existsSync(path.join(home, "train.lock"))).toBe(false);
  });

  it("abandons the run when --timeout expires: exit 1, nothing replaces current", () => {
    const home = tempDir();
    engine1(trainArgs(home, ["--quiet"]));
    const before = currentTarget(home);
    const result = engine1(trainArgs(home, ["--timeout", "0.00001"]));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^engine1: training abandoned: the --timeout of 0\.00001 minutes expired while (reading the store|training team_lstm); current is unchanged\n$/);
    expect(currentTarget(home)).toBe(before);
    expect(runDirs(home)).toEqual([before.replace("runs/", "")]);
  });

  it("writes --explain for the dropped picks and a human summary", () => {
    const home = tempDir();
    const explain = path.join(home, "dropped.ndjson");
    const result = engine1(trainArgs(home, ["--explain", explain]));
    expect(result.status).toBe(0);
    const lines = readFileSync(explain, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const run = JSON.parse(readFileSync(path.join(home, "current", "run.json"), "utf8"));
    expect(lines).toHaveLength(run.filter_telemetry.loaded_total - run.filter_telemetry.eligible_total);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(
      `✔ run ${run.run_id} SUCCESS: 3 models trained on ${run.filter_telemetry.eligible_total} picks; current → ${path.join(home, "runs", run.run_id)}`,
    );
  });
});

describe("engine1 hash-schema", () => {
  it("hashes names as the original system did", () => {
    expect(engine1(["hash-schema", "ensemble", "lstm", "matchup", "monte_carlo"])).toEqual({
      status: 0,
      stdout: "7353259d6bb0f7ce  ensemble|lstm|matchup|monte_carlo\n",
      stderr: "",
    });
    expect(engine1(["hash-schema", "score,is_home,won"]).stdout).toBe("3f52921e1eb870e6  is_home|score|won\n");
    const json = JSON.parse(engine1(["hash-schema", "home", "away", "home_score", "away_score", "date", "--json"]).stdout);
    expect(json.names.feature_schema_hash).toBe("a64a454ab4edfdfa");
    expect(engine1(["hash-schema"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "engine1: hash-schema needs feature names (engine1 hash-schema ensemble lstm matchup monte_carlo) or --run DIR|current\n",
    });
  });

  it("checks a run's artifacts, and exits 1 when a saved feature list was reordered", () => {
    const home = tempDir();
    expect(engine1(trainArgs(home, ["--quiet"])).status).toBe(0);
    const ok = engine1(["hash-schema", "--run", "current", "--home", home, "--json"]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).run.all_match).toBe(true);
    const file = path.join(home, "current", "ensemble.json");
    const artifact = JSON.parse(readFileSync(file, "utf8"));
    artifact.feature_names = ["lstm", "ensemble", "matchup", "monte_carlo"];
    writeFileSync(file, JSON.stringify(artifact));
    const bad = engine1(["hash-schema", "--run", "current", "--home", home, "--json"]);
    expect(bad.status).toBe(1);
    const check = JSON.parse(bad.stdout).run.models.find((m: { model: string }) => m.model === "ensemble");
    // The sorted hash cannot see a reordering; the order hash does.
    expect(check.inference_feature_schema_hash).toBe(check.training_feature_schema_hash);
    expect(check.inference_feature_order_hash).not.toBe(check.training_feature_order_hash);
    expect(check).toMatchObject({ match: false, problem: "the artifact's features differ from the ones training used" });
    const human = engine1(["hash-schema", "--run", "current", "--home", home]);
    expect(human.status).toBe(1);
    expect(human.stdout.trimEnd().split("\n").at(-1)).toMatch(/^✖ run \S+: schema mismatch in ensemble$/);
  });

  it("exits 2 when there is no current run", () => {
    const home = tempDir();
    expect(engine1(["hash-schema", "--run", "current", "--home", home])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: no current run: ${path.join(home, "current")} does not exist (has train ever succeeded in this home?)\n`,
    });
  });
});
