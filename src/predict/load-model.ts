import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { errnoCode, InputError } from "../errors.js";
import { parseArtifact, parseJsonText } from "../models/artifact-io.js";
import { EnsembleModel, ensembleArtifactSchema, type EnsembleArtifact } from "../models/ensemble/artifact.js";
import { readRun, resolveRunDir } from "../runs/run-reader.js";
import type { RunDocument } from "../schemas/run.js";

export interface RunEnsemble {
  runDir: string;
  run: RunDocument;
  artifact: EnsembleArtifact;
  model: EnsembleModel;
  sha256: string;
}

/**
 * The ensemble a run saved, ready to score: `which` is `current`, a run id or a directory. A run
 * whose ensemble failed, or whose artifact is missing or no longer the one the run recorded, cannot
 * score anything and is an InputError saying so.
 */
export async function loadRunEnsemble(home: string, which: string): Promise<RunEnsemble> {
  const runDir = await resolveRunDir(home, which);
  const run = await readRun(runDir);
  const entry = run.models.ensemble;
  if (entry.status !== "SUCCESS" || entry.artifact === null) {
    throw new InputError(`run ${run.run_id} has no ensemble to score with: ${entry.failure ?? "its ensemble was not saved"}`);
  }
  const file = path.join(runDir, entry.artifact.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError(`cannot read the ensemble of run ${run.run_id}: ${file}: ${errnoCode(error) ?? (error as Error).message}`, { cause: error });
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== entry.artifact.sha256) {
    throw new InputError(`${file} changed since run ${run.run_id} recorded it (sha256 ${sha256.slice(0, 16)}…, recorded ${entry.artifact.sha256.slice(0, 16)}…): restore it or train again`);
  }
  const json = parseJsonText(bytes.toString("utf8"), file);
  const artifact = parseArtifact(ensembleArtifactSchema, json, file, "ensemble artifact");
  return { runDir, run, artifact, model: EnsembleModel.fromArtifact(artifact, file), sha256 };
}
