import { z } from "zod";

const summary = z.strictObject({
  games: z.number().int().nonnegative(),
  home_wins: z.number().int().nonnegative(),
  sum_total: z.number(),
});

export const matchupArtifactSchema = z.strictObject({
  model: z.literal("matchup"),
  artifact_version: z.literal(1),
  feature_names: z.array(z.string()),
  prior_strength: z.number().nonnegative(),
  label_type: z.string(),
  label_definition: z.string(),
  leagues: z.record(
    z.string(),
    summary.extend({ sum_home_margin: z.number() }),
  ),
  /** Keyed `SPORT|TEAM_A|TEAM_B` with A before B; margins from A's side. */
  pairs: z.record(
    z.string(),
    summary.extend({
      sport: z.string(),
      team_a: z.string(),
      team_b: z.string(),
      a_wins: z.number().int().nonnegative(),
      sum_margin_a: z.number(),
      a_home_games: z.number().int().nonnegative(),
      first_date: z.string(),
      last_date: z.string(),
    }),
  ),
});
export type MatchupArtifact = z.infer<typeof matchupArtifactSchema>;
export type PairSummary = MatchupArtifact["pairs"][string];
