import { z } from "zod";
import { ModelNotFittedError } from "../../errors.js";
import { parseArtifact, readJsonFile } from "../artifact-io.js";
import { applyCalibration, calibrationMapSchema } from "../calibration/calibration.js";
import { transformValue, type EnsembleTransform } from "./transform.js";

const finite = z.number(); // zod 4 numbers reject NaN and ±Infinity

const transformSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("logit") }),
  z.strictObject({ kind: z.literal("standardize"), mean: z.array(finite), std: z.array(finite.positive()) }),
]);

/** `ensemble.json`: everything any tool needs to score a pick (SPEC 5). */
export const ensembleArtifactSchema = z
  .strictObject({
    model: z.literal("ensemble"),
    artifact_version: z.literal(1),
    feature_names: z.array(z.string().min(1)).min(1),
    transform: transformSchema,
    /** In feature order, on the transformed scale. */
    coefficients: z.array(finite),
    intercept: finite,
    C: finite.positive(),
    /** The calibration map fitted on out-of-fold predictions (Platt or isotonic), applied at inference; null for none. */
    calibration: calibrationMapSchema.nullable(),
    label_type: z.literal("binary_hit"),
    label_definition: z.string(),
  })
  .superRefine((artifact, ctx) => {
    const d = artifact.feature_names.length;
    if (artifact.coefficients.length !== d) {
      ctx.addIssue({ code: "custom", path: ["coefficients"], message: `has ${artifact.coefficients.length} entries for ${d} features` });
    }
    if (artifact.transform.kind === "standardize") {
      for (const key of ["mean", "std"] as const) {
        const length = artifact.transform[key].length;
        if (length !== d) ctx.addIssue({ code: "custom", path: ["transform", key], message: `has ${length} entries for ${d} features` });
      }
    }
  });

export type EnsembleArtifact = z.infer<typeof ensembleArtifactSchema>;

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The inference side of the ensemble: scores picks from a fitted artifact, and nothing else. */
export class EnsembleModel {
  private constructor(private readonly artifact: EnsembleArtifact | null) {}

  /** Validates `json` against the artifact schema; `source` (a path) names it in the error. */
  static fromArtifact(json: unknown, source = "ensemble artifact"): EnsembleModel {
    return new EnsembleModel(parseArtifact(ensembleArtifactSchema, json, source, "ensemble artifact"));
  }

  static unfitted(): EnsembleModel {
    return new EnsembleModel(null);
  }

  get fitted(): boolean {
    return this.artifact !== null;
  }

  /** The feature names as read from the artifact: the inference side of `schema_match`. */
  get featureNames(): string[] {
    return [...this.fittedArtifact().feature_names];
  }

  /** The transform as read from the artifact (for `feature_order_hash` on the inference side). */
  get transform(): EnsembleTransform {
    return structuredClone(this.fittedArtifact().transform);
  }

  get transformKind(): EnsembleTransform["kind"] {
    return this.fittedArtifact().transform.kind;
  }

  /** The calibration map saved with the model, or null. */
  get calibrationMethod(): "platt" | "isotonic" | null {
    return this.fittedArtifact().calibration?.method ?? null;
  }

  /**
   * The calibrated hit probability for one pick's values, in feature order; values past the model's
   * features are ignored. A value the saved transform cannot take (not finite, or outside (0, 1) under
   * the logit) is a RangeError: the model does not guess.
   */
  predict(values: readonly number[]): number {
    const p = this.predictUncalibrated(values);
    const map = this.fittedArtifact().calibration;
    return map === null ? p : applyCalibration(map, p);
  }

  /** The regression's probability before the calibration map. */
  predictUncalibrated(values: readonly number[]): number {
    const { feature_names: names, transform, coefficients, intercept } = this.fittedArtifact();
    if (values.length < names.length) throw new RangeError(`the ensemble needs ${names.length} values, got ${values.length}`);
    let z = intercept;
    for (let j = 0; j < names.length; j++) {
      const t = transformValue(transform, j, values[j]!);
      if (!Number.isFinite(t)) {
        const domain = transform.kind === "logit" ? " (the logit transform needs a value strictly between 0 and 1)" : "";
        throw new RangeError(`ensemble feature ${names[j]} is ${values[j]}${domain}`);
      }
      z += coefficients[j]! * t;
    }
    return sigmoid(z);
  }

  predictMany(rows: readonly (readonly number[])[]): number[] {
    return rows.map((row) => this.predict(row));
  }

  private fittedArtifact(): EnsembleArtifact {
    if (this.artifact === null) throw new ModelNotFittedError("ensemble");
    return this.artifact;
  }
}

/** Loads `ensemble.json`; an unreadable file, bad JSON or an invalid artifact is an InputError naming `path`. */
export async function readEnsembleArtifact(path: string): Promise<EnsembleModel> {
  return EnsembleModel.fromArtifact(await readJsonFile(path), path);
}
