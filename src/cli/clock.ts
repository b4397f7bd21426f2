import { UsageError } from "../errors.js";

/**
 * The time commands take as "now": the real clock, or `ENGINE1_NOW` (an ISO timestamp) so that a
 * day can be replayed — tests play a 07:00 training and a 07:30 verification without waiting.
 */
export function clockFrom(env: NodeJS.ProcessEnv): () => Date {
  const fixed = env.ENGINE1_NOW;
  if (fixed === undefined || fixed === "") return () => new Date();
  const at = Date.parse(fixed);
  if (Number.isNaN(at)) throw new UsageError(`ENGINE1_NOW must be an ISO timestamp, got "${fixed}"`);
  return () => new Date(at);
}
