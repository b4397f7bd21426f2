import { resolveHome } from "../../paths.js";
import { buildReport } from "../../report/build-report.js";
import { checkReportTarget, writeReport } from "../../report/write-report.js";
import { resolveRunDir } from "../../runs/run-reader.js";
import { REPORT_SCHEMA_VERSION, reportResultSchema, type ReportResult } from "../../schemas/report.js";
import { clockFrom } from "../clock.js";
import { createIo, note, printHuman, printJson, type GlobalFlags } from "../io.js";

export interface ReportFlags extends GlobalFlags {
  run?: string;
  home?: string;
  backtest?: string;
  out: string;
}

export async function runReport(flags: ReportFlags): Promise<number> {
  const io = createIo(flags);
  const out = await checkReportTarget(flags.out);
  const now = clockFrom(io.env);
  const runDir = await resolveRunDir(resolveHome(flags.home, io.env).path, flags.run ?? "current");
  const report = await buildReport({ runDir, backtest: flags.backtest, now: now() });
  const bytes = await writeReport(out, report.html);
  for (const warning of report.warnings) note(io, `engine1: chart warning: ${warning}`);
  const result: ReportResult = reportResultSchema.parse({
    schema_version: REPORT_SCHEMA_VERSION,
    out,
    bytes,
    sections: report.sections.filter((s) => s.present).map((s) => s.id),
    charts: report.charts,
  });
  if (io.json) {
    printJson(io, result);
    return 0;
  }
  const missing = report.sections.filter((s) => !s.present).map((s) => s.id);
  printHuman(io, `wrote ${out} (${bytes} bytes, ${report.charts} charts) for run ${report.run_id}`);
  if (missing.length > 0) printHuman(io, `sections without data: ${missing.join(", ")} (the page says why)`);
  return 0;
}
