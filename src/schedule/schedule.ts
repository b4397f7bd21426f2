import { ET_ZONE } from "../dates.js";
import { HARD_STOP_GRACE_MS } from "../train/defaults.js";
import type { ScheduleReport } from "../schemas/schedule.js";
import { cronTzBlock, utcBlock, type ScheduleFacts } from "./crontab-blocks.js";
import { cronCommand, dailyAt } from "./crontab-syntax.js";
import { etSeason, hhmm, isoOffset, nextOffsetChange, utcTimeOf, type EtTime } from "./et-season.js";
import { scheduleWarnings } from "./warnings.js";

export const TRAIN_AT: EtTime = { hour: 7, minute: 0 };
export const VERIFY_AT: EtTime = { hour: 7, minute: 30 };

export { DEFAULT_TIMEOUT_MINUTES as DEFAULT_TRAIN_TIMEOUT_MINUTES } from "../train/defaults.js";

/**
 * train's own backstop ends a run stuck in one computation HARD_STOP_GRACE_MS past `--timeout`;
 * coreutils `timeout` comes a minute after that, so it only ever meets a process that neither
 * finished nor stopped itself.
 */
export const KILL_GRACE_MINUTES = Math.ceil(HARD_STOP_GRACE_MS / 60_000) + 1;

export interface ScheduleOptions {
  /** The real path of engine1's `bin/engine1`. */
  binary: string;
  /** The absolute path of the node executable that runs it. */
  node: string;
  store: string;
  /** A grade file to name, false for `--no-grades`, null to let train look beside the store. */
  grades: string | false | null;
  home: string;
  log: string;
  /** The ET date whose season the UTC lines are computed for. */
  asOf: string;
  timeoutMinutes: number;
  /** Passed through to train when given. */
  sports: string[] | null;
  days: number | "all" | null;
}

function trainArgv(o: ScheduleOptions): string[] {
  return [
    "timeout",
    `${o.timeoutMinutes + KILL_GRACE_MINUTES}m`,
    o.node,
    o.binary,
    "train",
    "--store",
    o.store,
    ...(o.grades === false ? ["--no-grades"] : o.grades === null ? [] : ["--grades", o.grades]),
    "--home",
    o.home,
    ...(o.sports === null ? [] : ["--sport", o.sports.join(",")]),
    ...(o.days === null ? [] : ["--days", String(o.days)]),
    "--timeout",
    String(o.timeoutMinutes),
  ];
}

function verifyArgv(o: ScheduleOptions): string[] {
  return [o.node, o.binary, "verify", "--home", o.home];
}

function job(at: EtTime, argv: string[], o: ScheduleOptions): ScheduleReport["train"] {
  const command = cronCommand(argv, o.log);
  const cronTzSchedule = dailyAt(at);
  const utcSchedule = dailyAt(utcTimeOf(o.asOf, at));
  return {
    et_time: hhmm(at),
    command,
    cron_tz_schedule: cronTzSchedule,
    cron_tz_line: `${cronTzSchedule} ${command}`,
    utc_schedule: utcSchedule,
    utc_line: `${utcSchedule} ${command}`,
  };
}

/** The crontab lines for the 07:00 ET training and the 07:30 ET verification; it only computes, it writes nothing. */
export function schedule(options: ScheduleOptions): ScheduleReport {
  const season = etSeason(options.asOf, TRAIN_AT);
  const changeDate = nextOffsetChange(options.asOf, TRAIN_AT);
  const next = changeDate === null ? null : etSeason(changeDate, TRAIN_AT);
  const report: ScheduleFacts = {
    schema_version: 1,
    timezone: ET_ZONE,
    as_of: options.asOf,
    season: { abbreviation: season.abbreviation, utc_offset: isoOffset(season.offsetMinutes) },
    next_dst_change:
      changeDate === null || next === null
        ? null
        : {
            date: changeDate,
            abbreviation: next.abbreviation,
            utc_offset: isoOffset(next.offsetMinutes),
            train_utc_schedule: dailyAt(utcTimeOf(changeDate, TRAIN_AT)),
            verify_utc_schedule: dailyAt(utcTimeOf(changeDate, VERIFY_AT)),
          },
    train: job(TRAIN_AT, trainArgv(options), options),
    verify: job(VERIFY_AT, verifyArgv(options), options),
    timeout_minutes: options.timeoutMinutes,
    kill_after_minutes: options.timeoutMinutes + KILL_GRACE_MINUTES,
    binary: options.binary,
    node: options.node,
    store: options.store,
    grades: options.grades,
    home: options.home,
    log: options.log,
  };
  const trainUtc = {
    now: hhmm(utcTimeOf(options.asOf, TRAIN_AT)),
    next: changeDate === null ? null : hhmm(utcTimeOf(changeDate, TRAIN_AT)),
  };
  const minutesUntilVerify = VERIFY_AT.hour * 60 + VERIFY_AT.minute - (TRAIN_AT.hour * 60 + TRAIN_AT.minute);
  return {
    ...report,
    crontab_cron_tz: cronTzBlock(report, minutesUntilVerify),
    crontab_utc: utcBlock(report, trainUtc, minutesUntilVerify),
    warnings: scheduleWarnings(report, minutesUntilVerify),
  };
}
