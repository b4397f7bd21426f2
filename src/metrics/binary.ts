/**
 * Binary-outcome metrics with scikit-learn's definitions (`log_loss`, `brier_score_loss`,
 * `roc_auc_score`), so numbers reported here can be checked against it. Labels are 0 or 1.
 */

function checkPair(labels: ArrayLike<number>, probs: ArrayLike<number>, name: string): void {
  if (labels.length !== probs.length) throw new RangeError(`${name}: ${labels.length} labels but ${probs.length} probabilities`);
  if (labels.length === 0) throw new RangeError(`${name}: needs at least one row`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`${name}: label ${i} is ${y}, not 0 or 1`);
    if (!Number.isFinite(probs[i]!)) throw new RangeError(`${name}: probability ${i} is ${probs[i]}`);
  }
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError("mean: needs at least one value");
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Mean negative log-likelihood, probabilities clipped to [eps, 1 - eps]. */
export function logLoss(labels: ArrayLike<number>, probs: ArrayLike<number>, eps = 1e-15): number {
  checkPair(labels, probs, "logLoss");
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probs[i]!));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return sum / labels.length;
}

/** Mean squared difference between probability and outcome. */
export function brierScore(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  checkPair(labels, probs, "brierScore");
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const d = probs[i]! - labels[i]!;
    sum += d * d;
  }
  return sum / labels.length;
}

/**
 * Area under the ROC curve as the Mann–Whitney statistic over average ranks, so tied scores get half
 * credit exactly as scikit-learn's trapezoidal curve gives it. Null when only one class is present.
 */
export function rocAuc(labels: ArrayLike<number>, probs: ArrayLike<number>): number | null {
  checkPair(labels, probs, "rocAuc");
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[a]! - probs[b]!);
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && probs[order[end]!] === probs[order[start]!]) end++;
    const averageRank = (start + 1 + end) / 2; // 1-based ranks start+1 .. end
    for (let k = start; k < end; k++) if (labels[order[k]!] === 1) positiveRankSum += averageRank;
    start = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** scikit-learn's accuracy_score of LogisticRegression.predict: class 1 when p > 0.5 (strictly). */
export function accuracy(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  checkPair(labels, probs, "accuracy");
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if ((probs[i]! > 0.5 ? 1 : 0) === labels[i]) correct++;
  return correct / labels.length;
}
