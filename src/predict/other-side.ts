import { isAmericanOdds } from "../betting/odds.js";
import type { Pick } from "../store/normalize.js";
import type { BettingFields } from "./candidate.js";

const OPPOSITE: Record<string, string> = { home: "away", away: "home", over: "under", under: "over" };

/** A priced side of a game market, as read from the store or stdin. */
export interface PricedSide {
  sourceLine: number;
  pick: Pick;
  betting: BettingFields;
}

export interface OtherSide {
  odds: number;
  pickId: string;
  source: "store" | "stdin";
}

/**
 * The same bet's market, seen from one side: date, event (event_id, else sport and both teams),
 * game market, and the line's magnitude (a spread of −6 for one side is +6 for the other).
 */
function marketKey(pick: Pick, line: number | null, side: string): string | null {
  if (pick.gameMarket === null) return null;
  const event = pick.eventId ?? (pick.sport !== null && pick.homeTeam !== null && pick.awayTeam !== null ? `${pick.sport}|${pick.homeTeam}|${pick.awayTeam}` : null);
  if (event === null) return null;
  return JSON.stringify([pick.date, event, pick.gameMarket, line === null ? null : Math.abs(line), side]);
}

/**
 * The prices of every priced side seen, so a pick can find its other side's price (home ↔ away,
 * over ↔ under) and have the bookmaker's margin removed. With several, the same book's price is
 * preferred, then the first in input order.
 */
export class OtherSideIndex {
  private readonly sides = new Map<string, PricedSide[]>();

  constructor(readonly source: "store" | "stdin") {}

  add(entry: PricedSide): void {
    const { side, line, odds } = entry.betting;
    if (side === null || OPPOSITE[side] === undefined || !isAmericanOdds(odds)) return;
    const key = marketKey(entry.pick, line, side);
    if (key === null) return;
    const list = this.sides.get(key);
    if (list === undefined) this.sides.set(key, [entry]);
    else list.push(entry);
  }

  find(entry: PricedSide): OtherSide | null {
    const { side, line, book } = entry.betting;
    const opposite = side === null ? undefined : OPPOSITE[side];
    if (opposite === undefined) return null;
    const key = marketKey(entry.pick, line, opposite);
    const list = key === null ? undefined : this.sides.get(key)?.filter((s) => s.pick.pickId !== entry.pick.pickId);
    if (list === undefined || list.length === 0) return null;
    const chosen = (book !== null ? list.find((s) => s.betting.book === book) : undefined) ?? list[0]!;
    return { odds: chosen.betting.odds as number, pickId: chosen.pick.pickId, source: this.source };
  }
}
