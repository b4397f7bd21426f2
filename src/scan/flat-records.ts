/**
 * The fast path's flat output (native/scanner.cc: a kind byte per value, a numbers array, and the
 * block's string values in two texts) turned back into the reduced objects the DOM path builds.
 * What is kept of `ai_breakdown` and `scoring_breakdown` must follow extractRawPick (src/store/pick.ts);
 * top-level fields are found by probing it.
 */
import type { JsonObject } from "../store/classify-line.js";
import { extractRawPick, isErrorPath, isHeuristic, RAW_FIELDS, rawPickOf, type RawPick } from "../store/pick.js";

// The value kinds of a fast-path record (native/scanner.cc, enum Kind).
const KIND_ABSENT = 0;
const KIND_STRING = 1;
const KIND_NULL = 2;
const KIND_TRUE = 3;
const KIND_FALSE = 4;
const KIND_NUMBER = 5;
const KIND_EXTRA = 6;
const KIND_OBJECT_EMPTY = 7;
const KIND_OBJECT = 8;
const KIND_UNICODE = 9;
// The positions after the copied keys (native/scanner.cc, enum Tail).
const TAIL_BREAKDOWN = 0;
const TAIL_BD_ERROR = 1;
const TAIL_BD_FALLBACK = 2;
const TAIL_BD_STATUS = 3;
const TAIL_BD_MODE = 4;
const TAIL_RAW = 5;
const TAIL_PREDS = 6;
const TAIL_VALUES = 7;
const TAIL_SCORING = 8;
const TAIL_SC_TIMEOUT = 9;
const TAIL_SC_ERROR = 10;
const TAIL_COUNT = 11;

/**
 * The top-level keys extractRawPick reads (found by running it on a probe, so that a field added
 * to pick.ts is copied by the addon too), plus pick_id. "ai_breakdown" and "scoring_breakdown"
 * are not in the list: the addon reduces them to what extractRawPick reads of them.
 */
function fullCopyKeys(): string[] {
  const seen = new Set<string>();
  const note = (key: string | symbol): void => {
    if (typeof key === "string") seen.add(key);
  };
  const probe = new Proxy(
    {},
    {
      get(_target, key) {
        note(key);
        return undefined;
      },
      has(_target, key) {
        note(key);
        return false;
      },
      getOwnPropertyDescriptor(_target, key) {
        note(key);
        return undefined;
      },
    },
  );
  extractRawPick(probe as JsonObject, "probe");
  seen.add("pick_id");
  seen.delete("ai_breakdown");
  seen.delete("scoring_breakdown");
  return [...seen];
}

export const NATIVE_FULL_COPY_KEYS: readonly string[] = Object.freeze(fullCopyKeys());
export const COPY_KEYS = NATIVE_FULL_COPY_KEYS;
const COPY_KEY_IS_PROTO: readonly boolean[] = COPY_KEYS.map((key) => key === "__proto__");

/**
 * Where nextRawPick finds each RAW_FIELDS value, pick_id and the record's own ai_mode among the
 * copied keys; null when the copied keys are not exactly those (extractRawPick reads something
 * else now), and then only the object path (next, then extractRawPick) is used.
 */
const FUSED: { fields: readonly number[]; pickId: number; aiMode: number } | null = (() => {
  const at = (key: string): number => COPY_KEYS.indexOf(key);
  const known = new Set<string>([...RAW_FIELDS, "pick_id", "ai_mode"]);
  if (COPY_KEYS.length !== known.size || !COPY_KEYS.every((key) => known.has(key))) return null;
  return { fields: RAW_FIELDS.map(at), pickId: at("pick_id"), aiMode: at("ai_mode") };
})();

/** The property names of the reduced objects, in the addon's order (it checks them). */
export const NATIVE_NAMES: readonly string[] = Object.freeze([
  "ai_breakdown",
  "scoring_breakdown",
  "error",
  "fallback",
  "model_status",
  "ai_mode",
  "raw_inputs",
  "model_preds",
  "values",
  "timeout",
]);

/**
 * The fast path's records, turned into the reduced objects the DOM path builds (native/scanner.cc,
 * Builder): the copied keys present in the line, ai_breakdown as {error?, fallback?, model_status?,
 * ai_mode?, raw_inputs?: {model_preds?: {values?}}} and scoring_breakdown as {timeout?, error?}.
 */
export class FlatRecords {
  private kind = 0;
  private number = 0;
  private extra = 0;

  constructor(
    private readonly kinds: Uint8Array,
    private readonly numbers: Float64Array,
    private readonly ascii: string,
    private readonly unicode: string,
    private readonly extras: unknown[],
  ) {}

  /** The next entry of `extras`: the DOM path's reduced objects come in line order there too. */
  nextExtra(): unknown {
    return this.extras[this.extra++];
  }

  private value(kind: number): unknown {
    switch (kind) {
      case KIND_STRING: {
        const text = this.ascii.slice(this.numbers[this.number], this.numbers[this.number + 1]);
        this.number += 2;
        return text;
      }
      case KIND_UNICODE: {
        const text = this.unicode.slice(this.numbers[this.number], this.numbers[this.number + 1]);
        this.number += 2;
        return text;
      }
      case KIND_NULL:
        return null;
      case KIND_TRUE:
        return true;
      case KIND_FALSE:
        return false;
      case KIND_NUMBER:
        return this.numbers[this.number++];
      case KIND_EXTRA:
        return this.extras[this.extra++];
      default:
        throw new Error(`native scanner: unexpected value kind ${kind}`);
    }
  }

  /** Whether nextRawPick can be used (see FUSED). */
  static readonly fused = FUSED !== null;
  private readonly copied: unknown[] = new Array<unknown>(COPY_KEYS.length);
  private readonly fields: unknown[] = new Array<unknown>(RAW_FIELDS.length);

  /**
   * The next fast-path record as extractRawPick(readValue(next())) reads it, without building
   * the reduced object first (null: the object has no usable pick_id, `missing_pick_id`). The
   * values are consumed in the same order as next() consumes them. Only when `fused`.
   */
  nextRawPick(): RawPick | null {
    const fused = FUSED!;
    const kinds = this.kinds;
    const copied = this.copied;
    let at = this.kind;
    for (let i = 0; i < copied.length; i++) {
      const kind = kinds[at++] as number;
      copied[i] = kind === KIND_ABSENT ? undefined : this.value(kind);
    }
    this.kind = at + TAIL_COUNT;
    // ai_breakdown as next() rebuilds it, read as extractRawPick reads it: an absent or null
    // breakdown (or raw_inputs) reads as an absent one; error and fallback are already isSet().
    let error = false;
    let fallback = false;
    let modelStatus: unknown;
    let breakdownMode: unknown;
    let rawInputsEmpty = true;
    let values: unknown;
    if (kinds[at + TAIL_BREAKDOWN] === KIND_OBJECT) {
      error = kinds[at + TAIL_BD_ERROR] === KIND_TRUE;
      fallback = kinds[at + TAIL_BD_FALLBACK] === KIND_TRUE;
      const statusKind = kinds[at + TAIL_BD_STATUS] as number;
      if (statusKind !== KIND_ABSENT) modelStatus = this.value(statusKind);
      const modeKind = kinds[at + TAIL_BD_MODE] as number;
      if (modeKind !== KIND_ABSENT) breakdownMode = this.value(modeKind);
      const rawKind = kinds[at + TAIL_RAW];
      const predsKind = kinds[at + TAIL_PREDS];
      const valuesKind = kinds[at + TAIL_VALUES] as number;
      if (rawKind === KIND_OBJECT) {
        rawInputsEmpty = false; // { model_preds: ... }
        if (predsKind === KIND_OBJECT && valuesKind !== KIND_ABSENT) values = this.value(valuesKind);
      }
    }
    let timeout = false;
    let scoringError = false;
    if (kinds[at + TAIL_SCORING] === KIND_OBJECT) {
      timeout = kinds[at + TAIL_SC_TIMEOUT] === KIND_TRUE;
      scoringError = kinds[at + TAIL_SC_ERROR] === KIND_TRUE;
    }
    const pickId = copied[fused.pickId];
    // readValue: a record needs a non-empty string pick_id (pickIdOf).
    if (typeof pickId !== "string" || pickId.trim() === "") return null;
    const fields = this.fields;
    for (let j = 0; j < fields.length; j++) fields[j] = copied[fused.fields[j]!];
    return rawPickOf(
      pickId,
      fields,
      values,
      rawInputsEmpty,
      isErrorPath(error, fallback, timeout, scoringError, modelStatus),
      isHeuristic(breakdownMode, copied[fused.aiMode]),
    );
  }

  /** The next fast-path record's reduced object. */
  next(): JsonObject {
    const kinds = this.kinds;
    const object: JsonObject = {};
    let at = this.kind;
    for (let i = 0; i < COPY_KEYS.length; i++) {
      const kind = kinds[at++] as number;
      if (kind === KIND_ABSENT) continue;
      const value = this.value(kind);
      if (COPY_KEY_IS_PROTO[i]) {
        // JSON.parse makes "__proto__" an own data property; a plain set would change the prototype.
        Object.defineProperty(object, "__proto__", { value, writable: true, enumerable: true, configurable: true });
      } else {
        object[COPY_KEYS[i] as string] = value;
      }
    }
    this.kind = at + TAIL_COUNT;
    const breakdown = kinds[at + TAIL_BREAKDOWN];
    if (breakdown === KIND_NULL) {
      object.ai_breakdown = null;
    } else if (breakdown === KIND_OBJECT) {
      const reduced: JsonObject = {};
      let kind = kinds[at + TAIL_BD_ERROR];
      if (kind !== KIND_ABSENT) reduced.error = kind === KIND_TRUE;
      kind = kinds[at + TAIL_BD_FALLBACK];
      if (kind !== KIND_ABSENT) reduced.fallback = kind === KIND_TRUE;
      kind = kinds[at + TAIL_BD_STATUS] as number;
      if (kind !== KIND_ABSENT) reduced.model_status = this.value(kind);
      kind = kinds[at + TAIL_BD_MODE] as number;
      if (kind !== KIND_ABSENT) reduced.ai_mode = this.value(kind);
      kind = kinds[at + TAIL_RAW];
      if (kind === KIND_NULL) {
        reduced.raw_inputs = null;
      } else if (kind === KIND_OBJECT_EMPTY) {
        reduced.raw_inputs = {};
      } else if (kind === KIND_OBJECT) {
        // Read before branching, and built as literals: a store sorted by date may have no
        // model_preds in its first months, and an arithmetic or property store that the JIT has
        // never seen run makes the optimised code bail out on every record once they appear.
        const predsKind = kinds[at + TAIL_PREDS];
        const valuesKind = kinds[at + TAIL_VALUES] as number;
        let preds: JsonObject | null = null;
        if (predsKind === KIND_OBJECT) preds = valuesKind !== KIND_ABSENT ? { values: this.value(valuesKind) } : {};
        reduced.raw_inputs = { model_preds: preds };
      }
      object.ai_breakdown = reduced;
    }
    const scoring = kinds[at + TAIL_SCORING];
    if (scoring === KIND_NULL) {
      object.scoring_breakdown = null;
    } else if (scoring === KIND_OBJECT) {
      const reduced: JsonObject = {};
      let kind = kinds[at + TAIL_SC_TIMEOUT];
      if (kind !== KIND_ABSENT) reduced.timeout = kind === KIND_TRUE;
      kind = kinds[at + TAIL_SC_ERROR];
      if (kind !== KIND_ABSENT) reduced.error = kind === KIND_TRUE;
      object.scoring_breakdown = reduced;
    }
    return object;
  }
}
