import { z } from "zod";
import { CALIBRATION_CHOICES } from "../eval/choose-calibration.js";

const whole = (min: number) => z.number().int().min(min);

/** Promotion gates: each one listed is checked before `train` moves `current`; one left out is not. */
export const gatesConfigSchema = z.strictObject({
  /** Highest expected calibration error (10 bins) the ensemble may have on the scored folds. */
  max_ece: z.number().min(0).max(1).optional(),
  /** Lowest improvement in log loss over the best baseline (best baseline's minus the ensemble's). */
  min_log_loss_improvement: z.number().min(-1).max(1).optional(),
  /** Fewest training samples the ensemble may have been fitted on. */
  min_samples: whole(0).optional(),
});

/** Evaluation defaults; the matching flags of train and evaluate override them. */
export const evaluationConfigSchema = z.strictObject({
  folds: whole(2).max(50).optional(),
  embargo_days: whole(0).max(365).optional(),
  calibration: z.enum(CALIBRATION_CHOICES).optional(),
  search: z.enum(["grid", "random"]).optional(),
  trials: whole(1).max(1000).optional(),
  c_grid: z.array(z.number().positive()).min(1).max(100).optional(),
  isotonic_min_samples: whole(1).optional(),
});

/** Defaults of `predict` and `backtest`; their flags override them. */
export const predictConfigSchema = z.strictObject({
  /** Lowest edge of tiers A, B and C (default 0.10, 0.05, 0.02); must fall from A to C. */
  tiers: z
    .strictObject({ A: z.number().min(0).max(1), B: z.number().min(0).max(1), C: z.number().min(0).max(1) })
    .refine((t) => t.A > t.B && t.B > t.C, { message: "tier thresholds must fall from A to C" })
    .optional(),
  /** Share of the full Kelly stake (default 0.25). */
  kelly_fraction: z.number().gt(0).max(1).optional(),
  /** Largest stake as a share of the bankroll (default 0.05). */
  kelly_cap: z.number().gt(0).max(1).optional(),
  /** Picks below this edge are left out of the listing (default: none). */
  min_edge: z.number().min(-1).max(1).optional(),
});

/** `engine1.config.json` (published as `schemas/engine1.config.schema.json`). */
export const engine1ConfigSchema = z.strictObject({
  /** Where editors find this schema; any string. */
  $schema: z.string().optional(),
  gates: gatesConfigSchema.optional(),
  evaluation: evaluationConfigSchema.optional(),
  predict: predictConfigSchema.optional(),
});

export type Engine1Config = z.infer<typeof engine1ConfigSchema>;
export type GatesConfig = z.infer<typeof gatesConfigSchema>;
export type EvaluationConfig = z.infer<typeof evaluationConfigSchema>;
export type PredictConfig = z.infer<typeof predictConfigSchema>;
