import { isUtf8 } from "node:buffer";
import type { LineEnd } from "./line-limits.js";

export type JsonObject = Record<string, unknown>;

/** What one line is before duplicate detection, which needs the lines before it. */
export type LineReading =
  | { kind: "record"; object: JsonObject; pickId: string }
  | { kind: "blank" | "parse_error" | "not_object" | "missing_pick_id" | "truncated_tail" };

/** A non-empty string `pick_id` ("empty after trimming" counts as missing), or null. */
export function pickIdOf(object: JsonObject): string | null {
  const id = object.pick_id;
  return typeof id === "string" && id.trim() !== "" ? id : null;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a parsed JSON value as a store record: an object with a pick_id. */
export function readValue(value: unknown): LineReading {
  if (!isJsonObject(value)) return { kind: "not_object" };
  const pickId = pickIdOf(value);
  return pickId === null ? { kind: "missing_pick_id" } : { kind: "record", object: value, pickId };
}

/**
 * Classifies one physical line as `JSON.parse` reads it (SPEC 3, precise readings): the truncated
 * tail wins over everything; then invalid UTF-8 and oversize lines are parse errors; then blank.
 */
export function classifyLine(bytes: Buffer, end: LineEnd): LineReading {
  if (end === "tail") return { kind: "truncated_tail" };
  if (end === "oversize" || !isUtf8(bytes)) return { kind: "parse_error" };
  const text = bytes.toString("utf8");
  if (text.trim() === "") return { kind: "blank" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "parse_error" };
  }
  return readValue(value);
}
