import { checkLabelledProbabilities } from "../../metrics/reliability.js";
import type { CalibrationMap } from "./calibration-map.js";

/** scikit-learn's `_make_unique` merges a value into the run it starts when it is less than this above the run's first. */
const TIE_RESOLUTION = 1e-15; // np.finfo(float64).resolution

interface Unique {
  x: Float64Array;
  y: Float64Array;
  weight: Float64Array;
}

/** Sorts by p and merges (near-)equal p values, averaging their labels with weights = counts. */
function mergeTies(probs: ArrayLike<number>, labels: ArrayLike<number>): Unique {
  const n = probs.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => probs[i]! - probs[j]!);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const weight = new Float64Array(n);
  let runs = 0;
  let runStart = probs[order[0]!]!;
  for (let k = 0; k < n; k++) {
    const p = probs[order[k]!]!;
    if (k === 0 || p - runStart >= TIE_RESOLUTION) {
      runStart = p;
      x[runs] = p;
      runs++;
    }
    y[runs - 1]! += labels[order[k]!]!;
    weight[runs - 1]! += 1;
  }
  for (let r = 0; r < runs; r++) y[r] = y[r]! / weight[r]!;
  return { x: x.subarray(0, runs), y: y.subarray(0, runs), weight: weight.subarray(0, runs) };
}

/** Weighted pool-adjacent-violators: the non-decreasing fit minimising Σ w (y − ŷ)². Returns ŷ per input value. */
export function poolAdjacentViolators(y: ArrayLike<number>, weight: ArrayLike<number>): Float64Array {
  const n = y.length;
  // A stack of blocks, each holding its weighted sum, total weight and one-past-last index.
  const sumWy = new Float64Array(n);
  const sumW = new Float64Array(n);
  const end = new Uint32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    sumWy[blocks] = weight[i]! * y[i]!;
    sumW[blocks] = weight[i]!;
    end[blocks] = i + 1;
    blocks++;
    while (blocks > 1 && sumWy[blocks - 2]! / sumW[blocks - 2]! > sumWy[blocks - 1]! / sumW[blocks - 1]!) {
      sumWy[blocks - 2]! += sumWy[blocks - 1]!;
      sumW[blocks - 2]! += sumW[blocks - 1]!;
      end[blocks - 2] = end[blocks - 1]!;
      blocks--;
    }
  }
  const fitted = new Float64Array(n);
  for (let b = 0, start = 0; b < blocks; start = end[b]!, b++) fitted.fill(sumWy[b]! / sumW[b]!, start, end[b]!);
  return fitted;
}

/**
 * scikit-learn's `IsotonicRegression(out_of_bounds="clip", increasing=True)` fitted on (p, label): ties merged
 * as `_make_unique` does, then weighted PAV; interior points of constant runs are dropped, as scikit-learn does,
 * which leaves every interpolated prediction unchanged.
 */
export function fitIsotonic(probs: ArrayLike<number>, labels: ArrayLike<number>): CalibrationMap {
  checkLabelledProbabilities(labels, probs, "fitIsotonic");
  const unique = mergeTies(probs, labels);
  const fitted = poolAdjacentViolators(unique.y, unique.weight);
  const last = fitted.length - 1;
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i <= last; i++) {
    if (i === 0 || i === last || fitted[i] !== fitted[i - 1] || fitted[i] !== fitted[i + 1]) {
      x.push(unique.x[i]!);
      y.push(fitted[i]!);
    }
  }
  return { method: "isotonic", x, y, fitted_on: probs.length };
}
