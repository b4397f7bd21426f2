import path from "node:path";
import { ensembleArtifactSchema } from "./ensemble/artifact.js";
import { parseArtifact, readJsonFile } from "./artifact-io.js";
import { matchupArtifactSchema } from "./matchup/artifact.js";
import { teamLstmArtifactSchema } from "./team-lstm/artifact.js";
import type { ModelName } from "../schemas/run.js";
import type { FeatureSchema } from "../train/signature.js";

/**
 * The feature schema as inference reads it from a saved artifact: the file is validated with the
 * same zod schema the model loaders use, without loading TensorFlow.js (SPEC 11), so `hash-schema`
 * and `verify` stay light.
 */
export async function readArtifactFeatureSchema(model: ModelName, file: string): Promise<FeatureSchema> {
  const json = await readJsonFile(file);
  const source = path.basename(file);
  switch (model) {
    case "team_lstm":
      return { names: parseArtifact(teamLstmArtifactSchema, json, source, "team_lstm artifact").feature_names, transform: null };
    case "matchup":
      return { names: parseArtifact(matchupArtifactSchema, json, source, "matchup artifact").feature_names, transform: null };
    case "ensemble": {
      const artifact = parseArtifact(ensembleArtifactSchema, json, source, "ensemble artifact");
      return { names: artifact.feature_names, transform: artifact.transform.kind };
    }
  }
}
