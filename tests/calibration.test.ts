import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyCalibration,
  calibrationMapSchema,
  fitIsotonic,
  fitPlatt,
  poolAdjacentViolators,
  type CalibrationMap,
} from "../src/models/calibration/calibration.js";

/** Written by scripts/reference/calibration_reference.py: scikit-learn's definitions, fitted by numpy and scipy. */
interface Reference {
  datasets: {
    name: string;
    probs: number[];
    labels: number[];
    platt: { a: number; b: number; max_abs_gradient: number };
    isotonic: { unique: number; x: number[]; y: number[] };
    points: number[];
    platt_predictions: number[];
    isotonic_predictions: number[];
  }[];
}

const reference = JSON.parse(readFileSync(new URL("data/calibration-reference.json", import.meta.url), "utf8")) as Reference;

function maxDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst;
}

const grid = Array.from({ length: 1001 }, (_, i) => i / 1000);

describe("pool adjacent violators", () => {
  const ones = (n: number) => new Array<number>(n).fill(1);

  it("pools each violating pair or run into its weighted mean", () => {
    expect(Array.from(poolAdjacentViolators([1, 3, 2, 4], ones(4)))).toEqual([1, 2.5, 2.5, 4]); // (3 + 2) / 2
    expect(Array.from(poolAdjacentViolators([3, 1, 2], ones(3)))).toEqual([2, 2, 2]); // (3 + 1) / 2 = 2, then 2 ≤ 2
    expect(Array.from(poolAdjacentViolators([1, 0], [3, 1]))).toEqual([0.75, 0.75]); // (3·1 + 1·0) / 4
    expect(Array.from(poolAdjacentViolators([0, 1, 0, 0, 1], ones(5)))).toEqual([0, 1 / 3, 1 / 3, 1 / 3, 1]); // (1 + 0 + 0) / 3
  });

  it("leaves a non-decreasing input alone, and pools a decreasing one into one value", () => {
    expect(Array.from(poolAdjacentViolators([0, 0.2, 0.2, 0.7, 1], ones(5)))).toEqual([0, 0.2, 0.2, 0.7, 1]);
    expect(Array.from(poolAdjacentViolators([4, 3, 2, 1], ones(4)))).toEqual([2.5, 2.5, 2.5, 2.5]);
  });
});

describe("isotonic calibration (IsotonicRegression, out_of_bounds='clip')", () => {
  it("merges tied probabilities first, weighting their mean label by count", () => {
    // p 0.1: labels 1, 0 → 1/2 (weight 2); p 0.4: 0, 0, 1 → 1/3 (weight 3); p 0.8: 1
    // 1/2 > 1/3 pools to (1 + 1) / 5 = 0.4; the rows arrive unsorted
    const map = fitIsotonic([0.4, 0.8, 0.1, 0.4, 0.1, 0.4], [0, 1, 1, 1, 0, 0]);
    expect(map).toEqual({ method: "isotonic", x: [0.1, 0.4, 0.8], y: [0.4, 0.4, 1], fitted_on: 6 });
    // interpolation between 0.4 and 0.8: 0.4 + (1 − 0.4) · (0.6 − 0.4) / (0.8 − 0.4) = 0.7; clipped outside [0.1, 0.8]
    expect(applyCalibration(map, 0.6)).toBeCloseTo(0.7, 15);
    expect(applyCalibration(map, 0.25)).toBe(0.4);
    expect(applyCalibration(map, 0.4)).toBe(0.4);
    expect(applyCalibration(map, 0)).toBe(0.4);
    expect(applyCalibration(map, 0.95)).toBe(1);
    expect(applyCalibration(map, 1)).toBe(1);
  });

  it("drops interior points of a constant run, which changes no prediction", () => {
    // labels 1, 0, 0, 1, 1 at 0.1 … 0.5: fitted 1/3, 1/3, 1/3, 1, 1; the 0.2 threshold is dropped
    const map = fitIsotonic([0.1, 0.2, 0.3, 0.4, 0.5], [1, 0, 0, 1, 1]);
    expect(map).toEqual({ method: "isotonic", x: [0.1, 0.3, 0.4, 0.5], y: [1 / 3, 1 / 3, 1, 1], fitted_on: 5 });
    expect(applyCalibration(map, 0.2)).toBe(1 / 3);
    expect(applyCalibration(map, 0.35)).toBeCloseTo(2 / 3, 15); // halfway between 1/3 and 1
  });

  it("a fully decreasing relation pools to one value; one unique p gives a constant map", () => {
    expect(fitIsotonic([0.1, 0.2, 0.3, 0.4], [1, 1, 0, 0])).toEqual({ method: "isotonic", x: [0.1, 0.4], y: [0.5, 0.5], fitted_on: 4 });
    const constant = fitIsotonic([0.3, 0.3, 0.3], [1, 0, 1]);
    expect(constant).toEqual({ method: "isotonic", x: [0.3], y: [2 / 3], fitted_on: 3 });
    expect(grid.filter((_, i) => i % 100 === 0).map((p) => applyCalibration(constant, p))).toEqual(new Array(11).fill(2 / 3));
    expect(fitIsotonic([0.2, 0.9], [1, 1])).toEqual({ method: "isotonic", x: [0.2, 0.9], y: [1, 1], fitted_on: 2 });
  });

  it("values less than 1e-15 above a run's first value join it, as scikit-learn's _make_unique does", () => {
    const ulp = Number.EPSILON / 2; // spacing of doubles just above 0.5
    // 0.5 (0), 0.5 + ulp (1), 0.5 + 2 ulp (1) are one run: 2/3 at x = 0.5; 0.5 + 2e-15 (0) starts its own
    const map = fitIsotonic([0.5, 0.5 + ulp, 0.5 + 2 * ulp, 0.5 + 2e-15], [0, 1, 1, 0]);
    expect(map).toEqual({ method: "isotonic", x: [0.5, 0.5 + 2e-15], y: [0.5, 0.5], fitted_on: 4 });
  });

  it.each(reference.datasets)("$name: thresholds exactly, fitted values and predictions within 1e-12 of the reference", (dataset) => {
    const map = fitIsotonic(dataset.probs, dataset.labels);
    if (map.method !== "isotonic") throw new Error("expected an isotonic map");
    expect(map.x).toEqual(dataset.isotonic.x);
    expect(maxDifference(map.y, dataset.isotonic.y)).toBeLessThan(1e-12);
    expect(map.fitted_on).toBe(dataset.labels.length);
    const predictions = dataset.points.map((p) => applyCalibration(map, p));
    expect(maxDifference(predictions, dataset.isotonic_predictions)).toBeLessThan(1e-12);
  });

  it("property: fitted values are non-decreasing and PAV preserves the mean label", () => {
    const row = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1 }));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const probs = rows.map(([k]) => k / 20);
        const labels = rows.map(([, y]) => y);
        const map = fitIsotonic(probs, labels);
        if (map.method !== "isotonic") return false;
        for (let i = 1; i < map.y.length; i++) expect(map.y[i]!).toBeGreaterThanOrEqual(map.y[i - 1]!);
        // every row's p is a threshold or inside a constant run, so its prediction is its fitted value
        const fittedSum = probs.reduce((s, p) => s + applyCalibration(map, p), 0);
        expect(fittedSum).toBeCloseTo(labels.reduce((s, y) => s + y, 0), 9);
        return true;
      }),
      { seed: 20260311, numRuns: 200 },
    );
  });
});

describe("Platt calibration (scikit-learn's _sigmoid_calibration on logit(p))", () => {
  it("two distinct scores: the fit reproduces each group's mean target exactly", () => {
    // N+ = N− = 3, so T+ = 4/5 and T− = 1/5. At p = 0.2 (f = −ln 4) labels 0, 0, 1: mean T = 2/5;
    // at p = 0.8 (f = ln 4) labels 1, 1, 0: mean T = 3/5. Two parameters fit both: a·f + b = ln((1 − T̄)/T̄),
    // i.e. −a·ln 4 + b = ln 1.5 and a·ln 4 + b = −ln 1.5, so a = −ln 1.5 / ln 4 and b = 0.
    const map = fitPlatt([0.2, 0.2, 0.2, 0.8, 0.8, 0.8], [0, 0, 1, 1, 1, 0]);
    if (map.method !== "platt") throw new Error("expected a Platt map");
    expect(map.a).toBeCloseTo(-Math.log(1.5) / Math.log(4), 12);
    expect(map.b).toBeCloseTo(0, 12);
    expect(map.fitted_on).toBe(6);
    expect(applyCalibration(map, 0.2)).toBeCloseTo(0.4, 12);
    expect(applyCalibration(map, 0.8)).toBeCloseTo(0.6, 12);
    expect(applyCalibration(map, 0.5)).toBeCloseTo(0.5, 12);
  });

  it("one distinct score: P is the mean target and the unidentified slope is 0", () => {
    // N+ = 2, N− = 1: T+ = 3/4, T− = 1/3; mean T = (3/4 + 3/4 + 1/3) / 3 = 11/18, so b = ln(7/11)
    expect(fitPlatt([0.5, 0.5, 0.5], [1, 1, 0])).toEqual({ method: "platt", a: 0, b: expect.closeTo(Math.log(7 / 11), 14), fitted_on: 3 });
    const shifted = fitPlatt([0.7, 0.7, 0.7], [1, 1, 0]);
    expect(shifted).toEqual({ method: "platt", a: 0, b: expect.closeTo(Math.log(7 / 11), 14), fitted_on: 3 });
    expect(applyCalibration(shifted, 0.1)).toBeCloseTo(11 / 18, 14);
  });

  it.each(reference.datasets)("$name: a and b within 1e-8 of the reference optimum, predictions within 1e-9", (dataset) => {
    expect(dataset.platt.max_abs_gradient).toBeLessThan(1e-9);
    const map = fitPlatt(dataset.probs, dataset.labels);
    if (map.method !== "platt") throw new Error("expected a Platt map");
    expect(Math.abs(map.a - dataset.platt.a)).toBeLessThan(1e-8);
    expect(Math.abs(map.b - dataset.platt.b)).toBeLessThan(1e-8);
    expect(map.fitted_on).toBe(dataset.labels.length);
    const predictions = dataset.points.map((p) => applyCalibration(map, p));
    expect(maxDifference(predictions, dataset.platt_predictions)).toBeLessThan(1e-9);
  });

  it("stays finite when scores are extreme: p of exactly 0 and 1 with the large slope they imply", () => {
    // perfectly separated by clipped logits ±34.5: the prior-corrected targets keep the optimum finite
    const map = fitPlatt([0, 0, 1, 1, 0.5], [0, 0, 1, 1, 1]);
    if (map.method !== "platt") throw new Error("expected a Platt map");
    expect(Number.isFinite(map.a) && Number.isFinite(map.b)).toBe(true);
    expect(applyCalibration(map, 0)).toBeGreaterThan(0);
    expect(applyCalibration(map, 1)).toBeLessThan(1);
  });

  it("needs both classes", () => {
    expect(() => fitPlatt([0.2, 0.7], [1, 1])).toThrow(new RangeError("fitPlatt: needs both classes, got 2 positives and 0 negatives"));
    expect(() => fitPlatt([0.2], [0])).toThrow(/got 0 positives and 1 negatives/);
  });
});

describe("calibration maps: schema and application", () => {
  const dataset = reference.datasets.find((d) => d.name === "rounded_2000")!;
  const fitted: CalibrationMap[] = [fitPlatt(dataset.probs, dataset.labels), fitIsotonic(dataset.probs, dataset.labels)];

  it.each(fitted)("a fitted $method map round-trips the schema and is non-decreasing on a grid", (map) => {
    expect(calibrationMapSchema.parse(JSON.parse(JSON.stringify(map)))).toEqual(map);
    const values = grid.map((p) => applyCalibration(map, p));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("rejects malformed maps", () => {
    const isotonic = { method: "isotonic", x: [0.1, 0.5], y: [0.2, 0.6], fitted_on: 10 };
    const platt = { method: "platt", a: -1, b: 0.1, fitted_on: 10 };
    expect(calibrationMapSchema.safeParse(isotonic).success).toBe(true);
    expect(calibrationMapSchema.safeParse(platt).success).toBe(true);
    const rejected = [
      { ...isotonic, x: [0.5, 0.5] }, // x not strictly increasing
      { ...isotonic, x: [0.5, 0.1] },
      { ...isotonic, y: [0.6, 0.2] }, // y decreasing
      { ...isotonic, y: [0.2, 1.2] }, // y outside [0, 1]
      { ...isotonic, y: [-0.1, 0.5] },
      { ...isotonic, y: [0.2] }, // lengths differ
      { ...isotonic, x: [], y: [] },
      { ...isotonic, extra: 1 },
      { ...isotonic, fitted_on: 0 },
      { ...platt, fitted_on: 2.5 },
      { ...platt, a: Number.NaN },
      { ...platt, b: Number.POSITIVE_INFINITY },
      { ...platt, x: [0.5] },
      { method: "beta", a: 1, b: 1, fitted_on: 3 },
    ];
    for (const map of rejected) expect(calibrationMapSchema.safeParse(map).success, JSON.stringify(map)).toBe(false);
  });

  it("refuses a probability outside [0, 1] and bad training input", () => {
    expect(() => applyCalibration(fitted[0]!, 1.01)).toThrow(new RangeError("applyCalibration: probability is 1.01, not in [0, 1]"));
    expect(() => applyCalibration(fitted[1]!, Number.NaN)).toThrow(/probability is NaN/);
    expect(() => fitIsotonic([0.1, 0.2], [1])).toThrow(new RangeError("fitIsotonic: 1 labels but 2 probabilities"));
    expect(() => fitIsotonic([], [])).toThrow(/needs at least one row/);
    expect(() => fitPlatt([0.1, 2], [1, 0])).toThrow(new RangeError("fitPlatt: probability 1 is 2, not in [0, 1]"));
  });
});
