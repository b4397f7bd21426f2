import path from "node:path";
import { describe, expect, it } from "vitest";
import { engine1, ROOT } from "./helpers/cli.js";
import { tempDir } from "./helpers/store.js";

const HOOK = path.join(ROOT, "tests/helpers/no-tensorflow.mjs");
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
