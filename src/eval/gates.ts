import type { GatesConfig } from "../config/config-schema.js";
import type { EnsembleEvaluation } from "./evaluate-ensemble.js";

export const GATE_NAMES = ["max_ece", "min_log_loss_improvement", "min_samples"] as const;
export type GateName = (typeof GATE_NAMES)[number];

export interface GateResult {
  gate: GateName;
  threshold: number;
  /** The measured value, or null when the evaluation could not measure it (which fails the gate). */
  actual: number | null;
  passed: boolean;
  detail: string;
}

export interface GatesReport {
  /** False when no configuration lists gates: nothing is checked and promotion is not held back. */
  configured: boolean;
  /** True when the user turned the gates off for this run (`--no-gates`); recorded, never silent. */
  skipped: boolean;
  passed: boolean;
  config_path: string | null;
  results: GateResult[];
}

const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));

/** Checks every gate the configuration lists against the evaluation, in a fixed order. */
export function checkGates(gates: GatesConfig | undefined, evaluation: EnsembleEvaluation, configPath: string | null, skip: boolean): GatesReport {
  const results: GateResult[] = [];
  const comparison = evaluation.comparison;
  const unmeasured = `not measured: ${evaluation.skipped_reason ?? "no comparison"}`;
  if (gates?.max_ece !== undefined) {
    const t = gates.max_ece;
    const ece = comparison?.ensemble.ece ?? null;
    results.push({
      gate: "max_ece",
      threshold: t,
      actual: ece,
      passed: ece !== null && ece <= t,
      detail: ece === null ? unmeasured : `ECE ${f(ece)} on ${comparison!.rows} scored picks ${ece <= t ? "≤" : ">"} ${f(t)}`,
    });
  }
  if (gates?.min_log_loss_improvement !== undefined) {
    const t = gates.min_log_loss_improvement;
    const gain = comparison?.log_loss_improvement ?? null;
    results.push({
      gate: "min_log_loss_improvement",
      threshold: t,
      actual: gain,
      passed: gain !== null && gain >= t,
      detail: gain === null ? unmeasured : `log loss ${f(comparison!.ensemble.log_loss)} vs best baseline ${comparison!.best_baseline} ${f(comparison!.ensemble.log_loss + gain)}: improvement ${f(gain)} ${gain >= t ? "≥" : "<"} ${f(t)}`,
    });
  }
  if (gates?.min_samples !== undefined) {
    const t = gates.min_samples;
    results.push({
      gate: "min_samples",
      threshold: t,
      actual: evaluation.rows,
      passed: evaluation.rows >= t,
      detail: `${evaluation.rows} training samples ${evaluation.rows >= t ? "≥" : "<"} ${t}`,
    });
  }
  return {
    configured: results.length > 0,
    skipped: skip,
    passed: skip || results.every((r) => r.passed),
    config_path: configPath,
    results,
  };
}

/** The one-line failure of gates that held a model back, or null when they passed (or were skipped). */
export function gatesFailure(gates: GatesReport): string | null {
  if (gates.passed) return null;
  const failed = gates.results.filter((r) => !r.passed).map((r) => `${r.gate} (${r.detail})`);
  return `promotion gates failed: ${failed.join("; ")}`;
}
