import { describe, expect, it } from "vitest";
import { accuracy, brierScore, logLoss, mean, rocAuc } from "../src/metrics/binary.js";

/** AUC from its definition: over every (positive, negative) pair, 1 when ranked right, ½ when tied. */
function pairwiseAuc(labels: number[], probs: number[]): number {
  let credit = 0;
  let pairs = 0;
  labels.forEach((yi, i) => labels.forEach((yj, j) => {
    if (yi !== 1 || yj !== 0) return;
    pairs += 1;
    credit += probs[i]! > probs[j]! ? 1 : probs[i] === probs[j] ? 0.5 : 0;
  }));
  return credit / pairs;
}

describe("binary metrics (scikit-learn's definitions)", () => {
  it("log loss: mean negative log-likelihood, clipped to [eps, 1 - eps]", () => {
    expect(logLoss([1, 0], [0.8, 0.3])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 15);
    expect(logLoss([1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])).toBeCloseTo(Math.LN2, 15);
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 12);
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-15), 1);
    expect(logLoss([1], [0], 1e-7)).toBeCloseTo(-Math.log(1e-7), 12);
    expect(logLoss([1], [1])).toBeLessThan(1e-14);
  });

  it("Brier score: mean squared error of the probability", () => {
    expect(brierScore([1, 0, 1], [0.9, 0.2, 0.4])).toBeCloseTo((0.01 + 0.04 + 0.36) / 3, 15);
    expect(brierScore([1, 0], [1, 0])).toBe(0);
    expect(brierScore([1, 0], [0, 1])).toBe(1);
  });

  it("ROC AUC: hand-computed cases, ties getting half credit", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBe(0.875); // one tied pair: 3.5 of 4
    expect(rocAuc([0, 1, 1, 0], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
    expect(rocAuc([1, 1, 0, 0], [0.9, 0.8, 0.2, 0.1])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBe(0);
    expect(rocAuc(Float64Array.from([0, 1]), Float64Array.from([0.2, 0.6]))).toBe(1);
  });

  it("ROC AUC equals the pairwise definition on data full of ties", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const n = 5 + seed;
      const labels = Array.from({ length: n }, (_, i) => ((i * 7 + seed) % 3 === 0 ? 1 : 0));
      labels[0] = 1;
      labels[1] = 0;
      const probs = Array.from({ length: n }, (_, i) => ((i * 13 + seed * 5) % 7) / 10);
      expect(rocAuc(labels, probs)).toBeCloseTo(pairwiseAuc(labels, probs), 14);
    }
  });

  it("ROC AUC is null with only one class", () => {
    expect(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toBeNull();
    expect(rocAuc([0], [0.2])).toBeNull();
  });

  it("accuracy: class 1 only when p > 0.5 strictly, as LogisticRegression.predict", () => {
    expect(accuracy([0], [0.5])).toBe(1); // 0.5 predicts class 0
    expect(accuracy([1], [0.5])).toBe(0);
    expect(accuracy([1], [0.5000000000000001])).toBe(1); // the next double above 0.5
    // predictions 0, 1, 1, 0 against 0, 1, 0, 1: two of four right
    expect(accuracy([0, 1, 0, 1], [0.1, 0.9, 0.51, 0.49])).toBe(0.5);
    expect(accuracy(Float64Array.from([1, 0, 1]), Float64Array.from([0.7, 0.3, 1]))).toBe(1);
    expect(() => accuracy([1, 0], [0.5])).toThrow(/accuracy: 2 labels but 1 probabilities/);
    expect(() => accuracy([], [])).toThrow(/accuracy: needs at least one row/);
  });

  it("mean, and refusals of input that has no answer", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(() => mean([])).toThrow(RangeError);
    expect(() => logLoss([], [])).toThrow(/at least one row/);
    expect(() => brierScore([1, 0], [0.5])).toThrow(/2 labels but 1 probabilities/);
    expect(() => rocAuc([1, 2], [0.5, 0.5])).toThrow(/label 1 is 2/);
    expect(() => logLoss([1, 0], [0.5, Number.NaN])).toThrow(/probability 1 is NaN/);
  });
});
