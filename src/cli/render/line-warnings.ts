import type { LineAccountingReport } from "../../store/line-accounting.js";
import { BAD_LINE_CLASSES, type BadLineClass } from "../../store/line-accounting.js";

const WHAT: Record<BadLineClass, [one: string, many: string]> = {
  parse_error: ["is not valid JSON (or not UTF-8, or over 64 MiB)", "are not valid JSON (or not UTF-8, or over 64 MiB)"],
  not_object: ["is valid JSON but not an object", "are valid JSON but not objects"],
  missing_pick_id: ["is an object without a non-empty string pick_id", "are objects without a non-empty string pick_id"],
  duplicate_pick_id: ["repeats a pick_id of an earlier UNIT (the first is kept)", "repeat a pick_id of an earlier UNIT (the first is kept)"],
  truncated_tail: ["has no newline: a write in progress, left for the next run", "have no newline"],
};

/**
 * One line per bad class of a file: which file, which lines, what is wrong. `unit` is "line" for
 * JSONL and "element" for a legacy array store.
 */
export function lineWarnings(file: string, accounting: LineAccountingReport, unit: "line" | "element" = "line"): string[] {
  const warnings: string[] = [];
  for (const lineClass of BAD_LINE_CLASSES) {
    const count = accounting.counts[lineClass];
    if (count === 0) continue;
    const first = accounting.first_bad_lines[lineClass];
    const where = count === 1 ? `${unit} ${first[0]}` : `${count} ${unit}s (first: ${first.join(", ")})`;
    warnings.push(`${file}: ${where} ${WHAT[lineClass][count === 1 ? 0 : 1].replace("UNIT", unit)}`);
  }
  return warnings;
}
