import type { ChalkInstance } from "chalk";
import type { RegistryChange } from "../../registry/promote.js";
import type { ModelRunRow, ModelsList, ModelsShow } from "../../schemas/models.js";
import type { RegistryEvent } from "../../schemas/registry-event.js";
import { compactTable, n, plural } from "./table.js";

const fixed = (x: number | null, digits = 3): string => (x === null ? "–" : x.toFixed(digits));

function status(row: ModelRunRow, c: ChalkInstance): string {
  if (row.status === null) return c.red("UNREADABLE");
  return row.status === "SUCCESS" ? c.green(row.status) : c.red(row.status);
}

function gates(row: ModelRunRow, c: ChalkInstance): string {
  if (row.gates === "failed") return c.red("failed");
  if (row.gates === "skipped") return c.yellow("skipped");
  return row.gates ?? "–";
}

const lastAction = (row: ModelRunRow): string => (row.last_action ? `${row.last_action.action} ${row.last_action.time}` : "–");

function footer(doc: ModelsList | ModelsShow): string {
  const current = doc.current_run ?? "nothing";
  const back = doc.registry.rollback_to ? `models rollback → ${doc.registry.rollback_to}` : "nothing to roll back to";
  return `current ${current}; ${back} (${plural(doc.registry.events, "event")} in ${doc.registry.file})`;
}

/** `models list`: one row per run, oldest first, the current one marked. */
export function renderModelsList(doc: ModelsList, c: ChalkInstance): string {
  if (doc.runs.length === 0) return `no runs in ${doc.home}\n${footer(doc)}\n`;
  const table = compactTable(
    ["", "run", "date", "status", "samples", "log loss", "ECE", "gates", "last registry event"],
    doc.runs.map((r) => [
      r.current ? c.bold("*") : "",
      r.current ? c.bold(r.run_id) : r.run_id,
      r.date_et ?? "–",
      status(r, c),
      r.samples === null ? "–" : n(r.samples),
      fixed(r.log_loss),
      fixed(r.ece),
      gates(r, c),
      lastAction(r),
    ]),
    ["left", "left", "left", "left", "right", "right", "right", "left", "left"],
  );
  return `${table}\n${footer(doc)}\n`;
}

const eventLine = (e: RegistryEvent): string =>
  `${e.time}  ${e.action.padEnd(8)} ${e.previous_run ?? "(nothing)"} → ${e.run}  by ${e.user}@${e.host}: ${e.reason}`;

/** `models show`: the run, its models, its evaluation and gates, and its registry history. */
export function renderModelsShow(doc: ModelsShow, c: ChalkInstance): string {
  const r = doc.run;
  const window = doc.window_days === "all" ? `all dates to ${doc.as_of}` : `${doc.window_days} days to ${doc.as_of}`;
  const rows: (string | number)[][] = [
    ["run", `${r.run_id}${r.current ? c.bold(" (current)") : ""}`],
    ["status", `${status(r, c)}${doc.failures.length ? `: ${doc.failures.join("; ")}` : ""}`],
    ["started", r.started_at ?? "–"],
    ["trained on", `${doc.sport ?? "all sports"}, ${window}`],
  ];
  const e = doc.evaluation;
  if (e) {
    rows.push([
      "evaluation",
      e.skipped_reason
        ? `skipped: ${e.skipped_reason}`
        : `log loss ${fixed(e.log_loss)} (improvement ${e.log_loss_improvement === null ? "–" : e.log_loss_improvement.toFixed(4)} over ${e.best_baseline ?? "no baseline"}), ECE ${fixed(e.ece)}, C ${e.chosen_C}, calibration ${e.calibration}`,
    ]);
  }
  rows.push(["gates", doc.gates ? `${gates(r, c)}${doc.gates.results.map((g) => `; ${g.passed ? "✔" : "✖"} ${g.detail}`).join("")}` : "none"]);
  if (doc.card) rows.push(["card", `${n(doc.card.training.rows)} rows, ${doc.card.calibration.method} calibration, C ${doc.card.hyperparameters.C} chosen by ${doc.card.hyperparameters.chosen_by}`]);
  const models = compactTable(
    ["model", "status", "samples", "schema hash", "schema", "artifact sha256"],
    doc.models.map((m) => [
      m.model,
      m.status === "SUCCESS" ? c.green(m.status) : c.red(m.status),
      n(m.samples_used),
      m.feature_schema_hash,
      m.schema_match ? "match" : c.red("MISMATCH"),
      m.artifact_sha256 ? `${m.artifact_sha256.slice(0, 16)}…` : "–",
    ]),
    ["left", "left", "right", "left", "left", "left"],
  );
  const history = doc.history.length ? doc.history.map(eventLine).join("\n") : "no registry event names this run";
  return `${compactTable(null, rows)}\n${models}\nregistry history:\n${history}\n${footer(doc)}\n`;
}

/** `models promote|rollback`: one line saying what moved. */
export function renderChange(change: RegistryChange, c: ChalkInstance): string {
  const e = change.event;
  if (!change.changed || e === null) return `${change.note ?? `${change.current_run} is current`}\n`;
  const verb = e.action === "rollback" ? "rolled back" : "promoted";
  return `${c.green("✔")} ${verb}: current ${e.previous_run ?? "(nothing)"} → ${e.run} (${e.reason})\n`;
}
