import type { ChalkInstance } from "chalk";
import type { ModelEntry, RunDocument } from "../../schemas/run.js";
import type { TrainResult } from "../../train/train.js";
import { bytes, compactTable, n } from "./table.js";
import { renderGates } from "./evaluation-report.js";

const fixed = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined ? "–" : x.toFixed(digits));

function drops(entry: ModelEntry): string {
  const parts = Object.entries(entry.signature.filter_telemetry.drops)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k.replace(/^drop_/, "")} ${n(v)}`);
  return parts.join(", ") || "none";
}

function evaluation(run: RunDocument, name: keyof RunDocument["models"]): string {
  if (name === "team_lstm") {
    const h = run.models.team_lstm.signature.holdout;
    return h ? `holdout MAE ${fixed(h.mae, 2)} pts vs ${fixed(h.baseline_mae, 2)} running mean (${n(h.holdout_examples)} examples)` : "no holdout";
  }
  if (name === "matchup") {
    const s = run.models.matchup.signature;
    return `${n(s.matchups_tracked_total)} pairs in ${s.sports_included.join(", ") || "no sport"}`;
  }
  const s = run.models.ensemble.signature;
  const h = s.holdout;
  const fit = s.iterations === null ? "not fitted" : `${s.converged ? "converged" : "NOT converged"} in ${s.iterations} iterations`;
  return h
    ? `${fit}; holdout log loss ${fixed(h.log_loss)} vs ${fixed(h.base_rate_log_loss)} base rate, AUC ${fixed(h.auc)} (${n(h.holdout_rows)} picks)`
    : fit;
}

/** The human view of a training run: provenance, the filter funnel in one line, a table of models, a verdict. */
export function renderTrain(result: TrainResult, color: ChalkInstance, runDir: string): string {
  const { run } = result;
  const p = run.store.provenance;
  const f = run.filter_telemetry;
  const window = f.window_days === "all" ? `all dates to ${f.as_of}` : `${f.window_days} days to ${f.as_of}`;
  const lines = [
    `store   ${p.path} (${bytes(p.bytes_read)}, ${n(run.store.line_accounting.total_lines)} lines, sha256 ${p.sha256?.slice(0, 12)}…)`,
    `filter  ${n(f.loaded_total)} records → ${n(f.eligible_total)} eligible (${f.sport ?? "all sports"}, ${window})`,
    compactTable(
      ["model", "status", "used", "dropped", "schema", "evaluation"],
      (["team_lstm", "matchup", "ensemble"] as const).map((name) => {
        const m = run.models[name];
        return [
          name,
          m.status === "SUCCESS" ? color.green(m.status) : color.red(m.status),
          n(m.signature.samples_used),
          drops(m),
          m.artifact === null ? "–" : m.signature.schema_match ? "match" : color.red("MISMATCH"),
          evaluation(run, name),
        ];
      }),
      ["left", "left", "right", "left", "left", "left"],
    ),
  ];
  const e = run.evaluation;
  if (e) {
    const measured =
      e.log_loss === null
        ? `not measured: ${e.skipped_reason ?? "no comparison"}`
        : `log loss ${fixed(e.log_loss, 4)} vs ${fixed(e.log_loss + (e.log_loss_improvement ?? 0), 4)} best baseline ${e.best_baseline}, ECE ${fixed(e.ece, 4)}`;
    lines.push(`evaluation  C ${e.chosen_C}, calibration ${e.calibration}; ${measured} (engine1 evaluate --run ${run.run_id})`);
  }
  if (run.gates && (run.gates.configured || run.gates.skipped)) lines.push(renderGates(run.gates, color));
  if (run.status === "SUCCESS") {
    lines.push(color.green(`✔ run ${run.run_id} SUCCESS: 3 models trained on ${n(f.eligible_total)} picks; current → ${runDir}`));
  } else {
    lines.push(color.red(`✖ run ${run.run_id} ${run.status}: ${run.failures[0] ?? "failed"}; current unchanged (written to ${runDir})`));
  }
  return `${lines.join("\n")}\n`;
}
