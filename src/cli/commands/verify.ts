import { parseDateFlag } from "../../filter/filter-options.js";
import { resolveHome } from "../../paths.js";
import { verifyVerdictSchema, type VerifyVerdict } from "../../schemas/verify.js";
import { writeAlertFile } from "../../verify/alert-file.js";
import { DEFAULT_MAX_AGE_HOURS, verifyTraining } from "../../verify/verify.js";
import { clockFrom } from "../clock.js";
import { createIo, note, printHuman, printJson, type GlobalFlags } from "../io.js";
import { positiveNumber } from "../numbers.js";

export interface VerifyFlags extends GlobalFlags {
  home?: string;
  asOf?: string;
  maxAgeHours?: string;
}

export async function runVerify(flags: VerifyFlags): Promise<number> {
  const io = createIo(flags);
  const home = resolveHome(flags.home, io.env);
  const result = await verifyTraining({
    home: home.path,
    ...(flags.asOf !== undefined ? { asOf: parseDateFlag("--as-of", flags.asOf) } : {}),
    maxAgeHours: positiveNumber("--max-age-hours", flags.maxAgeHours ?? String(DEFAULT_MAX_AGE_HOURS)),
    now: clockFrom(io.env)(),
  });
  const verdict: VerifyVerdict = { ...result, alert_file: result.verdict === "FAIL" ? await writeAlertFile(result) : null };
  for (const alert of verdict.alerts) note(io, `engine1: ${alert}`);
  if (io.json) printJson(io, verifyVerdictSchema.parse(verdict));
  else printHuman(io, renderVerdict(verdict, io));
  return verdict.verdict === "PASS" ? 0 : 1;
}

function renderVerdict(v: VerifyVerdict, io: ReturnType<typeof createIo>): string {
  const c = io.out;
  const mark = { passed: c.green("✔"), failed: c.red("✖"), skipped: c.dim("–") };
  const lines = v.checks.map((check) => `${mark[check.status]} ${check.name.replace(/_/g, " ")}${check.status === "skipped" ? " (no run to check)" : ""}`);
  const run = v.current_run;
  if (v.verdict === "PASS") {
    lines.push(c.green(`✔ PASS: training ran on ${v.date_et}: run ${run!.run_id} (started ${run!.started_at}) reconciled, schemas match, artifacts intact`));
  } else {
    lines.push(c.red(`✖ FAIL: ${v.alerts.length} alert${v.alerts.length === 1 ? "" : "s"} for ${v.date_et}; written to ${v.alert_file}`));
  }
  return lines.join("\n");
}
