/** Calibration maps from raw to calibrated probabilities: the type and schema, fitting, and applying them. */
export { applyCalibration, calibrationMapSchema, type CalibrationMap } from "./calibration-map.js";
export { fitIsotonic, poolAdjacentViolators } from "./isotonic.js";
export { fitPlatt } from "./platt.js";
