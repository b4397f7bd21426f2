import path from "node:path";
import { auditStore } from "../../audit/audit-store.js";
import { UsageError } from "../../errors.js";
import { ExplainWriter } from "../../filter/explain.js";
import { DEFAULT_PREDS_INTRODUCED } from "../../audit/attribution.js";
import { parseDateFlag, resolveFilterOptions } from "../../filter/filter-options.js";
import { resolveGradesPath, resolveStorePath, volumeMountPath } from "../../paths.js";
import { auditReportSchema } from "../../schemas/audit-report.js";
import { createIo, printHuman, printJson, type GlobalFlags } from "../io.js";
import { startProgress } from "../progress.js";
import { auditExitCode, renderAudit } from "../render/audit-report.js";

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
}

export async function runAuditStore(flags: AuditStoreFlags): Promise<number> {
  const io = createIo(flags);
  const store = resolveStorePath(flags.store, io.env);
  const grades = resolveGradesPath(flags.grades, io.env, store.path);
  const filter = resolveFilterOptions(flags);
  const predsIntroduced = parseDateFlag("--preds-introduced", flags.predsIntroduced ?? DEFAULT_PREDS_INTRODUCED);
  const explain = flags.explain === undefined ? undefined : openExplain(flags.explain, [store.path, grades?.path]);
  const progress = startProgress(io, "reading store");
  let report;
  try {
    report = await auditStore({
      store,
      grades,
      volumeMountPath: volumeMountPath(io.env),
      filter,
      predsIntroduced,
      ...(explain ? { explain } : {}),
      onProgress: (done, total) => progress.update(done, total),
    });
  } catch (error) {
    await explain?.abort();
    throw error;
  } finally {
    progress.stop();
  }
  await explain?.close();
  if (io.json) printJson(io, auditReportSchema.parse(report));
  else printHuman(io, renderAudit(report, io.out, { strict: flags.strict ?? false }));
  return auditExitCode(report, flags.strict ?? false);
}

/** `--explain` never points at an input: engine1 never writes to the store. */
function openExplain(target: string, inputs: (string | undefined)[]): ExplainWriter {
  const resolved = path.resolve(target);
  if (inputs.some((input) => input !== undefined && path.resolve(input) === resolved)) {
    throw new UsageError(`--explain ${target} is an input file; engine1 never writes to the store`);
  }
  return new ExplainWriter(resolved);
}
