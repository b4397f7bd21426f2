/** engine1's library: everything the CLI does, as functions that return data and print nothing. */
export { auditStore, type AuditStoreOptions } from "./audit/audit-store.js";
export { attributeMissingPreds, ATTRIBUTION_BUCKETS, DEFAULT_PREDS_INTRODUCED } from "./audit/attribution.js";
export { addDays, etDateOfTimestamp, parseDate, todayEt, ET_ZONE } from "./dates.js";
export { CheckFailedError, Engine1Error, InputError, UsageError } from "./errors.js";
export { ExplainWriter, type ExplainLine } from "./filter/explain.js";
export { DROP_STAGES, FILTER_VERSION, firstFailingStage, PickFilter, type Drop, type FilterTelemetry } from "./filter/filter.js";
export { resolveFilterOptions, windowStart, type FilterOptions } from "./filter/filter-options.js";
export { generateFixtures } from "./fixtures/generate.js";
export { resolveGradesPath, resolveHome, resolveStorePath, volumeMountPath, type ResolvedPath } from "./paths.js";
export { auditReportSchema, type AuditReport } from "./schemas/audit-report.js";
export { LINE_CLASSES, type LineClass } from "./store/line-accounting.js";
export { normalizePick, type Pick } from "./store/normalize.js";
export { readStore, type ReadStoreOptions, type StoreReading } from "./store/read-store.js";
export { ENGINE1_VERSION } from "./version.js";
