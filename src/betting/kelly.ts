import { netOdds } from "./odds.js";

export interface KellyOptions {
  /** Share of the full Kelly stake to bet (0.25: quarter Kelly). */
  fraction: number;
  /** Largest stake as a share of the bankroll, whatever Kelly says. */
  cap: number;
}

export const DEFAULT_KELLY: KellyOptions = { fraction: 0.25, cap: 0.05 };

export function checkKelly(options: KellyOptions): void {
  if (!(options.fraction > 0 && options.fraction <= 1)) throw new RangeError(`the Kelly fraction must be in (0, 1], got ${options.fraction}`);
  if (!(options.cap > 0 && options.cap <= 1)) throw new RangeError(`the stake cap must be in (0, 1], got ${options.cap}`);
}

/** The full Kelly share of the bankroll for win probability `p` at American `odds`: (b·p − (1 − p)) / b, b the net odds. May be negative. */
export function fullKelly(p: number, odds: number): number {
  const b = netOdds(odds);
  return (b * p - (1 - p)) / b;
}

/** The stake as a share of the bankroll: fractional Kelly, 0 when the bet has no positive expectation, never above the cap. */
export function kellyStake(p: number, odds: number, options: KellyOptions = DEFAULT_KELLY): number {
  const full = fullKelly(p, odds);
  // At exactly break-even (p = 0.4 at +150) rounding leaves ~1e-17: that is no edge, not a bet.
  if (!(full > 1e-12)) return 0;
  return Math.min(options.cap, options.fraction * full);
}
