import { PickFilter } from "../filter/filter.js";
import type { FilterOptions } from "../filter/filter-options.js";
import type { ExplainWriter } from "../filter/explain.js";
import type { ResolvedPath } from "../paths.js";
import type { AuditReport } from "../schemas/audit-report.js";
import { AUDIT_SCHEMA_VERSION } from "../schemas/audit-version.js";
import { readStore } from "../store/read-store.js";
import { ENGINE1_VERSION } from "../version.js";
import { DEFAULT_PREDS_INTRODUCED } from "./attribution.js";
import { DataQuality } from "./data-quality.js";
import { Distribution } from "./distribution.js";

export interface AuditStoreOptions {
  store: ResolvedPath;
  grades: ResolvedPath | null;
  volumeMountPath?: string | null;
  filter: FilterOptions;
  /** Records dated before this are expected to lack model_preds (`old_schema`). */
  predsIntroduced?: string;
  explain?: ExplainWriter;
  /** Worker threads that scan the store (default 0: scan on the calling thread). */
  threads?: number;
  blockBytes?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  now?: Date;
}

/**
 * Accounts for every line of the store and its grade overlay in one pass, and reports data
 * quality, distributions and what the six-stage filter would keep (SPEC 7). Never writes to the store.
 */
export async function auditStore(options: AuditStoreOptions): Promise<AuditReport> {
  const predsIntroduced = options.predsIntroduced ?? DEFAULT_PREDS_INTRODUCED;
  const quality = new DataQuality(predsIntroduced);
  const distribution = new Distribution();
  const filter = new PickFilter(options.filter);
  const { explain } = options;
  const reading = await readStore({
    store: options.store,
    grades: options.grades,
    volumeMountPath: options.volumeMountPath ?? null,
    allowMissing: true,
    threads: options.threads ?? 0,
    ...(options.blockBytes ? { blockBytes: options.blockBytes } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    onPick: (pick) => {
      quality.add(pick);
      distribution.add(pick);
      const drop = filter.apply(pick);
      if (drop !== null && explain) explain.write(pick, drop);
    },
  });
  const filterPreview = filter.telemetry();
  return {
    schema_version: AUDIT_SCHEMA_VERSION,
    engine1_version: ENGINE1_VERSION,
    generated_at: (options.now ?? new Date()).toISOString(),
    preds_introduced: predsIntroduced,
    store_provenance: reading.provenance,
    line_accounting: reading.line_accounting,
    grade_overlay: reading.grade_overlay,
    data_quality: quality.report(),
    distribution: distribution.report(),
    eligible_timestamp_range: distribution.eligibleRange(),
    filter_preview: filterPreview,
    reconciled:
      reading.line_accounting.reconciled &&
      reading.grade_overlay.line_accounting.reconciled &&
      filterPreview.assertion_passed &&
      filterPreview.loaded_total === reading.line_accounting.counts.record,
  };
}
