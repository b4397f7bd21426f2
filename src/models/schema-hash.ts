import { createHash } from "node:crypto";

const sha16 = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 16);

/**
 * SHA-256 of the feature names sorted and joined with "|", first 16 hex characters: the original
 * system's hash, so `ensemble lstm matchup monte_carlo` gives `7353259d6bb0f7ce`.
 */
export function featureSchemaHash(names: readonly string[]): string {
  return sha16([...names].sort().join("|"));
}

/**
 * The sorted hash cannot see a reordering of positional features, so this one hashes the names in
 * order together with the transform that turns raw values into model inputs.
 */
export function featureOrderHash(names: readonly string[], transform: unknown = null): string {
  return sha16(JSON.stringify({ names, transform }));
}
