import { appendFileSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { modelsListSchema, modelsShowSchema, registryChangeSchema } from "../src/schemas/models.js";
import { registryEventSchema } from "../src/schemas/registry-event.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { currentTarget, fingerprint, runDirs } from "./helpers/runs.js";
import { tempDir } from "./helpers/store.js";

const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
const train = (home: string, at: string, extra: string[] = []) =>
  engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--sport", "NBA", "--home", home, "--lstm-epochs", "2", "--quiet", ...extra], {
    ENGINE1_NOW: at,
  });
const models = (home: string, args: string[], at = "2026-11-21T15:00:00Z") => engine1(["models", ...args, "--home", home], { ENGINE1_NOW: at });
const log = (home: string) =>
  readFileSync(path.join(home, "registry.ndjson"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => registryEventSchema.parse(JSON.parse(l)));
const brief = (home: string) => log(home).map(({ action, run, previous_run, reason }) => ({ action, run, previous_run, reason }));
const who = { user: os.userInfo().username, host: os.hostname() };
const TRAINED = "trained; every assertion and gate passed";

describe("engine1 models: two trainings, two promotions, rollbacks", () => {
  const home = tempDir();
  let r1 = "";
  let r2 = "";
  let before: { dirs: string[]; files: Record<string, Record<string, string>> };
  const snapshot = () => ({ dirs: runDirs(home), files: Object.fromEntries(runDirs(home).map((d) => [d, fingerprint(path.join(home, "runs", d))])) });

  beforeAll(() => {
    expect(train(home, "2026-11-21T12:00:00Z").status).toBe(0);
    expect(train(home, "2026-11-21T13:00:00Z").status).toBe(0);
    [r1, r2] = runDirs(home) as [string, string];
    before = snapshot();
  });

  it("logs the moves train makes, with time, user and host", () => {
    expect(log(home)).toEqual([
      { schema_version: 1, time: "2026-11-21T07:00:00.000-05:00", action: "train", run: r1, previous_run: null, reason: TRAINED, ...who },
      { schema_version: 1, time: "2026-11-21T08:00:00.000-05:00", action: "train", run: r2, previous_run: r1, reason: TRAINED, ...who },
    ]);
    expect(currentTarget(home)).toBe(`runs/${r2}`);
  });

  it("promote the first, promote the second, rollback: the first is current again and the log holds every event in order", () => {
    const first = models(home, ["promote", r1, "--reason", "first again"], "2026-11-21T14:00:00Z");
    expect(first).toEqual({ status: 0, stdout: `✔ promoted: current ${r2} → ${r1} (first again)\n`, stderr: "" });
    expect(currentTarget(home)).toBe(`runs/${r1}`);
    const second = models(home, ["promote", r2, "--json"], "2026-11-21T14:30:00Z");
    expect(second.status).toBe(0);
    expect(registryChangeSchema.parse(JSON.parse(second.stdout))).toEqual({
      schema_version: 1,
      changed: true,
      current_run: r2,
      event: { schema_version: 1, time: "2026-11-21T09:30:00.000-05:00", action: "promote", run: r2, previous_run: r1, reason: "promoted by hand", ...who },
      note: null,
    });
    const back = models(home, ["rollback"], "2026-11-21T15:00:00Z");
    expect(back).toEqual({ status: 0, stdout: `✔ rolled back: current ${r2} → ${r1} (rolled back from ${r2})\n`, stderr: "" });
    expect(currentTarget(home)).toBe(`runs/${r1}`);
    expect(brief(home)).toEqual([
      { action: "train", run: r1, previous_run: null, reason: TRAINED },
      { action: "train", run: r2, previous_run: r1, reason: TRAINED },
      { action: "promote", run: r1, previous_run: r2, reason: "first again" },
      { action: "promote", run: r2, previous_run: r1, reason: "promoted by hand" },
      { action: "rollback", run: r1, previous_run: r2, reason: `rolled back from ${r2}` },
    ]);
    expect(log(home).slice(2).map((e) => e.time)).toEqual(["2026-11-21T09:00:00.000-05:00", "2026-11-21T09:30:00.000-05:00", "2026-11-21T10:00:00.000-05:00"]);
  });

  it("promoting the run already current changes nothing and logs nothing", () => {
    expect(models(home, ["promote", r1])).toEqual({ status: 0, stdout: `${r1} is already current; nothing changed\n`, stderr: "" });
    expect(log(home)).toHaveLength(5);
  });

  it("models list --json: every run, exact statuses, the current one, the last event of each, where a rollback goes", () => {
    const result = models(home, ["list", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const doc = modelsListSchema.parse(JSON.parse(result.stdout));
    expect(doc.current_run).toBe(r1);
    expect(doc.warnings).toEqual([]);
    expect(doc.registry).toEqual({ file: path.join(home, "registry.ndjson"), events: 5, truncated_line: null, rollback_to: r2 });
    expect(doc.runs.map((r) => ({ id: r.run_id, status: r.status, current: r.current, gates: r.gates, last: r.last_action, error: r.error }))).toEqual([
      { id: r1, status: "SUCCESS", current: true, gates: "unconfigured", last: { action: "rollback", time: "2026-11-21T10:00:00.000-05:00" }, error: null },
      { id: r2, status: "SUCCESS", current: false, gates: "unconfigured", last: { action: "promote", time: "2026-11-21T09:30:00.000-05:00" }, error: null },
    ]);
    const run = JSON.parse(readFileSync(path.join(home, "runs", r1, "run.json"), "utf8"));
    expect(doc.runs[0]).toMatchObject({ samples: run.models.ensemble.signature.samples_used, log_loss: run.evaluation.log_loss, ece: run.evaluation.ece, date_et: "2026-11-21" });
  });

  it("models show: the run's models, evaluation, card and the events that name it", () => {
    const result = models(home, ["show", r2, "--json"]);
    expect(result.status).toBe(0);
    const doc = modelsShowSchema.parse(JSON.parse(result.stdout));
    expect(doc.run).toMatchObject({ run_id: r2, status: "SUCCESS", current: false });
    expect(doc.models.map((m) => [m.model, m.status, m.schema_match])).toEqual([
      ["team_lstm", "SUCCESS", true],
      ["matchup", "SUCCESS", true],
      ["ensemble", "SUCCESS", true],
    ]);
    expect(doc.models[2]!.feature_schema_hash).toBe("7353259d6bb0f7ce");
    expect(doc.card?.run_id).toBe(r2);
    // Every event but the first names r2: it became current, or current moved away from it.
    expect(doc.history).toEqual(log(home).slice(1));
    const human = models(home, ["show"]);
    expect(human.stderr).toBe("");
    expect(human.status).toBe(0);
    expect(human.stdout).toContain(`│ run        │ ${r1} (current)`);
    expect(human.stdout).toContain(`rollback ${r2} → ${r1}  by ${who.user}@${who.host}: rolled back from ${r2}`);
  });

  it("a second rollback goes one further back, a third finds nothing left (exit 1), and no run was deleted or changed", () => {
    expect(models(home, ["rollback", "--reason", "undo"]).stdout).toBe(`✔ rolled back: current ${r1} → ${r2} (undo)\n`);
    expect(models(home, ["rollback"]).stdout).toBe(`✔ rolled back: current ${r2} → ${r1} (rolled back from ${r2})\n`);
    const none = models(home, ["rollback"]);
    expect(none).toEqual({
      status: 1,
      stdout: "",
      stderr: `engine1: nothing to roll back to: ${path.join(home, "registry.ndjson")} records no run that was current before ${r1}\n`,
    });
    expect(currentTarget(home)).toBe(`runs/${r1}`);
    expect(log(home)).toHaveLength(7);
    expect(snapshot()).toEqual(before);
  });

  it("a move the log missed is reported by list, refused by rollback (exit 2), and recorded by promoting current", () => {
    // As if the process died after moving current to r2 and before writing the event.
    rmSync(path.join(home, "current"));
    symlinkSync(path.join("runs", r2), path.join(home, "current"));
    const behind = `current is ${r2} but the registry log's last event says ${r1} (a move the log missed: a crash between the two, or a change by hand); \`engine1 models promote ${r2}\` records it`;
    const list = models(home, ["list", "--json"]);
    expect(list.stderr).toBe(`engine1: ${behind}\n`);
    expect(modelsListSchema.parse(JSON.parse(list.stdout))).toMatchObject({ current_run: r2, warnings: [behind], registry: { rollback_to: null } });
    expect(models(home, ["rollback"])).toEqual({ status: 2, stdout: "", stderr: `engine1: cannot roll back: ${behind}, then roll back\n` });
    const recorded = models(home, ["promote", r2]);
    expect(recorded.status).toBe(0);
    expect(recorded.stderr).toBe(`engine1: current already pointed at ${r2}, but the log's last event said ${r1}: that move is now recorded\n`);
    expect(brief(home).at(-1)).toEqual({ action: "promote", run: r2, previous_run: r1, reason: "promoted by hand; records a move the log missed" });
    const caughtUp = models(home, ["list", "--json"]);
    expect(caughtUp.stderr).toBe("");
    expect(modelsListSchema.parse(JSON.parse(caughtUp.stdout))).toMatchObject({ warnings: [], registry: { rollback_to: r1 } });
  });

  it("an unfinished last line of the log is a warning, not an error", () => {
    appendFileSync(path.join(home, "registry.ndjson"), '{"schema_version":1,"time":"2026');
    const list = models(home, ["list"]);
    expect(list.status).toBe(0);
    expect(list.stderr).toBe(
      `engine1: ${path.join(home, "registry.ndjson")} line 9 is unfinished (32 bytes, no newline): an append that never completed; it is ignored, and set aside in registry.ndjson.torn by the next change\n`,
    );
  });

  it("a promotion waits for no one: with a training holding the lock it exits 2 and changes nothing", () => {
    const lock = path.join(home, "train.lock");
    writeFileSync(lock, JSON.stringify({ pid: process.pid, hostname: os.hostname(), run_id: "R", started_at: "S" }));
    try {
      const result = models(home, ["promote", r1]);
      expect(result).toEqual({
        status: 2,
        stdout: "",
        stderr: `engine1: another training holds the lock ${lock}: pid ${process.pid} on ${os.hostname()}, run R, started S; if no training is running, remove that file\n`,
      });
    } finally {
      rmSync(lock);
    }
    expect(currentTarget(home)).toBe(`runs/${r2}`);
  });

  it("models list needs no TensorFlow.js", () => {
    const noTf = { NODE_OPTIONS: `--import=${path.join(ROOT, "tests/helpers/blocked-packages.mjs")}` };
    expect(engine1(["models", "list", "--home", home, "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(engine1(["models", "show", "--home", home, "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
  });
});

describe("engine1 models: what may not be promoted", () => {
  const home = tempDir();
  let noData = "";
  let gated = "";

  beforeAll(() => {
    // Nothing on 2026-11-20 alone is NCAAB in the fixture store: a NO_DATA run.
    expect(engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "1", "--sport", "NCAAB", "--home", home, "--lstm-epochs", "2", "--quiet"], { ENGINE1_NOW: "2026-11-21T12:00:00Z" }).status).toBe(1);
    writeFileSync(path.join(home, "engine1.config.json"), JSON.stringify({ gates: { min_samples: 100000 } }));
    expect(train(home, "2026-11-21T13:00:00Z").status).toBe(1);
    [noData, gated] = runDirs(home) as [string, string];
  });

  it("has nothing to roll back to in a home where nothing was ever current (exit 1)", () => {
    expect(models(home, ["rollback"])).toEqual({
      status: 1,
      stdout: "",
      stderr: `engine1: nothing to roll back to: nothing is current and ${path.join(home, "registry.ndjson")} records no change of current\n`,
    });
    expect(existsSync(path.join(home, "registry.ndjson"))).toBe(false);
  });

  it("refuses a NO_DATA run, even with --force (exit 1)", () => {
    const message = `engine1: cannot promote ${noData}: it is NO_DATA (no eligible picks: the six-stage filter kept nothing); only a run whose training succeeded can be current\n`;
    expect(models(home, ["promote", noData])).toEqual({ status: 1, stdout: "", stderr: message });
    expect(models(home, ["promote", noData, "--force"])).toEqual({ status: 1, stdout: "", stderr: message });
  });

  it("refuses a run that FAILED its gates unless --force, which the log records", () => {
    expect(models(home, ["promote", gated])).toEqual({
      status: 1,
      stdout: "",
      stderr: `engine1: cannot promote ${gated}: its promotion gates failed: min_samples (45 training samples < 100000); --force promotes it anyway and records that in the log\n`,
    });
    expect(existsSync(path.join(home, "current"))).toBe(false);
    expect(models(home, ["promote", path.join(home, "runs", gated), "--force", "--reason", "needed today"]).status).toBe(0);
    expect(currentTarget(home)).toBe(`runs/${gated}`);
    expect(brief(home)).toEqual([
      { action: "promote", run: gated, previous_run: null, reason: "needed today; forced past failed gates: min_samples (45 training samples < 100000)" },
    ]);
  });

  it("logs a training with --no-gates as such", () => {
    expect(train(home, "2026-11-21T14:00:00Z", ["--no-gates"]).status).toBe(0);
    const trained = runDirs(home)[2]!;
    expect(brief(home).at(-1)).toEqual({ action: "train", run: trained, previous_run: gated, reason: "trained; every assertion passed, gates skipped by --no-gates" });
  });

  it("refuses a run that is not in the home (exit 2)", () => {
    expect(models(home, ["promote", "no-such-run"])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: no run found at ${path.resolve(ROOT, "no-such-run")} or ${path.join(home, "runs", "no-such-run")}\n`,
    });
    expect(models(home, ["promote", gated, "--reason", "  "])).toEqual({ status: 2, stdout: "", stderr: 'engine1: --reason must say why, got an empty text\n' });
  });
});
