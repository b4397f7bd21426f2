import { addDays, ET_ZONE } from "../dates.js";

/** A wall-clock time of day in America/New_York. */
export interface EtTime {
  hour: number;
  minute: number;
}

/** Which UTC offset New York keeps on a date, read from this machine's time zone data, never from a rule written here. */
export interface EtSeason {
  /** `EST` or `EDT`, as the time zone data names it. */
  abbreviation: string;
  /** Minutes east of UTC: −300 for EST, −240 for EDT. */
  offsetMinutes: number;
}

const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: ET_ZONE, timeZoneName: "longOffset" });
const nameFormat = new Intl.DateTimeFormat("en-US", { timeZone: ET_ZONE, timeZoneName: "short" });

function zoneName(format: Intl.DateTimeFormat, epochMs: number): string {
  return format.formatToParts(new Date(epochMs)).find((p) => p.type === "timeZoneName")?.value ?? "";
}

/** ET's offset from UTC at an instant, in minutes (`GMT-05:00` → −300; plain `GMT` → 0). */
function offsetMinutesAt(epochMs: number): number {
  const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/.exec(zoneName(offsetFormat, epochMs));
  if (!m) throw new Error(`unexpected time zone offset for ${ET_ZONE}: ${zoneName(offsetFormat, epochMs)}`);
  if (m[1] === undefined) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The instant at which it is `time` in New York on the ET calendar date `date`. */
export function etInstant(date: string, time: EtTime): number {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, time.hour, time.minute);
  // A first guess with the offset at the wall time read as UTC, then corrected with the offset at the guess.
  const guess = wall - offsetMinutesAt(wall) * 60_000;
  return wall - offsetMinutesAt(guess) * 60_000;
}

export function etSeason(date: string, time: EtTime): EtSeason {
  const instant = etInstant(date, time);
  return { abbreviation: zoneName(nameFormat, instant), offsetMinutes: offsetMinutesAt(instant) };
}

/** The UTC time of day at which it is `time` in New York on `date`. */
export function utcTimeOf(date: string, time: EtTime): EtTime {
  const instant = new Date(etInstant(date, time));
  return { hour: instant.getUTCHours(), minute: instant.getUTCMinutes() };
}

/** How far ahead to look for a clock change: two years always holds one where New York still changes clocks. */
const HORIZON_DAYS = 2 * 366;

/**
 * The first ET date after `asOf` on which `time` falls at another UTC offset than on `asOf`: the
 * date of the next daylight-saving change, or null when the time zone data shows none ahead.
 */
export function nextOffsetChange(asOf: string, time: EtTime): string | null {
  const current = etSeason(asOf, time).offsetMinutes;
  for (let i = 1; i <= HORIZON_DAYS; i++) {
    const date = addDays(asOf, i);
    if (etSeason(date, time).offsetMinutes !== current) return date;
  }
  return null;
}

/** `−300` → `-05:00`, as in ISO 8601. */
export function isoOffset(offsetMinutes: number): string {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export function hhmm(time: EtTime): string {
  return `${String(time.hour).padStart(2, "0")}:${String(time.minute).padStart(2, "0")}`;
}
