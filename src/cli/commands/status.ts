import { resolveFilterOptions } from "../../filter/filter-options.js";
import { resolveGradesPath, resolveHome, resolveStorePath, volumeMountPath } from "../../paths.js";
import { statusSchema, type StatusDocument } from "../../schemas/status.js";
import { trainingStatus } from "../../status/status.js";
import { clockFrom } from "../clock.js";
import { createIo, printHuman, printJson, type GlobalFlags, type Io } from "../io.js";
import { startProgress } from "../progress.js";
import { threadsFlag } from "../threads.js";
import { bytes, compactTable, n } from "../render/table.js";

export interface StatusFlags extends GlobalFlags {
  home?: string;
  store?: string | false;
  grades?: string | false;
  asOf?: string;
  days?: string;
  sport?: string;
  threads?: string;
}

export async function runStatus(flags: StatusFlags): Promise<number> {
  const io = createIo(flags);
  const now = clockFrom(io.env)();
  const home = resolveHome(flags.home, io.env);
  let store = null;
  if (flags.store !== false) {
    const storePath = resolveStorePath(flags.store || undefined, io.env);
    store = {
      store: storePath,
      grades: resolveGradesPath(flags.grades, io.env, storePath.path),
      volumeMountPath: volumeMountPath(io.env),
      filter: resolveFilterOptions(flags, now),
      threads: threadsFlag(flags.threads),
    };
  }
  const progress = await startProgress(io, "reading store");
  let status: StatusDocument;
  try {
    status = await trainingStatus({ home: home.path, store, now });
  } finally {
    progress.stop();
  }
  if (io.json) printJson(io, statusSchema.parse(status));
  else printHuman(io, renderStatus(status, io));
  return 0;
}

function renderStatus(s: StatusDocument, io: Io): string {
  const c = io.out;
  const healthColor = s.training_health === "HEALTHY" ? c.green : s.training_health === "STALE" ? c.yellow : c.red;
  const lines = [`${healthColor(s.training_health)}  ${s.health_reason}`];
  const rows: (string | number)[][] = [["home", s.home], ["current", s.current_run_id ?? "none"]];
  if (s.last_run) rows.push(["last run", `${s.last_run.run_id} ${s.last_run.status}, started ${s.last_run.started_at} (${s.last_run.age_hours} h ago)`]);
  if (s.last_successful_run) rows.push(["last success", `${s.last_successful_run.run_id}, started ${s.last_successful_run.started_at}`]);
  if (s.last_run_telemetry) rows.push(["last filter", `${n(s.last_run_telemetry.loaded_total)} records → ${n(s.last_run_telemetry.eligible_total)} eligible`]);
  if (s.store_audit) {
    const a = s.store_audit;
    rows.push([
      "store",
      a.exists
        ? `${a.path}: ${bytes(a.size_bytes)}, ${n(a.records)} records, ${n(a.graded_count)} graded after the overlay, ${n(a.eligible_now)} eligible now${a.reconciled ? "" : ", NOT reconciled"}`
        : `${a.path} does not exist`,
    ]);
  }
  lines.push(compactTable(null, rows));
  if (s.artifact_proof.length > 0) {
    lines.push(
      compactTable(
        ["artifact", "size", "sha256", ""],
        s.artifact_proof.map((p) => [
          p.file ?? `${p.model} (none)`,
          p.size_bytes === null ? "–" : bytes(p.size_bytes),
          p.sha256 ? `${p.sha256.slice(0, 16)}…` : "–",
          p.matches ? c.green("matches run.json") : c.red(p.exists ? "CHANGED since training" : "MISSING"),
        ]),
      ),
    );
  }
  return lines.join("\n");
}
