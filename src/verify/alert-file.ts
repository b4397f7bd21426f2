import { mkdir } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { writeFailure } from "../runs/run-writer.js";
import type { TrainingAlert, VerifyVerdict } from "../schemas/verify.js";

export const AUDIT_LOGS_DIR = "audit_logs";

export const alertPath = (home: string, dateEt: string): string => path.join(home, AUDIT_LOGS_DIR, `training_alert_${dateEt}.json`);

/** Writes the day's alert file atomically (a later check the same day replaces it whole). */
export async function writeAlertFile(verdict: Omit<VerifyVerdict, "alert_file">): Promise<string> {
  const file = alertPath(verdict.home, verdict.date_et);
  const alert: TrainingAlert = {
    schema_version: 1,
    date_et: verdict.date_et,
    check_time_et: verdict.check_time_et,
    training_ran: verdict.training_ran,
    alerts: verdict.alerts,
    action: verdict.action ?? "",
    home: verdict.home,
    current_run_id: verdict.current_run?.run_id ?? null,
  };
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(alert, null, 2)}\n`);
  } catch (error) {
    throw writeFailure("the alert file", file, error);
  }
  return file;
}
