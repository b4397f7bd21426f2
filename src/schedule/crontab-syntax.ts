import { UsageError } from "../errors.js";
import type { EtTime } from "./et-season.js";

/** Words sh reads literally as they are; `%` is left out on purpose, because cron gives it a meaning (below). */
const SAFE_WORD = /^[A-Za-z0-9_@+=:,./-]+$/;

/** One argument as sh reads it back unchanged: as is when that is safe, otherwise single-quoted. */
export function shQuote(arg: string): string {
  if (/[\r\n]/.test(arg)) throw new UsageError(`a crontab line cannot hold a line break: ${JSON.stringify(arg)}`);
  return SAFE_WORD.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * Cron turns an unescaped `%` in a command into a newline before sh sees it, even inside quotes;
 * `\%` reaches sh as a plain `%`.
 */
function escapePercent(text: string): string {
  return text.replaceAll("%", "\\%");
}

/** The command field of a crontab line: `argv` quoted for sh, output appended to `log`. */
export function cronCommand(argv: string[], log: string): string {
  return escapePercent(`${argv.map(shQuote).join(" ")} >> ${shQuote(log)} 2>&1`);
}

/** The five time fields of a job that runs every day at `time`. */
export function dailyAt(time: EtTime): string {
  return `${time.minute} ${time.hour} * * *`;
}
