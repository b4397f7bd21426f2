import { addDays, parseDate, todayEt } from "../dates.js";
import { UsageError } from "../errors.js";
import { GAME_MARKETS, gameMarketOf, type GameMarket } from "../store/normalize.js";

export const DEFAULT_WINDOW_DAYS = 7;

export interface FilterOptions {
  /** The reference ET date, `YYYY-MM-DD`. */
  asOf: string;
  /** The window in ET calendar days up to and including `asOf`, or "all" for no lower bound. */
  days: number | "all";
  /** Upper-cased sports to keep, or null for every sport. */
  sports: string[] | null;
  /** Game markets to keep, or null for all three. */
  markets: GameMarket[] | null;
}

export interface FilterFlags {
  asOf?: string | undefined;
  days?: string | number | undefined;
  sport?: string | undefined;
  markets?: string | undefined;
}

/** A date flag's value, checked to be a real calendar date. */
export function parseDateFlag(flag: string, value: string): string {
  const date = parseDate(value.trim());
  if (date === null) throw new UsageError(`${flag} must be a calendar date YYYY-MM-DD, got "${value}"`);
  return date;
}

export function parseAsOf(value: string | undefined, now: Date = new Date()): string {
  return value === undefined ? todayEt(now) : parseDateFlag("--as-of", value);
}

export function parseDays(value: string | number | undefined): number | "all" {
  if (value === undefined) return DEFAULT_WINDOW_DAYS;
  const text = String(value).trim().toLowerCase();
  if (text === "all") return "all";
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`--days must be a whole number of days (1 or more) or "all", got "${value}"`);
  }
  return Number(text);
}

/** A comma list, trimmed and upper-cased, empty entries ignored; null when nothing is left. */
export function parseList(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const items = value
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== "");
  return items.length === 0 ? null : [...new Set(items)];
}

export function parseMarkets(value: string | undefined): GameMarket[] | null {
  const names = parseList(value);
  if (names === null) return null;
  return [
    ...new Set(
      names.map((name) => {
        const market = gameMarketOf(name);
        if (market === null) {
          throw new UsageError(`--markets takes game markets (${GAME_MARKETS.join(", ")}), got "${name}"`);
        }
        return market;
      }),
    ),
  ];
}

export function resolveFilterOptions(flags: FilterFlags, now: Date = new Date()): FilterOptions {
  return {
    asOf: parseAsOf(flags.asOf, now),
    days: parseDays(flags.days),
    sports: parseList(flags.sport),
    markets: parseMarkets(flags.markets),
  };
}

/** The first ET date inside the window, or null when it has no lower bound. */
export function windowStart(options: Pick<FilterOptions, "asOf" | "days">): string | null {
  return options.days === "all" ? null : addDays(options.asOf, -(options.days - 1));
}
