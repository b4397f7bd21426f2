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

/** The top-level fields a RawPick copies, in its order. */
export const RAW_FIELDS = [
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

/**
 * Builds a RawPick from the values of RAW_FIELDS (`fields`, in that order; undefined where the
 * key is absent). Every RawPick is made by this one literal, so all of them have every property
 * in the same order: one shape, which keeps the code that reads them monomorphic.
 */
export function rawPickOf(
  pickId: string,
  fields: readonly unknown[],
  modelPredsValues: unknown,
  rawInputsEmpty: boolean,
  errorPath: boolean,
  heuristic: boolean,
): RawPick {
  return {
    pick_id: pickId,
    grade_status: fields[0],
    result: fields[1],
    actual_value: fields[2],
    graded_at: fields[3],
    actual_home_score: fields[4],
    actual_away_score: fields[5],
    total_score: fields[6],
    pick_type: fields[7],
    market: fields[8],
    sport: fields[9],
    home_team: fields[10],
    away_team: fields[11],
    date_et: fields[12],
    created_at: fields[13],
    persisted_at_et: fields[14],
    event_id: fields[15],
    model_preds_values: modelPredsValues === null ? undefined : modelPredsValues,
    raw_inputs_empty: rawInputsEmpty,
    error_path: errorPath,
    heuristic,
  };
}

/** The scorer took an error, fallback or timeout path (the signals of ai_breakdown and scoring_breakdown). */
export function isErrorPath(error: unknown, fallback: unknown, timeout: unknown, scoringError: unknown, modelStatus: unknown): boolean {
  return isSet(error) || isSet(fallback) || isSet(timeout) || isSet(scoringError) || ERROR_STATUSES.has(upper(modelStatus) ?? "");
}

/** The record or its breakdown was scored by the heuristic fallback. */
export function isHeuristic(breakdownMode: unknown, recordMode: unknown): boolean {
  return HEURISTIC_MODES.has(upper(breakdownMode) ?? "") || HEURISTIC_MODES.has(upper(recordMode) ?? "");
}

/** Takes from a parsed record the values engine1 reads (see RawPick and rawPickOf). */
export function extractRawPick(object: JsonObject, pickId: string): RawPick {
  const breakdown = object.ai_breakdown;
  const rawInputs = child(breakdown, "raw_inputs");
  const scoring = object.scoring_breakdown;
  // A value, or undefined when the key is absent (no JSON value is undefined).
  const fields = RAW_FIELDS.map((key) => (Object.hasOwn(object, key) ? object[key] : undefined));
  return rawPickOf(
    pickId,
    fields,
    child(child(rawInputs, "model_preds"), "values"),
    !isJsonObject(rawInputs) || Object.keys(rawInputs).length === 0,
    isErrorPath(child(breakdown, "error"), child(breakdown, "fallback"), child(scoring, "timeout"), child(scoring, "error"), child(breakdown, "model_status")),
    isHeuristic(child(breakdown, "ai_mode"), object.ai_mode),
  );
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
