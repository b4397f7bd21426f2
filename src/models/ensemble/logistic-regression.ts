import { solveLinear } from "./linear-solve.js";

/** Training rows: `x` row-major `rows × columns`, `y` 0 or 1 per row. */
export interface LogisticData {
  x: Float64Array;
  y: Uint8Array;
  rows: number;
  columns: number;
}

export interface LogisticOptions {
  C: number;
  maxIterations: number;
  /** Converged when the Newton step is at most this (relative to the parameters' size, at least 1). */
  tolerance: number;
}

export interface LogisticFit {
  coefficients: number[];
  intercept: number;
  /** Newton steps taken. */
  iterations: number;
  /** The objective: C · Σ log(1 + exp(−y·z)) + ½‖w‖². */
  loss: number;
  /** Mean training log loss (the data term alone, per row). */
  logLoss: number;
  converged: boolean;
  /** Why it stopped without converging ("did not converge within …", "stopped: …"), or null. */
  stopReason: string | null;
}

const ARMIJO = 1e-4;
const MAX_HALVINGS = 60;
/**
 * Near the optimum the decrease a Newton step promises (half the decrement g·Δ) falls below the
 * rounding noise of a sum over 100,000 rows, so Armijo's test cannot confirm it; Newton is then deep in
 * its quadratic region and the full step is taken when the decrement is below this, relative to the loss.
 */
const ROUNDING_DECREMENT = 1e-10;

/** Where `evaluate` writes the gradient and Hessian. */
interface Scratch {
  gradient: Float64Array;
  hessian: Float64Array;
}

/**
 * One pass over the rows at `theta` (coefficients then intercept): returns the objective and the
 * data term Σ log(1 + exp(−y·z)); when `scratch` is given, also fills the gradient and the Hessian
 * (row-major, (d+1)×(d+1)). Every exp is of a non-positive number, so nothing overflows.
 */
function evaluate(data: LogisticData, C: number, theta: Float64Array, scratch: Scratch | null): { objective: number; dataLoss: number } {
  const { x, y, rows, columns: d } = data;
  const p = d + 1;
  const b = theta[d]!;
  const g = scratch?.gradient;
  const h = scratch?.hessian;
  g?.fill(0);
  h?.fill(0);
  // Neumaier-compensated sum, so the line search can see small decreases on 100,000 rows.
  let sum = 0;
  let compensation = 0;
  for (let i = 0, o = 0; i < rows; i++, o += d) {
    let z = b;
    for (let j = 0; j < d; j++) z += theta[j]! * x[o + j]!;
    const u = y[i] === 1 ? z : -z;
    const e = Math.exp(-Math.abs(u));
    const term = u > 0 ? Math.log1p(e) : Math.log1p(e) - u;
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    if (g === undefined || h === undefined) continue;
    const sigmaMinusU = u >= 0 ? e / (1 + e) : 1 / (1 + e);
    const r = y[i] === 1 ? -sigmaMinusU : sigmaMinusU; // p − t
    const weight = e / ((1 + e) * (1 + e));
    for (let j = 0; j < d; j++) {
      const xj = x[o + j]!;
      g[j] = g[j]! + r * xj;
      const wx = weight * xj;
      const row = j * p;
      for (let k = j; k < d; k++) h[row + k] = h[row + k]! + wx * x[o + k]!;
      h[row + d] = h[row + d]! + wx;
    }
    g[d] = g[d]! + r;
    h[d * p + d] = h[d * p + d]! + weight;
  }
  let penalty = 0;
  for (let j = 0; j < d; j++) penalty += theta[j]! * theta[j]!;
  const dataLoss = sum + compensation;
  const objective = C * dataLoss + 0.5 * penalty;
  if (g !== undefined && h !== undefined) {
    for (let j = 0; j < p; j++) {
      g[j] = C * g[j]! + (j < d ? theta[j]! : 0);
      for (let k = j; k < p; k++) {
        const v = C * h[j * p + k]! + (j === k && j < d ? 1 : 0);
        h[j * p + k] = v;
        h[k * p + j] = v;
      }
    }
  }
  return { objective, dataLoss };
}

function maxAbs(values: Float64Array): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

function thetaOf(coefficients: readonly number[], intercept: number): Float64Array {
  return Float64Array.from([...coefficients, intercept]);
}

/** The objective at given parameters. */
export function logisticObjective(data: LogisticData, C: number, coefficients: readonly number[], intercept: number): number {
  return evaluate(data, C, thetaOf(coefficients, intercept), null).objective;
}

/** The objective's gradient (coefficients, then intercept) at given parameters: zero at the optimum. */
export function logisticGradient(data: LogisticData, C: number, coefficients: readonly number[], intercept: number): Float64Array {
  const p = data.columns + 1;
  const scratch = { gradient: new Float64Array(p), hessian: new Float64Array(p * p) };
  evaluate(data, C, thetaOf(coefficients, intercept), scratch);
  return scratch.gradient;
}

/**
 * L2-regularised logistic regression as scikit-learn's `LogisticRegression(C, penalty="l2")` defines
 * it: minimise C · Σ log(1 + exp(−y_i (w·x_i + b))) + ½‖w‖², y in ±1, intercept not penalised. The
 * objective is strictly convex in w and, with both classes present, bounded in b, so Newton's method
 * with a backtracking (Armijo) line search converges to the unique optimum from zero. It stops when
 * the Newton step — the quadratic model's distance to the optimum — is below the tolerance.
 */
export function fitLogistic(data: LogisticData, options: LogisticOptions): LogisticFit {
  const { C, maxIterations, tolerance } = options;
  const d = data.columns;
  const p = d + 1;
  let theta = new Float64Array(p);
  let candidate = new Float64Array(p);
  const scratch: Scratch = { gradient: new Float64Array(p), hessian: new Float64Array(p * p) };
  let current = evaluate(data, C, theta, scratch);
  let iterations = 0;
  let converged = false;
  let stopReason: string | null = null;
  for (;;) {
    const step = solveLinear(scratch.hessian.slice(), scratch.gradient.slice(), p);
    if (step === null || !step.every(Number.isFinite)) {
      stopReason = `stopped: the Hessian became singular after ${iterations} iterations`;
      break;
    }
    if (maxAbs(step) <= tolerance * Math.max(1, maxAbs(theta))) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) {
      stopReason = `did not converge within ${maxIterations} iterations (last Newton step ${maxAbs(step).toExponential(2)})`;
      break;
    }
    let decrement = 0;
    for (let j = 0; j < p; j++) decrement += scratch.gradient[j]! * step[j]!;
    const belowRounding = decrement <= ROUNDING_DECREMENT * (1 + Math.abs(current.objective));
    let accepted = false;
    for (let halvings = 0; halvings <= MAX_HALVINGS && !accepted; halvings++) {
      const alpha = 2 ** -halvings;
      for (let j = 0; j < p; j++) candidate[j] = theta[j]! - alpha * step[j]!;
      const next = evaluate(data, C, candidate, null).objective;
      accepted = next <= current.objective - ARMIJO * alpha * decrement || (halvings === 0 && belowRounding && Number.isFinite(next));
    }
    if (!accepted) {
      stopReason = `stopped: the line search found no decrease after ${iterations} iterations`;
      break;
    }
    [theta, candidate] = [candidate, theta];
    iterations += 1;
    current = evaluate(data, C, theta, scratch);
  }
  return {
    coefficients: Array.from(theta.subarray(0, d)),
    intercept: theta[d]!,
    iterations,
    loss: current.objective,
    logLoss: current.dataLoss / data.rows,
    converged,
    stopReason,
  };
}
