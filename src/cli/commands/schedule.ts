import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAsOf, parseDays, parseList } from "../../filter/filter-options.js";
import { resolveGradesPath, resolveHome, resolveStorePath } from "../../paths.js";
import { DEFAULT_TRAIN_TIMEOUT_MINUTES, schedule } from "../../schedule/schedule.js";
import { scheduleReportSchema } from "../../schemas/schedule.js";
import { createIo, note, printHuman, printJson, type GlobalFlags } from "../io.js";
import { wholeNumber } from "../numbers.js";

export interface ScheduleFlags extends GlobalFlags {
  store?: string;
  grades?: string | false;
  home?: string;
  log?: string;
  asOf?: string;
  timeout?: string;
  sport?: string;
  days?: string;
}

/**
 * The real path of this package's `bin/engine1`. Found from this module rather than from
 * `process.argv[1]`, which names whatever script called `main()`; symlinks (a global install's
 * `/usr/local/bin/engine1`, `node_modules/.bin`) are resolved so the crontab names the file itself.
 */
function installedBinary(): string {
  return realpathSync(fileURLToPath(new URL("../../../bin/engine1", import.meta.url)));
}

export async function runSchedule(flags: ScheduleFlags): Promise<number> {
  const io = createIo(flags);
  const store = resolveStorePath(flags.store, io.env);
  const home = resolveHome(flags.home, io.env).path;
  const report = schedule({
    binary: installedBinary(),
    node: process.execPath,
    store: store.path,
    grades: flags.grades === false ? false : (resolveGradesPath(flags.grades, io.env, store.path)?.path ?? null),
    home,
    log: flags.log === undefined ? path.join(home, "engine1.log") : path.resolve(flags.log),
    asOf: parseAsOf(flags.asOf),
    timeoutMinutes: wholeNumber("--timeout", flags.timeout ?? String(DEFAULT_TRAIN_TIMEOUT_MINUTES), 1),
    sports: parseList(flags.sport),
    days: flags.days === undefined ? null : parseDays(flags.days),
  });
  for (const warning of report.warnings) note(io, `engine1: warning: ${warning}`);
  if (io.json) printJson(io, scheduleReportSchema.parse(report));
  else printHuman(io, `${report.crontab_cron_tz}\n${report.crontab_utc}`);
  return 0;
}
