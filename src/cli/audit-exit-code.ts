import type { AuditReport } from "../schemas/audit-report.js";

const BAD_FOR_STRICT = ["parse_error", "not_object", "missing_pick_id", "duplicate_pick_id"] as const;

/** 1 when the accounting does not reconcile, or under --strict when a line is bad; otherwise 0. */
export function auditExitCode(report: AuditReport, strict: boolean): number {
  if (!report.reconciled) return 1;
  if (strict && BAD_FOR_STRICT.some((c) => report.line_accounting.counts[c] > 0)) return 1;
  return 0;
}
