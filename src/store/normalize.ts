import { etDateOfTimestamp, parseDate } from "../dates.js";
import { normalizeLabel, type GradeValues, type RawPick } from "./pick.js";

export type MarketClass = "game" | "prop" | "other";
export const GAME_MARKETS = ["SPREAD", "TOTAL", "MONEYLINE"] as const;
export type GameMarket = (typeof GAME_MARKETS)[number];

/** How many upstream model values the ensemble reads (SPEC 5). */
export const MODEL_PREDS_LENGTH = 4;

export type ModelPreds =
  | { status: "missing" }
  | { status: "insufficient"; length: number }
  | { status: "bad"; length: number }
  | { status: "ok"; length: number; values: [number, number, number, number] };

/** A record after the overlay and normalisation: what audit, filter and models all read (SPEC 3). */
export interface Pick {
  /** 1-based line number, or 0-based element index in a legacy array store. */
  position: number;
  pickId: string;
  gradeStatus: string | null;
  result: string | null;
  /** `pick_type` when present, else `market`, trimmed and upper-cased. */
  marketLabel: string | null;
  pickType: string | null;
  marketClass: MarketClass | null;
  gameMarket: GameMarket | null;
  sport: string | null;
  homeTeam: string | null;
  awayTeam: string | null;
  date: string | null;
  eventId: string | null;
  homeScore: number | null;
  awayScore: number | null;
  preds: ModelPreds;
  predsErrorPath: boolean;
  predsHeuristic: boolean;
  rawInputsEmpty: boolean;
}

/** The game market a label names (plural and `ML`/`H2H` spellings included), or null. */
export function gameMarketOf(label: string): GameMarket | null {
  // A switch compares the label's characters; an object lookup by a string read from the store
  // (not internalized) costs a string-table lookup first, once per record on the scanning threads.
  switch (label) {
    case "SPREAD":
    case "SPREADS":
      return "SPREAD";
    case "TOTAL":
    case "TOTALS":
      return "TOTAL";
    case "MONEYLINE":
    case "MONEYLINES":
    case "ML":
    case "H2H":
      return "MONEYLINE";
    default:
      return null;
  }
}

/** The class of a label that names no game market (see marketClassOf). */
function nonGameClassOf(label: string): MarketClass {
  return /^(PLAYER|PITCHER|BATTER)_/.test(label) || label.includes("PROP") ? "prop" : "other";
}

export function marketClassOf(label: string): MarketClass {
  return gameMarketOf(label) !== null ? "game" : nonGameClassOf(label);
}

function text(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A score as a pick holds it: a finite number, else null. */
export const finiteOrNull = finite;

// parseDate of the few hundred distinct dates a store holds, remembered: a regular expression and
// a Date per record cost more than a lookup. Bounded, so odd stores cannot grow it without limit.
const calendarDates = new Map<string, string | null>();
function calendarDate(value: string): string | null {
  let date = calendarDates.get(value);
  if (date === undefined) {
    date = parseDate(value);
    if (calendarDates.size >= 4096) calendarDates.clear();
    calendarDates.set(value, date);
  }
  return date;
}

/**
 * `date_et` when present; only when it is absent or null, the ET date of the first of `created_at`,
 * `persisted_at_et` that is a valid timestamp.
 */
export function pickDate(raw: RawPick): string | null {
  if (raw.date_et !== undefined && raw.date_et !== null) {
    return typeof raw.date_et === "string" ? calendarDate(raw.date_et.trim()) : null;
  }
  for (const stamp of [raw.created_at, raw.persisted_at_et]) {
    const date = typeof stamp === "string" ? etDateOfTimestamp(stamp) : null;
    if (date !== null) return date;
  }
  return null;
}

export function readModelPreds(values: unknown): ModelPreds {
  if (!Array.isArray(values)) return { status: "missing" };
  if (values.length < MODEL_PREDS_LENGTH) return { status: "insufficient", length: values.length };
  const first = values.slice(0, MODEL_PREDS_LENGTH);
  if (!first.every((v) => typeof v === "number" && Number.isFinite(v))) return { status: "bad", length: values.length };
  return { status: "ok", length: values.length, values: first as [number, number, number, number] };
}

export function normalizePick(raw: RawPick, position: number): Pick {
  const pickType = normalizeLabel(raw.pick_type);
  const marketLabel = pickType ?? normalizeLabel(raw.market);
  const gameMarket = marketLabel === null ? null : gameMarketOf(marketLabel);
  const eventId = typeof raw.event_id === "number" && Number.isFinite(raw.event_id) ? String(raw.event_id) : text(raw.event_id);
  return {
    position,
    pickId: raw.pick_id,
    gradeStatus: normalizeLabel(raw.grade_status),
    result: normalizeLabel(raw.result),
    marketLabel,
    pickType,
    marketClass: marketLabel === null ? null : gameMarket !== null ? "game" : nonGameClassOf(marketLabel),
    gameMarket,
    sport: normalizeLabel(raw.sport),
    homeTeam: text(raw.home_team),
    awayTeam: text(raw.away_team),
    date: pickDate(raw),
    eventId,
    homeScore: finite(raw.actual_home_score),
    awayScore: finite(raw.actual_away_score),
    preds: readModelPreds(raw.model_preds_values),
    predsErrorPath: raw.error_path,
    predsHeuristic: raw.heuristic,
    rawInputsEmpty: raw.raw_inputs_empty,
  };
}

/**
 * The grade overlay applied to a pick normalised without it: the same pick as
 * `normalizePick(raw after applyGrade(raw, grade), position)`, since only these four fields of a
 * pick are read from grade fields. This lets a scanning thread normalise a record before the main
 * thread, which holds the grade index, knows its grade.
 */
export function applyGradeToPick(pick: Pick, grade: GradeValues): void {
  if (grade.grade_status !== undefined) pick.gradeStatus = normalizeLabel(grade.grade_status);
  if (grade.result !== undefined) pick.result = normalizeLabel(grade.result);
  if (grade.actual_home_score !== undefined) pick.homeScore = finite(grade.actual_home_score);
  if (grade.actual_away_score !== undefined) pick.awayScore = finite(grade.actual_away_score);
}
