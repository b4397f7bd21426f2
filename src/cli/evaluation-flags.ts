import { Option, type Command } from "commander";
import { CALIBRATION_CHOICES } from "../eval/choices.js";
import type { EvaluationRequest } from "../eval/evaluation-options.js";
import { positiveNumber, wholeNumber } from "./numbers.js";

export interface EvaluationFlags {
  folds?: string;
  embargoDays?: string;
  calibration?: string;
  search?: string;
  trials?: string;
  C?: string;
  config?: string;
  gates?: boolean;
}

/** The options `train` and `evaluate` share: folds, embargo, calibration, the search for C, the config file. */
export function evaluationOptions(command: Command): Command {
  return command
    .option("--folds <n>", "expanding-window date folds of the evaluation (default 5, at least 2)")
    .option("--embargo-days <n>", "whole days left out between training and validation dates (default 1)")
    .addOption(new Option("--calibration <method>", "calibration map saved with the ensemble (default auto)").choices([...CALIBRATION_CHOICES]))
    .addOption(new Option("--search <kind>", "how C is chosen by out-of-fold log loss (default grid)").choices(["grid", "random"]))
    .option("--trials <n>", "values of C drawn by --search random (default 20)")
    .option("--C <number>", "fix the ensemble's inverse L2 strength (scikit-learn's C) instead of searching for it")
    .option("--config <file>", "engine1.config.json with gates and evaluation defaults; env ENGINE1_CONFIG; default <home>/engine1.config.json");
}

export function evaluationRequest(flags: EvaluationFlags): EvaluationRequest {
  return {
    ...(flags.folds !== undefined ? { folds: wholeNumber("--folds", flags.folds, 2) } : {}),
    ...(flags.embargoDays !== undefined ? { embargoDays: wholeNumber("--embargo-days", flags.embargoDays, 0) } : {}),
    ...(flags.calibration !== undefined ? { calibration: flags.calibration } : {}),
    ...(flags.search !== undefined ? { search: flags.search } : {}),
    ...(flags.trials !== undefined ? { trials: wholeNumber("--trials", flags.trials, 1) } : {}),
    ...(flags.C !== undefined ? { C: positiveNumber("--C", flags.C) } : {}),
  };
}
