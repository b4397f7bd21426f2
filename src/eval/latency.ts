import type { EnsembleModel } from "../models/ensemble/artifact.js";

export const LATENCY_PREDICTIONS = 1000;

export interface LatencyReport {
  predictions: number;
  p50_us: number;
  p95_us: number;
  p99_us: number;
  max_us: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Times single predictions of the saved model as the inference code reads it (transform, regression
 * and calibration map), one call at a time, cycling through `rows`. Microseconds, three decimals.
 * A measurement, so it differs between runs: it is reported, never asserted.
 */
export function measureLatency(model: EnsembleModel, rows: readonly (readonly number[])[], predictions = LATENCY_PREDICTIONS): LatencyReport {
  if (rows.length === 0) throw new RangeError("measureLatency: needs at least one row");
  const times = new Float64Array(predictions);
  let sink = 0;
  for (let i = 0; i < predictions; i++) {
    const row = rows[i % rows.length]!;
    const t0 = process.hrtime.bigint();
    sink += model.predict(row);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  if (Number.isNaN(sink)) throw new RangeError("measureLatency: a prediction was NaN");
  times.sort();
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    predictions,
    p50_us: round(percentile(times, 0.5)),
    p95_us: round(percentile(times, 0.95)),
    p99_us: round(percentile(times, 0.99)),
    max_us: round(times[predictions - 1]!),
  };
}
