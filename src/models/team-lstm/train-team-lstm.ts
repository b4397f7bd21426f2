import type { LayersModel } from "@tensorflow/tfjs";
import { UsageError } from "../../errors.js";
import type { Game } from "../games.js";
import type { LoadedTf } from "../tf.js";
import { serializeNetwork, TeamLstmModel, type TeamLstmArtifact } from "./artifact.js";
import { TEAM_FEATURES, TEAM_LABEL } from "./features.js";
import { meanAbsoluteError, pointScales, scaleOf, splitHoldout, type PointScales } from "./holdout.js";
import { encodeWindows, fitTeamNetwork, predictScaled, type NetworkConfig } from "./network.js";
import { buildSequenceExamples, type SequenceExample, type TeamHistory } from "./sequences.js";

export { TEAM_FEATURES, TEAM_LABEL };

export interface TeamLstmOptions {
  seed: number;
  window?: number;
  units?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  holdoutFraction?: number;
  /** Called at the end of every epoch of every fit; a throw abandons training and propagates. */
  checkDeadline?: () => void;
}

export interface TeamLstmHoldout {
  holdout_start_date: string;
  train_examples: number;
  holdout_examples: number;
  /** Mean absolute error in points of the network fitted on the earlier examples. */
  mae: number;
  /** The same for the team's running mean of points scored. */
  baseline_mae: number;
}

export interface TeamLstmResult {
  games_processed: number;
  teams_cached_total: number;
  sports_included: string[];
  sequence_examples: number;
  holdout: TeamLstmHoldout | null;
  holdout_skipped_reason: string | null;
  /** Training loss (MSE on the scaled target) after the last epoch of the final fit. */
  final_loss: number | null;
  artifact: TeamLstmArtifact | null;
  failure: string | null;
  backend: "tfjs" | "tfjs-node";
  hyperparameters: TeamLstmArtifact["hyperparameters"];
}

function resolveHyperparameters(options: TeamLstmOptions): TeamLstmResult["hyperparameters"] {
  const hp = {
    window: options.window ?? 5,
    units: options.units ?? 16,
    epochs: options.epochs ?? 20,
    batch_size: options.batchSize ?? 32,
    learning_rate: options.learningRate ?? 0.01,
    holdout_fraction: options.holdoutFraction ?? 0.2,
  };
  for (const key of ["window", "units", "epochs", "batch_size"] as const) {
    if (!Number.isInteger(hp[key]) || hp[key] < 1) throw new UsageError(`team_lstm ${key} must be a positive integer; got ${hp[key]}`);
  }
  if (!(hp.learning_rate > 0 && Number.isFinite(hp.learning_rate))) throw new UsageError(`team_lstm learning_rate must be a positive number; got ${hp.learning_rate}`);
  if (!(hp.holdout_fraction >= 0 && hp.holdout_fraction < 1)) throw new UsageError(`team_lstm holdout_fraction must be in [0, 1); got ${hp.holdout_fraction}`);
  if (!Number.isSafeInteger(options.seed)) throw new UsageError(`team_lstm seed must be an integer; got ${options.seed}`);
  return hp;
}

const scaled = (examples: readonly SequenceExample[], scales: PointScales) =>
  examples.map((e) => ({ history: e.history, scale: scaleOf(scales, e.sport), target: e.target }));

/** Fits on the earlier examples and scores the held-out ones against the running-mean baseline. */
async function evaluateHoldout(
  loaded: LoadedTf,
  train: SequenceExample[],
  holdout: SequenceExample[],
  config: NetworkConfig,
  checkDeadline?: () => void,
): Promise<{ mae: number; baseline_mae: number }> {
  // Scales come from the earlier examples only: the holdout must not leak into its own inputs.
  const scales = pointScales(train);
  const { model } = await fitTeamNetwork(loaded, scaled(train, scales), config, checkDeadline);
  try {
    const items = scaled(holdout, scales);
    const raw = predictScaled(loaded.tf, model, encodeWindows(items, config.window), items.length, config.window);
    const actual = holdout.map((e) => e.target);
    return {
      mae: meanAbsoluteError(Array.from(raw, (p, i) => p * items[i]!.scale), actual),
      // Held-out examples never fall on the first date, so an earlier mean always exists.
      baseline_mae: meanAbsoluteError(holdout.map((e, i) => e.baseline ?? items[i]!.scale), actual),
    };
  } finally {
    model.dispose();
  }
}

function teamState(teams: Map<string, TeamHistory>): TeamLstmArtifact["team_state"] {
  const state: TeamLstmArtifact["team_state"] = {};
  for (const key of [...teams.keys()].sort()) {
    const t = teams.get(key)!;
    state[key] = { sport: t.sport, team: t.team, games: t.games, last_games: t.lastGames.map((r) => [...r]), mean_points_for: t.pointsForTotal / t.games };
  }
  return state;
}

/**
 * Trains the team model and keeps the fitted network in memory as a `TeamLstmModel`, which the
 * caller must dispose. `trainTeamLstm` is the same without the network.
 */
export async function trainTeamLstmModel(
  loaded: LoadedTf,
  games: readonly Game[],
  options: TeamLstmOptions,
): Promise<{ result: TeamLstmResult; model: TeamLstmModel | null }> {
  const hp = resolveHyperparameters(options);
  const config: NetworkConfig = { window: hp.window, units: hp.units, epochs: hp.epochs, batchSize: hp.batch_size, learningRate: hp.learning_rate, seed: options.seed };
  const result: TeamLstmResult = {
    games_processed: games.length,
    teams_cached_total: 0,
    sports_included: [],
    sequence_examples: 0,
    holdout: null,
    holdout_skipped_reason: null,
    final_loss: null,
    artifact: null,
    failure: null,
    backend: loaded.backend,
    hyperparameters: hp,
  };
  if (games.length === 0) {
    return { result: { ...result, holdout_skipped_reason: "no games", failure: "no games with real final scores to learn from" }, model: null };
  }

  const { examples, teams } = buildSequenceExamples(games, hp.window);
  result.sequence_examples = examples.length;
  result.sports_included = [...new Set(games.map((g) => g.sport))].sort();

  const split = splitHoldout(examples, hp.holdout_fraction);
  if (split.ok) {
    const scores = await evaluateHoldout(loaded, split.train, split.holdout, config, options.checkDeadline);
    result.holdout = { holdout_start_date: split.startDate, train_examples: split.train.length, holdout_examples: split.holdout.length, ...scores };
  } else {
    result.holdout_skipped_reason = split.reason;
  }

  const scales = pointScales(examples);
  const { model: network, finalLoss } = await fitTeamNetwork(loaded, scaled(examples, scales), config, options.checkDeadline);
  let artifact: TeamLstmArtifact;
  try {
    artifact = await buildArtifact(loaded, network, scales, teams, hp);
  } catch (error) {
    network.dispose();
    throw error;
  }
  result.final_loss = finalLoss;
  result.artifact = artifact;
  result.teams_cached_total = Object.keys(artifact.team_state).length;
  return { result, model: TeamLstmModel.fromNetwork(loaded, network, artifact) };
}

async function buildArtifact(
  loaded: LoadedTf,
  network: LayersModel,
  scales: PointScales,
  teams: Map<string, TeamHistory>,
  hp: TeamLstmResult["hyperparameters"],
): Promise<TeamLstmArtifact> {
  return {
    model: "team_lstm",
    artifact_version: 1,
    feature_names: [...TEAM_FEATURES],
    window: hp.window,
    backend: loaded.backend,
    sport_scales: scales.bySport,
    ...(await serializeNetwork(loaded, network)),
    team_state: teamState(teams),
    ...TEAM_LABEL,
    hyperparameters: hp,
  };
}

/** Trains the team model (SPEC 5): a time-ordered holdout report, then the final network on every example. */
export async function trainTeamLstm(loaded: LoadedTf, games: readonly Game[], options: TeamLstmOptions): Promise<TeamLstmResult> {
  const { result, model } = await trainTeamLstmModel(loaded, games, options);
  model?.dispose();
  return result;
}
