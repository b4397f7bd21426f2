import { z } from "zod";
import { auditReportSchema } from "./audit-report.js";
import { ensembleArtifactSchema } from "../models/ensemble/artifact.js";
import { matchupArtifactSchema } from "../models/matchup/artifact.js";
import { teamLstmArtifactSchema } from "../models/team-lstm/artifact.js";
import { hashSchemaReportSchema } from "./hash-schema.js";
import { runSchema } from "./run.js";
import { statusSchema } from "./status.js";
import { trainingAlertSchema, verifyVerdictSchema } from "./verify.js";
import { scheduleReportSchema } from "./schedule.js";
import { evaluationDocumentSchema } from "./evaluation.js";
import { modelCardSchema } from "./card.js";
import { engine1ConfigSchema } from "../config/config-schema.js";
import { predictDocumentSchema } from "./predict.js";
import { registryEventSchema } from "./registry-event.js";
import { modelsListSchema, modelsShowSchema, registryChangeSchema } from "./models.js";
import { backtestDocumentSchema } from "./backtest.js";
import { reportResultSchema } from "./report.js";

/** Every document engine1 prints or writes, by the file name its JSON Schema is published under. */
export const PUBLISHED_SCHEMAS = {
  "audit-report.schema.json": auditReportSchema,
  "run.schema.json": runSchema,
  "hash-schema.schema.json": hashSchemaReportSchema,
  "verify.schema.json": verifyVerdictSchema,
  "training-alert.schema.json": trainingAlertSchema,
  "status.schema.json": statusSchema,
  "team-lstm-artifact.schema.json": teamLstmArtifactSchema,
  "matchup-artifact.schema.json": matchupArtifactSchema,
  "ensemble-artifact.schema.json": ensembleArtifactSchema,
  "schedule.schema.json": scheduleReportSchema,
  "evaluation.schema.json": evaluationDocumentSchema,
  "card.schema.json": modelCardSchema,
  "engine1.config.schema.json": engine1ConfigSchema,
  "predict.schema.json": predictDocumentSchema,
  "registry-event.schema.json": registryEventSchema,
  "models-list.schema.json": modelsListSchema,
  "models-show.schema.json": modelsShowSchema,
  "registry-change.schema.json": registryChangeSchema,
  "backtest.schema.json": backtestDocumentSchema,
  "report.schema.json": reportResultSchema,
} as const;

/** The JSON Schema of a zod schema, as committed in `schemas/` and shipped in the package. */
export function toJsonSchema(name: string, schema: z.ZodType): Record<string, unknown> {
  return { $id: `https://engine1.dev/schemas/${name}`, ...z.toJSONSchema(schema, { target: "draft-2020-12" }) };
}
