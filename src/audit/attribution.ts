import type { Pick } from "../store/normalize.js";

/** When `model_preds` was introduced; records dated earlier are expected to lack it (SPEC 7). */
export const DEFAULT_PREDS_INTRODUCED = "2026-02-01";

export const ATTRIBUTION_BUCKETS = [
  "old_schema",
  "non_game_market",
  "error_path",
  "heuristic_fallback",
  "empty_raw_inputs",
  "unknown",
] as const;
export type AttributionBucket = (typeof ATTRIBUTION_BUCKETS)[number];

/** Why a record has no `model_preds`: the first matching bucket, in the order of SPEC 7. */
export function attributeMissingPreds(pick: Pick, predsIntroduced: string): AttributionBucket {
  if (pick.date !== null && pick.date < predsIntroduced) return "old_schema";
  if (pick.marketClass !== "game") return "non_game_market";
  if (pick.predsErrorPath) return "error_path";
  if (pick.predsHeuristic) return "heuristic_fallback";
  if (pick.rawInputsEmpty) return "empty_raw_inputs";
  return "unknown";
}
