import path from "node:path";
import { expect } from "vitest";
import { backtestDocumentSchema, type BacktestDocument, type BacktestSegment } from "../../src/schemas/backtest.js";
import { engine1, ROOT } from "./cli.js";

export const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
export const STORE_SHA256 = "86daef577c2773c27bca0a19ba9718a7d9d076fca55aab24cf9480a1358af141";

/** Trains the committed fixture store into `home` (the run `current` then points to). */
export function trainFixture(home: string, store = STORE): void {
  const result = engine1(["train", "--store", store, "--as-of", "2026-11-20", "--days", "all", "--home", home, "--lstm-epochs", "2", "--quiet"]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
}

function segment(
  [picks, wins, losses, pushes]: [number, number, number, number],
  profit: number,
  expectedHits: number,
  kelly: { bets: number; staked: number; profit: number },
): BacktestSegment {
  return {
    picks,
    wins,
    losses,
    pushes,
    staked_units: picks,
    profit_units: profit,
    roi: picks === 0 ? null : profit / picks,
    hit_rate: wins + losses === 0 ? null : wins / (wins + losses),
    expected_hits: expectedHits,
    actual_expected: expectedHits === 0 ? null : wins / expectedHits,
    kelly: { ...kelly, yield: kelly.staked === 0 ? null : kelly.profit / kelly.staked },
  };
}

/**
 * A backtest document with numbers small enough to check by hand: 12 picks at even odds (a win pays
 * 1 unit), 7 won, 4 lost, 1 pushed, over five days; the tiers and the top shares add up to the summary.
 */
export function handMadeBacktest(): BacktestDocument {
  const tierA = segment([3, 3, 0, 0], 3, 1.8, { bets: 3, staked: 0.15, profit: 0.15 });
  return backtestDocumentSchema.parse({
    schema_version: 1,
    engine1_version: "0.1.0",
    generated_at: "2026-11-21T12:00:00.000Z",
    store: { path: STORE, sha256: STORE_SHA256, bytes_read: 1648183 },
    range: { from: "2026-10-22", to: "2026-11-20", days: 30, days_with_bets: 5 },
    options: { sport: null, markets: null, C: 1, embargo_days: 0, kelly_fraction: 0.25, kelly_cap: 0.05, tiers: { A: 0.1, B: 0.05, C: 0.02 }, calibration: "none" },
    accounting: { candidates: 20, scored: 12, unscored: { no_fair_price: 3 }, no_model_yet: 5 },
    pricing: { method: "opposite_side_or_implied", vig_removed: 8, implied_with_margin: 4 },
    fits: { refits: 30, largest_training_rows: 210, calibration_fits: 0 },
    summary: segment([12, 7, 4, 1], 3, 6.2, { bets: 10, staked: 0.26, profit: 0.16 }),
    by_tier: {
      A: tierA,
      B: segment([4, 2, 2, 0], 0, 2.2, { bets: 4, staked: 0.08, profit: 0 }),
      C: segment([3, 2, 1, 0], 1, 1.6, { bets: 3, staked: 0.03, profit: 0.01 }),
      D: segment([2, 0, 1, 1], -1, 0.6, { bets: 0, staked: 0, profit: 0 }),
    },
    top: {
      "10": segment([2, 2, 0, 0], 2, 1.3, { bets: 2, staked: 0.1, profit: 0.1 }),
      "20": tierA,
      "30": segment([4, 3, 1, 0], 2, 2.35, { bets: 4, staked: 0.17, profit: 0.13 }),
      "100": segment([12, 7, 4, 1], 3, 6.2, { bets: 10, staked: 0.26, profit: 0.16 }),
    },
    curve: [
      { date: "2026-11-16", picks: 3, profit_units: 1, cumulative_units: 1, kelly_profit: 0.05, kelly_bankroll: 1.05 },
      { date: "2026-11-17", picks: 2, profit_units: -2, cumulative_units: -1, kelly_profit: -0.04, kelly_bankroll: 1.01 },
      { date: "2026-11-18", picks: 3, profit_units: 3, cumulative_units: 2, kelly_profit: 0.1, kelly_bankroll: 1.11 },
      { date: "2026-11-19", picks: 2, profit_units: 0, cumulative_units: 2, kelly_profit: 0, kelly_bankroll: 1.11 },
      { date: "2026-11-20", picks: 2, profit_units: 1, cumulative_units: 3, kelly_profit: 0.05, kelly_bankroll: 1.16 },
    ],
    max_drawdown: {
      flat_units: 2,
      kelly_share: 0.04 / 1.05,
      flat_from: "2026-11-17",
      flat_to: "2026-11-17",
      kelly_from: "2026-11-17",
      kelly_to: "2026-11-17",
    },
  });
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" };

/** The text a reader sees in a piece of the page: tags removed, entities decoded. */
export function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, "").replace(/&(lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e]!).trim();
}

/** One section of the page, by its id. */
export function sectionHtml(page: string, id: string): string {
  const match = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(page);
  if (!match) throw new Error(`the page has no section ${id}`);
  return match[1]!;
}

/** Every table of a piece of the page: caption and rows of cell texts (the header row first). */
export function tablesOf(html: string): { caption: string; rows: string[][] }[] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, inner]) => ({
    caption: textOf(/<caption>([\s\S]*?)<\/caption>/.exec(inner!)?.[1] ?? ""),
    rows: [...inner!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => [...row!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map(([, c]) => textOf(c!))),
  }));
}

export function tableByCaption(html: string, caption: string): string[][] {
  const found = tablesOf(html).find((t) => t.caption === caption);
  if (!found) throw new Error(`no table captioned "${caption}"; captions: ${tablesOf(html).map((t) => t.caption).join(" | ")}`);
  return found.rows;
}
