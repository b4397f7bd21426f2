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

/** `engine1.config.json` (published as `schemas/engine1.config.schema.json`). */
export const engine1ConfigSchema = z.strictObject({
  /** Where editors find this schema; any string. */
  $schema: z.string().optional(),
  gates: gatesConfigSchema.optional(),
  evaluation: evaluationConfigSchema.optional(),
});

export type Engine1Config = z.infer<typeof engine1ConfigSchema>;
export type GatesConfig = z.infer<typeof gatesConfigSchema>;
export type EvaluationConfig = z.infer<typeof evaluationConfigSchema>;
