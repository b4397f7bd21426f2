import type { BacktestCurvePoint, BacktestDocument } from "../schemas/backtest.js";
import { flatProfit, kellyProfit, type SettledBet } from "./segment.js";

/** One point per day with bets, in date order: the day's flat and Kelly profit and their running totals. */
export function profitCurve(bets: readonly SettledBet[]): BacktestCurvePoint[] {
  const days = new Map<string, { picks: number; flat: number; kelly: number }>();
  for (const bet of bets) {
    const day = days.get(bet.date) ?? { picks: 0, flat: 0, kelly: 0 };
    day.picks += 1;
    day.flat += flatProfit(bet);
    day.kelly += kellyProfit(bet);
    days.set(bet.date, day);
  }
  let cumulative = 0;
  let kelly = 0;
  return [...days.keys()].sort().map((date) => {
    const day = days.get(date)!;
    cumulative += day.flat;
    kelly += day.kelly;
    return { date, picks: day.picks, profit_units: day.flat, cumulative_units: cumulative, kelly_profit: day.kelly, kelly_bankroll: 1 + kelly };
  });
}

interface Fall {
  size: number;
  from: string | null;
  to: string | null;
}

/**
 * The largest peak-to-trough fall of a series that starts at `start` before the first point. `relative`
 * measures the fall as a share of the peak. The fall's dates are its first day after the peak and its trough.
 */
function largestFall(points: readonly { date: string; value: number }[], start: number, relative: boolean): Fall {
  let peak = start;
  let peakIndex = -1;
  let worst: Fall = { size: 0, from: null, to: null };
  points.forEach((point, i) => {
    if (point.value >= peak) {
      peak = point.value;
      peakIndex = i;
      return;
    }
    const fall = relative ? (peak > 0 ? (peak - point.value) / peak : 0) : peak - point.value;
    if (fall > worst.size) worst = { size: fall, from: points[peakIndex + 1]!.date, to: point.date };
  });
  return worst;
}

export function maxDrawdown(curve: readonly BacktestCurvePoint[]): BacktestDocument["max_drawdown"] {
  const flat = largestFall(curve.map((p) => ({ date: p.date, value: p.cumulative_units })), 0, false);
  const kelly = largestFall(curve.map((p) => ({ date: p.date, value: p.kelly_bankroll })), 1, true);
  return {
    flat_units: flat.size,
    kelly_share: Math.min(1, kelly.size),
    flat_from: flat.from,
    flat_to: flat.to,
    kelly_from: kelly.from,
    kelly_to: kelly.to,
  };
}
