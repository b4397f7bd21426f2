import type { gradeOverlaySchema } from "../schemas/store.js";
import type { z } from "zod";
import type { ResolvedPath } from "../paths.js";
import { LineAccounting, type LineAccountingReport } from "./line-accounting.js";
import { openInput, readFailure } from "./open-input.js";
import { finiteOrNull, type Pick } from "./normalize.js";
import { normalizeLabel, type GradeValues } from "./pick.js";
import { readSource, type StoreFormat } from "./record-source.js";

/** A score as normalizePick reads it (finite, else null), with null as NaN (NaN is never finite). */
const finiteOrNaN = (value: unknown): number => finiteOrNull(value) ?? Number.NaN;
const nanToNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

export type GradeOverlayReport = z.infer<typeof gradeOverlaySchema>;

// A grade's fields that a pick reads, each kept only where its key is present, i.e. not undefined
// (see applyGradeToPick).
const HAS_GRADE_STATUS = 1;
const HAS_RESULT = 2;
const HAS_HOME_SCORE = 4;
const HAS_AWAY_SCORE = 8;

/**
 * The grade file read into memory as pick_id → the grade fields present in its last record.
 * Its lines are classified like the store's, but a repeated pick_id is not an error there: the
 * later record replaces the earlier one. A bad line never discards the other grades.
 *
 * Only what a pick reads of a grade is kept, already normalised (the same normalisation as
 * applyGradeToPick, done once per grade record instead of once per match), in typed arrays
 * indexed by a slot per pick_id: about a third of the memory of an object per grade, which
 * matters with a grade file as long as the store.
 */
export class GradeIndex {
  private readonly slots = new Map<string, number>();
  private present = new Uint8Array(1024);
  private matched = new Uint8Array(1024);
  private labels = new Int32Array(2048);
  private scores = new Float64Array(2048);
  private readonly labelText: (string | null)[] = [];
  private readonly labelIndex = new Map<string | null, number>();
  private applied = 0;
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

  private label(value: string | null): number {
    let i = this.labelIndex.get(value);
    if (i === undefined) {
      i = this.labelText.push(value) - 1;
      this.labelIndex.set(value, i);
    }
    return i;
  }

  private put(pickId: string, grade: GradeValues): void {
    let slot = this.slots.get(pickId);
    if (slot !== undefined) {
      this.superseded += 1;
    } else {
      slot = this.slots.size;
      this.slots.set(pickId, slot);
      if (slot === this.present.length) this.grow();
    }
    // The later record replaces the earlier one whole: fields it lacks are no longer present.
    let present = 0;
    if (grade.grade_status !== undefined) {
      present |= HAS_GRADE_STATUS;
      this.labels[2 * slot] = this.label(normalizeLabel(grade.grade_status));
    }
    if (grade.result !== undefined) {
      present |= HAS_RESULT;
      this.labels[2 * slot + 1] = this.label(normalizeLabel(grade.result));
    }
    if (grade.actual_home_score !== undefined) {
      present |= HAS_HOME_SCORE;
      this.scores[2 * slot] = finiteOrNaN(grade.actual_home_score);
    }
    if (grade.actual_away_score !== undefined) {
      present |= HAS_AWAY_SCORE;
      this.scores[2 * slot + 1] = finiteOrNaN(grade.actual_away_score);
    }
    this.present[slot] = present;
  }

  private grow(): void {
    const grown = <T extends Uint8Array | Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.present = grown(this.present);
    this.matched = grown(this.matched);
    this.labels = grown(this.labels);
    this.scores = grown(this.scores);
  }

  /**
   * Applies the grade of a store record's pick_id to its pick, if there is one, remembering that
   * it matched: the same as applyGradeToPick(pick, the grade record).
   */
  applyTo(pick: Pick): void {
    if (this.slots.size === 0) return;
    const slot = this.slots.get(pick.pickId);
    if (slot === undefined) return;
    if (this.matched[slot] === 0) {
      this.matched[slot] = 1;
      this.applied += 1;
    }
    const present = this.present[slot]!;
    if (present & HAS_GRADE_STATUS) pick.gradeStatus = this.labelText[this.labels[2 * slot]!]!;
    if (present & HAS_RESULT) pick.result = this.labelText[this.labels[2 * slot + 1]!]!;
    if (present & HAS_HOME_SCORE) pick.homeScore = nanToNull(this.scores[2 * slot]!);
    if (present & HAS_AWAY_SCORE) pick.awayScore = nanToNull(this.scores[2 * slot + 1]!);
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
      grade_records: this.slots.size,
      superseded: this.superseded,
      applied: this.applied,
      orphaned: this.slots.size - this.applied,
    };
  }
}
