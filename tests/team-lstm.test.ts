import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { Rng } from "../src/fixtures/random.js";
import type { Game } from "../src/models/games.js";
import { readTeamLstmArtifact, TeamLstmModel } from "../src/models/team-lstm/artifact.js";
import { TEAM_FEATURES, trainTeamLstm, trainTeamLstmModel, type TeamLstmOptions } from "../src/models/team-lstm/train-team-lstm.js";
import { loadTf, type LoadedTf } from "../src/models/tf.js";

/**
 * A league where every team scores a stable number of points of its own plus small noise:
 * per date, NBA teams (around 110) and NHL teams (around 3) pair off in a rotating schedule.
 */
function league(dates: number, seed = 1): Game[] {
  const rng = Rng.derive(seed, "team-lstm-league");
  const sports = [
    { sport: "NBA", teams: 8, points: (t: number) => 100 + 3 * t, noise: 2 },
    { sport: "NHL", teams: 6, points: (t: number) => 1 + t, noise: 0.5 },
  ];
  const games: Game[] = [];
  for (let d = 0; d < dates; d++) {
    const date = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
    for (const { sport, teams, points, noise } of sports) {
      for (let i = 0; i < teams / 2; i++) {
        const home = (i + d) % teams;
        const away = (teams - 1 - i + 2 * d) % teams === home ? (home + 1) % teams : (teams - 1 - i + 2 * d) % teams;
        const score = (t: number) => Math.max(0, Math.round(points(t) + rng.float(-noise, noise)));
        games.push({ sport, date, homeTeam: `${sport} team ${home}`, awayTeam: `${sport} team ${away}`, homeScore: score(home), awayScore: score(away), pickId: `${date}-${sport}-${i}` });
      }
    }
  }
  return games;
}

/** MAE on the held-out team-games of predicting each sport's mean points over the earlier games. */
function leagueMeanMae(games: readonly Game[], holdoutStart: string): number {
  const mean = (sport: string) => {
    const earlier = games.filter((g) => g.sport === sport && g.date < holdoutStart);
    return earlier.reduce((n, g) => n + g.homeScore + g.awayScore, 0) / (2 * earlier.length);
  };
  const held = games.filter((g) => g.date >= holdoutStart);
  return held.reduce((n, g) => n + Math.abs(g.homeScore - mean(g.sport)) + Math.abs(g.awayScore - mean(g.sport)), 0) / (2 * held.length);
}

let loaded: LoadedTf;
beforeAll(async () => {
  loaded = await loadTf();
});

const quick: TeamLstmOptions = { seed: 7, epochs: 2, units: 4 };

describe("trainTeamLstm", () => {
  it("is deterministic for the same games and seed, and the seed changes the weights", async () => {
    const games = league(10);
    const first = await trainTeamLstm(loaded, games, quick);
    const second = await trainTeamLstm(loaded, games, quick);
    expect(JSON.stringify(second.artifact)).toBe(JSON.stringify(first.artifact));
    expect(second.holdout).toEqual(first.holdout);
    expect(second.final_loss).toBe(first.final_loss);
    const reseeded = await trainTeamLstm(loaded, games, { ...quick, seed: 8 });
    expect(reseeded.artifact!.weights_base64).not.toBe(first.artifact!.weights_base64);
  });

  it("reports every counter, and the holdout beside the running-mean baseline", async () => {
    const games = league(25);
    const { result, model } = await trainTeamLstmModel(loaded, games, { seed: 3, epochs: 12, units: 8, learningRate: 0.03 });
    try {
      const { artifact, holdout, final_loss, ...counters } = result;
      expect(counters).toEqual({
        games_processed: 175,
        teams_cached_total: 14,
        sports_included: ["NBA", "NHL"],
        sequence_examples: 350,
        holdout_skipped_reason: null,
        failure: null,
        backend: loaded.backend,
        hyperparameters: { window: 5, units: 8, epochs: 12, batch_size: 32, learning_rate: 0.03, holdout_fraction: 0.2 },
      });
      // 25 dates: the last ceil(5) of them, 7 games a day, two examples a game.
      expect(holdout).toMatchObject({ holdout_start_date: "2026-01-21", train_examples: 280, holdout_examples: 70 });
      expect(Number.isFinite(holdout!.mae) && Number.isFinite(holdout!.baseline_mae)).toBe(true);
      expect(final_loss).toBeGreaterThan(0);
      // The running mean is close to ideal for stable teams; the network must at least have learnt the
      // teams apart, beating each sport's mean points by far.
      expect(holdout!.baseline_mae).toBeLessThan(1);
      expect(holdout!.mae).toBeLessThan(leagueMeanMae(games, "2026-01-21") / 2);
      // One network, per-sport scales: predictions come back in each sport's own points.
      expect(model!.predictNextPoints("NBA", "NBA team 7")).toBeGreaterThan(80);
      expect(model!.predictNextPoints("NHL", "NHL team 0")).toBeLessThan(10);
      expect(artifact!.sport_scales).toEqual({ NBA: expect.closeTo(110.5, 0) as number, NHL: expect.closeTo(3.5, 0) as number });
    } finally {
      model?.dispose();
    }
  });

  it("cannot train without games: no artifact, a failure, no throw", async () => {
    const result = await trainTeamLstm(loaded, [], quick);
    expect(result).toMatchObject({ games_processed: 0, sequence_examples: 0, artifact: null, holdout: null, final_loss: null });
    expect(result.failure).toMatch(/no games/);
  });

  it("abandons training when checkDeadline throws, leaking no tensors", async () => {
    const games = league(10);
    for (const throwOnCall of [2, 3]) {
      const before = loaded.tf.memory().numTensors;
      let calls = 0;
      const deadline = new Error("deadline passed");
      const checkDeadline = () => {
        calls += 1;
        if (calls === throwOnCall) throw deadline;
      };
      await expect(trainTeamLstm(loaded, games, { ...quick, checkDeadline })).rejects.toBe(deadline);
      expect(calls).toBe(throwOnCall);
      expect(loaded.tf.memory().numTensors).toBe(before);
    }
  });
});

describe("the team_lstm artifact", () => {
  it("round-trips through JSON and predicts what the trained network predicts", async () => {
    const before = loaded.tf.memory().numTensors;
    const { result, model } = await trainTeamLstmModel(loaded, league(10), quick);
    const reloaded = await TeamLstmModel.fromArtifact(loaded, JSON.parse(JSON.stringify(result.artifact)));
    const dir = mkdtempSync(path.join(tmpdir(), "engine1-team-lstm-"));
    writeFileSync(path.join(dir, "team_lstm.json"), JSON.stringify(result.artifact));
    const fromFile = await readTeamLstmArtifact(loaded, path.join(dir, "team_lstm.json"));
    try {
      for (const [sport, team] of [["NBA", "NBA team 0"], ["NBA", "nba TEAM 5"], ["NHL", "NHL team 3"]] as const) {
        const points = model!.predictNextPoints(sport, team);
        expect(points).not.toBeNull();
        expect(reloaded.predictNextPoints(sport, team)).toBe(points);
        expect(fromFile.predictNextPoints(sport, team)).toBe(points);
      }
      expect(reloaded.predictNextPoints("NBA", "Nobody")).toBeNull();
      expect(reloaded.predictNextPoints("NFL", "NBA team 0")).toBeNull();
      expect(reloaded.featureNames).toEqual([...TEAM_FEATURES]);
    } finally {
      model!.dispose();
      reloaded.dispose();
      fromFile.dispose();
    }
    expect(loaded.tf.memory().numTensors).toBe(before);
  });

  it("refuses a malformed artifact with an InputError naming the file and the field", async () => {
    const { artifact } = await trainTeamLstm(loaded, league(3), quick);
    const bad = async (json: unknown) => TeamLstmModel.fromArtifact(loaded, json, "runs/x/team_lstm.json");
    await expect(bad({ ...artifact, weights_base64: "AAAA" })).rejects.toThrow(/^runs\/x\/team_lstm\.json is not a valid team_lstm artifact: weights_base64: holds 3 bytes but weight_specs describe \d+$/);
    await expect(bad({ ...artifact, window: "5" })).rejects.toThrow(/window: Invalid input: expected number, received string/);
    await expect(bad({ ...artifact, extra: 1 })).rejects.toThrow(InputError);
    await expect(bad([])).rejects.toThrow(InputError);
    await expect(bad({ ...artifact, topology: { nonsense: true } })).rejects.toThrow(/cannot be rebuilt/);
    const dir = mkdtempSync(path.join(tmpdir(), "engine1-team-lstm-"));
    writeFileSync(path.join(dir, "broken.json"), "{");
    await expect(readTeamLstmArtifact(loaded, path.join(dir, "broken.json"))).rejects.toThrow(/broken\.json is not valid JSON/);
    await expect(readTeamLstmArtifact(loaded, path.join(dir, "missing.json"))).rejects.toThrow(/cannot read .*missing\.json: ENOENT/);
  });
});
