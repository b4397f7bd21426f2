import { isAmericanOdds } from "../betting/odds.js";
import type { UnscoredPick, UnscoredReason } from "../schemas/predict.js";
import type { JsonObject } from "../store/classify-line.js";
import type { Pick } from "../store/normalize.js";

/**
 * The fields of a record a price needs, which the store reader does not keep. The other side's
 * price may ride on the record itself: `odds_other_side`, else `opposite_odds`.
 */
export interface BettingFields {
  odds: unknown;
  side: string | null;
  line: number | null;
  selection: string | null;
  book: string | null;
  otherSideOdds: number | null;
}

/** A pick to score: normalised as every reader sees it, plus the record's betting fields. */
export interface Candidate {
  /** Store line number (element index in an array store), or stdin line number. */
  sourceLine: number;
  pick: Pick;
  /** Null when the record could not be read back (store pass 2). */
  betting: BettingFields | null;
}

/** A candidate that could not be scored, or a stdin line that never became one. */
export type Rejection = UnscoredPick;

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function bettingFields(record: JsonObject): BettingFields {
  const other = [record.odds_other_side, record.opposite_odds].find((v) => v !== undefined && v !== null);
  return {
    odds: record.odds,
    side: text(record.side)?.toLowerCase() ?? null,
    line: finite(record.line),
    selection: text(record.selection),
    book: text(record.book)?.toLowerCase() ?? null,
    otherSideOdds: isAmericanOdds(other) ? other : null,
  };
}

export function rejection(candidate: { sourceLine: number; pick: Pick }, reason: UnscoredReason, detail: string): Rejection {
  const { pick } = candidate;
  return {
    pick_id: pick.pickId,
    source_line: candidate.sourceLine,
    date: pick.date,
    sport: pick.sport,
    market: pick.marketLabel,
    reason,
    detail,
  };
}

/** A stdin line that is not a pick at all: no normalised pick to describe. */
export function lineRejection(sourceLine: number, reason: UnscoredReason, detail: string, pickId: string | null = null): Rejection {
  return { pick_id: pickId, source_line: sourceLine, date: null, sport: null, market: null, reason, detail };
}
