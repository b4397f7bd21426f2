/**
 * American odds as a bookmaker quotes them, and the probabilities they imply. −110 risks 110 to win
 * 100; +150 risks 100 to win 150. Odds between −100 and +100 (exclusive), and 0, do not exist.
 */

/** True for a quotable American price: a finite number ≤ −100 or ≥ +100. */
export function isAmericanOdds(odds: unknown): odds is number {
  return typeof odds === "number" && Number.isFinite(odds) && (odds >= 100 || odds <= -100);
}

function check(odds: number): void {
  if (!isAmericanOdds(odds)) throw new RangeError(`American odds must be ≤ −100 or ≥ +100, got ${odds}`);
}

/** Total return per unit staked on a win (stake included): +150 → 2.5, −110 → 1.9090…. */
export function decimalOdds(american: number): number {
  check(american);
  return american > 0 ? 1 + american / 100 : 1 + 100 / -american;
}

/** Profit per unit staked on a win: +150 → 1.5, −110 → 0.9090…. */
export function netOdds(american: number): number {
  return decimalOdds(american) - 1;
}

/** The probability the price implies, the bookmaker's margin included: −110 → 0.5238…. */
export function impliedProbability(american: number): number {
  return 1 / decimalOdds(american);
}

export interface FairProbability {
  /** The implied probability with the margin removed when the other side's price is known. */
  probability: number;
  /** The implied probability as quoted (margin included). */
  implied: number;
  /** True when the other side was known and the margin was taken out. */
  vig_removed: boolean;
  /** The bookmaker's margin (overround − 1) when both sides are known, else null. */
  overround: number | null;
}

/**
 * The fair probability of a side: with both sides' prices, each implied probability divided by their
 * sum (the proportional method), so the two sides add up to 1; with one side, the quoted implied
 * probability, margin and all (which makes the edge smaller, never larger).
 */
export function fairProbability(odds: number, otherSide: number | null): FairProbability {
  const implied = impliedProbability(odds);
  if (otherSide === null) return { probability: implied, implied, vig_removed: false, overround: null };
  const other = impliedProbability(otherSide);
  return { probability: implied / (implied + other), implied, vig_removed: true, overround: implied + other - 1 };
}
