import { stat } from "node:fs/promises";
import path from "node:path";
import { etDateOfInstant, isoEt } from "../dates.js";
import { CARD_FILE } from "../eval/model-card.js";
import { parseArtifact, readJsonFile } from "../models/artifact-io.js";
import { listRuns } from "../runs/run-list.js";
import { readRun, resolveRunDir } from "../runs/run-reader.js";
import { loadRun } from "../runs/run-summary.js";
import { RUNS_DIR } from "../runs/run-writer.js";
import { modelCardSchema } from "../schemas/card.js";
import type { ModelRunRow, ModelsList, ModelsShow } from "../schemas/models.js";
import { MODEL_NAMES, type RunDocument } from "../schemas/run.js";
import { ENGINE1_VERSION } from "../version.js";
import { currentRunId } from "./move-current.js";
import { logDisagreement, rollbackTarget } from "./promotion-stack.js";
import { readRegistry, type RegistryLog } from "./registry-log.js";

function gateState(run: RunDocument): ModelRunRow["gates"] {
  const g = run.gates;
  if (!g) return "none";
  if (g.skipped) return "skipped";
  if (!g.configured) return "unconfigured";
  return g.passed ? "passed" : "failed";
}

function row(dir: string, run: RunDocument | null, error: string | null, current: string | null, log: RegistryLog): ModelRunRow {
  const id = path.basename(dir);
  const last = log.events.findLast((e) => e.run === id);
  return {
    run_id: id,
    dir,
    status: run?.status ?? null,
    error,
    started_at: run?.started_at ?? null,
    date_et: run ? etDateOfInstant(Date.parse(run.started_at)) : null,
    samples: run?.models.ensemble.signature.samples_used ?? null,
    log_loss: run?.evaluation?.log_loss ?? null,
    ece: run?.evaluation?.ece ?? null,
    gates: run ? gateState(run) : null,
    current: id === current,
    last_action: last ? { action: last.action, time: last.time } : null,
  };
}

/** What every view says about the log: its size, an unfinished line, where a rollback would go, and disagreements. */
async function registryHeader(home: string, now: Date) {
  const [log, current] = await Promise.all([readRegistry(home), currentRunId(home)]);
  const disagreement = logDisagreement(current, log);
  const warnings: string[] = [];
  if (log.truncated) {
    warnings.push(`${log.file} line ${log.truncated.line} is unfinished (${log.truncated.bytes} bytes, no newline): an append that never completed; it is ignored, and set aside in registry.ndjson.torn by the next change`);
  }
  if (disagreement !== null) warnings.push(disagreement);
  return {
    log,
    current,
    header: {
      schema_version: 1 as const,
      engine1_version: ENGINE1_VERSION,
      generated_at: isoEt(now),
      home,
      current_run: current,
      registry: {
        file: log.file,
        events: log.events.length,
        truncated_line: log.truncated,
        rollback_to: disagreement === null ? rollbackTarget(log.events) : null,
      },
      warnings,
    },
  };
}

/** Every run of a home, oldest first, with its status, evaluation, gates and place in the registry. Reads; never writes. */
export async function listModels(home: string, now: Date = new Date()): Promise<ModelsList> {
  const { log, current, header } = await registryHeader(home, now);
  const runs: ModelRunRow[] = [];
  for (const id of await listRuns(home)) {
    const dir = path.join(home, RUNS_DIR, id);
    if (!(await stat(dir)).isDirectory()) continue;
    const loaded = await loadRun(dir);
    runs.push(row(dir, loaded.run, loaded.error, current, log));
  }
  return { ...header, runs };
}

async function readCard(runDir: string, run: RunDocument): Promise<ModelsShow["card"]> {
  if (!run.evaluation?.card) return null;
  const file = path.join(runDir, CARD_FILE);
  return parseArtifact(modelCardSchema, await readJsonFile(file), file, "model card");
}

/** One run (`current`, an id or a directory): its models, evaluation, card and every registry event about it. */
export async function showModel(home: string, which: string, now: Date = new Date()): Promise<ModelsShow> {
  const runDir = await resolveRunDir(home, which);
  const run = await readRun(runDir);
  const { log, current, header } = await registryHeader(home, now);
  const id = path.basename(runDir);
  return {
    ...header,
    run: row(runDir, run, null, current, log),
    failures: run.failures,
    as_of: run.as_of,
    window_days: run.window_days,
    sport: run.sport,
    models: MODEL_NAMES.map((model) => {
      const m = run.models[model];
      return {
        model,
        status: m.status,
        samples_used: m.signature.samples_used,
        feature_schema_hash: m.signature.feature_schema_hash,
        feature_order_hash: m.signature.feature_order_hash,
        schema_match: m.signature.schema_match,
        artifact_sha256: m.artifact?.sha256 ?? null,
      };
    }),
    evaluation: run.evaluation ?? null,
    gates: run.gates ?? null,
    card: await readCard(runDir, run),
    history: log.events.filter((e) => e.run === id || e.previous_run === id),
  };
}
