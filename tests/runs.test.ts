import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, LockHeldError } from "../src/runs/lock.js";
import { Deadline, TrainingTimeoutError } from "../src/train/deadline.js";
import { compareSchemas } from "../src/train/signature.js";
import { tempDir } from "./helpers/store.js";

const owner = { run_id: "r1", started_at: "2026-11-21T07:00:00.000-05:00" };

describe("the training lock", () => {
  it("is exclusive while held and released afterwards", async () => {
    const home = tempDir();
    const lock = await acquireLock(home, owner);
    expect(lock.recovered).toBeNull();
    expect(JSON.parse(readFileSync(path.join(home, "train.lock"), "utf8"))).toEqual({ pid: process.pid, hostname: os.hostname(), ...owner });
    const second = await acquireLock(home, { ...owner, run_id: "r2" }).catch((e) => e);
    expect(second).toBeInstanceOf(LockHeldError);
    expect(second.exitCode).toBe(2);
    await lock.release();
    expect(existsSync(path.join(home, "train.lock"))).toBe(false);
    await (await acquireLock(home, owner)).release();
  });

  it("takes over a lock whose process is dead, and reports whose it was", async () => {
    const home = tempDir();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const stale = { pid: Number(dead.stdout), hostname: os.hostname(), run_id: "r0", started_at: "2026-11-20T07:00:00.000-05:00" };
    writeFileSync(path.join(home, "train.lock"), JSON.stringify(stale));
    const lock = await acquireLock(home, owner);
    expect(lock.recovered).toEqual(stale);
    await lock.release();
  });

  it("never takes over a lock from another host, nor an unreadable one", async () => {
    const home = tempDir();
    writeFileSync(path.join(home, "train.lock"), JSON.stringify({ pid: 1, hostname: "elsewhere", run_id: "r9", started_at: "t" }));
    await expect(acquireLock(home, owner)).rejects.toThrow(`another training holds the lock ${path.join(home, "train.lock")}: pid 1 on elsewhere, run r9, started t`);
    writeFileSync(path.join(home, "train.lock"), "{half");
    await expect(acquireLock(home, owner)).rejects.toThrow(/holds the lock .*: an unreadable lock file; if no training is running, remove that file$/);
  });
});

describe("schema_match", () => {
  const names = ["ensemble", "lstm", "matchup", "monte_carlo"];
  it("matches when inference reads back the same names and transform", () => {
    expect(compareSchemas({ names, transform: "logit" }, { names: [...names], transform: "logit" }).schema_match).toBe(true);
  });
  it("catches a reordered feature list that the sorted hash cannot see", () => {
    const c = compareSchemas({ names, transform: "logit" }, { names: ["lstm", "ensemble", "matchup", "monte_carlo"], transform: "logit" });
    expect(c.inference_feature_schema_hash).toBe(c.feature_schema_hash);
    expect(c.inference_feature_order_hash).not.toBe(c.feature_order_hash);
    expect(c.schema_match).toBe(false);
  });
  it("catches a changed transform, and nothing read back is no match", () => {
    expect(compareSchemas({ names, transform: "logit" }, { names, transform: "standardize" }).schema_match).toBe(false);
    expect(compareSchemas({ names, transform: "logit" }, null)).toMatchObject({ schema_match: false, inference_feature_schema_hash: null });
  });
});

describe("the --timeout deadline", () => {
  it("says which stage it expired in", () => {
    let now = 0;
    const deadline = new Deadline(1, () => now);
    deadline.enter("reading the store");
    now = 60_000;
    expect(() => deadline.enter("training team_lstm")).toThrow(TrainingTimeoutError);
    expect(() => deadline.check()).toThrow("training abandoned: the --timeout of 1 minutes expired while training team_lstm; current is unchanged");
  });
});
