import type { lineAccountingSchema } from "../schemas/store.js";
import type { z } from "zod";
/** The seven classes every physical line of a store falls into (SPEC 3). */
export const LINE_CLASSES = [
  "record",
  "blank",
  "parse_error",
  "not_object",
  "missing_pick_id",
  "duplicate_pick_id",
  "truncated_tail",
] as const;
export type LineClass = (typeof LINE_CLASSES)[number];

/** The classes whose line numbers are worth showing: not records, not blank lines. */
export const BAD_LINE_CLASSES = ["parse_error", "not_object", "missing_pick_id", "duplicate_pick_id", "truncated_tail"] as const;
export type BadLineClass = (typeof BAD_LINE_CLASSES)[number];

/** How many line numbers of each bad class are kept. */
export const FIRST_BAD_LINES_KEPT = 5;

export type LineAccountingReport = z.infer<typeof lineAccountingSchema>;

function zeroCounts(): Record<LineClass, number> {
  return Object.fromEntries(LINE_CLASSES.map((c) => [c, 0])) as Record<LineClass, number>;
}

/** Counts lines per class and remembers where the first bad ones are. */
export class LineAccounting {
  private totalLines = 0;
  private readonly counts = zeroCounts();
  private readonly firstBad = Object.fromEntries(BAD_LINE_CLASSES.map((c) => [c, [] as number[]])) as Record<
    BadLineClass,
    number[]
  >;

  add(lineClass: LineClass, position: number): void {
    this.totalLines += 1;
    this.counts[lineClass] += 1;
    if (lineClass !== "record" && lineClass !== "blank") {
      const kept = this.firstBad[lineClass];
      if (kept.length < FIRST_BAD_LINES_KEPT) kept.push(position);
    }
  }

  count(lineClass: LineClass): number {
    return this.counts[lineClass];
  }

  report(): LineAccountingReport {
    const sum = LINE_CLASSES.reduce((acc, c) => acc + this.counts[c], 0);
    return {
      total_lines: this.totalLines,
      counts: { ...this.counts },
      first_bad_lines: Object.fromEntries(BAD_LINE_CLASSES.map((c) => [c, [...this.firstBad[c]]])) as Record<
        BadLineClass,
        number[]
      >,
      reconciled: sum === this.totalLines,
    };
  }
}
