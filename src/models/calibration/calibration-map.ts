import { z } from "zod";

/**
 * A fitted calibration map from a raw probability p to a calibrated one. Platt: p' = 1 / (1 + exp(a·logit(p) + b)).
 * Isotonic: thresholds x (strictly increasing) with fitted values y, interpolated linearly and clipped to the ends.
 */
export type CalibrationMap =
  | { method: "platt"; a: number; b: number; fitted_on: number }
  | { method: "isotonic"; x: number[]; y: number[]; fitted_on: number };

const finite = z.number(); // zod 4 numbers reject NaN and ±Infinity
const unit = finite.min(0).max(1);
const fittedOn = z.number().int().min(1);

export const calibrationMapSchema: z.ZodType<CalibrationMap> = z.discriminatedUnion("method", [
  z.strictObject({ method: z.literal("platt"), a: finite, b: finite, fitted_on: fittedOn }),
  z
    .strictObject({ method: z.literal("isotonic"), x: z.array(unit).min(1), y: z.array(unit).min(1), fitted_on: fittedOn })
    .superRefine((map, ctx) => {
      if (map.x.length !== map.y.length) {
        ctx.addIssue({ code: "custom", path: ["y"], message: `has ${map.y.length} values for ${map.x.length} thresholds` });
      }
      for (let i = 1; i < map.x.length; i++) {
        if (!(map.x[i]! > map.x[i - 1]!)) ctx.addIssue({ code: "custom", path: ["x", i], message: "thresholds must be strictly increasing" });
      }
      for (let i = 1; i < map.y.length; i++) {
        if (!(map.y[i]! >= map.y[i - 1]!)) ctx.addIssue({ code: "custom", path: ["y", i], message: "values must be non-decreasing" });
      }
    }),
]);

/** logit with p clipped to [1e-15, 1 − 1e-15], so that 0 and 1 map to finite scores. */
export function clippedLogit(p: number): number {
  const q = Math.min(1 - 1e-15, Math.max(1e-15, p));
  return Math.log(q) - Math.log1p(-q);
}

/** 1 / (1 + exp(−z)) without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** np.interp between thresholds, clipped to the end values outside [x0, xlast]. */
function interpolate(x: readonly number[], y: readonly number[], p: number): number {
  const last = x.length - 1;
  if (p <= x[0]!) return y[0]!;
  if (p >= x[last]!) return y[last]!;
  let lo = 0; // invariant: x[lo] <= p < x[hi]
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const slope = (y[hi]! - y[lo]!) / (x[hi]! - x[lo]!);
  // The clamp only removes a last-bit overshoot, which could otherwise break monotonicity at a threshold.
  return Math.min(y[hi]!, slope * (p - x[lo]!) + y[lo]!);
}

export function applyCalibration(map: CalibrationMap, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`applyCalibration: probability is ${p}, not in [0, 1]`);
  if (map.method === "platt") return sigmoid(-(map.a * clippedLogit(p) + map.b));
  return interpolate(map.x, map.y, p);
}
