import { canScanRanges, loadNativeScanner } from "./native.js";
import { scanInMode } from "./scan-pool.js";

/**
 * Lines of every shape the per-record code branches on: with and without pick_type, market,
 * date_et (null), model_preds (and its values: four numbers, too few, not numbers), scores, ai_mode, the
 * error signals, unicode text, number and string event ids.
 */
export function sampleLines(): string[] {
  const lines: string[] = [];
  const markets = ["spreads", "Totals", "h2h", "player_points", "futures", "MONEYLINE"];
  const values = [[0.61, 0.55, 0.58, 0.6, 0.2], [0.5], ["x", 1, 2, 3], null];
  for (let i = 0; i < 48; i++) {
    const record: Record<string, unknown> = { pick_id: `warm-${i}`, sport: i % 5 === 0 ? " nba " : "NFL", home_team: i % 7 === 0 ? "Montréal" : "Home", away_team: "Away" };
    const market = markets[Math.floor(i / 3) % markets.length];
    if (i % 3 !== 0) record.pick_type = market;
    else record.market = market;
    // No created_at: its ET date needs an Intl.DateTimeFormat, some 20 ms to create, which stores
    // with date_et on every record never pay for.
    record.date_et = i % 4 !== 0 ? `2026-0${1 + (i % 9)}-1${i % 10}` : null;
    record.event_id = i % 6 === 0 ? 1000 + i : `ev-${i}`;
    record.grade_status = i % 2 === 0 ? "GRADED" : "PENDING";
    record.result = i % 2 === 0 ? (i % 4 === 0 ? "WIN" : "loss") : null;
    if (i % 2 === 0) {
      record.actual_home_score = 100 + i;
      record.actual_away_score = 99.5;
    }
    record.ai_mode = i % 8 === 0 ? "HEURISTIC_FALLBACK" : "MODEL";
    const breakdown: Record<string, unknown> = { ai_mode: i % 9 === 0 ? "heuristic_deterministic" : "MODEL", model_status: i % 10 === 0 ? "TIMEOUT" : "OK", error: i % 11 === 0 ? "boom" : null, fallback: i % 13 === 0 };
    const v = values[i % values.length];
    breakdown.raw_inputs = i % 5 === 1 ? {} : { home: { pts: [1, 2.5, -3] }, model_preds: v === null ? null : { values: v } };
    record.ai_breakdown = breakdown;
    if (i % 6 === 2) record.scoring_breakdown = { timeout: i % 12 === 2, error: null };
    lines.push(JSON.stringify(record));
  }
  return lines;
}

/**
 * Runs the per-record code of a scanning thread on sample lines before the store arrives (the
 * thread is otherwise idle then). The JIT then optimises it once with every branch known, instead of
 * optimising it for the store's first blocks and again when a rarer shape of record turns up:
 * each of those recompilations costs tens of milliseconds, in every thread.
 */
export function warmUp(rounds = 12): void {
  if (!canScanRanges(loadNativeScanner())) return;
  const block = Buffer.from(`${sampleLines().join("\n")}\n`);
  for (let i = 0; i < rounds; i++) scanInMode(block, "picks");
}
