import { z } from "zod";

export const count = z.number().int().nonnegative();
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const counts = <K extends string>(keys: readonly [K, ...K[]]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, count])) as Record<K, typeof count>);
export const tally = z.record(z.string(), count);
