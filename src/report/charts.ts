import type { TopLevelSpec } from "vega-lite";
import type { BacktestCurvePoint } from "../schemas/backtest.js";
import type { EvaluationDocument } from "../schemas/evaluation.js";
import type { FilterTelemetry } from "../filter/filter.js";

/** The report's charts as Vega-Lite specs: pure data in, a spec out; `svg.ts` renders them. */

type Comparison = NonNullable<EvaluationDocument["evaluation"]["comparison"]>;
type Bin = Comparison["ensemble"]["bins"][number];
type Fold = EvaluationDocument["evaluation"]["folds"][number];

const WIDTH = 440;
const BLUE = "#2271b1";
const GREY = "#8c8f94";
const RED = "#d63638";

/** Shared look: white background, no network fonts, labels that fit. */
const CONFIG = {
  background: "white",
  padding: 8,
  config: {
    font: "Helvetica, Arial, sans-serif",
    view: { stroke: null },
    title: { fontSize: 14, anchor: "start" as const, offset: 10 },
    axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: "#ececec" },
  },
};

/** The six stages in SPEC order, named for what a pick must have to pass. */
export const FUNNEL_STAGES = [
  ["drop_no_grade", "has a grade"],
  ["drop_no_result", "has a result"],
  ["drop_wrong_market", "game market"],
  ["drop_missing_required", "required fields"],
  ["drop_outside_window", "inside the window"],
  ["drop_wrong_sport", "sport"],
] as const;

export interface FunnelStep {
  step: number;
  stage: string;
  remaining: number;
  dropped: number;
}

export function funnelSteps(t: FilterTelemetry): FunnelStep[] {
  const steps: FunnelStep[] = [{ step: 0, stage: "loaded", remaining: t.loaded_total, dropped: 0 }];
  let remaining = t.loaded_total;
  for (const [key, stage] of FUNNEL_STAGES) {
    remaining -= t[key];
    steps.push({ step: steps.length, stage, remaining, dropped: t[key] });
  }
  return steps;
}

export function funnelChart(t: FilterTelemetry): TopLevelSpec {
  const values = funnelSteps(t).map((s) => ({ ...s, label: s.step === 0 ? String(s.remaining) : `${s.remaining} (−${s.dropped})` }));
  const y = { field: "stage", type: "nominal" as const, sort: { field: "step", op: "min" as const, order: "ascending" as const }, title: null };
  return {
    ...CONFIG,
    title: { text: "Filter funnel", subtitle: "picks remaining after each stage (dropped at that stage)" },
    width: WIDTH,
    height: { step: 28 },
    data: { values },
    encoding: { y, x: { field: "remaining", type: "quantitative", title: "picks" } },
    layer: [
      { mark: { type: "bar", color: BLUE } },
      { mark: { type: "text", align: "left", dx: 4, fontSize: 11 }, encoding: { text: { field: "label", type: "nominal" } } },
    ],
  };
}

export function reliabilityChart(bins: Bin[], subtitle: string): TopLevelSpec {
  const values = bins
    .filter((b) => b.count > 0 && b.mean_prediction !== null && b.hit_rate !== null)
    .map((b) => ({ predicted: b.mean_prediction, hit_rate: b.hit_rate, count: b.count, label: `n=${b.count}` }));
  const unit = { type: "quantitative" as const, scale: { domain: [0, 1] } };
  return {
    ...CONFIG,
    title: { text: "Reliability diagram", subtitle },
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: [{ predicted: 0, hit_rate: 0 }, { predicted: 1, hit_rate: 1 }] },
        mark: { type: "line", color: GREY, strokeDash: [4, 4] },
        encoding: { x: { field: "predicted", ...unit }, y: { field: "hit_rate", ...unit } },
      },
      {
        data: { values },
        mark: { type: "point", filled: true, color: BLUE },
        encoding: {
          x: { field: "predicted", ...unit, title: "mean predicted probability" },
          y: { field: "hit_rate", ...unit, title: "hit rate" },
          size: { field: "count", type: "quantitative", scale: { range: [40, 400] }, legend: null },
        },
      },
      {
        data: { values },
        mark: { type: "text", dx: 12, dy: -10, fontSize: 11, align: "left" },
        encoding: { x: { field: "predicted", ...unit }, y: { field: "hit_rate", ...unit }, text: { field: "label", type: "nominal" } },
      },
    ],
  };
}

export function foldChart(folds: Fold[], bestBaseline: { name: string; log_loss: number } | null): TopLevelSpec {
  const values = folds.flatMap((f) => (f.metrics === null ? [] : [{ fold: `fold ${f.fold}`, log_loss: f.metrics.log_loss, rows: f.metrics.n }]));
  const x = { field: "fold", type: "ordinal" as const, title: "validation fold (date order)", axis: { labelAngle: 0 } };
  const y = { field: "log_loss", type: "quantitative" as const, title: "log loss", scale: { zero: false } };
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>["layer"]> = [
    { data: { values }, mark: { type: "line", color: BLUE, point: { color: BLUE, size: 60 } }, encoding: { x, y } },
    {
      data: { values },
      mark: { type: "text", dy: -12, fontSize: 11 },
      encoding: { x, y, text: { field: "log_loss", type: "quantitative", format: ".4f" } },
    },
  ];
  if (bestBaseline !== null) {
    const base = [{ log_loss: bestBaseline.log_loss, label: `best baseline (${bestBaseline.name}): ${bestBaseline.log_loss.toFixed(4)}` }];
    layers.push(
      { data: { values: base }, mark: { type: "rule", color: RED, strokeDash: [6, 3] }, encoding: { y: { field: "log_loss", type: "quantitative" } } },
      {
        data: { values: base },
        mark: { type: "text", color: RED, align: "right", x: "width", dx: -4, dy: -8, fontSize: 11 },
        encoding: { y: { field: "log_loss", type: "quantitative" }, text: { field: "label", type: "nominal" } },
      },
    );
  }
  return {
    ...CONFIG,
    title: { text: "Log loss per fold", subtitle: "the ensemble on each validation fold; lower is better" },
    width: WIDTH,
    height: 260,
    layer: layers,
  };
}

export interface PredictorScore {
  predictor: string;
  kind: "ensemble" | "baseline";
  log_loss: number;
  n: number;
}

export function predictorScores(c: Comparison): PredictorScore[] {
  return [
    { predictor: "ensemble (calibrated)", kind: "ensemble" as const, log_loss: c.ensemble.log_loss, n: c.ensemble.n },
    { predictor: "ensemble (uncalibrated)", kind: "ensemble" as const, log_loss: c.uncalibrated.log_loss, n: c.uncalibrated.n },
    ...c.baselines.map((b) => ({ predictor: b.name, kind: "baseline" as const, log_loss: b.metrics.log_loss, n: b.metrics.n })),
  ];
}

export function predictorChart(c: Comparison): TopLevelSpec {
  const y = {
    field: "predictor",
    type: "nominal" as const,
    sort: { field: "log_loss", op: "min" as const, order: "ascending" as const },
    title: null,
    axis: { labelLimit: 240 },
  };
  const x = { field: "log_loss", type: "quantitative" as const, title: "log loss" };
  return {
    ...CONFIG,
    title: { text: "Ensemble against the baselines", subtitle: `log loss on the ${c.rows} picks of folds ${c.from_fold} and later; lower is better` },
    width: WIDTH,
    height: { step: 26 },
    data: { values: predictorScores(c) },
    encoding: { y, x },
    layer: [
      { mark: { type: "bar" }, encoding: { color: { field: "kind", type: "nominal", scale: { domain: ["ensemble", "baseline"], range: [BLUE, GREY] }, legend: null } } },
      { mark: { type: "text", align: "left", dx: 4, fontSize: 11 }, encoding: { text: { field: "log_loss", type: "quantitative", format: ".4f" } } },
    ],
  };
}

/** Dates as UTC days, so the axis reads the same in every time zone. */
const dateAxis = { field: "date", type: "temporal" as const, timeUnit: "utcyearmonthdate" as const, title: "ET date", axis: { format: "%b %d", labelAngle: 0 } };

function curveChart(curve: BacktestCurvePoint[], field: string, title: string, subtitle: string, yTitle: string, reference: number): TopLevelSpec {
  return {
    ...CONFIG,
    title: { text: title, subtitle },
    width: WIDTH,
    height: 240,
    layer: [
      { data: { values: [{ reference }] }, mark: { type: "rule", color: GREY }, encoding: { y: { field: "reference", type: "quantitative" } } },
      {
        data: { values: curve },
        mark: { type: "line", color: BLUE, point: curve.length <= 60 ? { color: BLUE, size: 18 } : false },
        encoding: { x: dateAxis, y: { field, type: "quantitative", title: yTitle, scale: { zero: false } } },
      },
    ],
  };
}

export const profitChart = (curve: BacktestCurvePoint[]): TopLevelSpec =>
  curveChart(curve, "cumulative_units", "Backtest: cumulative profit", "1 unit flat on every scored pick, by day", "profit (units)", 0);

export const kellyChart = (curve: BacktestCurvePoint[]): TopLevelSpec =>
  curveChart(curve, "kelly_bankroll", "Backtest: fractional-Kelly bankroll", "1 + cumulative Kelly profit (stakes not compounded)", "bankroll", 1);
