import { fairProbability, isAmericanOdds } from "../betting/odds.js";
import { bettingFields } from "../predict/candidate.js";
import { OtherSideIndex } from "../predict/other-side.js";
import type { JsonObject } from "../store/classify-line.js";
import type { Pick } from "../store/normalize.js";

/** A pick's price, read from its store record (the fast reader leaves odds, side and line behind). */
export interface Quote {
  /** American odds, or null when the record has no valid price. */
  odds: number | null;
  /** The other side's price: on the record itself, else found in the store as `predict` finds it; null when unknown. */
  otherSide: number | null;
}

/**
 * The quotes of `wanted` picks, priced exactly as `engine1 predict` prices them: the other side's
 * odds from the record (`odds_other_side`, `opposite_odds`), else from the store's other picks of the
 * same date, event, game market and line (home ↔ away, over ↔ under; the same book preferred), looked
 * for among `market` — every game pick of the range, graded or not.
 */
export function quotePicks(wanted: readonly Pick[], market: readonly Pick[], records: ReadonlyMap<number, JsonObject>): Map<number, Quote> {
  const index = new OtherSideIndex("store");
  for (const pick of market) {
    const record = records.get(pick.position);
    if (record !== undefined) index.add({ sourceLine: pick.position, pick, betting: bettingFields(record) });
  }
  const quotes = new Map<number, Quote>();
  for (const pick of wanted) {
    const record = records.get(pick.position);
    if (record === undefined || !isAmericanOdds(record.odds)) {
      quotes.set(pick.position, { odds: null, otherSide: null });
      continue;
    }
    const betting = bettingFields(record);
    const otherSide = betting.otherSideOdds ?? index.find({ sourceLine: pick.position, pick, betting })?.odds ?? null;
    quotes.set(pick.position, { odds: record.odds, otherSide });
  }
  return quotes;
}

/** The fair probability of a quote: the margin removed when the other side is known, else the quoted implied probability. */
export function fairOf(quote: Quote & { odds: number }): { probability: number; vigRemoved: boolean } {
  const fair = fairProbability(quote.odds, quote.otherSide);
  return { probability: fair.probability, vigRemoved: fair.vig_removed };
}
