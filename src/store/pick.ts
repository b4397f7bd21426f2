import type { JsonObject } from "./classify-line.js";
import { isJsonObject } from "./classify-line.js";

/** The fields a grade record carries onto its pick (SPEC 3, grade overlay). */
export const GRADE_FIELDS = [
  "grade_status",
  "result",
  "actual_value",
  "graded_at",
  "actual_home_score",
  "actual_away_score",
  "total_score",
] as const;
export type GradeField = (typeof GRADE_FIELDS)[number];
export type GradeValues = Partial<Record<GradeField, unknown>>;

/**
 * The raw values engine1 reads from a record, and nothing else: the rest of a record (the
 * scorer's whole output) is never kept. A field is `undefined` when its key is absent (the key
 * itself is always there: every RawPick has the same shape).
 */
export interface RawPick extends GradeValues {
  pick_id: string;
  pick_type?: unknown;
  market?: unknown;
  sport?: unknown;
  home_team?: unknown;
  away_team?: unknown;
  date_et?: unknown;
  created_at?: unknown;
  persisted_at_et?: unknown;
  event_id?: unknown;
  /** `ai_breakdown.raw_inputs.model_preds.values`; undefined when any level is absent or null. */
  model_preds_values?: unknown;
  /** `ai_breakdown.raw_inputs` is absent, null, not an object, or an empty object. */
  raw_inputs_empty: boolean;
  /** The scorer took an error, fallback or timeout path. */
  error_path: boolean;
  /** The record or its breakdown was scored by the heuristic fallback. */
  heuristic: boolean;
}

const HEURISTIC_MODES = new Set(["HEURISTIC_FALLBACK", "HEURISTIC_DETERMINISTIC"]);
const ERROR_STATUSES = new Set(["FALLBACK", "ERROR", "TIMEOUT"]);

function upper(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed.toUpperCase();
}

/** A value that signals something happened: not absent, null, false, 0 or an empty string/list/object. */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return true;
}

function child(value: unknown, key: string): unknown {
  return isJsonObject(value) ? value[key] : undefined;
}

const COPIED_FIELDS = [
  ...GRADE_FIELDS,
  "pick_type",
  "market",
  "sport",
  "home_team",
  "away_team",
  "date_et",
  "created_at",
  "persisted_at_et",
  "event_id",
] as const;

/** A copied field: its value, or undefined when the key is absent (no JSON value is undefined). */
function field(object: JsonObject, key: (typeof COPIED_FIELDS)[number]): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * Takes from a parsed record the values engine1 reads (see RawPick). Every RawPick has every
 * property, in the same order (undefined where the record lacks the key), so that all of them
 * share one shape: code reading them stays monomorphic, which matters once per record.
 */
export function extractRawPick(object: JsonObject, pickId: string): RawPick {
  const breakdown = object.ai_breakdown;
  const rawInputs = child(breakdown, "raw_inputs");
  const values = child(child(rawInputs, "model_preds"), "values");
  const scoring = object.scoring_breakdown;
  return {
    pick_id: pickId,
    grade_status: field(object, "grade_status"),
    result: field(object, "result"),
    actual_value: field(object, "actual_value"),
    graded_at: field(object, "graded_at"),
    actual_home_score: field(object, "actual_home_score"),
    actual_away_score: field(object, "actual_away_score"),
    total_score: field(object, "total_score"),
    pick_type: field(object, "pick_type"),
    market: field(object, "market"),
    sport: field(object, "sport"),
    home_team: field(object, "home_team"),
    away_team: field(object, "away_team"),
    date_et: field(object, "date_et"),
    created_at: field(object, "created_at"),
    persisted_at_et: field(object, "persisted_at_et"),
    event_id: field(object, "event_id"),
    model_preds_values: values === null ? undefined : values,
    raw_inputs_empty: !isJsonObject(rawInputs) || Object.keys(rawInputs).length === 0,
    error_path:
      isSet(child(breakdown, "error")) ||
      isSet(child(breakdown, "fallback")) ||
      isSet(child(scoring, "timeout")) ||
      isSet(child(scoring, "error")) ||
      ERROR_STATUSES.has(upper(child(breakdown, "model_status")) ?? ""),
    heuristic: HEURISTIC_MODES.has(upper(child(breakdown, "ai_mode")) ?? "") || HEURISTIC_MODES.has(upper(object.ai_mode) ?? ""),
  };
}

/**
 * Copies a grade record's present fields onto a pick (an explicit null is copied too). A field is
 * present when it is not undefined: a RawPick has every key (see extractRawPick).
 */
export function applyGrade(pick: RawPick, grade: GradeValues): void {
  for (const key of GRADE_FIELDS) {
    if (grade[key] !== undefined) pick[key] = grade[key];
  }
}

export { upper as normalizeLabel };
