import type { ChalkInstance } from "chalk";
import type { GatesReport } from "../../eval/gates.js";
import type { MetricReport } from "../../metrics/report.js";
import type { EvaluationDocument } from "../../schemas/evaluation.js";
import { compactTable, n, plural } from "./table.js";

const fx = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? "–" : x.toFixed(digits));
const BAR = 30;

function metricCells(m: MetricReport): string[] {
  return [n(m.n), fx(m.accuracy, 3), fx(m.log_loss), fx(m.brier), fx(m.auc, 3), fx(m.ece), fx(m.actual_expected, 3)];
}
const METRIC_HEAD = ["picks", "accuracy", "log loss", "Brier", "AUC", "ECE", "A/E"];

/**
 * The reliability diagram as text: per bin, the hit rate as a bar and the mean prediction as a `┃`
 * on the same scale, so a bar that ends at its mark is a calibrated bin.
 */
export function reliabilityChart(m: MetricReport, color: ChalkInstance): string {
  const rows = m.bins.map((b) => {
    const range = `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`;
    if (b.count === 0) return `  ${range}  ${"".padStart(BAR)}   ${color.dim("empty")}`;
    const bar: string[] = Array.from({ length: BAR }, (_, i) => (i < Math.round(b.hit_rate! * BAR) ? "█" : " "));
    const mark = Math.min(BAR - 1, Math.max(0, Math.round(b.mean_prediction! * BAR) - 1));
    bar[mark] = color.yellow("┃");
    return `  ${range}  ${bar.join("")}   hit ${fx(b.hit_rate, 3)}  predicted ${fx(b.mean_prediction, 3)}  n ${n(b.count)}`;
  });
  return [`  bin      hit rate (bar) and mean prediction (${color.yellow("┃")})`, ...rows].join("\n");
}

export function renderGates(gates: GatesReport, color: ChalkInstance): string {
  if (gates.skipped) return color.yellow(`gates   skipped by --no-gates (${plural(gates.results.length, "gate")} recorded, none held current back)`);
  if (!gates.configured) {
    return `gates   none configured (add "gates" to engine1.config.json: max_ece, min_log_loss_improvement, min_samples)`;
  }
  const table = compactTable(
    ["gate", "threshold", "actual", "result", "detail"],
    gates.results.map((r) => [r.gate, String(r.threshold), r.actual !== null && Number.isInteger(r.actual) ? String(r.actual) : fx(r.actual), r.passed ? color.green("pass") : color.red("FAIL"), r.detail]),
  );
  return `gates   ${gates.config_path ?? ""}\n${table}`;
}

/** The human view of an evaluation: folds, the search, the comparison with baselines, calibration, reliability, gates. */
export function renderEvaluation(doc: EvaluationDocument, color: ChalkInstance): string {
  const e = doc.evaluation;
  const source = doc.source.kind === "run" ? `run ${doc.source.run_id}` : `${doc.source.path} (fresh fit, as of ${doc.source.as_of})`;
  const span = e.date_range ? `${e.date_range.first} … ${e.date_range.last}, ${plural(e.date_range.dates, "date")}` : "no dates";
  const lines = [
    `ensemble evaluation of ${source}`,
    `samples ${n(e.rows)} (${n(e.class_balance.wins)} wins, ${n(e.class_balance.losses)} losses; ${span}); ` +
      `${e.options.folds} date folds, embargo ${plural(e.options.embargo_days, "day")}`,
  ];
  if (e.folds.length > 0) {
    lines.push(
      compactTable(
        ["fold", "train dates", "validation dates", "train", "valid", "embargo", "log loss", "Brier", "AUC", "ECE", "leakage"],
        e.folds.map((f) => [
          String(f.fold),
          `${f.train.first_date} … ${f.train.last_date}`,
          `${f.validation.first_date} … ${f.validation.last_date}`,
          n(f.train.rows),
          n(f.validation.rows),
          n(f.embargoed_rows),
          f.metrics ? fx(f.metrics.log_loss) : color.red(f.failure ?? "–"),
          fx(f.metrics?.brier),
          fx(f.metrics?.auc, 3),
          fx(f.metrics?.ece),
          color.green(f.leakage_check),
        ]),
        ["right", "left", "left", "right", "right", "right", "right", "right", "right", "right", "left"],
      ),
    );
  }
  if (e.tuning) {
    const best = e.tuning.trials.find((t) => t.C === e.tuning!.chosen_C);
    const tried = e.tuning.trials.map((t) => `${t.C}: ${fx(t.log_loss)}`).join(", ");
    lines.push(`search  ${e.tuning.search}, C = ${e.tuning.chosen_C} (out-of-fold log loss ${fx(best?.log_loss)}); tried ${tried}`);
  }
  if (e.skipped_reason !== null) lines.push(color.yellow(`not evaluated further: ${e.skipped_reason}`));
  if (e.calibration) {
    const cands = e.calibration.candidates.map((c) => `${c.method} ${fx(c.log_loss)}${c.eligible ? "" : ` (${c.reason})`}`).join("; ");
    lines.push(`calibration ${e.calibration.chosen} (asked: ${e.calibration.requested}); cross-fitted log loss: ${cands}`);
  }
  const c = e.comparison;
  if (c) {
    lines.push(
      `on the ${n(c.rows)} picks of folds ${c.from_fold}–${e.options.folds} (calibration fitted on earlier folds only):`,
      compactTable(
        ["predictor", ...METRIC_HEAD],
        [
          [color.bold(`ensemble (${e.calibration?.chosen === "none" ? "no calibration" : e.calibration?.chosen})`), ...metricCells(c.ensemble)],
          ["ensemble, uncalibrated", ...metricCells(c.uncalibrated)],
          ...c.baselines.map((b) => [b.name, ...metricCells(b.metrics)]),
        ],
        ["left", "right", "right", "right", "right", "right", "right", "right"],
      ),
      c.beats_best_baseline
        ? color.green(`✔ the ensemble beats the best baseline (${c.best_baseline}) by ${fx(c.log_loss_improvement)} log loss`)
        : color.yellow(`✖ the ensemble does not beat the best baseline (${c.best_baseline}): ${fx(-c.log_loss_improvement)} log loss worse`),
      `reliability of the ensemble (10 bins, ECE ${fx(c.ensemble.ece)}, actual/expected ${fx(c.ensemble.actual_expected, 3)})`,
      reliabilityChart(c.ensemble, color),
    );
  }
  lines.push(renderGates(doc.gates, color));
  return `${lines.join("\n")}\n`;
}
