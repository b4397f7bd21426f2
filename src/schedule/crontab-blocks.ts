import type { ScheduleReport } from "../schemas/schedule.js";

/** What the blocks are written from: the report before its blocks and warnings. */
export type ScheduleFacts = Omit<ScheduleReport, "crontab_cron_tz" | "crontab_utc" | "warnings">;

/** The UTC time of the training, in the season of `as_of` and after the next clock change. */
export interface TrainUtcTimes {
  now: string;
  next: string | null;
}

/** `-05:00` → `UTC-5`, `-04:30` → `UTC-4:30`: how a person writes it in a comment. */
function utcLabel(isoOffset: string): string {
  const [hours, minutes] = isoOffset.slice(1).split(":") as [string, string];
  return `UTC${isoOffset[0]}${Number(hours)}${minutes === "00" ? "" : `:${minutes}`}`;
}

function offsetMinutes(isoOffset: string): number {
  const [hours, minutes] = isoOffset.slice(1).split(":").map(Number) as [number, number];
  return (isoOffset.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}

/** Comment lines both blocks carry, so that either can be pasted alone. */
function sharedComments(r: ScheduleFacts, minutesUntilVerify: number): string[] {
  const killed = `coreutils timeout kills a hung run at ${r.kill_after_minutes} minutes`;
  return [
    `# Training stops itself after ${r.timeout_minutes} minutes (--timeout ${r.timeout_minutes}); ${killed},`,
    r.kill_after_minutes < minutesUntilVerify
      ? `# so it is over before verify checks it at ${r.verify.et_time} ET.`
      : `# which is not before verify checks it at ${r.verify.et_time} ET: lower --timeout.`,
    `# Output is appended to ${r.log}. Paths are absolute, as cron's PATH is minimal:`,
    "# run `engine1 schedule` again after moving engine1 or upgrading Node.",
  ];
}

/** The block for crons that honour `CRON_TZ`: fixed ET hours, right in every season. */
export function cronTzBlock(r: ScheduleFacts, minutesUntilVerify: number): string {
  return [
    `# engine1: train at ${r.train.et_time} and verify at ${r.verify.et_time} ${r.timezone} time, every day.`,
    "# For a cron that honours CRON_TZ (cronie: Fedora, RHEL, Arch, ...; see `man 5 crontab`).",
    "# CRON_TZ holds for every line after it: paste this block at the end of the crontab.",
    ...sharedComments(r, minutesUntilVerify),
    `CRON_TZ=${r.timezone}`,
    r.train.cron_tz_line,
    r.verify.cron_tz_line,
    "",
  ].join("\n");
}

/** The block for crons without `CRON_TZ` whose clock runs in UTC: right until the next clock change, which it dates. */
export function utcBlock(r: ScheduleFacts, trainUtc: TrainUtcTimes, minutesUntilVerify: number): string {
  const now = { utc: trainUtc.now, abbreviation: r.season.abbreviation, offset: r.season.utc_offset };
  const change = r.next_dst_change;
  const seasons: string[] = [];
  if (change === null || trainUtc.next === null) {
    seasons.push(
      `# ${r.train.et_time} ET is ${now.utc} UTC (${now.abbreviation}, ${utcLabel(now.offset)}); this machine's time zone data`,
      "# shows no clock change in the next two years.",
    );
  } else {
    const next = { utc: trainUtc.next, abbreviation: change.abbreviation, offset: change.utc_offset };
    // Daylight saving time is the season whose offset lies further east.
    const [winter, summer] = offsetMinutes(now.offset) < offsetMinutes(next.offset) ? [now, next] : [next, now];
    seasons.push(
      `# ${r.train.et_time} ET is ${winter.utc} UTC in winter (${winter.abbreviation}, ${utcLabel(winter.offset)})` +
        ` and ${summer.utc} UTC in summer (${summer.abbreviation}, ${utcLabel(summer.offset)}).`,
      `# As of ${r.as_of} New York is on ${now.abbreviation}: these lines hold until the clocks change on ${change.date};`,
      `# from that day (${next.abbreviation}) use ${change.train_utc_schedule} and ${change.verify_utc_schedule} instead.`,
    );
  }
  return [
    `# engine1: train at ${r.train.et_time} and verify at ${r.verify.et_time} ${r.timezone} time, written in UTC`,
    "# for a cron without CRON_TZ. Cron reads these hours in the machine's own time zone:",
    "# use them only where that is UTC (`date` prints UTC).",
    ...seasons,
    ...sharedComments(r, minutesUntilVerify),
    r.train.utc_line,
    r.verify.utc_line,
    "",
  ].join("\n");
}
