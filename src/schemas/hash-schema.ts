import { z } from "zod";
import { MODEL_NAMES } from "./run.js";

const hash16 = z.string().regex(/^[0-9a-f]{16}$/);

/** `engine1 hash-schema NAME... --json`, or `--run` for a trained run. */
export const hashSchemaReportSchema = z.strictObject({
  schema_version: z.literal(1),
  names: z
    .strictObject({
      names: z.array(z.string()),
      sorted_joined: z.string(),
      feature_schema_hash: hash16,
      feature_order_hash: hash16,
    })
    .nullable(),
  run: z
    .strictObject({
      run_dir: z.string(),
      run_id: z.string(),
      all_match: z.boolean(),
      models: z.array(
        z.strictObject({
          model: z.enum(MODEL_NAMES),
          artifact: z.string().nullable(),
          training_feature_schema_hash: hash16,
          training_feature_order_hash: hash16,
          inference_feature_schema_hash: hash16.nullable(),
          inference_feature_order_hash: hash16.nullable(),
          match: z.boolean(),
          problem: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
});
export type HashSchemaReport = z.infer<typeof hashSchemaReportSchema>;
