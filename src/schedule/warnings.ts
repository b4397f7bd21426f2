import { existsSync } from "node:fs";
import path from "node:path";
import type { ScheduleFacts } from "./crontab-blocks.js";
import { shQuote } from "./crontab-syntax.js";

/**
 * What would make the printed lines fail every morning, found now rather than at 07:00.
 * It only looks at the file system; the store may be on a volume mounted elsewhere, hence warnings, not errors.
 */
export function scheduleWarnings(r: ScheduleFacts, minutesUntilVerify: number): string[] {
  const warnings: string[] = [];
  const logDir = path.dirname(r.log);
  if (!existsSync(logDir)) {
    warnings.push(
      `the log's directory ${logDir} does not exist: create it before the first run (mkdir -p ${shQuote(logDir)}), or the shell cannot open the log and the job does not start`,
    );
  }
  if (!existsSync(r.store)) warnings.push(`the store ${r.store} does not exist here: the training fails until it does`);
  if (typeof r.grades === "string" && !existsSync(r.grades)) {
    warnings.push(`the grade file ${r.grades} does not exist here: the training fails until it does (--no-grades reads the store alone)`);
  }
  if (r.binary.split(path.sep).includes("_npx")) {
    warnings.push(
      `${r.binary} is in npx's cache, which npm may clear: install engine1 (npm install --global engine1) and run its engine1 schedule`,
    );
  }
  if (r.kill_after_minutes >= minutesUntilVerify) {
    warnings.push(
      `with --timeout ${r.timeout_minutes} a hung training is killed only after ${r.kill_after_minutes} minutes, not before verify runs at ${r.verify.et_time} ET`,
    );
  }
  return warnings;
}
