/** Signal tiers by edge (model probability minus the fair implied probability). */
export const TIER_NAMES = ["A", "B", "C", "D"] as const;
export type Tier = (typeof TIER_NAMES)[number];

/** The lowest edge of tiers A, B and C; anything below C's is D. */
export interface TierThresholds {
  A: number;
  B: number;
  C: number;
}

export const DEFAULT_TIERS: TierThresholds = { A: 0.1, B: 0.05, C: 0.02 };

export function checkTiers(t: TierThresholds): void {
  if (!(t.A > t.B && t.B > t.C)) throw new RangeError(`tier thresholds must fall from A to C, got A ${t.A}, B ${t.B}, C ${t.C}`);
}

export function tierOf(edge: number, t: TierThresholds = DEFAULT_TIERS): Tier {
  if (edge >= t.A) return "A";
  if (edge >= t.B) return "B";
  if (edge >= t.C) return "C";
  return "D";
}
