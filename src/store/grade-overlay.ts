import type { gradeOverlaySchema } from "../schemas/store.js";
import type { z } from "zod";
import type { ResolvedPath } from "../paths.js";
import { LineAccounting, type LineAccountingReport } from "./line-accounting.js";
import { openInput, readFailure } from "./open-input.js";
import { GRADE_FIELDS, type GradeValues } from "./pick.js";
import { readSource, type StoreFormat } from "./record-source.js";

export type GradeOverlayReport = z.infer<typeof gradeOverlaySchema>;

/**
 * The grade file read into memory as pick_id → the grade fields present in its last record.
 * Its lines are classified like the store's, but a repeated pick_id is not an error there: the
 * later record replaces the earlier one. A bad line never discards the other grades.
 */
export class GradeIndex {
  private readonly grades = new Map<string, GradeValues>();
  private readonly matched = new Set<string>();
  private superseded = 0;
  private constructor(
    private readonly input: ResolvedPath | null,
    private readonly accounting: LineAccounting,
    private readonly fileInfo: { exists: boolean; format: StoreFormat | null; size: number; bytesRead: number },
  ) {}

  static empty(): GradeIndex {
    return new GradeIndex(null, new LineAccounting(), { exists: false, format: null, size: 0, bytesRead: 0 });
  }

  static async load(input: ResolvedPath | null, threads = 0): Promise<GradeIndex> {
    if (input === null) return GradeIndex.empty();
    const opened = await openInput(input, "grade file", false);
    const { handle, stats } = opened!;
    const accounting = new LineAccounting();
    const info = { exists: true, format: null as StoreFormat | null, size: stats.size, bytesRead: 0 };
    const index = new GradeIndex(input, accounting, info);
    try {
      const result = await readSource(handle, { size: stats.size, threads }, (reading, position) => {
        accounting.add(reading.kind, position);
        if (reading.kind === "record") index.put(reading.pickId, reading.raw);
      });
      info.format = result.format;
      info.bytesRead = result.bytesRead;
    } catch (error) {
      throw readFailure("grade file", input.path, error);
    } finally {
      await handle.close();
    }
    return index;
  }

  private put(pickId: string, object: GradeValues): void {
    const grade: GradeValues = {};
    for (const key of GRADE_FIELDS) if (Object.hasOwn(object, key)) grade[key] = object[key];
    if (this.grades.has(pickId)) this.superseded += 1;
    this.grades.set(pickId, grade);
  }

  /** The grade for a store record, remembering that it matched. */
  take(pickId: string): GradeValues | undefined {
    const grade = this.grades.get(pickId);
    if (grade !== undefined) this.matched.add(pickId);
    return grade;
  }

  report(): GradeOverlayReport {
    return {
      path: this.input?.path ?? null,
      source: this.input?.source ?? null,
      exists: this.fileInfo.exists,
      format: this.fileInfo.format,
      size_bytes: this.fileInfo.size,
      bytes_read: this.fileInfo.bytesRead,
      line_accounting: this.accounting.report(),
      grade_records: this.grades.size,
      superseded: this.superseded,
      applied: this.matched.size,
      orphaned: this.grades.size - this.matched.size,
    };
  }
}
