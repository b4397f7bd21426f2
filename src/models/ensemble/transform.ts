/** How the ensemble turns raw upstream values into regression inputs; saved with the model (SPEC 5). */
export type EnsembleTransform = { kind: "logit" } | { kind: "standardize"; mean: number[]; std: number[] };

/**
 * The transform the training rows call for: logit when every value of every column lies strictly
 * inside (0, 1), otherwise every column standardised with its mean and population standard deviation.
 * A constant column keeps its value as the mean and gets deviation 1 (exactly: a computed mean of equal
 * values can be off by a rounding error, which would turn the column into amplified noise).
 * `x` is row-major `rows × columns`. `kind` forces the kind (evaluation folds use the kind the whole
 * sample calls for, so a fold's validation rows always fit its transform's domain).
 */
export function chooseTransform(x: Float64Array, rows: number, columns: number, kind?: EnsembleTransform["kind"]): EnsembleTransform {
  let inside = kind !== "standardize";
  for (let i = 0; i < rows * columns && inside; i++) {
    const v = x[i]!;
    inside = v > 0 && v < 1;
  }
  if (inside || kind === "logit") return { kind: "logit" };
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < columns; j++) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let o = j; o < rows * columns; o += columns) {
      const v = x[o]!;
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (min === max) {
      mean.push(min);
      std.push(1);
      continue;
    }
    const m = sum / rows;
    let squares = 0;
    for (let o = j; o < rows * columns; o += columns) squares += (x[o]! - m) ** 2;
    mean.push(m);
    std.push(Math.sqrt(squares / rows));
  }
  return { kind: "standardize", mean, std };
}

/** log(p / (1 − p)), computed as log p − log1p(−p) for accuracy near 0 and 1. */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

/** The transformed value of column `j`; NaN or ±Infinity for a value outside the logit's domain. */
export function transformValue(transform: EnsembleTransform, j: number, value: number): number {
  if (transform.kind === "logit") return logit(value);
  return (value - transform.mean[j]!) / transform.std[j]!;
}

/** A new row-major matrix with the transform applied to every value. */
export function applyTransform(transform: EnsembleTransform, x: Float64Array, columns: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = transformValue(transform, i % columns, x[i]!);
  return out;
}
