import { spawnSync } from "node:child_process";
import { appendFileSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { predictDocumentSchema, type PredictDocument } from "../src/schemas/predict.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { jsonl, tempDir, writeStore } from "./helpers/store.js";

const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
const home = tempDir("engine1-predict-");
const NEW_DATE = "2026-11-21";
let pending = "";

/** The fixture's game picks with four model values, moved to NEW_DATE and ungraded: a day of picks with every tier. */
function pendingDay(): string {
  const records: Record<string, unknown>[] = [];
  for (const line of readFileSync(STORE, "utf8").replace(/^\uFEFF/, "").split("\n")) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    const market = String(record.pick_type ?? record.market ?? "").toUpperCase();
    const values = (record.ai_breakdown as { raw_inputs?: { model_preds?: { values?: unknown } } } | undefined)?.raw_inputs?.model_preds?.values;
    if (!["SPREADS", "TOTALS", "H2H"].includes(market) || !Array.isArray(values) || values.length < 4 || typeof record.pick_id !== "string") continue;
    records.push({ ...record, date_et: NEW_DATE, grade_status: "PENDING", result: null });
  }
  return writeStore(jsonl(records));
}

function json(args: string[]): PredictDocument {
  const result = engine1(["predict", "--home", home, "--json", ...args]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return predictDocumentSchema.parse(JSON.parse(result.stdout));
}

function withStdin(args: string[], input: string) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin/engine1"), "predict", "--home", home, "--stdin", ...args], {
    input,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  const trained = engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--home", home, "--lstm-epochs", "1", "--quiet"]);
  expect(trained.status).toBe(0);
  pending = pendingDay();
});

describe("engine1 predict on the committed fixture store", () => {
  it("prints the ungraded pick of 2026-09-20 with its tier and stake, and a summary", () => {
    const d = json(["--store", STORE, "--date", "2026-09-20", "--bankroll", "1000"]);
    expect(d.accounting).toMatchObject({ read: 3, already_graded: 2, candidates: 1, scored: 1, unscored: 0, listed: 1, assertion_passed: true });
    const [pick] = d.picks;
    expect(pick).toMatchObject({ pick_id: "mlb-2026-09-20-pit-laa-ml-000326", source_line: 331, market: "MONEYLINE", odds: 155, implied: 1 / 2.55, vig_removed: false });
    expect(pick!.stake_units).toBeCloseTo(pick!.stake * 1000, 9);
    const human = engine1(["predict", "--home", home, "--store", STORE, "--date", "2026-09-20", "--bankroll", "1000"]);
    expect(human.status).toBe(0);
    const row = human.stdout.split("\n").find((l) => l.includes(pick!.pick_id))!;
    expect(row.split("│").map((c) => c.trim()).slice(1, 8)).toEqual([
      pick!.tier,
      `${pick!.edge > 0 ? "+" : "−"}${(Math.abs(pick!.edge) * 100).toFixed(1)}%`,
      pick!.probability.toFixed(3),
      pick!.fair.toFixed(3),
      "+155",
      `${(pick!.stake * 100).toFixed(2)}%`,
      pick!.stake_units!.toFixed(2),
    ]);
    expect(human.stdout).toContain(`2026-09-20: 1 candidate → 1 scored, 0 unscored; 1 listed (A ${d.accounting.listed_by_tier.A}, B ${d.accounting.listed_by_tier.B}, C ${d.accounting.listed_by_tier.C}, D ${d.accounting.listed_by_tier.D}); 2 already graded\n`);
  });

  it("never loads TensorFlow.js", () => {
    const noTf = { NODE_OPTIONS: `--import=${path.join(ROOT, "tests/helpers/blocked-packages.mjs")}` };
    expect(engine1(["predict", "--home", home, "--store", STORE, "--date", "2026-09-20", "--quiet"], noTf)).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("lists the pending picks it cannot score with their reasons: a prop (2026-07-22), a spread without model values (2025-11-26)", () => {
    const prop = json(["--store", STORE, "--date", "2026-07-22"]);
    expect(prop.unscored.map((u) => [u.source_line, u.reason, u.detail])).toEqual([
      [270, "not_game_market", "market BATTER_TOTAL_BASES is not a game market (SPREAD, TOTAL, MONEYLINE)"],
    ]);
    expect(prop.accounting).toMatchObject({ candidates: 1, scored: 0, unscored: 1, unscored_by_reason: { not_game_market: 1 }, assertion_passed: true });
    const human = engine1(["predict", "--home", home, "--store", STORE, "--date", "2025-11-26"]);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain(
      "no scored picks to list\nunscored (1):\n  line 8  nfl-2025-11-26-tb-lac-spread-000007  no_model_preds: no ai_breakdown.raw_inputs.model_preds.values\n2025-11-26: 1 candidate → 0 scored, 1 unscored; 0 listed (A 0, B 0, C 0, D 0); 1 already graded\n",
    );
  });
});

describe("engine1 predict on a day of pending picks", () => {
  it("--json validates and reconciles; sorted by edge; the stake is 0 wherever the edge is not positive and never above the cap", () => {
    const d = json(["--store", pending, "--no-grades", "--date", NEW_DATE]);
    const a = d.accounting;
    expect(a.candidates).toBe(a.scored + a.unscored);
    expect(a.read).toBe(a.already_graded + a.not_selected + a.candidates);
    expect(a.scored).toBeGreaterThan(50);
    expect(a.filtered_out).toBe(0);
    expect(new Set(d.picks.map((p) => p.tier)).size).toBeGreaterThanOrEqual(3);
    expect(d.picks.map((p) => p.edge)).toEqual([...d.picks.map((p) => p.edge)].sort((x, y) => y - x));
    for (const p of d.picks) {
      if (p.edge <= 0) expect(p.stake).toBe(0);
      expect(p.stake).toBeLessThanOrEqual(0.05);
      expect(p.tier).toBe(p.edge >= 0.1 ? "A" : p.edge >= 0.05 ? "B" : p.edge >= 0.02 ? "C" : "D");
    }
    expect(d.picks.some((p) => p.stake === 0.05)).toBe(true);
  });

  it("--kelly-cap and --kelly-fraction bound every stake", () => {
    const d = json(["--store", pending, "--no-grades", "--date", NEW_DATE, "--kelly-fraction", "1", "--kelly-cap", "0.02"]);
    expect(d.options).toMatchObject({ kelly_fraction: 1, kelly_cap: 0.02 });
    expect(Math.max(...d.picks.map((p) => p.stake))).toBe(0.02);
    for (const p of d.picks) expect(p.stake).toBe(p.edge > 0 ? Math.min(0.02, Math.max(0, p.kelly_full)) : 0);
  });

  it("takes tiers, Kelly and the minimum edge from engine1.config.json; flags win over it", () => {
    const config = writeStore(JSON.stringify({ predict: { tiers: { A: 0.2, B: 0.1, C: 0.05 }, kelly_fraction: 0.5, kelly_cap: 0.03, min_edge: 0 } }), "engine1.config.json");
    const d = json(["--store", pending, "--no-grades", "--date", NEW_DATE, "--config", config, "--kelly-cap", "0.01"]);
    expect(d.options).toMatchObject({ kelly_fraction: 0.5, kelly_cap: 0.01, tiers: { A: 0.2, B: 0.1, C: 0.05 }, min_edge: 0 });
    for (const p of d.picks) {
      expect(p.edge).toBeGreaterThanOrEqual(0);
      expect(p.tier).toBe(p.edge >= 0.2 ? "A" : p.edge >= 0.1 ? "B" : p.edge >= 0.05 ? "C" : "D");
      expect(p.stake).toBe(p.edge > 0 ? Math.min(0.01, Math.max(0, 0.5 * p.kelly_full)) : 0);
    }
    expect(d.accounting.listed + d.accounting.filtered_out).toBe(d.accounting.scored);
  });

  it("--tier and --min-edge list exactly the picks they select, and count the rest as filtered out", () => {
    const all = json(["--store", pending, "--no-grades", "--date", NEW_DATE]);
    const ab = json(["--store", pending, "--no-grades", "--date", NEW_DATE, "--tier", "a,B"]);
    expect(ab.picks.map((p) => p.pick_id)).toEqual(all.picks.filter((p) => p.tier === "A" || p.tier === "B").map((p) => p.pick_id));
    expect(ab.accounting.filtered_out).toBe(all.picks.length - ab.picks.length);
    const min = json(["--store", pending, "--no-grades", "--date", NEW_DATE, "--min-edge", "0.05"]);
    expect(min.picks.map((p) => p.pick_id)).toEqual(all.picks.filter((p) => p.edge >= 0.05).map((p) => p.pick_id));
    expect(min.accounting.unscored).toBe(all.accounting.unscored);
  });

  it("--ndjson prints one line per listed or unscored pick, each with its status", () => {
    const d = json(["--store", pending, "--no-grades", "--date", NEW_DATE]);
    const result = engine1(["predict", "--home", home, "--store", pending, "--no-grades", "--date", NEW_DATE, "--ndjson"]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines.length).toBe(d.accounting.listed + d.accounting.unscored);
    expect(lines.map((l) => l.status)).toEqual([...d.picks.map(() => "scored"), ...d.unscored.map(() => "unscored")]);
    expect(lines[0]).toEqual({ status: "scored", ...d.picks[0] });
    expect(result.stderr).toMatch(/^2026-11-21: \d+ candidates → \d+ scored, \d+ unscored; \d+ listed/);
  });
});

describe("engine1 predict --stdin", () => {
  it("scores picks from stdin and lists a line that is not JSON with its number", () => {
    const first = readFileSync(pendingDay(), "utf8").split("\n")[0]!;
    const result = withStdin(["--json"], `${first}\nnot json at all\n`);
    expect(result.status).toBe(0);
    const d = predictDocumentSchema.parse(JSON.parse(result.stdout));
    expect(d.accounting).toMatchObject({ read: 2, candidates: 2, scored: 1, unscored: 1, assertion_passed: true });
    expect(d.picks[0]!.source_line).toBe(1);
    expect(d.unscored).toEqual([{ pick_id: null, source_line: 2, date: null, sport: null, market: null, reason: "not_json", detail: expect.stringMatching(/^line 2 is not JSON: /) }]);
  });

  it("empty stdin is an empty prediction; --date with --stdin is a usage error", () => {
    const empty = withStdin(["--json"], "");
    expect(empty.status).toBe(0);
    expect(JSON.parse(empty.stdout).accounting.candidates).toBe(0);
    expect(withStdin(["--date", "2026-11-21"], "")).toEqual({ status: 2, stdout: "", stderr: "engine1: --date picks a date of the store; with --stdin every line is a candidate\n" });
  });
});

describe("engine1 predict errors", () => {
  it("no current run: exit 2 and one line", () => {
    const empty = tempDir();
    expect(engine1(["predict", "--home", empty, "--store", STORE, "--date", "2026-09-20"])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: no current run: ${path.join(empty, "current")} does not exist (has train ever succeeded in this home?)\n`,
    });
  });

  it("a missing store, bad flags and --json with --ndjson: exit 2 and one line", () => {
    const missing = path.join(tempDir(), "none.jsonl");
    const cases: [string[], string][] = [
      [["--store", missing], `engine1: store not found: ${missing} (chosen by --store)\n`],
      [["--store", STORE, "--kelly-fraction", "1.5"], 'engine1: --kelly-fraction must be a number in (0, 1], got "1.5"\n'],
      [["--store", STORE, "--tier", "A,E"], "engine1: --tier takes A, B, C, D, got E\n"],
      [["--store", STORE, "--json", "--ndjson"], "engine1: --json prints one document and --ndjson one line per pick: give one of them\n"],
      [["--store", STORE, "--date", "2026-02-30"], 'engine1: --date must be a calendar date YYYY-MM-DD, got "2026-02-30"\n'],
    ];
    for (const [args, stderr] of cases) expect(engine1(["predict", "--home", home, ...args])).toEqual({ status: 2, stdout: "", stderr });
  });

  it("an ensemble artifact changed since training: exit 2 naming the file", () => {
    const copy = tempDir();
    const run = path.resolve(home, readlinkSync(path.join(home, "current")));
    const result = engine1(["predict", "--home", copy, "--run", run, "--store", STORE, "--date", "2026-09-20"]);
    expect(result.status).toBe(0);
    appendFileSync(path.join(run, "ensemble.json"), " ");
    try {
      const changed = engine1(["predict", "--home", home, "--store", STORE, "--date", "2026-09-20"]);
      expect(changed.status).toBe(2);
      expect(changed.stderr).toMatch(new RegExp(`^engine1: ${path.join(run, "ensemble.json").replace(/[.]/g, "\\.")} changed since run \\S+ recorded it`));
    } finally {
      const bytes = readFileSync(path.join(run, "ensemble.json"), "utf8");
      writeStore(bytes.slice(0, -1), "ensemble.json", run);
    }
  });
});

describe("a run trained on one sport", () => {
  it("scores that sport by default, and --sport chooses another", () => {
    const nbaHome = tempDir("engine1-predict-nba-");
    const trained = engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--sport", "NBA", "--home", nbaHome, "--lstm-epochs", "1", "--quiet"]);
    expect(trained.status).toBe(0);
    // 2026-09-20's one ungraded pick is MLB: the NBA run leaves it out unless asked.
    const own = engine1(["predict", "--home", nbaHome, "--store", STORE, "--date", "2026-09-20", "--json"]);
    expect(own.status).toBe(0);
    const d = predictDocumentSchema.parse(JSON.parse(own.stdout));
    expect(d.options.sport).toEqual(["NBA"]);
    expect(d.accounting).toMatchObject({ read: 3, already_graded: 2, not_selected: 1, candidates: 0, scored: 0 });
    const human = engine1(["predict", "--home", nbaHome, "--store", STORE, "--date", "2026-09-20", "--no-color"]);
    expect(human.stdout.trimEnd().split("\n").at(-1)).toBe(
      "2026-09-20: 0 candidates → 0 scored, 0 unscored; 0 listed (A 0, B 0, C 0, D 0); 2 already graded; 1 outside NBA (--sport/--markets; the run's own by default)",
    );
    const mlb = predictDocumentSchema.parse(JSON.parse(engine1(["predict", "--home", nbaHome, "--store", STORE, "--date", "2026-09-20", "--sport", "mlb", "--json"]).stdout));
    expect(mlb.options.sport).toEqual(["MLB"]);
    expect(mlb.picks.map((p) => p.pick_id)).toEqual(["mlb-2026-09-20-pit-laa-ml-000326"]);
  });
});

describe("a reader that stops early (engine1 predict --ndjson | head)", () => {
  it("ends quietly with exit 0 and no EPIPE stack, however much was left to write", () => {
    // 3,000 unscored lines (not JSON) make about 400 KB of NDJSON, far more than a pipe holds.
    const input = path.join(tempDir(), "candidates.jsonl");
    writeFileSync(input, "not json\n".repeat(3000));
    const script = `node ${path.join(ROOT, "bin/engine1")} predict --home ${home} --stdin --ndjson < ${input} 2> err.txt | head -c 10 > /dev/null; echo "\${PIPESTATUS[0]}"; cat err.txt`;
    const result = spawnSync("bash", ["-c", script], { cwd: tempDir(), encoding: "utf8" });
    expect(result.stdout).toBe("0\nstdin: 3,000 candidates → 0 scored, 3,000 unscored; 0 listed (A 0, B 0, C 0, D 0)\n");
  });
});
