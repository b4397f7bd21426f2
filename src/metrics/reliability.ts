/**
 * Reliability (calibration) bins and expected calibration error, binned exactly as scikit-learn's
 * `calibration_curve(strategy="uniform")`, with the counts behind every rate kept beside it.
 */

export interface ReliabilityBin {
  /** Display edges: lower = index/n, upper = (index+1)/n (placement uses numpy's edges, see binIndex). */
  index: number;
  lower: number;
  upper: number;
  count: number;
  hits: number;
  /** Σ p over the bin. */
  expected_hits: number;
  /** Null for an empty bin. */
  mean_prediction: number | null;
  hit_rate: number | null;
  /** hits ÷ Σp; null when the bin is empty or Σp is 0. */
  actual_expected: number | null;
}

export interface Reliability {
  n: number;
  hits: number;
  expected_hits: number;
  /** Overall hits ÷ Σp; null when Σp is 0. */
  actual_expected: number | null;
  /** Σ_b (count_b / n) · |hit_rate_b − mean_prediction_b|. */
  ece: number;
  /** Always nBins entries, empty ones included. */
  bins: ReliabilityBin[];
}

/** Labels 0 or 1, probabilities finite and in [0, 1], equal non-zero lengths; RangeError naming the row. */
export function checkLabelledProbabilities(labels: ArrayLike<number>, probs: ArrayLike<number>, name: string): void {
  if (labels.length !== probs.length) throw new RangeError(`${name}: ${labels.length} labels but ${probs.length} probabilities`);
  if (labels.length === 0) throw new RangeError(`${name}: needs at least one row`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    const p = probs[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`${name}: label ${i} is ${y}, not 0 or 1`);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${name}: probability ${i} is ${p}, not in [0, 1]`);
  }
}

/** numpy's `linspace(0, 1, n + 1)[1:-1]`: edge i is i * (1/n), so with n = 10 the edge "0.3" is 0.30000000000000004. */
function interiorEdges(nBins: number): Float64Array {
  const step = 1 / nBins;
  const edges = new Float64Array(nBins - 1);
  for (let i = 1; i < nBins; i++) edges[i - 1] = i * step;
  return edges;
}

/** `searchsorted(edges, p, side="right")`: how many interior edges are ≤ p. */
function binIndex(edges: Float64Array, nBins: number, p: number): number {
  let b = Math.min(nBins - 1, Math.floor(p * nBins)); // a guess within one of the answer
  while (b < nBins - 1 && edges[b]! <= p) b++;
  while (b > 0 && edges[b - 1]! > p) b--;
  return b;
}

export function reliability(labels: ArrayLike<number>, probs: ArrayLike<number>, nBins = 10): Reliability {
  if (!Number.isInteger(nBins) || nBins < 1) throw new RangeError(`reliability: nBins is ${nBins}, not a positive integer`);
  checkLabelledProbabilities(labels, probs, "reliability");
  const n = labels.length;
  const edges = interiorEdges(nBins);
  const counts = new Float64Array(nBins);
  const hits = new Float64Array(nBins);
  const sums = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    const b = binIndex(edges, nBins, p);
    counts[b]! += 1;
    hits[b]! += labels[i]!;
    sums[b]! += p;
  }
  let totalHits = 0;
  let totalExpected = 0;
  let ece = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const count = counts[b]!;
    const hitRate = count > 0 ? hits[b]! / count : null;
    const meanPrediction = count > 0 ? sums[b]! / count : null;
    if (hitRate !== null && meanPrediction !== null) ece += (count / n) * Math.abs(hitRate - meanPrediction);
    totalHits += hits[b]!;
    totalExpected += sums[b]!;
    bins.push({
      index: b,
      lower: b / nBins,
      upper: (b + 1) / nBins,
      count,
      hits: hits[b]!,
      expected_hits: sums[b]!,
      mean_prediction: meanPrediction,
      hit_rate: hitRate,
      actual_expected: count > 0 && sums[b]! > 0 ? hits[b]! / sums[b]! : null,
    });
  }
  return {
    n,
    hits: totalHits,
    expected_hits: totalExpected,
    actual_expected: totalExpected > 0 ? totalHits / totalExpected : null,
    ece,
    bins,
  };
}
