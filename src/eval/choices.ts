/** The choices of the evaluation flags, apart from the code that acts on them (the CLI shell loads this eagerly). */
export const CALIBRATION_CHOICES = ["auto", "platt", "isotonic", "none"] as const;
export type CalibrationChoice = (typeof CALIBRATION_CHOICES)[number];
export const SEARCH_KINDS = ["grid", "random", "fixed"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
