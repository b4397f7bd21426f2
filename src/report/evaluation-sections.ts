import type { ModelCard } from "../schemas/card.js";
import type { EvaluationDocument } from "../schemas/evaluation.js";
import type { RunDocument } from "../schemas/run.js";
import { foldChart, predictorChart, predictorScores, reliabilityChart } from "./charts.js";
import { code, facts, fixed, paragraph, raw, table, type Cell, type Html, type Section } from "./html.js";
import type { Draw } from "./svg.js";

/** The report's sections drawn from a run's evaluation.json and card.json. */

/** Why there is nothing to show, as the run recorded it, and what to do. */
function noEvaluation(run: RunDocument, evaluation: EvaluationDocument | null): Html[] {
  if (evaluation !== null) {
    return [paragraph(`The evaluation was skipped: ${evaluation.evaluation.skipped_reason ?? "no fold could be scored"}.`, "missing")];
  }
  const reason = run.evaluation?.skipped_reason ?? "its ensemble was not evaluated (a failed ensemble, or a run of engine1 0.1.0)";
  return [
    paragraph(`This run has no evaluation.json: ${reason}.`, "missing"),
    raw(`<p>Train a new run (${code("engine1 train").html}) to get one; ${code("engine1 evaluate").html} evaluates a store without a run.</p>`),
  ];
}

export async function reliabilitySection(run: RunDocument, evaluation: EvaluationDocument | null, draw: Draw): Promise<Section> {
  const comparison = evaluation?.evaluation.comparison ?? null;
  const outOfFold = evaluation?.evaluation.out_of_fold ?? null;
  const metrics = comparison?.ensemble ?? outOfFold;
  if (evaluation === null || metrics === null || metrics === undefined) {
    return { id: "reliability", title: "Reliability", present: false, body: noEvaluation(run, evaluation) };
  }
  const scope = comparison
    ? `calibrated out-of-fold predictions, folds ${comparison.from_fold} and later (${comparison.rows} picks)`
    : `out-of-fold predictions (${metrics.n} picks)`;
  return {
    id: "reliability",
    title: "Reliability",
    present: true,
    body: [
      await draw(reliabilityChart(metrics.bins, scope), "Each point is a bin of predictions: its mean prediction against how often those picks won; the dashed diagonal is perfect calibration; n is the picks in the bin."),
      facts([
        ["expected calibration error", fixed(metrics.ece)],
        ["actual ÷ expected wins", fixed(metrics.actual_expected, 3)],
      ]),
      table(
        ["bin", "picks", "wins", "expected wins", "mean prediction", "hit rate", "actual ÷ expected"],
        metrics.bins.map((b): Cell[] => [
          `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`,
          b.count,
          b.hits,
          fixed(b.expected_hits, 2),
          fixed(b.mean_prediction),
          fixed(b.hit_rate),
          fixed(b.actual_expected, 3),
        ]),
        "Reliability bins",
      ),
    ],
  };
}

export async function foldsSection(run: RunDocument, evaluation: EvaluationDocument | null, draw: Draw): Promise<Section> {
  const ev = evaluation?.evaluation;
  if (ev === undefined || ev.folds.length === 0) {
    return { id: "folds", title: "Folds and baselines", present: false, body: noEvaluation(run, evaluation) };
  }
  const c = ev.comparison;
  const best = c === null ? null : { name: c.best_baseline, log_loss: c.baselines.find((b) => b.name === c.best_baseline)!.metrics.log_loss };
  const body: Html[] = [
    await draw(foldChart(ev.folds, best), "The calibrated ensemble's log loss on each date fold's validation days; the dashed line is the best baseline over the compared folds."),
  ];
  if (c !== null) {
    body.push(
      await draw(
        predictorChart(c),
        `Best baseline: ${c.best_baseline}. The ensemble's log loss is ${Math.abs(c.log_loss_improvement).toFixed(4)} ${c.log_loss_improvement >= 0 ? "lower" : "higher"}: it ${c.beats_best_baseline ? "beats" : "does not beat"} the best baseline.`,
      ),
    );
  }
  body.push(
    table(
      ["fold", "train days", "validation days", "train rows", "validation rows", "embargoed rows", "log loss", "Brier", "AUC", "accuracy", "failure"],
      ev.folds.map((f): Cell[] => [
        f.fold,
        `${f.train.first_date} – ${f.train.last_date}`,
        `${f.validation.first_date} – ${f.validation.last_date}`,
        f.train.rows,
        f.validation.rows,
        f.embargoed_rows,
        fixed(f.metrics?.log_loss ?? null),
        fixed(f.metrics?.brier ?? null),
        fixed(f.metrics?.auc ?? null),
        fixed(f.metrics?.accuracy ?? null),
        f.failure,
      ]),
      `Date folds (embargo ${ev.options.embargo_days} days, leakage check passed on every fold)`,
    ),
  );
  if (c !== null) {
    const described = new Map(c.baselines.map((b) => [b.name, b.description]));
    const metrics = new Map([["ensemble (calibrated)", c.ensemble], ["ensemble (uncalibrated)", c.uncalibrated], ...c.baselines.map((b) => [b.name, b.metrics] as const)]);
    body.push(
      table(
        ["predictor", "what it is", "picks", "log loss", "Brier", "AUC", "ECE"],
        predictorScores(c).map((p): Cell[] => {
          const m = metrics.get(p.predictor)!;
          return [p.predictor, described.get(p.predictor) ?? "the engine1 ensemble", m.n, fixed(m.log_loss), fixed(m.brier), fixed(m.auc), fixed(m.ece)];
        }),
        `Folds ${c.from_fold} and later, every predictor on the same ${c.rows} picks`,
      ),
    );
  }
  return { id: "folds", title: "Folds and baselines", present: true, body };
}

export function modelCardSection(card: ModelCard | null): Section {
  if (card === null) {
    return { id: "model_card", title: "Model card", present: false, body: [paragraph("This run has no card.json (its ensemble was not evaluated).", "missing")] };
  }
  const g = card.gates;
  return {
    id: "model_card",
    title: "Model card",
    present: true,
    body: [
      facts([
        ["C (inverse regularisation)", `${card.hyperparameters.C} (${card.hyperparameters.search}, ${card.hyperparameters.values_tried} tried; ${card.hyperparameters.chosen_by})`],
        ["calibration", `${card.calibration.method} (requested ${card.calibration.requested}, fitted on ${card.calibration.fitted_on} predictions)`],
        ["training rows", card.training.rows],
        ["leakage checks", card.leakage_checks.passed ? "passed" : "FAILED"],
        ["latency p50 / p99 (µs)", `${card.latency.p50_us} / ${card.latency.p99_us}`],
        ["promotion gates", !g.configured ? "none configured" : g.skipped ? "skipped" : g.passed ? "passed" : "FAILED"],
      ]),
      table(
        ["rank", "feature", "coefficient", "standardised"],
        card.feature_importance.map((f): Cell[] => [f.rank, f.feature, fixed(f.coefficient), fixed(f.standardized_coefficient)]),
        "Feature importance",
      ),
      ...(g.results.length === 0
        ? []
        : [table(["gate", "threshold", "actual", "passed", "detail"], g.results.map((r): Cell[] => [r.gate, r.threshold, r.actual, r.passed ? "yes" : "no", r.detail]), "Promotion gates")]),
    ],
  };
}
