import { accuracy, brierScore, logLoss, rocAuc } from "./binary.js";
import { reliability, type ReliabilityBin } from "./reliability.js";

/** Every number an evaluation reports for one set of (label, probability) rows, counts included. */
export interface MetricReport {
  n: number;
  positives: number;
  accuracy: number;
  log_loss: number;
  brier: number;
  /** Null when only one class is present. */
  auc: number | null;
  ece: number;
  actual_expected: number | null;
  /** Ten uniform bins. */
  bins: ReliabilityBin[];
}

export function metricReport(labels: ArrayLike<number>, probs: ArrayLike<number>): MetricReport {
  // First, because it is the strictest check: probabilities must also lie in [0, 1].
  const curve = reliability(labels, probs, 10);
  return {
    n: curve.n,
    positives: curve.hits,
    accuracy: accuracy(labels, probs),
    log_loss: logLoss(labels, probs),
    brier: brierScore(labels, probs),
    auc: rocAuc(labels, probs),
    ece: curve.ece,
    actual_expected: curve.actual_expected,
    bins: curve.bins,
  };
}
