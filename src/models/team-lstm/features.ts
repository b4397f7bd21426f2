/** The per-game features of a team's history, in the order the network reads them. */
export const TEAM_FEATURES = ["points_for", "points_against", "is_home", "won"] as const;

export const TEAM_LABEL = {
  label_type: "next_points",
  label_definition: "the team's points scored in its next game, from its previous games (window of W), scaled per sport",
} as const;

/**
 * Marks the left padding of a short history. Real rows never hold it: points are never negative and
 * the flags are 0 or 1, whereas an all-zero row is a real game (a 0–0 tie away from home).
 */
export const MASK_VALUE = -1;

/** Teams are one per sport, and their names compare case-insensitively, as games do in `collectGames`. */
export function teamKey(sport: string, team: string): string {
  return `${sport}|${team.toUpperCase()}`;
}
