import { fairProbability, isAmericanOdds } from "../betting/odds.js";
import type { JsonObject } from "../store/classify-line.js";
import type { Pick } from "../store/normalize.js";

/** A pick's price, read from its store record (the fast reader leaves odds, side and line behind). */
export interface Quote {
  /** American odds, or null when the record has no valid price. */
  odds: number | null;
  /** The opposite side's price in the store (same date, event, market and book), or null. */
  otherSide: number | null;
}

type Side = "home" | "away" | "over" | "under";
const OPPOSITE: Record<Side, Side> = { home: "away", away: "home", over: "under", under: "over" };

interface Priced {
  position: number;
  key: string | null;
  side: Side | null;
  line: number | null;
  odds: number | null;
}

function sideOf(value: unknown): Side | null {
  const side = typeof value === "string" ? value.trim().toLowerCase() : "";
  return Object.hasOwn(OPPOSITE, side) ? (side as Side) : null;
}

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function priced(pick: Pick, record: JsonObject | undefined): Priced {
  const odds = record !== undefined && isAmericanOdds(record.odds) ? record.odds : null;
  if (record === undefined || pick.eventId === null || pick.gameMarket === null || pick.date === null) {
    return { position: pick.position, key: null, side: null, line: null, odds };
  }
  const book = typeof record.book === "string" ? record.book.trim().toLowerCase() : "";
  return {
    position: pick.position,
    key: `${pick.date}\u0000${pick.eventId}\u0000${pick.gameMarket}\u0000${book}`,
    side: sideOf(record.side),
    line: finite(record.line),
    odds,
  };
}

/** Two sides of one market: spreads mirror their lines (−3.5 against +3.5), totals share theirs, moneylines have none to check. */
function sameMarketLine(market: string, a: number | null, b: number | null): boolean {
  if (market === "MONEYLINE") return true;
  if (a === null || b === null) return false;
  return market === "SPREAD" ? a === -b : a === b;
}

/**
 * The quotes of `wanted` picks. The opposite side is looked for among `market` (every game pick of the
 * range, graded or not): same ET date, event_id, game market and book, the other side (home/away,
 * over/under), a mirrored spread or the same total, and a valid price; the first in store order wins.
 */
export function quotePicks(wanted: readonly Pick[], market: readonly Pick[], records: ReadonlyMap<number, JsonObject>): Map<number, Quote> {
  const sides = new Map<string, Priced[]>();
  for (const pick of market) {
    const p = priced(pick, records.get(pick.position));
    if (p.key === null || p.side === null || p.odds === null) continue;
    const key = `${p.key}\u0000${p.side}`;
    const list = sides.get(key) ?? [];
    list.push(p);
    sides.set(key, list);
  }
  const quotes = new Map<number, Quote>();
  for (const pick of wanted) {
    const p = priced(pick, records.get(pick.position));
    let otherSide: number | null = null;
    if (p.odds !== null && p.key !== null && p.side !== null) {
      const candidates = sides.get(`${p.key}\u0000${OPPOSITE[p.side]}`) ?? [];
      const match = candidates.find((o) => o.position !== p.position && sameMarketLine(pick.gameMarket!, p.line, o.line));
      otherSide = match?.odds ?? null;
    }
    quotes.set(pick.position, { odds: p.odds, otherSide });
  }
  return quotes;
}

/** The fair probability of a quote: the margin removed when the other side is known, else the quoted implied probability. */
export function fairOf(quote: Quote & { odds: number }): { probability: number; vigRemoved: boolean } {
  const fair = fairProbability(quote.odds, quote.otherSide);
  return { probability: fair.probability, vigRemoved: fair.vig_removed };
}
