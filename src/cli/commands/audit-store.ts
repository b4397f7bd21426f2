import { auditStore } from "../../audit/audit-store.js";
import { InputError } from "../../errors.js";
import { DEFAULT_PREDS_INTRODUCED } from "../../audit/attribution.js";
import { parseDateFlag, resolveFilterOptions } from "../../filter/filter-options.js";
import { resolveGradesPath, resolveStorePath, volumeMountPath } from "../../paths.js";
import type { AuditReport } from "../../schemas/audit-report.js";
import { auditExitCode } from "../audit-exit-code.js";
import { withExplainAndProgress } from "../explain-file.js";
import { threadsFlag } from "../threads.js";
import { createIo, note, printHuman, printJson, type GlobalFlags, type Io } from "../io.js";
import { lineWarnings } from "../render/line-warnings.js";

export interface AuditStoreFlags extends GlobalFlags {
  store?: string;
  grades?: string | false;
  asOf?: string;
  days?: string;
  sport?: string;
  markets?: string;
  explain?: string;
  predsIntroduced?: string;
  strict?: boolean;
  threads?: string;
}

export async function runAuditStore(flags: AuditStoreFlags): Promise<number> {
  const io = createIo(flags);
  const store = resolveStorePath(flags.store, io.env);
  const grades = resolveGradesPath(flags.grades, io.env, store.path);
  const filter = resolveFilterOptions(flags);
  const predsIntroduced = parseDateFlag("--preds-introduced", flags.predsIntroduced ?? DEFAULT_PREDS_INTRODUCED);
  const strict = flags.strict ?? false;
  // What prints the result (zod for --json, tables otherwise) loads while the store is read, once
  // its first range is in: not during start-up, where the main thread is what the scanning threads
  // wait for, nor after the read.
  let printer: Promise<(report: AuditReport) => void> | null = null;
  const loadPrinter = (): Promise<(report: AuditReport) => void> => {
    if (printer === null) {
      printer = io.json
        ? import("../../schemas/audit-report.js").then(({ auditReportSchema }) => (r: AuditReport) => printJson(io, auditReportSchema.parse(r)))
        : import("../render/audit-report.js").then(({ renderAudit }) => (r: AuditReport) => printHuman(io, renderAudit(r, io.out, { strict })));
      // Awaited after the read: a failed load is reported then, like any other error, not as an unhandled rejection.
      printer.catch(() => undefined);
    }
    return printer;
  };
  const report = await withExplainAndProgress(io, flags.explain, [store.path, grades?.path], (explain, progress) =>
    auditStore({
      store,
      grades,
      volumeMountPath: volumeMountPath(io.env),
      filter,
      predsIntroduced,
      threads: threadsFlag(flags.threads),
      ...(explain ? { explain } : {}),
      onProgress: (done, total) => {
        progress.update(done, total);
        void loadPrinter();
      },
    }),
  );
  warnAboutInputs(io, report, strict);
  (await loadPrinter())(report);
  return auditExitCode(report, strict);
}

/**
 * Bad lines and a missing store are findings, not failures, for an audit: each gets one line on
 * stderr. Under --strict a missing store cannot be audited at all (exit 2).
 */
function warnAboutInputs(io: Io, report: AuditReport, strict: boolean): void {
  const p = report.store_provenance;
  if (!p.exists) {
    const message = `store not found: ${p.path} (chosen by ${p.source === "default" ? "the default path" : p.source})`;
    if (strict) throw new InputError(message);
    note(io, `engine1: warning: ${message}; reporting exists: false`);
    return;
  }
  if (p.size_bytes === 0) note(io, `engine1: warning: ${p.path}: the store is empty`);
  const unit = p.format === "json-array" ? "element" : "line";
  for (const w of lineWarnings(p.path, report.line_accounting, unit)) note(io, `engine1: warning: ${w}`);
  const g = report.grade_overlay;
  if (g.path !== null) for (const w of lineWarnings(g.path, g.line_accounting)) note(io, `engine1: warning: ${w}`);
}
