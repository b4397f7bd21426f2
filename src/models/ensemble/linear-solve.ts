/**
 * Solves a·x = b for a small dense p×p system (row-major `a`) by Gaussian elimination with partial
 * pivoting. `a` and `b` are overwritten; the solution is returned, or null when `a` is singular.
 */
export function solveLinear(a: Float64Array, b: Float64Array, p: number): Float64Array | null {
  for (let col = 0; col < p; col++) {
    let pivot = col;
    let best = Math.abs(a[col * p + col]!);
    for (let row = col + 1; row < p; row++) {
      const v = Math.abs(a[row * p + col]!);
      if (v > best) {
        best = v;
        pivot = row;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) return null;
    if (pivot !== col) {
      for (let k = 0; k < p; k++) {
        const t = a[col * p + k]!;
        a[col * p + k] = a[pivot * p + k]!;
        a[pivot * p + k] = t;
      }
      const t = b[col]!;
      b[col] = b[pivot]!;
      b[pivot] = t;
    }
    const diag = a[col * p + col]!;
    for (let row = col + 1; row < p; row++) {
      const factor = a[row * p + col]! / diag;
      if (factor === 0) continue;
      for (let k = col; k < p; k++) a[row * p + k] = a[row * p + k]! - factor * a[col * p + k]!;
      b[row] = b[row]! - factor * b[col]!;
    }
  }
  const x = new Float64Array(p);
  for (let row = p - 1; row >= 0; row--) {
    let sum = b[row]!;
    for (let k = row + 1; k < p; k++) sum -= a[row * p + k]! * x[k]!;
    x[row] = sum / a[row * p + row]!;
  }
  return x;
}
