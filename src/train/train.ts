import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { etDateOfInstant, isoEt } from "../dates.js";
import type { ExplainWriter } from "../filter/explain.js";
import type { FilterOptions } from "../filter/filter-options.js";
import { readEnsembleArtifact } from "../models/ensemble/artifact.js";
import { trainEnsemble } from "../models/ensemble/train-ensemble.js";
import { collectGames } from "../models/games.js";
import { MatchupModel } from "../models/matchup/matchup-model.js";
import { trainMatchup } from "../models/matchup/train-matchup.js";
import { readTeamLstmArtifact } from "../models/team-lstm/artifact.js";
import { trainTeamLstm, type TeamLstmOptions } from "../models/team-lstm/train-team-lstm.js";
import { loadTf } from "../models/tf.js";
import type { ResolvedPath } from "../paths.js";
import { acquireLock, type LockOwner } from "../runs/lock.js";
import { RunWriter, writeFailure } from "../runs/run-writer.js";
import { moveCurrent } from "../registry/move-current.js";
import { RUN_SCHEMA_VERSION, runSchema, type RunDocument } from "../schemas/run.js";
import { ENGINE1_VERSION } from "../version.js";
import type { ResolvedEvaluation } from "../eval/evaluation-options.js";
import { gatesFailure } from "../eval/gates.js";
import { evaluationSummary, writeEvaluation, type GatesOptions } from "./evaluation-files.js";
import { collectEligible } from "./collect-eligible.js";
import { Deadline } from "./deadline.js";
import { DEFAULT_SEED, DEFAULT_TIMEOUT_MINUTES } from "./defaults.js";
import { ensembleEntry, matchupEntry, runFailures, runStatus, teamEntry, type ModelOutcome } from "./model-entries.js";

export { DEFAULT_SEED, DEFAULT_TIMEOUT_MINUTES } from "./defaults.js";

export interface TrainOptions {
  store: ResolvedPath;
  grades: ResolvedPath | null;
  home: string;
  volumeMountPath?: string | null;
  filter: FilterOptions;
  seed?: number;
  /** Inverse L2 strength of the ensemble (scikit-learn's C) when there is no evaluation to choose it. */
  C?: number;
  /**
   * Evaluate the ensemble by date folds, choose C and the calibration, write `evaluation.json` and
   * `card.json`, and hold `current` back when a configured gate fails. Without it, no evaluation.
   */
  evaluation?: ResolvedEvaluation;
  /** The promotion gates of the configuration; `skip` (`--no-gates`) records them without holding back. */
  gates?: GatesOptions;
  timeoutMinutes?: number;
  /** Worker threads that scan the store (default 0: scan on the calling thread; the CLI passes the machine's cores). */
  threads?: number;
  explain?: ExplainWriter;
  lstm?: Partial<Omit<TeamLstmOptions, "seed" | "checkDeadline">>;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  onStage?: (stage: string) => void;
  now?: () => Date;
  /** Test hook: stop as if the process died after the artifacts were written, before run.json. */
  fault?: (point: "after-artifacts") => void;
}

export interface TrainResult {
  run: RunDocument;
  runDir: string;
  currentMoved: boolean;
  lockRecovered: LockOwner | null;
}

function newRunId(at: Date): string {
  return `${at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomBytes(3).toString("hex")}`;
}

/**
 * The daily job: one pass over the store, the six-stage filter, the three models, and a run written
 * atomically with a signature per model. `current` moves only when every assertion passed; a failed,
 * empty or abandoned run never replaces a good one.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const runId = newRunId(started);
  const seed = options.seed ?? DEFAULT_SEED;
  const home = options.home;
  try {
    await mkdir(home, { recursive: true });
  } catch (error) {
    throw writeFailure("the home directory", home, error);
  }
  const deadline = new Deadline(options.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES);
  const lock = await acquireLock(home, { run_id: runId, started_at: isoEt(started) });
  let writer: RunWriter | null = null;
  const durations: Record<string, number> = {};
  const stage = async <T>(name: string, label: string, work: () => Promise<T> | T): Promise<T> => {
    deadline.enter(label);
    options.onStage?.(label);
    const t0 = performance.now();
    const result = await work();
    durations[name] = Math.round(performance.now() - t0);
    return result;
  };
  try {
    const data = await stage("read_and_filter", "reading the store", () =>
      collectEligible({ ...options, volumeMountPath: options.volumeMountPath ?? null }),
    );
    const games = collectGames(data.eligible);
    const loaded = await loadTf();
    const team = await stage("team_lstm", "training team_lstm", () =>
      trainTeamLstm(loaded, games.games, { ...options.lstm, seed, checkDeadline: deadline.check }),
    );
    const matchup = await stage("matchup", "training matchup", () => trainMatchup(games.games));
    const evaluationOptions = options.evaluation;
    const ensemble = await stage("ensemble", evaluationOptions ? "evaluating and training ensemble" : "training ensemble", () =>
      trainEnsemble(data.eligible, {
        C: evaluationOptions?.C ?? options.C ?? 1,
        ...(evaluationOptions ? { evaluation: evaluationOptions } : {}),
      }),
    );

    deadline.enter("writing the run");
    options.onStage?.("writing the run");
    writer = await RunWriter.create(home, runId);
    const w = writer;
    const save = async <A, M>(name: string, artifact: A | null, readBack: (path: string) => Promise<M>): Promise<ModelOutcome<M>> => {
      if (artifact === null) return { file: null, readBack: null };
      const file = await w.writeJson(`${name}.json`, artifact);
      return { file, readBack: await readBack(w.pathOf(file.file)) };
    };
    const teamSaved = await save("team_lstm", team.artifact, (p) => readTeamLstmArtifact(loaded, p));
    const matchupSaved = await save("matchup", matchup.artifact, (p) => MatchupModel.read(p));
    const ensembleSaved = await save("ensemble", ensemble.artifact, (p) => readEnsembleArtifact(p));
    teamSaved.readBack?.dispose();

    const timestamp = isoEt(now());
    const written = await writeEvaluation(w, ensemble, ensembleSaved.readBack, options.gates, {
      runId,
      createdAt: timestamp,
      asOf: options.filter.asOf,
      windowDays: options.filter.days,
      sport: data.telemetry.sport,
      tensorflow: loaded.backend,
    });
    options.fault?.("after-artifacts");

    const common = { runId, timestamp, seed };
    const models = {
      team_lstm: teamEntry(team, games.telemetry, teamSaved, common),
      matchup: matchupEntry(matchup, games.telemetry, matchupSaved, common),
      ensemble: ensembleEntry(ensemble, ensembleSaved, common),
    };
    const failures = runFailures(data.telemetry, models);
    const gatesFailed = written === null ? null : gatesFailure(written.gates);
    if (gatesFailed !== null) failures.push(gatesFailed);
    const finished = now();
    durations.total = finished.getTime() - started.getTime();
    const run: RunDocument = runSchema.parse({
      schema_version: RUN_SCHEMA_VERSION,
      run_id: runId,
      engine1_version: ENGINE1_VERSION,
      status: runStatus(data.telemetry, failures),
      failures,
      started_at: isoEt(started),
      finished_at: isoEt(finished),
      date_et: etDateOfInstant(started.getTime()),
      durations_ms: durations,
      as_of: options.filter.asOf,
      window_days: options.filter.days,
      sport: data.telemetry.sport,
      markets: data.telemetry.markets,
      seed,
      backend: loaded.backend,
      home,
      lock_recovered_from: lock.recovered,
      store: {
        provenance: data.reading.provenance,
        line_accounting: data.reading.line_accounting,
        grade_overlay: data.reading.grade_overlay,
      },
      filter_telemetry: data.telemetry,
      models,
      evaluation: evaluationSummary(ensemble, written),
      gates: written?.gates ?? null,
    });
    await writer.writeJson("run.json", run);
    const runDir = await writer.commit();
    writer = null;
    const currentMoved = run.status === "SUCCESS";
    if (currentMoved) {
      // Still inside the training lock: the move and its registry event are one change of `current`.
      const reason = run.gates?.skipped ? "trained; every assertion passed, gates skipped by --no-gates" : "trained; every assertion and gate passed";
      await moveCurrent(home, { action: "train", run: runId, reason, time: now() });
    }
    return { run, runDir, currentMoved, lockRecovered: lock.recovered };
  } catch (error) {
    await writer?.abort();
    throw error;
  } finally {
    await lock.release();
  }
}
