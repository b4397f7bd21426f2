/** What the ensemble reads and predicts (SPEC 5): shared by training, the artifact and the signature. */
export const ENSEMBLE_FEATURES = ["ensemble", "lstm", "matchup", "monte_carlo"] as const;

export const ENSEMBLE_DROP_REASONS = ["drop_no_model_preds", "drop_insufficient_values", "drop_bad_values", "drop_push_excluded"] as const;
export type EnsembleDropReason = (typeof ENSEMBLE_DROP_REASONS)[number];

export const ENSEMBLE_LABEL = {
  label_type: "binary_hit",
  label_definition: "hit = 1.0 if result == WIN, hit = 0.0 if result == LOSS, PUSH excluded",
} as const;
