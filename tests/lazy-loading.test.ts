import path from "node:path";
import { describe, expect, it } from "vitest";
import { engine1, ROOT } from "./helpers/cli.js";
import { tempDir } from "./helpers/store.js";

const HOOK = path.join(ROOT, "tests/helpers/blocked-packages.mjs");
const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
const noTf = { NODE_OPTIONS: `--import=${HOOK}` };

describe("commands that need no model never load TensorFlow.js (SPEC 11)", () => {
  const home = tempDir();
  const trainArgs = ["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--home", home, "--lstm-epochs", "1", "--quiet"];

  it("the guard works: train cannot run without TensorFlow.js", () => {
    const guarded = engine1(trainArgs, noTf);
    expect(guarded.status).toBe(2);
    expect(guarded.stderr).toContain("TensorFlow.js loaded: @tensorflow/tfjs");
  });

  it("audit-store, hash-schema, verify, status, evaluate and models run with TensorFlow.js out of reach", () => {
    expect(engine1(trainArgs).status).toBe(0);
    expect(engine1(["audit-store", "--store", STORE, "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(engine1(["hash-schema", "--run", "current", "--home", home, "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(engine1(["verify", "--home", home, "--max-age-hours", "100000", "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(engine1(["status", "--home", home, "--store", STORE, "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(engine1(["evaluate", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--home", home, "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(engine1(["evaluate", "--run", "current", "--home", home, "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(engine1(["models", "list", "--home", home, "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
  });
});

describe("audit-store --json, the cron and CI form, loads no terminal or --explain packages", () => {
  const blocked = { ...noTf, ENGINE1_TEST_BLOCKED: "ora,cli-table3,ndjson" };

  it("the guard works: the human report needs cli-table3, --explain needs ndjson", () => {
    const human = engine1(["audit-store", "--store", STORE], blocked);
    expect(human.status).toBe(2);
    expect(human.stderr).toContain("cli-table3 loaded: cli-table3");
    const explain = engine1(["audit-store", "--store", STORE, "--json", "--explain", path.join(tempDir(), "drops.ndjson")], blocked);
    expect(explain.status).toBe(2);
    expect(explain.stderr).toContain("ndjson loaded: ndjson");
  });

  it("prints the same document with them out of reach", () => {
    const args = ["audit-store", "--store", STORE, "--json", "--as-of", "2026-11-20", "--days", "all"];
    const plain = engine1(args);
    const guarded = engine1(args, blocked);
    expect(guarded.status).toBe(0);
    expect(guarded.stderr).toBe(plain.stderr);
    expect(guarded.stderr).toContain("line 352 repeats a pick_id of an earlier line");
    const strip = (text: string) => ({ ...JSON.parse(text), generated_at: null });
    expect(strip(guarded.stdout)).toEqual(strip(plain.stdout));
    expect(JSON.parse(guarded.stdout).line_accounting.counts.record).toBe(400);
  });
});
