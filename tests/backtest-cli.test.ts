import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PickFilter } from "../src/filter/filter.js";
import { backtestDocumentSchema } from "../src/schemas/backtest.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { readPicks, tempDir } from "./helpers/store.js";

const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
const GRADES = path.join(ROOT, "fixtures/store/graded_picks.jsonl");
const FROM = "2026-06-01";
const TO = "2026-11-20";
const RANGE = ["--store", STORE, "--from", FROM, "--to", TO, "--threads", "0"];

/** The eligible picks of the range, counted apart from the backtest with the library's filter. */
async function eligibleInRange() {
  const { picks } = await readPicks(STORE, GRADES);
  const filter = new PickFilter({ asOf: TO, days: "all", sports: null, markets: null });
  return picks.filter((p) => filter.apply(p) === null && p.date! >= FROM);
}

describe("engine1 backtest", () => {
  it("prints one document that validates and reconciles, and --out writes the same document", async () => {
    const home = tempDir();
    const out = path.join(tempDir(), "nested", "backtest.json");
    const result = engine1(["backtest", ...RANGE, "--home", home, "--json", "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const doc = backtestDocumentSchema.parse(JSON.parse(result.stdout));
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(doc);

    const eligible = await eligibleInRange();
    const withoutPreds = eligible.filter((p) => p.preds.status === "missing").length;
    const a = doc.accounting;
    expect(a.candidates).toBe(eligible.length);
    expect(a.candidates).toBe(a.scored + Object.values(a.unscored).reduce((s, n) => s + n, 0) + a.no_model_yet);
    // A year of history precedes the range: every day has a model; the fixture prices every record.
    expect(a).toEqual({ candidates: eligible.length, scored: eligible.length - withoutPreds, unscored: { no_model_preds: withoutPreds }, no_model_yet: 0 });
    expect(withoutPreds).toBeGreaterThan(0);

    expect(doc.summary.picks).toBe(a.scored);
    expect(doc.top["100"]).toEqual(doc.summary);
    expect(Object.values(doc.by_tier).reduce((s, t) => s + t.picks, 0)).toBe(a.scored);
    expect(doc.top["10"].picks).toBe(Math.ceil(a.scored / 10));
    expect(doc.top["30"].picks).toBe(Math.ceil((a.scored * 3) / 10));
    expect(doc.curve.reduce((s, p) => s + p.picks, 0)).toBe(a.scored);
    expect(doc.curve.length).toBe(doc.range.days_with_bets);
    expect(doc.curve.at(-1)!.cumulative_units).toBeCloseTo(doc.summary.profit_units, 9);
    expect(doc.curve.at(-1)!.kelly_bankroll).toBeCloseTo(1 + doc.summary.kelly.profit, 9);
    expect(doc.range).toMatchObject({ from: FROM, to: TO, days: 173 });
    expect(doc.options).toEqual({ sport: null, markets: null, C: 1, embargo_days: 0, kelly_fraction: 0.25, kelly_cap: 0.05, tiers: { A: 0.1, B: 0.05, C: 0.02 }, calibration: "none" });
    expect(doc.store.path).toBe(STORE);
  });

  it("prints the human report: summary, the tier and top table, drawdown and curve", () => {
    const args = ["backtest", ...RANGE, "--home", tempDir(), "--sport", "nba", "--C", "0.5", "--kelly-fraction", "0.5"];
    const doc = backtestDocumentSchema.parse(JSON.parse(engine1([...args, "--json"]).stdout));
    expect(doc.options).toMatchObject({ sport: "NBA", C: 0.5, kelly_fraction: 0.5 });
    const result = engine1(args);
    expect(result.status).toBe(0);
    const s = doc.summary;
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`backtest ${FROM} … ${TO} (173 days, ${doc.range.days_with_bets} with bets) of ${STORE}`);
    expect(lines[2]).toBe(
      `summary: ${s.picks} picks, hit rate ${(s.hit_rate! * 100).toFixed(1)}%, A/E ${s.actual_expected!.toFixed(3)}, ` +
        `profit ${s.profit_units >= 0 ? "+" : ""}${s.profit_units.toFixed(2)} units, ROI ${(s.roi! * 100).toFixed(2)}%, ` +
        `Kelly yield ${(s.kelly.yield! * 100).toFixed(2)}% on ${s.kelly.bets} bets`,
    );
    for (const row of ["tier A", "tier B", "tier C", "tier D", "top 10%", "top 20%", "top 30%", "all picks"]) expect(result.stdout).toContain(`│ ${row} `);
    expect(result.stdout).toContain(`max drawdown: ${doc.max_drawdown.flat_units.toFixed(2)} units flat (${doc.max_drawdown.flat_from} … ${doc.max_drawdown.flat_to})`);
    expect(result.stdout).toMatch(/^cumulative profit [▁▂▃▄▅▆▇█]+ [+-][\d.]+ units/m);
  });

  it("gives the same bytes for the same store, dates and clock, threads or none, and never loads TensorFlow.js", () => {
    const env = { ENGINE1_NOW: "2026-11-21T12:00:00Z" };
    const hook = path.join(ROOT, "tests/helpers/blocked-packages.mjs");
    const args = ["backtest", "--store", STORE, "--from", "2026-10-01", "--to", TO, "--home", tempDir(), "--json"];
    const one = engine1([...args, "--threads", "0"], { ...env, NODE_OPTIONS: `--import=${hook}` });
    const two = engine1([...args, "--threads", "2"], env);
    expect(one.status).toBe(0);
    expect(one.stdout).toBe(two.stdout);
    expect(JSON.parse(one.stdout).generated_at).toBe("2026-11-21T12:00:00.000Z");
  });

  it("says so when the range holds no eligible picks", () => {
    const result = engine1(["backtest", "--store", STORE, "--home", tempDir(), "--threads", "0", "--from", "2020-01-01", "--to", "2020-01-05"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`backtest 2020-01-01 … 2020-01-05 (5 days, 0 with bets) of ${STORE}\nno eligible graded picks are dated in the range: nothing to bet\n`);
  });

  it("bets the 30 days ending yesterday in ET by default", () => {
    const result = engine1(["backtest", "--store", STORE, "--home", tempDir(), "--threads", "0", "--json"], { ENGINE1_NOW: "2026-11-21T03:00:00Z" });
    expect(result.status).toBe(0);
    // 03:00 UTC on the 21st is still the 20th in New York: yesterday is the 19th.
    expect(JSON.parse(result.stdout).range).toMatchObject({ from: "2026-10-21", to: "2026-11-19", days: 30 });
  });

  it("--calibration platt waits for 100 out-of-sample predictions before it bets", async () => {
    const result = engine1(["backtest", ...RANGE, "--home", tempDir(), "--calibration", "platt", "--json"]);
    expect(result.status).toBe(0);
    const doc = backtestDocumentSchema.parse(JSON.parse(result.stdout));
    const eligible = await eligibleInRange();
    const a = doc.accounting;
    expect(doc.options.calibration).toBe("platt");
    expect(doc.fits.calibration_fits).toBeGreaterThan(0);
    expect(a.candidates).toBe(eligible.length);
    expect(a.candidates).toBe(a.scored + Object.values(a.unscored).reduce((s, n) => s + n, 0) + a.no_model_yet);
    expect(doc.summary.picks).toBe(a.scored);
  });

  it.each([
    [["--from", "2026-13-01"], 'engine1: --from must be a calendar date YYYY-MM-DD, got "2026-13-01"'],
    [["--to", "yesterday"], 'engine1: --to must be a calendar date YYYY-MM-DD, got "yesterday"'],
    [["--from", "2026-11-20", "--to", "2026-11-01"], "engine1: --from 2026-11-20 is after --to 2026-11-01: the range bets from its first day to its last"],
    [["--from", "2026-11-01", "--to", "2026-11-20", "--kelly-cap", "2"], 'engine1: --kelly-cap must be a share of the bankroll in (0, 1], got "2"'],
    [["--from", "2026-11-01", "--to", "2026-11-20", "--embargo-days", "-1"], 'engine1: --embargo-days must be a whole number of at least 0, got "-1"'],
    [["--from", "2026-11-01", "--to", "2026-11-20", "--calibration", "isotonic"], 'engine1: --calibration must be none or platt, got "isotonic"'],
  ])("exits 2 with one line for %j", (args, message) => {
    const result = engine1(["backtest", "--store", STORE, "--home", tempDir(), ...args]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`${message}\n`);
  });
});
