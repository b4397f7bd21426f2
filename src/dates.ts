/**
 * Calendar dates in America/New_York. Every date decision in engine1 is made on ET calendar dates
 * (SPEC 2), never in the process's local zone, so the zone is always passed explicitly.
 */
export const ET_ZONE = "America/New_York";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

// Intl formats are made on first use, not at import: making one costs milliseconds, and every
// scanning thread imports this module while the store waits for it.
let etDateFormat: Intl.DateTimeFormat | undefined;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** `value` when it is a real `YYYY-MM-DD` calendar date, otherwise null. */
export function parseDate(value: string): string | null {
  const m = DATE_RE.exec(value);
  if (!m) return null;
  return isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? value : null;
}

/** The ET calendar date of an instant. */
export function etDateOfInstant(epochMs: number): string {
  etDateFormat ??= new Intl.DateTimeFormat("en-CA", { timeZone: ET_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });
  return etDateFormat.format(new Date(epochMs));
}

/**
 * The ET calendar date of an ISO timestamp. With an offset (or `Z`) the instant is converted to ET;
 * without one the timestamp is ET wall time, so its date part is already the ET date.
 */
export function etDateOfTimestamp(value: string): string | null {
  const m = TIMESTAMP_RE.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, , offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (!isCalendarDate(year, month, day)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59)) return null;
  const datePart = `${y}-${mo}-${d}`;
  if (offset === undefined) return datePart;
  let offsetMinutes = 0;
  if (offset !== "Z" && offset !== "z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const wallMs = Date.UTC(year, month - 1, day, Number(h), Number(mi), s === undefined ? 0 : Number(s));
  return etDateOfInstant(wallMs - offsetMinutes * 60_000);
}

/** Today's calendar date in ET. */
export function todayEt(now: Date = new Date()): string {
  return etDateOfInstant(now.getTime());
}

/** `date` plus `days` calendar days (negative to go back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

let etParts: Intl.DateTimeFormat | undefined;

/** An instant as ISO 8601 in ET wall time with its offset, e.g. `2026-11-21T07:00:03.120-05:00`. */
export function isoEt(instant: Date): string {
  etParts ??= new Intl.DateTimeFormat("en-US", {
    timeZone: ET_ZONE,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const parts = Object.fromEntries(etParts.formatToParts(instant).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  const offsetMinutes = Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const ms = String(instant.getUTCMilliseconds()).padStart(3, "0");
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${ms}${offset}`;
}
