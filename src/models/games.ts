import type { Pick } from "../store/normalize.js";
import { ModelFilterCounter, type ModelTelemetry } from "./telemetry.js";

/** One real game with its final score, as the team and matchup models see it. */
export interface Game {
  sport: string;
  date: string;
  homeTeam: string;
  awayTeam: string;
  homeScore: number;
  awayScore: number;
  /** The first pick (in file order) that carried this game. */
  pickId: string;
}

export const GAME_DROP_REASONS = ["drop_no_scores", "drop_duplicate_game"] as const;

function realScore(value: number | null): value is number {
  return value !== null && Number.isFinite(value) && value >= 0;
}

/**
 * Game identity as union-find over keys (teams-and-date, event_id): a pick joins the game of any
 * key already seen, and its other key then points at that game too.
 */
class GameKeys {
  private readonly parent = new Map<string, string>();
  private root(key: string): string {
    let r = key;
    for (let p = this.parent.get(r)!; p !== r; p = this.parent.get(r)!) r = p;
    return r;
  }
  /** Registers `keys` as one game; true when any of them was already a game. */
  join(keys: string[]): boolean {
    const known = keys.filter((k) => this.parent.has(k)).map((k) => this.root(k));
    const target = known[0] ?? keys[0]!;
    if (!this.parent.has(target)) this.parent.set(target, target);
    for (const k of keys) {
      if (!this.parent.has(k)) this.parent.set(k, target);
      else this.parent.set(this.root(k), target);
    }
    return known.length > 0;
  }
}

/**
 * Turns eligible picks into games: picks without real final scores are dropped (`drop_no_scores`;
 * no model ever invents a score), and further picks on a game already seen — same sport, date and
 * teams, or same event_id — are `drop_duplicate_game`. Games come back in chronological order.
 */
export function collectGames(picks: readonly Pick[]): { games: Game[]; telemetry: ModelTelemetry } {
  const counter = new ModelFilterCounter(GAME_DROP_REASONS);
  const keys = new GameKeys();
  const games: Game[] = [];
  for (const pick of picks) {
    counter.seen();
    if (!realScore(pick.homeScore) || !realScore(pick.awayScore) || !pick.sport || !pick.date || !pick.homeTeam || !pick.awayTeam) {
      counter.drop("drop_no_scores");
      continue;
    }
    const teamKey = `t|${pick.sport}|${pick.date}|${pick.homeTeam.toUpperCase()}|${pick.awayTeam.toUpperCase()}`;
    const gameKeys = pick.eventId === null ? [teamKey] : [teamKey, `e|${pick.sport}|${pick.eventId}`];
    if (keys.join(gameKeys)) {
      counter.drop("drop_duplicate_game");
      continue;
    }
    counter.use();
    games.push({
      sport: pick.sport,
      date: pick.date,
      homeTeam: pick.homeTeam,
      awayTeam: pick.awayTeam,
      homeScore: pick.homeScore,
      awayScore: pick.awayScore,
      pickId: pick.pickId,
    });
  }
  // Stable: games of one date keep file order.
  const ordered = games.map((g, i) => [g, i] as const).sort((a, b) => (a[0].date < b[0].date ? -1 : a[0].date > b[0].date ? 1 : a[1] - b[1]));
  return { games: ordered.map(([g]) => g), telemetry: counter.telemetry() };
}
