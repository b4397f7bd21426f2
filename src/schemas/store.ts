import { z } from "zod";
import { BAD_LINE_CLASSES, LINE_CLASSES } from "../store/line-accounting.js";
import { count, counts } from "./common.js";

export const storeFormatSchema = z.enum(["jsonl", "json-array"]);

export const lineAccountingSchema = z.strictObject({
  total_lines: count,
  counts: counts(LINE_CLASSES),
  first_bad_lines: z.strictObject(
    Object.fromEntries(BAD_LINE_CLASSES.map((c) => [c, z.array(count)])) as Record<
      (typeof BAD_LINE_CLASSES)[number],
      z.ZodArray<typeof count>
    >,
  ),
  reconciled: z.boolean(),
});

export const storeProvenanceSchema = z.strictObject({
  path: z.string(),
  source: z.string(),
  volume_mount_path: z.string().nullable(),
  exists: z.boolean(),
  mtime_iso: z.string().nullable(),
  size_bytes: count,
  bytes_read: count,
  line_count: count,
  format: storeFormatSchema.nullable(),
  store_schema_version: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  /** Which scanner read the lines (the native simdjson addon, or JSON.parse), on how many threads. */
  scanner: z.enum(["native-simdjson", "javascript"]).nullable(),
  threads: count,
});

export const gradeOverlaySchema = z.strictObject({
  path: z.string().nullable(),
  source: z.string().nullable(),
  exists: z.boolean(),
  format: storeFormatSchema.nullable(),
  size_bytes: count,
  bytes_read: count,
  line_accounting: lineAccountingSchema,
  grade_records: count,
  superseded: count,
  applied: count,
  orphaned: count,
});
