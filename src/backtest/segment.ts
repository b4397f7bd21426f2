import { netOdds } from "../betting/odds.js";
import type { Tier } from "../betting/tiers.js";
import type { BacktestSegment } from "../schemas/backtest.js";

export type SettledResult = "WIN" | "LOSS" | "PUSH";

/** A scored pick of a bet day, settled against its real result. */
export interface SettledBet {
  pickId: string;
  date: string;
  /** The store position (line number) of the pick: the tie-break after the date. */
  position: number;
  result: SettledResult;
  /** American odds as quoted. */
  odds: number;
  /** The model's hit probability. */
  probability: number;
  /** The fair probability of the price (see quotes.ts). */
  fair: number;
  edge: number;
  tier: Tier;
  /** Fractional-Kelly stake as a share of a bankroll of 1 (0: not bet). */
  stake: number;
}

/** Profit of 1 unit flat: the net odds on a win, −1 on a loss, 0 on a push (the stake comes back). */
export function flatProfit(bet: Pick<SettledBet, "result" | "odds">): number {
  if (bet.result === "WIN") return netOdds(bet.odds);
  return bet.result === "LOSS" ? -1 : 0;
}

export function kellyProfit(bet: Pick<SettledBet, "result" | "odds" | "stake">): number {
  return bet.stake * flatProfit(bet);
}

/** Bets in date order, then store order: the order of the curve and of every tie. */
export function byDateThenPosition(a: SettledBet, b: SettledBet): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.position - b.position;
}

/**
 * The flat and Kelly arithmetic of a group of settled bets (the backtest document's Segment). Sums run
 * in date-then-store order whatever order the bets come in, so the same bets give the same bits.
 */
export function segmentOf(bets: readonly SettledBet[]): BacktestSegment {
  let wins = 0;
  let losses = 0;
  let pushes = 0;
  let profit = 0;
  let expected = 0;
  let kellyBets = 0;
  let kellyStaked = 0;
  let kellyReturn = 0;
  for (const bet of [...bets].sort(byDateThenPosition)) {
    if (bet.result === "WIN") wins += 1;
    else if (bet.result === "LOSS") losses += 1;
    else pushes += 1;
    if (bet.result !== "PUSH") expected += bet.probability;
    profit += flatProfit(bet);
    if (bet.stake > 0) {
      kellyBets += 1;
      kellyStaked += bet.stake;
      kellyReturn += kellyProfit(bet);
    }
  }
  const picks = bets.length;
  return {
    picks,
    wins,
    losses,
    pushes,
    staked_units: picks,
    profit_units: profit,
    roi: picks === 0 ? null : profit / picks,
    hit_rate: wins + losses === 0 ? null : wins / (wins + losses),
    expected_hits: expected,
    actual_expected: expected === 0 ? null : wins / expected,
    kelly: { bets: kellyBets, staked: kellyStaked, profit: kellyReturn, yield: kellyStaked === 0 ? null : kellyReturn / kellyStaked },
  };
}

/**
 * The top `percent` % of the bets by edge: the first ceil(percent % × n), highest edge first; bets
 * with equal edges keep date-then-store order, so a tie at the cut goes to the earlier pick.
 */
export function topByEdge(bets: readonly SettledBet[], percent: number): SettledBet[] {
  if (!(percent > 0 && percent <= 100)) throw new RangeError(`top share must be in (0, 100], got ${percent}`);
  const take = Math.ceil((bets.length * percent) / 100);
  return [...bets].sort((a, b) => b.edge - a.edge || byDateThenPosition(a, b)).slice(0, take);
}
