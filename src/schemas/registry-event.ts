import { z } from "zod";

export const REGISTRY_EVENT_SCHEMA_VERSION = 1;
export const REGISTRY_ACTIONS = ["train", "promote", "rollback"] as const;
export type RegistryAction = (typeof REGISTRY_ACTIONS)[number];

/** One line of `<home>/registry.ndjson`: a change of `current`, who made it and why. */
export const registryEventSchema = z.strictObject({
  schema_version: z.literal(REGISTRY_EVENT_SCHEMA_VERSION),
  /** ISO 8601 in ET wall time with its offset. */
  time: z.string(),
  action: z.enum(REGISTRY_ACTIONS),
  /** The run `current` points to after the event. */
  run: z.string().min(1),
  /** The run `current` pointed to before the event; null when nothing was current. */
  previous_run: z.string().min(1).nullable(),
  reason: z.string(),
  user: z.string(),
  host: z.string(),
});
export type RegistryEvent = z.infer<typeof registryEventSchema>;
