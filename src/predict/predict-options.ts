import { checkKelly, DEFAULT_KELLY, type KellyOptions } from "../betting/kelly.js";
import { checkTiers, DEFAULT_TIERS, TIER_NAMES, type Tier, type TierThresholds } from "../betting/tiers.js";
import type { PredictConfig } from "../config/config-schema.js";
import { UsageError } from "../errors.js";

/** What the user asked for on the command line, already parsed into numbers and lists. */
export interface PredictRequest {
  kellyFraction?: number;
  kellyCap?: number;
  minEdge?: number;
  tiers?: string[];
}

export interface PredictSettings {
  kelly: KellyOptions;
  tiers: TierThresholds;
  /** Scored picks below this edge are left out of the listing; null for none. */
  minEdge: number | null;
  /** Only these tiers are listed; null for all. */
  tierFilter: Tier[] | null;
}

/** Flags over `predict` in engine1.config.json over the defaults (quarter Kelly, 5 % cap, tiers 10/5/2 %). */
export function resolvePredictSettings(request: PredictRequest, config: PredictConfig | undefined): PredictSettings {
  const kelly = {
    fraction: request.kellyFraction ?? config?.kelly_fraction ?? DEFAULT_KELLY.fraction,
    cap: request.kellyCap ?? config?.kelly_cap ?? DEFAULT_KELLY.cap,
  };
  checkKelly(kelly);
  const tiers = config?.tiers ?? DEFAULT_TIERS;
  checkTiers(tiers);
  const minEdge = request.minEdge ?? config?.min_edge ?? null;
  if (minEdge !== null && !(minEdge >= -1 && minEdge <= 1)) throw new UsageError(`--min-edge must be between -1 and 1, got ${minEdge}`);
  let tierFilter: Tier[] | null = null;
  if (request.tiers !== undefined) {
    const unknown = request.tiers.filter((t) => !(TIER_NAMES as readonly string[]).includes(t));
    if (unknown.length > 0) throw new UsageError(`--tier takes ${TIER_NAMES.join(", ")}, got ${unknown.join(", ")}`);
    tierFilter = TIER_NAMES.filter((t) => request.tiers!.includes(t));
  }
  return { kelly, tiers: { ...tiers }, minEdge, tierFilter };
}
