import type { DatedSamples } from "../../src/eval/cross-validate.js";
import type { EvaluationOptions } from "../../src/eval/evaluate-ensemble.js";
import { DEFAULT_C_GRID } from "../../src/eval/tuning.js";
import { Rng } from "../../src/fixtures/random.js";
import { ENSEMBLE_TOLERANCE } from "../../src/models/ensemble/train-ensemble.js";
import { dayAfterNewYear } from "./ensemble-picks.js";
import { gamePick } from "./store.js";

/** Evaluation options with the CLI's defaults; override what a test is about. */
export function evaluationOptions(overrides: Partial<EvaluationOptions> = {}): EvaluationOptions {
  return {
    folds: 5,
    embargoDays: 1,
    calibration: "auto",
    search: "grid",
    trials: 20,
    seed: 42,
    C: 1,
    grid: DEFAULT_C_GRID,
    isotonicMinSamples: 1000,
    maxIterations: 100,
    tolerance: ENSEMBLE_TOLERANCE,
    ...overrides,
  };
}

export interface Synthetic extends DatedSamples {
  /** The probability each row's label was drawn with. */
  pTrue: Float64Array;
  /** The rows as value lists, for building picks. */
  valueRows: number[][];
}

/**
 * `dates` consecutive ET dates from 2026-01-01 with `perDate` rows each (row i is on date ⌊i / perDate⌋).
 * `row(rng)` returns one row's true hit probability and its four upstream values.
 */
export function synthetic(seed: number, dates: number, perDate: number, row: (rng: Rng) => { p: number; values: number[] }): Synthetic {
  const rng = Rng.derive(seed, "eval-samples");
  const rows = dates * perDate;
  const x = new Float64Array(rows * 4);
  const y = new Uint8Array(rows);
  const pTrue = new Float64Array(rows);
  const valueRows: number[][] = [];
  const dateList: string[] = [];
  for (let i = 0; i < rows; i++) {
    const { p, values } = row(rng);
    pTrue[i] = p;
    y[i] = rng.chance(p) ? 1 : 0;
    x.set(values, i * 4);
    valueRows.push(values);
    dateList.push(dayAfterNewYear(Math.floor(i / perDate)));
  }
  return { x, y, rows, dates: dateList, pTrue, valueRows };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Upstream values miscalibrated by construction in a way no logistic regression on their logits can
 * undo: a latent score z on a grid of 12 values in (−3, 3); the four values are sigmoid(z) with fixed
 * column offsets, so they spread from 0.05 to 0.95, while the true hit probability is a step: 0.25
 * below z = 0 and 0.75 above. Any sigmoid of a linear function of z is too confident at the ends and
 * too timid near the middle; a monotone (isotonic) map of the regression's output can fix it.
 */
export function steppedTruth(seed: number, dates: number, perDate: number): Synthetic {
  return synthetic(seed, dates, perDate, (rng) => {
    const g = rng.int(0, 11);
    const z = -3 + (6 * (g + 0.5)) / 12;
    return { p: g < 6 ? 0.25 : 0.75, values: [0, 1, 2, 3].map((j) => sigmoid(z + 0.1 * (j - 1.5))) };
  });
}

/** Upstream values that are noisy but honest: each is the true probability seen through logit noise. */
export function honestTruth(seed: number, dates: number, perDate: number): Synthetic {
  return synthetic(seed, dates, perDate, (rng) => {
    const z = rng.float(-2, 2);
    return { p: sigmoid(z), values: [0, 1, 2, 3].map(() => sigmoid(z + rng.normal(0, 0.8))) };
  });
}

/** One game pick record of a store, eligible for any as-of on or after its date with `--days all`. */
export function storeRecord(id: string, date: string, result: "WIN" | "LOSS", values: readonly number[]): Record<string, unknown> {
  return gamePick({ pick_id: id, date_et: date, result, ai_breakdown: { raw_inputs: { model_preds: { values: [...values] } } } });
}
