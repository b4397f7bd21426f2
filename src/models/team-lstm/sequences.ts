import type { Game } from "../games.js";
import { teamKey } from "./features.js";

/** One past game of a team, raw (unscaled): points_for, points_against, is_home, won. */
export type FeatureRow = readonly [pointsFor: number, pointsAgainst: number, isHome: number, won: number];

/** What is known about a team after the games seen so far. */
export interface TeamHistory {
  sport: string;
  /** The spelling first seen. */
  team: string;
  games: number;
  pointsForTotal: number;
  /** The last W games, oldest first. */
  lastGames: readonly FeatureRow[];
}

/** One team-game to predict: the team's points in game `gameIndex` from the games before it. */
export interface SequenceExample {
  gameIndex: number;
  date: string;
  sport: string;
  team: string;
  /** At most W raw rows, oldest first, all from games strictly before this one. */
  history: readonly FeatureRow[];
  target: number;
  /**
   * The naive prediction: the team's mean points over all its previous games; with none, the mean
   * points per team-game of its sport on earlier dates, else of every sport on earlier dates; null
   * on the very first date, where nothing earlier exists (that date is never in a holdout).
   */
  baseline: number | null;
}

class RunningMean {
  total = 0;
  count = 0;
  add(value: number, count = 1): void {
    this.total += value;
    this.count += count;
  }
  get mean(): number | null {
    return this.count === 0 ? null : this.total / this.count;
  }
}

/**
 * Walks the games in order and turns each into two examples (home team, away team), each reading
 * only its team's state before the game; the state is updated after both examples are taken.
 * `games` must be in chronological order, as `collectGames` returns them.
 */
export function buildSequenceExamples(games: readonly Game[], window: number): { examples: SequenceExample[]; teams: Map<string, TeamHistory> } {
  const teams = new Map<string, TeamHistory>();
  const examples: SequenceExample[] = [];
  // League means fold a date in only once the next date starts: games of one day are simultaneous.
  const sportEarlier = new Map<string, RunningMean>();
  const allEarlier = new RunningMean();
  let pending: Game[] = [];
  const foldPending = () => {
    for (const g of pending) {
      const sport = sportEarlier.get(g.sport) ?? new RunningMean();
      sport.add(g.homeScore + g.awayScore, 2);
      sportEarlier.set(g.sport, sport);
      allEarlier.add(g.homeScore + g.awayScore, 2);
    }
    pending = [];
  };

  games.forEach((game, gameIndex) => {
    const previous = pending[0]?.date;
    if (previous !== undefined && game.date < previous) throw new Error(`team_lstm needs games in chronological order: ${game.date} comes after ${previous}`);
    if (previous !== undefined && previous !== game.date) foldPending();
    pending.push(game);
    const sides = [
      { team: game.homeTeam, row: [game.homeScore, game.awayScore, 1, game.homeScore > game.awayScore ? 1 : 0] as FeatureRow },
      { team: game.awayTeam, row: [game.awayScore, game.homeScore, 0, game.awayScore > game.homeScore ? 1 : 0] as FeatureRow },
    ];
    for (const { team, row } of sides) {
      const state = teams.get(teamKey(game.sport, team));
      const leagueMean = sportEarlier.get(game.sport)?.mean ?? allEarlier.mean;
      examples.push({
        gameIndex,
        date: game.date,
        sport: game.sport,
        team: teamKey(game.sport, team),
        // Shared, not copied: rows and row lists are never mutated, only replaced.
        history: state ? state.lastGames : [],
        target: row[0],
        baseline: state ? state.pointsForTotal / state.games : leagueMean,
      });
    }
    for (const { team, row } of sides) {
      const key = teamKey(game.sport, team);
      const state = teams.get(key) ?? { sport: game.sport, team, games: 0, pointsForTotal: 0, lastGames: [] };
      state.games += 1;
      state.pointsForTotal += row[0];
      state.lastGames = [...state.lastGames, row].slice(-window);
      teams.set(key, state);
    }
  });
  return { examples, teams };
}
