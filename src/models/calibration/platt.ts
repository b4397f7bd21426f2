import { checkLabelledProbabilities } from "../../metrics/reliability.js";
import { clippedLogit, sigmoid, type CalibrationMap } from "./calibration-map.js";

/** −[T log P + (1−T) log(1−P)] with P = σ(−z) equals softplus(z) − (1−T)·z; softplus kept finite for large |z|. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function objective(f: Float64Array, t: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < f.length; i++) {
    const z = a * f[i]! + b;
    sum += softplus(z) - (1 - t[i]!) * z;
  }
  return sum;
}

const MAX_ITERATIONS = 100;
/** Relative step below which the fit has converged (Newton converges quadratically, so the next step would be ~1e-20). */
const STEP_TOLERANCE = 1e-10;
/** Below this relative step the decrease in the loss is lost in rounding of its sum, so the Newton step is taken whole. */
const WHOLE_STEP = 1e-6;

/**
 * scikit-learn's `_sigmoid_calibration` on the score f = logit(p): targets with Platt's prior correction,
 * T+ = (N+ + 1)/(N+ + 2) and T− = 1/(N− + 2), and the cross-entropy minimised by Newton with a backtracking
 * line search from scikit-learn's start (a = 0, b = log((N− + 1)/(N+ + 1))). Needs both classes.
 */
export function fitPlatt(probs: ArrayLike<number>, labels: ArrayLike<number>): CalibrationMap {
  checkLabelledProbabilities(labels, probs, "fitPlatt");
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new RangeError(`fitPlatt: needs both classes, got ${positives} positives and ${negatives} negatives`);

  const f = new Float64Array(n);
  const t = new Float64Array(n);
  const hitTarget = (positives + 1) / (positives + 2);
  const missTarget = 1 / (negatives + 2);
  for (let i = 0; i < n; i++) {
    f[i] = clippedLogit(probs[i]!);
    t[i] = labels[i] === 1 ? hitTarget : missTarget;
  }

  // Newton is affine-invariant, so fitting z = a·(f − m) + c instead of a·f + b (b = c − a·m) takes the same steps,
  // but keeps the Hessian's determinant free of cancellation.
  let m = 0;
  let distinct = false;
  for (let i = 0; i < n; i++) {
    m += f[i]!;
    if (f[i] !== f[0]) distinct = true;
  }
  m /= n;
  for (let i = 0; i < n; i++) f[i] = f[i]! - m;
  if (!distinct) {
    // One distinct score: P can only be one number, the mean target, and the slope is not identified; a = 0.
    const hitMass = positives * hitTarget + negatives * missTarget; // Σ T
    const missMass = positives * (1 - hitTarget) + negatives * (1 - missTarget); // Σ (1 − T)
    return { method: "platt", a: 0, b: Math.log(missMass / hitMass), fitted_on: n };
  }

  let a = 0;
  let c = Math.log((negatives + 1) / (positives + 1));
  let loss = objective(f, t, a, c);
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    // dLoss/dz = T − P and d²Loss/dz² = P(1 − P).
    let ga = 0, gc = 0, haa = 0, hac = 0, hcc = 0;
    for (let i = 0; i < n; i++) {
      const z = a * f[i]! + c;
      const p = sigmoid(-z);
      const w = p * sigmoid(z);
      const d = t[i]! - p;
      ga += d * f[i]!;
      gc += d;
      haa += w * f[i]! * f[i]!;
      hac += w * f[i]!;
      hcc += w;
    }
    const det = haa * hcc - hac * hac;
    const da = -(hcc * ga - hac * gc) / det;
    const dc = -(haa * gc - hac * ga) / det;
    const step = Math.max(Math.abs(da) / (1 + Math.abs(a)), Math.abs(dc) / (1 + Math.abs(c)));
    if (step < WHOLE_STEP) {
      a += da;
      c += dc;
      if (step < STEP_TOLERANCE) return { method: "platt", a, b: c - a * m, fitted_on: n };
      loss = objective(f, t, a, c);
      continue;
    }
    const slope = ga * da + gc * dc;
    let scale = 1;
    for (;;) {
      const trial = objective(f, t, a + scale * da, c + scale * dc);
      if (trial <= loss + 1e-4 * scale * slope) {
        a += scale * da;
        c += scale * dc;
        loss = trial;
        break;
      }
      scale /= 2;
      if (scale < 1e-12) throw new Error(`fitPlatt: line search failed at iteration ${iteration} (a=${a}, b=${c - a * m})`);
    }
  }
  throw new Error(`fitPlatt: no convergence in ${MAX_ITERATIONS} Newton iterations`);
}
