import type { GatesConfig } from "../config/config-schema.js";
import { checkGates, type GatesReport } from "../eval/gates.js";
import { buildModelCard, CARD_FILE, EVALUATION_FILE, type CardContext } from "../eval/model-card.js";
import type { EnsembleModel } from "../models/ensemble/artifact.js";
import type { EnsembleTrainingResult } from "../models/ensemble/train-ensemble.js";
import type { RunWriter, WrittenFile } from "../runs/run-writer.js";
import { EVALUATION_SCHEMA_VERSION, evaluationDocumentSchema } from "../schemas/evaluation.js";
import type { RunDocument } from "../schemas/run.js";
import { ENGINE1_VERSION } from "../version.js";

export interface GatesOptions {
  config: GatesConfig | undefined;
  configPath: string | null;
  /** `--no-gates`: recorded, never holding current back. */
  skip: boolean;
}

export interface WrittenEvaluation {
  gates: GatesReport;
  evaluation: WrittenFile;
  card: WrittenFile;
}

/**
 * Checks the gates and writes the run's `evaluation.json` and `card.json` (the card's latency timed on
 * `model`, the ensemble as inference read it back from its file). Null when the ensemble was not
 * evaluated or not saved: there is nothing to gate or describe.
 */
export async function writeEvaluation(
  writer: RunWriter,
  ensemble: EnsembleTrainingResult,
  model: EnsembleModel | null,
  gatesOptions: GatesOptions | undefined,
  context: CardContext,
): Promise<WrittenEvaluation | null> {
  if (ensemble.evaluation === null || model === null) return null;
  const gates = checkGates(gatesOptions?.config, ensemble.evaluation, gatesOptions?.configPath ?? null, gatesOptions?.skip ?? false);
  const document = evaluationDocumentSchema.parse({
    schema_version: EVALUATION_SCHEMA_VERSION,
    engine1_version: ENGINE1_VERSION,
    generated_at: context.createdAt,
    model: "ensemble",
    source: { kind: "run", run_id: context.runId, dir: writer.finalDir },
    evaluation: ensemble.evaluation,
    gates,
  });
  const card = buildModelCard(ensemble, model, gates, context);
  return { gates, evaluation: await writer.writeJson(EVALUATION_FILE, document), card: await writer.writeJson(CARD_FILE, card) };
}

/** run.json's brief of the evaluation (the whole of it is in evaluation.json). */
export function evaluationSummary(ensemble: EnsembleTrainingResult, written: WrittenEvaluation | null): RunDocument["evaluation"] {
  const e = ensemble.evaluation;
  if (e === null) return null;
  return {
    file: written?.evaluation ?? null,
    card: written?.card ?? null,
    skipped_reason: e.skipped_reason,
    chosen_C: ensemble.hyperparameters.C,
    calibration: ensemble.hyperparameters.calibration,
    ece: e.comparison?.ensemble.ece ?? null,
    log_loss: e.comparison?.ensemble.log_loss ?? null,
    best_baseline: e.comparison?.best_baseline ?? null,
    log_loss_improvement: e.comparison?.log_loss_improvement ?? null,
  };
}
