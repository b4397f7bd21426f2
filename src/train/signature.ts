import { featureOrderHash, featureSchemaHash } from "../models/schema-hash.js";
import type { ModelTelemetry } from "../models/telemetry.js";
import type { ModelName } from "../schemas/run.js";
import { ENGINE1_VERSION } from "../version.js";

/** A model's feature schema: its names in order and the transform that makes inputs of raw values. */
export interface FeatureSchema {
  names: readonly string[];
  transform: unknown;
}

export interface SchemaComparison {
  feature_names: string[];
  feature_schema_hash: string;
  feature_order_hash: string;
  inference_feature_names: string[] | null;
  inference_feature_schema_hash: string | null;
  inference_feature_order_hash: string | null;
  schema_match: boolean;
}

/**
 * Compares the schema training used with the one the inference code read back from the saved
 * artifact file: both hashes must agree, so a reordered feature list is caught too.
 */
export function compareSchemas(training: FeatureSchema, inference: FeatureSchema | null): SchemaComparison {
  const trained = { hash: featureSchemaHash(training.names), order: featureOrderHash(training.names, training.transform) };
  const read = inference && { hash: featureSchemaHash(inference.names), order: featureOrderHash(inference.names, inference.transform) };
  return {
    feature_names: [...training.names],
    feature_schema_hash: trained.hash,
    feature_order_hash: trained.order,
    inference_feature_names: inference ? [...inference.names] : null,
    inference_feature_schema_hash: read?.hash ?? null,
    inference_feature_order_hash: read?.order ?? null,
    schema_match: read !== null && read.hash === trained.hash && read.order === trained.order,
  };
}

export interface SignatureBase {
  model: ModelName;
  runId: string;
  timestamp: string;
  samplesUsed: number;
  schema: SchemaComparison;
  label: { label_type: string; label_definition: string };
  telemetry: ModelTelemetry;
  hyperparameters: Record<string, number | string | boolean | null>;
  seed: number;
}

/** The fields SPEC 6 requires of every model's training signature. */
export function baseSignature(input: SignatureBase) {
  return {
    model: input.model,
    training_run_id: input.runId,
    training_timestamp: input.timestamp,
    samples_used: input.samplesUsed,
    ...input.schema,
    ...input.label,
    filter_telemetry: input.telemetry,
    hyperparameters: input.hyperparameters,
    seed: input.seed,
    engine1_version: ENGINE1_VERSION,
  };
}
