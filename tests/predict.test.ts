import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { EnsembleModel, ensembleArtifactSchema, type EnsembleArtifact } from "../src/models/ensemble/artifact.js";
import { stdinCandidates, storeCandidates, type Selection } from "../src/predict/candidates.js";
import type { RunEnsemble } from "../src/predict/load-model.js";
import { resolvePredictSettings, type PredictRequest } from "../src/predict/predict-options.js";
import { predictPicks } from "../src/predict/predict.js";
import { OtherSideIndex } from "../src/predict/other-side.js";
import { scorePick } from "../src/predict/score-picks.js";
import { predictDocumentSchema, type PredictDocument } from "../src/schemas/predict.js";
import type { RunDocument } from "../src/schemas/run.js";
import { gamePick, jsonl, tempDir, writeStore } from "./helpers/store.js";
import { ensemblePick } from "./helpers/ensemble-picks.js";

const DATE = "2026-03-10";

/** Logit transform, weight 1 on the first value, no intercept: the probability is the first value itself. */
function hand(calibration: EnsembleArtifact["calibration"] = null): RunEnsemble {
  const artifact = ensembleArtifactSchema.parse({
    model: "ensemble",
    artifact_version: 1,
    feature_names: ["ensemble", "lstm", "matchup", "monte_carlo"],
    transform: { kind: "logit" },
    coefficients: [1, 0, 0, 0],
    intercept: 0,
    C: 0.5,
    calibration,
    label_type: "binary_hit",
    label_definition: "hit = 1.0 if result == WIN, hit = 0.0 if result == LOSS, PUSH excluded",
  });
  return {
    runDir: "/nowhere",
    run: { run_id: "hand-run", as_of: "2026-03-09" } as RunDocument,
    artifact,
    model: EnsembleModel.fromArtifact(artifact),
    sha256: "0".repeat(64),
  };
}

/** An ungraded game pick of DATE with its own event; `p` is the first upstream value (the hand model's probability). */
function pending(id: string, p: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return gamePick({
    pick_id: id,
    event_id: `ev-${id}`,
    grade_status: "PENDING",
    result: null,
    ai_breakdown: { raw_inputs: { model_preds: { values: [p, 0.5, 0.5, 0.5] } } },
    ...overrides,
  });
}

const RECORDS = [
  // line 1: spread at −110 whose other side (line 2, already graded) is also −110: fair 0.5, edge 0.12 → A; quarter Kelly 0.0505 capped at 0.05
  pending("spread-home", 0.62, { event_id: "ev-s", pick_type: "SPREAD", side: "home", line: -6, odds: -110, book: "dk" }),
  gamePick({ pick_id: "spread-away", event_id: "ev-s", date_et: DATE, pick_type: "SPREAD", side: "away", line: 6, odds: -110, book: "dk" }),
  // line 3: total at −105 with the other side's −115 on the record: fair 0.5121951 / (0.5121951 + 0.5348837) = 0.4891658, edge 0.0608342 → B
  pending("total-over", 0.55, { pick_type: "TOTAL", side: "over", line: 220.5, odds: -105, odds_other_side: -115 }),
  // line 4: moneyline at +150, one side only: fair = implied 0.4, edge 0.03 → C; full Kelly (1.5·0.43 − 0.57)/1.5 = 0.05, quarter 0.0125
  pending("ml-dog", 0.43, { pick_type: "MONEYLINE", side: "away", odds: 150 }),
  // line 5: moneyline at −200: implied 0.666667, edge −0.066667 → D, full Kelly (0.5·0.6 − 0.4)/0.5 = −0.2, stake 0
  pending("ml-fav", 0.6, { pick_type: "MONEYLINE", side: "home", odds: -200 }),
  // lines 6–7: both sides of one spread are candidates, each prices the other: fair 0.5; home edge +0.01 but full Kelly
  // 0.51 − 0.49/0.909091 = −0.029 → stake 0; away edge −0.05
  pending("pair-home", 0.51, { event_id: "ev-p", pick_type: "SPREAD", side: "home", line: -3.5, odds: -110 }),
  pending("pair-away", 0.45, { event_id: "ev-p", pick_type: "SPREAD", side: "away", line: 3.5, odds: -110 }),
  // lines 8–16: one of each reason a candidate cannot be scored
  pending("prop", 0.6, { pick_type: "PLAYER_POINTS", odds: -110 }),
  pending("no-market", 0.6, { pick_type: undefined, odds: -110 }),
  gamePick({ pick_id: "no-preds", date_et: DATE, grade_status: "PENDING", result: null, ai_breakdown: { raw_inputs: { features: { pace: 1 } } }, odds: -110 }),
  pending("two-values", 0.6, { ai_breakdown: { raw_inputs: { model_preds: { values: [0.6, 0.5] } } }, odds: -110 }),
  pending("bad-value", 0.6, { ai_breakdown: { raw_inputs: { model_preds: { values: [0.6, "x", 0.5, 0.5] } } }, odds: -110 }),
  pending("no-odds", 0.6, {}),
  pending("odds-50", 0.6, { odds: 50 }),
  pending("odds-text", 0.6, { odds: "-110" }),
  pending("outside-logit", 1.2, { odds: -110 }),
  // line 17: graded in the store: not a candidate; line 18: another date; line 19: pending in the store, graded by the overlay
  gamePick({ pick_id: "graded", date_et: DATE, odds: -110 }),
  pending("other-date", 0.7, { date_et: "2026-03-11", odds: -110 }),
  pending("overlay-graded", 0.7, { odds: -110 }),
  // line 20: an NFL pick, left out by --sport NBA
  pending("nfl", 0.7, { sport: "NFL", odds: -110 }),
];
const GRADES = [{ pick_id: "overlay-graded", grade_status: "GRADED", result: "WIN" }];

async function fromStore(request: PredictRequest = {}, selection: Selection = { sports: null, markets: null }, ensemble = hand()): Promise<PredictDocument> {
  const dir = tempDir();
  const store = writeStore(jsonl(RECORDS), "predictions.jsonl", dir);
  const grades = writeStore(jsonl(GRADES), "graded_picks.jsonl", dir);
  const candidates = await storeCandidates({ store: { path: store, source: "test" }, grades: { path: grades, source: "test" }, date: DATE, ...selection });
  return predictPicks({ ensemble, candidates, settings: resolvePredictSettings(request, undefined), date: DATE, ...selection, bankroll: 1000, now: new Date(0) });
}

const brief = (d: PredictDocument) => d.picks.map((p) => [p.pick_id, p.tier, p.source_line]);

describe("predict: a hand-built model on a hand-made store", () => {
  it("gives exact probabilities, fair prices, edges, tiers and stakes, by edge", async () => {
    const d = await fromStore();
    expect(brief(d)).toEqual([
      ["nfl", "A", 20],
      ["spread-home", "A", 1],
      ["total-over", "B", 3],
      ["ml-dog", "C", 4],
      ["pair-home", "D", 6],
      ["pair-away", "D", 7],
      ["ml-fav", "D", 5],
    ]);
    const [, spread, total, dog, pairHome, pairAway, fav] = d.picks;
    expect(spread).toEqual({
      pick_id: "spread-home",
      source_line: 1,
      date: DATE,
      sport: "NBA",
      market: "SPREAD",
      home_team: "Boston Celtics",
      away_team: "Miami Heat",
      selection: null,
      side: "home",
      line: -6,
      book: "dk",
      odds: -110,
      probability: expect.closeTo(0.62, 12),
      probability_uncalibrated: expect.closeTo(0.62, 12),
      implied: expect.closeTo(0.523809524, 9),
      fair: expect.closeTo(0.5, 12),
      vig_removed: true,
      other_side_source: "store",
      other_side_odds: -110,
      other_side_pick_id: "spread-away",
      overround: expect.closeTo(0.047619048, 9),
      edge: expect.closeTo(0.12, 12),
      tier: "A",
      kelly_full: expect.closeTo(0.202, 12),
      stake: 0.05,
      stake_units: 50,
    });
    expect(total).toMatchObject({ other_side_source: "record", other_side_odds: -115, other_side_pick_id: null, vig_removed: true, tier: "B" });
    expect(total!.fair).toBeCloseTo(0.4891658, 7);
    expect(total!.edge).toBeCloseTo(0.0608342, 7);
    expect(total!.kelly_full).toBeCloseTo(0.0775, 12);
    expect(total!.stake).toBeCloseTo(0.019375, 12);
    expect(dog).toMatchObject({ vig_removed: false, other_side_source: null, other_side_odds: null, overround: null, tier: "C" });
    expect([dog!.fair, dog!.edge, dog!.kelly_full, dog!.stake, dog!.stake_units]).toEqual([0.4, expect.closeTo(0.03, 12), expect.closeTo(0.05, 12), expect.closeTo(0.0125, 12), expect.closeTo(12.5, 9)]);
    expect([fav!.edge, fav!.kelly_full, fav!.stake, fav!.stake_units]).toEqual([expect.closeTo(-0.066667, 6), expect.closeTo(-0.2, 12), 0, 0]);
    expect(pairHome).toMatchObject({ other_side_source: "store", other_side_pick_id: "pair-away", stake: 0, tier: "D" });
    expect([pairHome!.edge, pairHome!.kelly_full]).toEqual([expect.closeTo(0.01, 12), expect.closeTo(-0.029, 12)]);
    expect(pairAway).toMatchObject({ other_side_pick_id: "pair-home", stake: 0 });
    expect(pairAway!.edge).toBeCloseTo(-0.05, 12);
  });

  it("lists every candidate it cannot score with its reason, and the accounting reconciles", async () => {
    const d = await fromStore();
    expect(d.unscored.map((u) => [u.source_line, u.pick_id, u.reason])).toEqual([
      [8, "prop", "not_game_market"],
      [9, "no-market", "no_market"],
      [10, "no-preds", "no_model_preds"],
      [11, "two-values", "insufficient_values"],
      [12, "bad-value", "bad_values"],
      [13, "no-odds", "no_odds"],
      [14, "odds-50", "bad_odds"],
      [15, "odds-text", "bad_odds"],
      [16, "outside-logit", "outside_transform_domain"],
    ]);
    expect(d.unscored[6]).toEqual({ pick_id: "odds-50", source_line: 14, date: DATE, sport: "NBA", market: "SPREAD", reason: "bad_odds", detail: "odds 50 is not an American price (a number ≤ −100 or ≥ +100)" });
    expect(d.unscored[8]!.detail).toBe("ensemble feature ensemble is 1.2 (the logit transform needs a value strictly between 0 and 1)");
    expect(d.accounting).toEqual({
      read: 19,
      already_graded: 3,
      not_selected: 0,
      blank_lines: 0,
      candidates: 16,
      scored: 7,
      unscored: 9,
      unscored_by_reason: { not_game_market: 1, no_market: 1, no_model_preds: 1, insufficient_values: 1, bad_values: 1, no_odds: 1, bad_odds: 2, outside_transform_domain: 1 },
      filtered_out: 0,
      listed: 7,
      listed_by_tier: { A: 2, B: 1, C: 1, D: 3 },
      assertion_passed: true,
      assertion_error: null,
    });
    expect(predictDocumentSchema.safeParse(d).success).toBe(true);
    expect(d.model).toEqual({ trained_as_of: "2026-03-09", feature_names: ["ensemble", "lstm", "matchup", "monte_carlo"], transform: "logit", C: 0.5, calibration: null, artifact_sha256: "0".repeat(64) });
  });

  it("--sport and --markets leave picks out as not selected, not as unscored", async () => {
    const nfl = await fromStore({}, { sports: ["NFL"], markets: null });
    expect(brief(nfl)).toEqual([["nfl", "A", 20]]);
    expect(nfl.accounting).toMatchObject({ read: 19, already_graded: 3, not_selected: 15, candidates: 1, scored: 1, unscored: 0, assertion_passed: true });
    const totals = await fromStore({}, { sports: null, markets: ["TOTAL"] });
    expect(brief(totals)).toEqual([["total-over", "B", 3]]);
    expect(totals.accounting).toMatchObject({ not_selected: 15, candidates: 1 });
  });

  it("--min-edge and --tier filter the listing exactly; what they leave out is counted, not unscored", async () => {
    const min = await fromStore({ minEdge: 0.025 });
    expect(brief(min).map((b) => b[0])).toEqual(["nfl", "spread-home", "total-over", "ml-dog"]);
    expect(min.accounting).toMatchObject({ scored: 7, listed: 4, filtered_out: 3, unscored: 9, listed_by_tier: { A: 2, B: 1, C: 1, D: 0 } });
    const tiers = await fromStore({ tiers: ["D", "B"] });
    expect(brief(tiers).map((b) => b[0])).toEqual(["total-over", "pair-home", "pair-away", "ml-fav"]);
    expect(tiers.options.tier_filter).toEqual(["B", "D"]);
    expect(tiers.accounting).toMatchObject({ listed: 4, filtered_out: 3 });
  });

  it("Kelly fraction and cap: half Kelly with a 1 % cap", async () => {
    const d = await fromStore({ kellyFraction: 0.5, kellyCap: 0.01 });
    expect(d.picks.map((p) => p.stake)).toEqual([0.01, 0.01, 0.01, 0.01, 0, 0, 0]);
    const loose = await fromStore({ kellyFraction: 0.5, kellyCap: 1 });
    expect(loose.picks.map((p) => p.stake)).toEqual([expect.closeTo(0.185, 12), expect.closeTo(0.101, 12), expect.closeTo(0.03875, 12), expect.closeTo(0.025, 12), 0, 0, 0]);
  });

  it("applies the saved calibration map: isotonic from (0, 0.2) to (1, 0.8) makes 0.62 into 0.572", async () => {
    const d = await fromStore({}, undefined, hand({ method: "isotonic", x: [0, 1], y: [0.2, 0.8], fitted_on: 100 }));
    const spread = d.picks.find((p) => p.pick_id === "spread-home")!;
    expect(spread.probability).toBeCloseTo(0.572, 12);
    expect(spread.probability_uncalibrated).toBeCloseTo(0.62, 12);
    expect(spread.edge).toBeCloseTo(0.072, 12);
    expect(spread.tier).toBe("B");
    expect(d.model.calibration).toBe("isotonic");
  });

  it("a record that cannot be read back is unscored, not dropped", () => {
    const candidate = { sourceLine: 4, pick: ensemblePick([0.6, 0.5, 0.5, 0.5]), betting: null };
    const result = scorePick(hand().model, candidate, new OtherSideIndex("store"), { kelly: { fraction: 0.25, cap: 0.05 }, tiers: { A: 0.1, B: 0.05, C: 0.02 }, bankroll: null });
    expect(result).toEqual({ unscored: expect.objectContaining({ source_line: 4, reason: "record_unreadable" }) });
  });
});

describe("predict: candidates on stdin", () => {
  const lines = [
    `\uFEFF${JSON.stringify(pending("a", 0.55, { side: "over", pick_type: "TOTAL", line: 210, odds: -110, event_id: "ev-t" }))}`,
    "",
    "{not json",
    "[1, 2]",
    JSON.stringify({ sport: "NBA" }),
    JSON.stringify(pending("b", 0.4, { side: "under", pick_type: "TOTAL", line: 210, odds: -110, event_id: "ev-t", grade_status: "GRADED" })),
    JSON.stringify(pending("a", 0.55, { odds: -110 })),
    "   ",
  ];

  async function fromStdin(text: string): Promise<PredictDocument> {
    const candidates = await stdinCandidates(Readable.from([text]), { sports: null, markets: null });
    return predictPicks({ ensemble: hand(), candidates, settings: resolvePredictSettings({}, undefined), date: null, sports: null, markets: null, bankroll: null });
  }

  it("scores every pick line (graded or not), prices the other side from stdin, and lists bad lines with their numbers", async () => {
    const d = await fromStdin(lines.join("\r\n"));
    expect(d.picks.map((p) => [p.pick_id, p.source_line, p.other_side_source, p.other_side_pick_id, p.fair])).toEqual([
      ["a", 1, "stdin", "b", expect.closeTo(0.5, 12)],
      ["b", 6, "stdin", "a", expect.closeTo(0.5, 12)],
    ]);
    expect(d.unscored.map((u) => [u.source_line, u.pick_id, u.reason])).toEqual([
      [3, null, "not_json"],
      [4, null, "not_object"],
      [5, null, "missing_pick_id"],
      [7, "a", "duplicate_pick_id"],
    ]);
    expect(d.accounting).toMatchObject({ read: 6, blank_lines: 2, already_graded: 0, candidates: 6, scored: 2, unscored: 4, assertion_passed: true });
    expect(d.source).toEqual({ kind: "stdin" });
    expect(d.date).toBeNull();
  });

  it("empty input is an empty prediction, not an error", async () => {
    const d = await fromStdin("");
    expect([d.picks, d.unscored, d.accounting.candidates, d.accounting.assertion_passed]).toEqual([[], [], 0, true]);
  });
});
