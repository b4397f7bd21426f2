import { brierScore, logLoss, rocAuc } from "../../metrics/binary.js";
import { EnsembleModel } from "./artifact.js";
import { fitEnsemble, type EnsembleFitOptions } from "./fit-ensemble.js";
import { takeRows, type EnsembleSamples } from "./samples.js";

export interface EnsembleHoldout {
  train_rows: number;
  holdout_rows: number;
  holdout_start_date: string;
  log_loss: number;
  brier: number;
  auc: number | null;
  base_rate: number;
  base_rate_log_loss: number;
}

export type HoldoutOutcome = { holdout: EnsembleHoldout; skipped: null } | { holdout: null; skipped: string };

export interface DateSplit {
  /** Row indices before the holdout dates, and on them, each in row order. */
  train: number[];
  holdout: number[];
  holdoutStartDate: string;
}

/**
 * The time-ordered split: the latest `ceil(fraction × distinct dates)` ET dates are held out (at
 * least one date stays for training), so no holdout row is older than a training row. A string says
 * why there is no split.
 */
export function splitByDate(dates: readonly (string | null)[], fraction: number): DateSplit | string {
  if (fraction <= 0) return "the holdout fraction is 0";
  const dateless = dates.filter((d) => d === null).length;
  if (dateless > 0) return `${dateless} training samples have no date`;
  const distinct = [...new Set(dates as string[])].sort();
  if (distinct.length < 2) return `the training samples span ${distinct.length} date, and a time-ordered holdout needs at least 2`;
  const held = Math.min(Math.ceil(fraction * distinct.length), distinct.length - 1);
  const start = distinct[distinct.length - held]!;
  const train: number[] = [];
  const holdout: number[] = [];
  dates.forEach((d, i) => (d! >= start ? holdout : train).push(i));
  return { train, holdout, holdoutStartDate: start };
}

/**
 * Fits a second model on the earlier dates (choosing its transform from those rows alone) and scores
 * it on the held-out latest dates, beside the base rate: predicting the earlier rows' hit rate for
 * every holdout row.
 */
export function evaluateHoldout(samples: EnsembleSamples, fraction: number, options: EnsembleFitOptions): HoldoutOutcome {
  const split = splitByDate(samples.dates, fraction);
  if (typeof split === "string") return { holdout: null, skipped: split };
  const train = takeRows(samples, split.train);
  const test = takeRows(samples, split.holdout);
  for (const [side, part, rows] of [["earlier", train, split.train.length], ["holdout", test, split.holdout.length]] as const) {
    if (part.wins === 0 || part.wins === rows) return { holdout: null, skipped: `the ${side} dates hold only one class` };
  }
  const fitted = fitEnsemble(train.x, train.y, split.train.length, options);
  if (fitted.artifact === null) return { holdout: null, skipped: `the model on the earlier dates failed: ${fitted.failure}` };
  const model = EnsembleModel.fromArtifact(fitted.artifact, "holdout model");
  const d = fitted.artifact.feature_names.length;
  if (fitted.artifact.transform.kind === "logit" && !test.x.every((v) => v > 0 && v < 1)) {
    return { holdout: null, skipped: "the earlier dates chose the logit transform, but holdout rows hold values outside (0, 1)" };
  }
  const probs = new Float64Array(split.holdout.length);
  for (let k = 0; k < probs.length; k++) probs[k] = model.predict(Array.from(test.x.subarray(k * d, k * d + d)));
  const trainRate = train.wins / split.train.length;
  return {
    holdout: {
      train_rows: split.train.length,
      holdout_rows: split.holdout.length,
      holdout_start_date: split.holdoutStartDate,
      log_loss: logLoss(test.y, probs),
      brier: brierScore(test.y, probs),
      auc: rocAuc(test.y, probs),
      base_rate: test.wins / split.holdout.length,
      base_rate_log_loss: logLoss(test.y, new Float64Array(probs.length).fill(trainRate)),
    },
    skipped: null,
  };
}
