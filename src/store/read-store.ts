import type { storeProvenanceSchema } from "../schemas/store.js";
import type { z } from "zod";
import type { ResolvedPath } from "../paths.js";
import { GradeIndex, type GradeOverlayReport } from "./grade-overlay.js";
import { LineAccounting, type LineAccountingReport } from "./line-accounting.js";
import type { Pick } from "./normalize.js";
import { openInput, readFailure } from "./open-input.js";
import { scannerPath } from "../scan/scanner.js";
import { readPicks, type StoreFormat } from "./record-source.js";
import { ScanPool } from "../scan/scan-pool.js";

export const STORE_SCHEMA_VERSION = "1.0";

export type StoreProvenance = z.infer<typeof storeProvenanceSchema>;

export interface ReadStoreOptions {
  store: ResolvedPath;
  /** The grade overlay, or null to read the store alone. */
  grades: ResolvedPath | null;
  volumeMountPath?: string | null;
  /** Report a missing store as `exists: false` instead of failing (audit-store). */
  allowMissing?: boolean;
  /** SHA-256 of the bytes read, computed while reading. */
  hash?: boolean;
  /** Worker threads that scan the store (default 0: scan on the calling thread; the CLI passes the machine's cores). */
  threads?: number;
  /** Block size of the scan (tests make it small to put block boundaries everywhere). */
  blockBytes?: number;
  /** Called once per record, in file order, after the overlay and normalisation. */
  onPick?: (pick: Pick) => void;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface StoreReading {
  provenance: StoreProvenance;
  line_accounting: LineAccountingReport;
  grade_overlay: GradeOverlayReport;
}

/**
 * Reads the store once, as a snapshot of the bytes present when it was opened: classifies every
 * line, keeps the first record of each pick_id, applies the grade overlay, normalises, and hands
 * each pick to `onPick`. Memory holds the set of pick_ids and the grade index, never the records.
 */
export async function readStore(options: ReadStoreOptions): Promise<StoreReading> {
  const threads = options.threads ?? 0;
  // Scanning threads take tens of milliseconds to start: they start first, and get ready while
  // the grade file is read and the store opened.
  const pool = threads > 0 ? new ScanPool(threads, "picks") : undefined;
  try {
    return await readWith(options, threads, pool);
  } finally {
    await pool?.close();
  }
}

async function readWith(options: ReadStoreOptions, threads: number, pool: ScanPool<"picks"> | undefined): Promise<StoreReading> {
  // The grade file is read on this thread while the scanning threads start on the store: only
  // merging the store's picks needs the grade index. Its errors come first, as if it had been
  // read first.
  const loading = GradeIndex.load(options.grades);
  loading.catch(() => undefined);
  const accounting = new LineAccounting();
  const provenance: StoreProvenance = {
    path: options.store.path,
    source: options.store.source,
    volume_mount_path: options.volumeMountPath ?? null,
    exists: false,
    mtime_iso: null,
    size_bytes: 0,
    bytes_read: 0,
    line_count: 0,
    format: null,
    store_schema_version: STORE_SCHEMA_VERSION,
    sha256: null,
    scanner: null,
    threads,
  };
  let opened: Awaited<ReturnType<typeof openInput>>;
  try {
    opened = await openInput(options.store, "store", options.allowMissing ?? false);
  } catch (error) {
    await loading;
    throw error;
  }
  if (opened === null) {
    return { provenance, line_accounting: accounting.report(), grade_overlay: (await loading).report() };
  }
  const { handle, stats } = opened;
  provenance.exists = true;
  provenance.mtime_iso = stats.mtime.toISOString();
  provenance.size_bytes = stats.size;
  const seen = new Set<string>();
  const { onPick, onProgress } = options;
  let grades: GradeIndex | undefined;
  const ready = loading.then((index) => void (grades = index));
  ready.catch(() => undefined); // awaited by readPicks, whose failure awaits `loading` below
  try {
    const result = await readPicks(
      handle,
      {
        size: stats.size,
        hash: options.hash ?? false,
        threads,
        ready,
        ...(pool ? { pool } : {}),
        ...(options.blockBytes ? { blockBytes: options.blockBytes } : {}),
        ...(onProgress ? { onProgress: (bytes: number) => onProgress(bytes, stats.size) } : {}),
      },
      {
        other: (kind, position) => accounting.add(kind, position),
        record: (pick) => {
          // One hash-set operation per record instead of two (has, then add): a pick_id already
          // there leaves the size unchanged.
          const before = seen.size;
          seen.add(pick.pickId);
          if (seen.size === before) {
            accounting.add("duplicate_pick_id", pick.position);
            return;
          }
          accounting.add("record", pick.position);
          grades!.applyTo(pick);
          onPick?.(pick);
        },
      },
    );
    provenance.format = result.format;
    provenance.bytes_read = result.bytesRead;
    provenance.sha256 = result.sha256;
    provenance.scanner = result.format === "jsonl" ? scannerPath() : "javascript";
  } catch (error) {
    // The scanning threads stop before the file is closed: a request still queued for one of them
    // must never reach a closed (or reused) descriptor.
    await pool?.close();
    await loading;
    throw readFailure("store", options.store.path, error);
  } finally {
    await handle.close();
  }
  const lineAccounting = accounting.report();
  provenance.line_count = lineAccounting.total_lines;
  return { provenance, line_accounting: lineAccounting, grade_overlay: (await loading).report() };
}
