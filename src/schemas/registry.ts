import { z } from "zod";
import { auditReportSchema } from "./audit-report.js";

/** Every document engine1 prints or writes, by the file name its JSON Schema is published under. */
export const PUBLISHED_SCHEMAS = {
  "audit-report.schema.json": auditReportSchema,
} as const;

/** The JSON Schema of a zod schema, as committed in `schemas/` and shipped in the package. */
export function toJsonSchema(name: string, schema: z.ZodType): Record<string, unknown> {
  return { $id: `https://engine1.dev/schemas/${name}`, ...z.toJSONSchema(schema, { target: "draft-2020-12" }) };
}
