import path from "node:path";
import { readArtifactFeatureSchema } from "../models/artifact-schema.js";
import { featureOrderHash, featureSchemaHash } from "../models/schema-hash.js";
import { readRun, resolveRunDir } from "../runs/run-reader.js";
import { MODEL_NAMES, type ModelName } from "../schemas/run.js";

export interface NamesHash {
  names: string[];
  sorted_joined: string;
  feature_schema_hash: string;
  feature_order_hash: string;
}

/** The hashes of a list of feature names, as the original system computed the first one. */
export function hashNames(names: readonly string[]): NamesHash {
  return {
    names: [...names],
    sorted_joined: [...names].sort().join("|"),
    feature_schema_hash: featureSchemaHash(names),
    feature_order_hash: featureOrderHash(names),
  };
}

export interface ModelSchemaCheck {
  model: ModelName;
  artifact: string | null;
  training_feature_schema_hash: string;
  training_feature_order_hash: string;
  inference_feature_schema_hash: string | null;
  inference_feature_order_hash: string | null;
  match: boolean;
  problem: string | null;
}

export interface RunSchemaCheck {
  run_dir: string;
  run_id: string;
  models: ModelSchemaCheck[];
  all_match: boolean;
}

/**
 * For each model of a run: the schema recorded at training (its signature) beside the schema the
 * inference code reads from the artifact file now. A file edited after training shows up here.
 */
export async function checkRunSchemas(home: string, which: string): Promise<RunSchemaCheck> {
  const runDir = await resolveRunDir(home, which);
  const run = await readRun(runDir);
  const models: ModelSchemaCheck[] = [];
  for (const model of MODEL_NAMES) {
    const entry = run.models[model];
    const s = entry.signature;
    const check: ModelSchemaCheck = {
      model,
      artifact: entry.artifact ? path.join(runDir, entry.artifact.file) : null,
      training_feature_schema_hash: s.feature_schema_hash,
      training_feature_order_hash: s.feature_order_hash,
      inference_feature_schema_hash: null,
      inference_feature_order_hash: null,
      match: false,
      problem: null,
    };
    if (check.artifact === null) {
      check.problem = "no artifact was saved";
    } else {
      try {
        const read = await readArtifactFeatureSchema(model, check.artifact);
        check.inference_feature_schema_hash = featureSchemaHash(read.names);
        check.inference_feature_order_hash = featureOrderHash(read.names, read.transform);
        check.match =
          check.inference_feature_schema_hash === check.training_feature_schema_hash &&
          check.inference_feature_order_hash === check.training_feature_order_hash;
        if (!check.match) check.problem = "the artifact's features differ from the ones training used";
      } catch (error) {
        check.problem = (error as Error).message;
      }
    }
    models.push(check);
  }
  return { run_dir: runDir, run_id: run.run_id, models, all_match: models.every((m) => m.match) };
}
