import { parseArtifact, readJsonFile } from "../artifact-io.js";
import { matchupArtifactSchema, type MatchupArtifact } from "./artifact.js";
import { pairKey } from "./train-matchup.js";

/** What the head-to-head record says about one pairing, from the home side's view. */
export interface MatchupLookup {
  sport: string;
  home: string;
  away: string;
  /** Games the two teams played each other (either venue). */
  games: number;
  /** P(home side wins), the pair's home-side win rate shrunk toward the league's. */
  home_win_rate: number;
  /** Expected home points minus away points: the home team's margin against this opponent, shrunk toward the league home margin. */
  expected_home_margin: number;
  /** Expected combined points, shrunk toward the league mean total. */
  expected_total: number;
}

/** The matchup model as inference reads it back from `matchup.json`. */
export class MatchupModel {
  private constructor(private readonly artifact: MatchupArtifact) {}

  static fromArtifact(json: unknown, source = "matchup artifact"): MatchupModel {
    return new MatchupModel(parseArtifact(matchupArtifactSchema, json, source, "matchup artifact"));
  }

  static async read(path: string): Promise<MatchupModel> {
    return MatchupModel.fromArtifact(await readJsonFile(path), path);
  }

  get featureNames(): string[] {
    return [...this.artifact.feature_names];
  }

  /**
   * Shrinkage: (pair sum + k × league mean) / (pair games + k), so a pair seen once moves the
   * estimate only 1/(1 + k) of the way from the league toward its single game. Null for a sport the
   * model never saw.
   */
  lookup(sport: string, home: string, away: string): MatchupLookup | null {
    const league = this.artifact.leagues[sport];
    if (!league || league.games === 0) return null;
    const k = this.artifact.prior_strength;
    const { key, a } = pairKey(sport, home, away);
    const pair = this.artifact.pairs[key];
    const n = pair?.games ?? 0;
    const homeIsA = home === a;
    const leagueHomeWinRate = league.home_wins / league.games;
    const leagueHomeMargin = league.sum_home_margin / league.games;
    const leagueTotal = league.sum_total / league.games;
    const marginForHome = pair ? (homeIsA ? pair.sum_margin_a : -pair.sum_margin_a) : 0;
    const blend = (pairSum: number, leagueMean: number) => (n + k === 0 ? leagueMean : (pairSum + k * leagueMean) / (n + k));
    return {
      sport,
      home,
      away,
      games: n,
      home_win_rate: blend(pair?.home_wins ?? 0, leagueHomeWinRate),
      expected_home_margin: blend(marginForHome, leagueHomeMargin),
      expected_total: blend(pair?.sum_total ?? 0, leagueTotal),
    };
  }
}
