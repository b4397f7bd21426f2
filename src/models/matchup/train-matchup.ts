import type { Game } from "../games.js";
import type { MatchupArtifact, PairSummary } from "./artifact.js";

export const MATCHUP_FEATURES = ["home", "away", "home_score", "away_score", "date"] as const;
export const MATCHUP_LABEL = {
  label_type: "head_to_head_summary",
  label_definition:
    "per unordered team pair within a sport: games, home-side win rate, mean margin and total, shrunk toward the league mean",
} as const;
/** How many league-average games a pair's own record is blended with. */
export const DEFAULT_PRIOR_STRENGTH = 5;

export interface MatchupResult {
  games_processed: number;
  matchups_tracked_total: number;
  sports_included: string[];
  artifact: MatchupArtifact | null;
  failure: string | null;
  hyperparameters: { prior_strength: number };
}

export function pairKey(sport: string, teamA: string, teamB: string): { key: string; a: string; b: string } {
  const [a, b] = teamA <= teamB ? [teamA, teamB] : [teamB, teamA];
  return { key: `${sport}|${a}|${b}`, a, b };
}

/** Sums the head-to-head record of every pair and league; the shrinkage happens at lookup. */
export function trainMatchup(games: readonly Game[], priorStrength = DEFAULT_PRIOR_STRENGTH): MatchupResult {
  const leagues: MatchupArtifact["leagues"] = {};
  const pairs: Record<string, PairSummary> = {};
  for (const g of games) {
    const margin = g.homeScore - g.awayScore;
    const total = g.homeScore + g.awayScore;
    const homeWon = g.homeScore > g.awayScore ? 1 : 0;
    const league = (leagues[g.sport] ??= { games: 0, home_wins: 0, sum_total: 0, sum_home_margin: 0 });
    league.games += 1;
    league.home_wins += homeWon;
    league.sum_total += total;
    league.sum_home_margin += margin;
    const { key, a, b } = pairKey(g.sport, g.homeTeam, g.awayTeam);
    const pair = (pairs[key] ??= {
      sport: g.sport,
      team_a: a,
      team_b: b,
      games: 0,
      home_wins: 0,
      sum_total: 0,
      a_wins: 0,
      sum_margin_a: 0,
      a_home_games: 0,
      first_date: g.date,
      last_date: g.date,
    });
    const aIsHome = g.homeTeam === a;
    pair.games += 1;
    pair.home_wins += homeWon;
    pair.sum_total += total;
    pair.sum_margin_a += aIsHome ? margin : -margin;
    pair.a_wins += (aIsHome ? margin : -margin) > 0 ? 1 : 0;
    pair.a_home_games += aIsHome ? 1 : 0;
    if (g.date < pair.first_date) pair.first_date = g.date;
    if (g.date > pair.last_date) pair.last_date = g.date;
  }
  const sortedPairs = Object.fromEntries(Object.entries(pairs).sort(([x], [y]) => (x < y ? -1 : 1)));
  const sports = Object.keys(leagues).sort();
  return {
    games_processed: games.length,
    matchups_tracked_total: Object.keys(pairs).length,
    sports_included: sports,
    artifact:
      games.length === 0
        ? null
        : {
            model: "matchup",
            artifact_version: 1,
            feature_names: [...MATCHUP_FEATURES],
            prior_strength: priorStrength,
            ...MATCHUP_LABEL,
            leagues: Object.fromEntries(sports.map((s) => [s, leagues[s]!])),
            pairs: sortedPairs,
          },
    failure: games.length === 0 ? "no games with real final scores to learn head-to-head records from" : null,
    hyperparameters: { prior_strength: priorStrength },
  };
}
