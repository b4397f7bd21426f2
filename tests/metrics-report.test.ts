import { describe, expect, it } from "vitest";
import { reliability, type ReliabilityBin } from "../src/metrics/reliability.js";
import { metricReport } from "../src/metrics/report.js";

const close = (value: number) => expect.closeTo(value, 14) as number;

function emptyBin(index: number, nBins = 10): ReliabilityBin {
  const bin = { index, lower: index / nBins, upper: (index + 1) / nBins, count: 0, hits: 0, expected_hits: 0 };
  return { ...bin, mean_prediction: null, hit_rate: null, actual_expected: null };
}

function filledBin(index: number, count: number, hits: number, sumP: number): ReliabilityBin {
  return {
    index,
    lower: index / 10,
    upper: (index + 1) / 10,
    count,
    hits,
    expected_hits: close(sumP),
    mean_prediction: close(sumP / count),
    hit_rate: hits / count,
    actual_expected: close(hits / sumP),
  };
}

/** Which of ten bins each probability lands in. */
function binsOf(probs: number[], nBins = 10): number[] {
  return probs.map((p) => reliability([0], [p], nBins).bins.findIndex((bin) => bin.count === 1));
}

describe("reliability bins (scikit-learn's calibration_curve, uniform)", () => {
  it("places probabilities on numpy's edges: i * 0.1, so 0.3 and 0.6 fall below their edges", () => {
    // interior edges: 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9
    expect(binsOf([0, 0.1, 0.3, 0.30000000000000004, 0.5, 0.6, 0.7, 0.95, 1.0])).toEqual([0, 1, 2, 3, 5, 5, 6, 9, 9]);
    // three bins: edges 0.3333333333333333 and 0.6666666666666666, which 1/3 and 2/3 equal exactly
    expect(binsOf([1 / 3, 0.33333333333333326, 2 / 3, 1], 3)).toEqual([1, 0, 2, 2]);
    expect(binsOf([0, 0.5, 1], 1)).toEqual([0, 0, 0]);
  });

  it("counts, hits, Σp, rates and actual/expected per bin, empty bins included, and ECE", () => {
    const labels = [0, 0, 1, 1, 0, 1, 1];
    const probs = [0.05, 0.15, 0.3, 0.5, 0.55, 0.95, 1.0];
    // bin 0: 0.05 (miss)   |0 − 0.05| = 0.05
    // bin 1: 0.15 (miss)   |0 − 0.15| = 0.15
    // bin 2: 0.3 (hit)     |1 − 0.3| = 0.7
    // bin 5: 0.5 (hit), 0.55 (miss): mean 0.525, rate 0.5, |·| = 0.025
    // bin 9: 0.95, 1.0 (hits): mean 0.975, rate 1, |·| = 0.025
    // ECE = (0.05 + 0.15 + 0.7 + 2·0.025 + 2·0.025) / 7 = 1 / 7; hits 4, Σp 3.5, actual/expected 8/7
    expect(reliability(labels, probs)).toEqual({
      n: 7,
      hits: 4,
      expected_hits: close(3.5),
      actual_expected: close(8 / 7),
      ece: close(1 / 7),
      bins: [
        filledBin(0, 1, 0, 0.05),
        filledBin(1, 1, 0, 0.15),
        filledBin(2, 1, 1, 0.3),
        emptyBin(3),
        emptyBin(4),
        filledBin(5, 2, 1, 1.05),
        emptyBin(6),
        emptyBin(7),
        emptyBin(8),
        filledBin(9, 2, 2, 1.95),
      ],
    });
  });

  it("actual/expected is null where Σp is 0, and a perfectly calibrated bin adds nothing to ECE", () => {
    // bin 0 holds p = 0, 0 (misses): rate 0 = mean 0. bin 5 holds 0.5, 0.5 with one hit: rate 0.5 = mean 0.5.
    const curve = reliability([0, 0, 1, 0], [0, 0, 0.5, 0.5]);
    expect(curve.ece).toBe(0);
    expect(curve.actual_expected).toBe(1); // 1 hit ÷ Σp 1
    expect(curve.bins[0]).toEqual({ ...emptyBin(0), count: 2, mean_prediction: 0, hit_rate: 0, actual_expected: null });
    expect(curve.bins[5]).toEqual({ ...emptyBin(5), count: 2, hits: 1, expected_hits: 1, mean_prediction: 0.5, hit_rate: 0.5, actual_expected: 1 });
    expect(reliability([0], [0]).actual_expected).toBeNull();
  });

  it("bins partition the rows: counts, hits and Σp add up to the totals", () => {
    const n = 1000;
    const probs = Array.from({ length: n }, (_, i) => ((i * 7919) % 1001) / 1000);
    const labels = probs.map((p, i) => ((i * 31) % 100 < p * 100 ? 1 : 0));
    const curve = reliability(labels, probs, 7);
    expect(curve.bins).toHaveLength(7);
    expect(curve.bins.reduce((s, b) => s + b.count, 0)).toBe(n);
    expect(curve.bins.reduce((s, b) => s + b.hits, 0)).toBe(curve.hits);
    expect(curve.bins.reduce((s, b) => s + b.expected_hits, 0)).toBeCloseTo(curve.expected_hits, 9);
    expect(curve.hits).toBe(labels.reduce((s, y) => s + y, 0));
  });

  it("refuses what has no answer, naming the row", () => {
    expect(() => reliability([1, 0], [0.5])).toThrow(new RangeError("reliability: 2 labels but 1 probabilities"));
    expect(() => reliability([], [])).toThrow(new RangeError("reliability: needs at least one row"));
    expect(() => reliability([1, 0], [0.5, 1.2])).toThrow(new RangeError("reliability: probability 1 is 1.2, not in [0, 1]"));
    expect(() => reliability([1], [-0.01])).toThrow(/probability 0 is -0.01/);
    expect(() => reliability([1], [Number.NaN])).toThrow(/probability 0 is NaN/);
    expect(() => reliability([2], [0.5])).toThrow(/label 0 is 2, not 0 or 1/);
    expect(() => reliability([1], [0.5], 0)).toThrow(/nBins is 0/);
  });
});

describe("metricReport", () => {
  it("every metric with its counts, on the hand-computed example", () => {
    const labels = [0, 0, 1, 1, 0, 1, 1];
    const probs = [0.05, 0.15, 0.3, 0.5, 0.55, 0.95, 1.0];
    // predictions (p > 0.5): 0 0 0 0 1 1 1 against 0 0 1 1 0 1 1: rows 0, 1, 5, 6 right → 4/7 (p = 0.5 predicts 0)
    // Brier: (0.0025 + 0.0225 + 0.49 + 0.25 + 0.3025 + 0.0025 + 0) / 7 = 1.07 / 7
    // AUC: positives 0.3, 0.5, 0.95, 1.0 against negatives 0.05, 0.15, 0.55: 2 + 2 + 3 + 3 = 10 of 12 pairs
    // log loss: p = 1.0 is clipped to 1 − 1e-15
    const logLoss = -(Math.log(0.95) + Math.log(0.85) + Math.log(0.3) + Math.log(0.5) + Math.log(0.45) + Math.log(0.95) + Math.log(1 - 1e-15)) / 7;
    const report = metricReport(labels, probs);
    expect(report).toEqual({
      n: 7,
      positives: 4,
      accuracy: 4 / 7,
      log_loss: close(logLoss),
      brier: close(1.07 / 7),
      auc: close(10 / 12),
      ece: close(1 / 7),
      actual_expected: close(8 / 7),
      bins: reliability(labels, probs).bins,
    });
    expect(report.bins).toHaveLength(10);
  });

  it("accuracy at p = 0.5 exactly is class 0", () => {
    expect(metricReport([0, 1], [0.5, 0.5]).accuracy).toBe(0.5);
    expect(metricReport([1, 1, 0], [0.5, 0.5, 0.5]).accuracy).toBe(1 / 3);
  });

  it("one class: AUC is null, everything else still reported", () => {
    // Σp = 0.6 + 0.8 = 1.4; hits 2; both predicted class 1; ECE: bin 6 |1 − 0.6| / 2 + bin 8 |1 − 0.8| / 2 = 0.3
    expect(metricReport([1, 1], [0.6, 0.8])).toMatchObject({
      n: 2,
      positives: 2,
      accuracy: 1,
      auc: null,
      ece: close(0.3),
      actual_expected: close(2 / 1.4),
    });
  });

  it("refuses mismatched lengths, no rows and out-of-range probabilities", () => {
    expect(() => metricReport([1, 0, 1], [0.5, 0.5])).toThrow(new RangeError("reliability: 3 labels but 2 probabilities"));
    expect(() => metricReport([], [])).toThrow(RangeError);
    expect(() => metricReport([0, 1], [0.2, 1.5])).toThrow(/probability 1 is 1.5, not in \[0, 1\]/);
    expect(() => metricReport([0, 1], [0.2, Number.POSITIVE_INFINITY])).toThrow(/probability 1 is Infinity/);
  });
});
