import { describe, expect, it } from "vitest";
import { collectGames } from "../src/models/games.js";
import { MatchupModel } from "../src/models/matchup/matchup-model.js";
import { trainMatchup } from "../src/models/matchup/train-matchup.js";
import { normalizePick } from "../src/store/normalize.js";
import { extractRawPick } from "../src/store/pick.js";
import { gamePick } from "./helpers/store.js";

const pick = (o: Record<string, unknown>) => {
  const object = gamePick(o);
  return normalizePick(extractRawPick(object, String(object.pick_id)), 1);
};
/** Gives picks the ids p1, p2, … in the order listed. */
const numbered = <T extends { pickId: string }>(picks: T[]): T[] => picks.map((p, i) => ({ ...p, pickId: `p${i + 1}` }));
const game = (date: string, home: string, away: string, hs: number, as: number, extra: Record<string, unknown> = {}) =>
  pick({ date_et: date, home_team: home, away_team: away, actual_home_score: hs, actual_away_score: as, ...extra });

describe("games from eligible picks", () => {
  it("drops picks without real scores and picks on a game already seen, and reconciles", () => {
    const picks = numbered([
      game("2026-03-02", "Celtics", "Heat", 110, 100),
      game("2026-03-02", "celtics", "HEAT", 110, 100, { pick_type: "TOTAL" }), // same game, another market
      game("2026-03-01", "Knicks", "Nets", 99, 101, { event_id: "E1" }),
      game("2026-03-01", "New York Knicks", "Brooklyn Nets", 99, 101, { event_id: "E1" }), // same event_id
      pick({ date_et: "2026-03-03", actual_home_score: null, actual_away_score: 90 }),
      pick({ date_et: "2026-03-03", actual_home_score: "101", actual_away_score: 90 }), // a string is not a score
      pick({ date_et: "2026-03-03", actual_home_score: -3, actual_away_score: 90 }),
      pick({ date_et: "2026-03-03" }),
    ]);
    const { games, telemetry } = collectGames(picks);
    expect(telemetry).toEqual({
      eligible_from_upstream: 8,
      drops: { drop_no_scores: 4, drop_duplicate_game: 2 },
      used_for_training: 2,
      assertion_passed: true,
      assertion_error: null,
    });
    // Chronological, whatever the file order.
    expect(games.map((g) => [g.date, g.homeTeam, g.homeScore, g.awayScore, g.pickId])).toEqual([
      ["2026-03-01", "Knicks", 99, 101, "p3"],
      ["2026-03-02", "Celtics", 110, 100, "p1"],
    ]);
  });

  it("joins a game through its event_id even when a later pick spells the teams differently", () => {
    const { games, telemetry } = collectGames([
      game("2026-03-01", "Knicks", "Nets", 99, 101),
      game("2026-03-01", "NY Knicks", "BK Nets", 99, 101, { event_id: 7 }),
      game("2026-03-01", "Knicks", "Nets", 99, 101, { event_id: 7 }),
      game("2026-03-01", "NY Knicks", "BK Nets", 99, 101),
    ]);
    expect(telemetry.drops).toEqual({ drop_no_scores: 0, drop_duplicate_game: 2 });
    expect(games).toHaveLength(2);
  });
});

describe("matchup model", () => {
  const games = collectGames([
    game("2026-03-01", "Celtics", "Heat", 110, 100), // Celtics +10 at home
    game("2026-03-05", "Heat", "Celtics", 95, 105), // Celtics +10 away
    game("2026-03-06", "Knicks", "Nets", 100, 96),
    game("2026-03-07", "Nets", "Knicks", 120, 100),
    game("2026-03-07", "Kings", "Jets", 3, 2, { sport: "NHL" }),
  ]).games;

  it("tracks unordered pairs within a sport and the league means", () => {
    const result = trainMatchup(games, 5);
    expect(result).toMatchObject({ games_processed: 5, matchups_tracked_total: 3, sports_included: ["NBA", "NHL"], failure: null });
    expect(result.artifact!.leagues).toEqual({
      NBA: { games: 4, home_wins: 3, sum_total: 826, sum_home_margin: 24 },
      NHL: { games: 1, home_wins: 1, sum_total: 5, sum_home_margin: 1 },
    });
    expect(result.artifact!.pairs["NBA|Celtics|Heat"]).toEqual({
      sport: "NBA", team_a: "Celtics", team_b: "Heat", games: 2, home_wins: 1, sum_total: 410, a_wins: 2, sum_margin_a: 20,
      a_home_games: 1, first_date: "2026-03-01", last_date: "2026-03-05",
    });
  });

  it("shrinks a pair toward the league mean, from the home side's view", () => {
    const model = MatchupModel.fromArtifact(JSON.parse(JSON.stringify(trainMatchup(games, 5).artifact)));
    // League: home win rate 3/4, home margin 24/4 = 6, total 826/4 = 206.5; k = 5.
    expect(model.lookup("NBA", "Celtics", "Heat")).toEqual({
      sport: "NBA", home: "Celtics", away: "Heat", games: 2,
      home_win_rate: (1 + 5 * 0.75) / 7,
      expected_home_margin: (20 + 5 * 6) / 7,
      expected_total: (410 + 5 * 206.5) / 7,
    });
    expect(model.lookup("NBA", "Heat", "Celtics")!.expected_home_margin).toBeCloseTo((-20 + 30) / 7, 12);
    // A pair never seen is the league.
    expect(model.lookup("NBA", "Celtics", "Nets")).toMatchObject({ games: 0, home_win_rate: 0.75, expected_home_margin: 6, expected_total: 206.5 });
    expect(model.lookup("MLB", "A", "B")).toBeNull();
    // Without shrinkage a pair is its own record.
    expect(MatchupModel.fromArtifact(trainMatchup(games, 0).artifact).lookup("NBA", "Knicks", "Nets")).toMatchObject({
      games: 2, home_win_rate: 1, expected_home_margin: (4 - 20) / 2, expected_total: 208,
    });
  });

  it("saves nothing and says why when there are no games; refuses a malformed artifact", () => {
    expect(trainMatchup([])).toMatchObject({ artifact: null, failure: "no games with real final scores to learn head-to-head records from" });
    expect(() => MatchupModel.fromArtifact({ model: "matchup" }, "runs/x/matchup.json")).toThrow(
      /^runs\/x\/matchup\.json is not a valid matchup artifact: artifact_version: /,
    );
  });
});
