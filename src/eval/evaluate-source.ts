import path from "node:path";
import type { GatesConfig } from "../config/config-schema.js";
import { InputError } from "../errors.js";
import type { ExplainWriter } from "../filter/explain.js";
import type { FilterOptions } from "../filter/filter-options.js";
import { fileExists, parseArtifact, readJsonFile } from "../models/artifact-io.js";
import { trainEnsemble } from "../models/ensemble/train-ensemble.js";
import type { ResolvedPath } from "../paths.js";
import { resolveRunDir } from "../runs/run-reader.js";
import { EVALUATION_SCHEMA_VERSION, evaluationDocumentSchema, type EvaluationDocument } from "../schemas/evaluation.js";
import { collectEligible } from "../train/collect-eligible.js";
import { ENGINE1_VERSION } from "../version.js";
import type { ResolvedEvaluation } from "./evaluation-options.js";
import { checkGates } from "./gates.js";
import { EVALUATION_FILE } from "./model-card.js";

/** A run's saved evaluation (`<run>/evaluation.json`), validated by its schema. */
export async function readRunEvaluation(home: string, which: string): Promise<EvaluationDocument> {
  const dir = await resolveRunDir(home, which);
  const file = path.join(dir, EVALUATION_FILE);
  if (!(await fileExists(file))) {
    throw new InputError(`${dir} has no ${EVALUATION_FILE}: its ensemble was not evaluated (a failed ensemble, or a run of engine1 0.1.0)`);
  }
  return parseArtifact(evaluationDocumentSchema, await readJsonFile(file), file, "evaluation document");
}

export interface StoreEvaluationOptions {
  store: ResolvedPath;
  grades: ResolvedPath | null;
  filter: FilterOptions;
  evaluation: ResolvedEvaluation;
  gates: GatesConfig | undefined;
  configPath: string | null;
  threads?: number;
  now?: Date;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Where to write one NDJSON line per dropped pick, as train does. */
  explain?: ExplainWriter;
}

/**
 * A fresh evaluation from the store, written nowhere: one pass with the six-stage filter, the
 * ensemble's samples, the date folds, the search, the calibration and the gates.
 */
export async function evaluateFromStore(options: StoreEvaluationOptions): Promise<EvaluationDocument> {
  const data = await collectEligible({
    store: options.store,
    grades: options.grades,
    volumeMountPath: null,
    filter: options.filter,
    threads: options.threads,
    onProgress: options.onProgress,
    explain: options.explain,
  });
  const ensemble = trainEnsemble(data.eligible, { C: options.evaluation.C ?? 1, evaluation: options.evaluation });
  const evaluation = ensemble.evaluation!;
  return evaluationDocumentSchema.parse({
    schema_version: EVALUATION_SCHEMA_VERSION,
    engine1_version: ENGINE1_VERSION,
    generated_at: (options.now ?? new Date()).toISOString(),
    model: "ensemble",
    source: {
      kind: "store",
      path: options.store.path,
      sha256: data.reading.provenance.sha256,
      as_of: options.filter.asOf,
      window_days: options.filter.days,
      sport: data.telemetry.sport,
    },
    evaluation,
    gates: checkGates(options.gates, evaluation, options.configPath, false),
  });
}
