import type { SequenceExample } from "./sequences.js";

/** Per-sport divisors that put every sport's points near 1, so one network serves them all. */
export interface PointScales {
  /** Mean points per team-game of each sport in the training examples, sorted by sport. */
  bySport: Record<string, number>;
  /** The mean over every sport: the divisor for a sport the training examples never saw. */
  pooled: number;
}

const positiveOrOne = (value: number) => (Number.isFinite(value) && value > 0 ? value : 1);

export function pointScales(examples: readonly SequenceExample[]): PointScales {
  const sums = new Map<string, { total: number; count: number }>();
  let total = 0;
  for (const e of examples) {
    const s = sums.get(e.sport) ?? { total: 0, count: 0 };
    s.total += e.target;
    s.count += 1;
    sums.set(e.sport, s);
    total += e.target;
  }
  const bySport: Record<string, number> = {};
  for (const sport of [...sums.keys()].sort()) {
    const s = sums.get(sport)!;
    bySport[sport] = positiveOrOne(s.total / s.count);
  }
  return { bySport, pooled: positiveOrOne(examples.length === 0 ? 1 : total / examples.length) };
}

export function scaleOf(scales: PointScales, sport: string): number {
  return scales.bySport[sport] ?? scales.pooled;
}

export type HoldoutSplit =
  | { ok: true; startDate: string; train: SequenceExample[]; holdout: SequenceExample[] }
  | { ok: false; reason: string };

/**
 * Time-ordered split: the examples whose game falls on the latest `fraction` of distinct dates
 * (rounded up) are held out, so no training example is later than a held-out one.
 */
export function splitHoldout(examples: readonly SequenceExample[], fraction: number): HoldoutSplit {
  const dates = [...new Set(examples.map((e) => e.date))].sort();
  if (dates.length < 2) return { ok: false, reason: `a time-ordered holdout needs at least 2 distinct game dates; found ${dates.length}` };
  const held = Math.ceil(fraction * dates.length);
  if (held < 1) return { ok: false, reason: `holdout fraction ${fraction} holds out no date` };
  if (held >= dates.length) return { ok: false, reason: `holdout fraction ${fraction} would hold out all ${dates.length} dates` };
  const startDate = dates[dates.length - held]!;
  return {
    ok: true,
    startDate,
    train: examples.filter((e) => e.date < startDate),
    holdout: examples.filter((e) => e.date >= startDate),
  };
}

export function meanAbsoluteError(predicted: readonly number[], actual: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += Math.abs(predicted[i]! - actual[i]!);
  return total / actual.length;
}
