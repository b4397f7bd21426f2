import path from "node:path";
import { CARD_FILE, EVALUATION_FILE } from "../eval/model-card.js";
import { fileExists, parseArtifact, readJsonFile } from "../models/artifact-io.js";
import { readRun } from "../runs/run-reader.js";
import { backtestDocumentSchema, type BacktestDocument } from "../schemas/backtest.js";
import { modelCardSchema, type ModelCard } from "../schemas/card.js";
import { evaluationDocumentSchema, type EvaluationDocument } from "../schemas/evaluation.js";
import type { RunDocument } from "../schemas/run.js";

/** The backtest a report draws from a run's directory when no `--backtest` is given. */
export const RUN_BACKTEST_FILE = "backtest.json";

/** Everything a report is drawn from, each document validated; null where a run has none. */
export interface ReportInputs {
  runDir: string;
  run: RunDocument;
  evaluation: EvaluationDocument | null;
  card: ModelCard | null;
  backtest: { path: string; document: BacktestDocument } | null;
}

/** A file the run may lack (older runs, a failed ensemble) is null; one that is there but invalid is an InputError. */
async function optional<T>(file: string, read: (file: string) => Promise<T>): Promise<T | null> {
  return (await fileExists(file)) ? read(file) : null;
}

export async function readBacktest(file: string): Promise<BacktestDocument> {
  return parseArtifact(backtestDocumentSchema, await readJsonFile(file), file, "backtest document (engine1 backtest --out FILE)");
}

/** `backtestFile` (from --backtest) must exist; without it, `<run dir>/backtest.json` is used when present. */
export async function readReportInputs(runDir: string, backtestFile?: string): Promise<ReportInputs> {
  const run = await readRun(runDir);
  const evaluation = await optional(path.join(runDir, EVALUATION_FILE), async (f) =>
    parseArtifact(evaluationDocumentSchema, await readJsonFile(f), f, "evaluation document"),
  );
  const card = await optional(path.join(runDir, CARD_FILE), async (f) => parseArtifact(modelCardSchema, await readJsonFile(f), f, "model card"));
  const backtestPath = backtestFile === undefined ? path.join(runDir, RUN_BACKTEST_FILE) : path.resolve(backtestFile);
  const backtest =
    backtestFile === undefined
      ? await optional(backtestPath, async (f) => ({ path: f, document: await readBacktest(f) }))
      : { path: backtestPath, document: await readBacktest(backtestPath) };
  return { runDir, run, evaluation, card, backtest };
}
