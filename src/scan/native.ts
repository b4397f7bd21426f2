/**
 * The native block scanner (SPEC 12): simdjson, compiled by node-gyp into a small Node-API addon
 * (native/scanner.cc, built by scripts/build-native.js at install time), validates every line and
 * hands back, for each JSON object, only what the reference reads: most lines through its fast
 * path (simdjson's stage 1 and a validating walk of the grammar, the values as kinds, numbers and
 * two texts per block, turned here into reduced objects), the others through simdjson's DOM parser
 * (the reduced objects built by the addon). The classes and values are finished here with the
 * reference code itself (`readValue`, `extractRawPick`), and every line the addon is not sure about
 * is re-read with `JSON.parse`, so the output is exactly `scanBlockJs`'s. Without the addon,
 * engine1 uses `scanBlockJs`.
 *
 * What the addon keeps of `ai_breakdown` (error, fallback, model_status, ai_mode,
 * raw_inputs.model_preds.values and raw_inputs' emptiness) and of `scoring_breakdown` (timeout,
 * error) is written in native/scanner.cc and in FlatRecords below: if extractRawPick reads more of
 * them, both must keep it too. Top-level fields are found here by probing extractRawPick.
 * tests/scan-differential.test.ts compares the two scans.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { classifyLine, readValue, type JsonObject, type LineReading } from "../store/classify-line.js";
import { extractRawPick } from "../store/pick.js";
import { KIND_CODE, scanBlockJs, type BlockKind, type BlockRecord, type ScannedBlock } from "./block.js";

export type ScannerPath = "native-simdjson" | "javascript";

/** What one scan() returns (native/scanner.cc says what each part holds). */
export type NativeScan = [
  codes: Uint8Array,
  kinds: Uint8Array,
  numbers: Float64Array,
  ascii: string,
  unicode: string,
  extras: unknown[],
  fallbacks: Float64Array,
];

/** The compiled addon (native/scanner.cc). */
export interface NativeScanner {
  /**
   * One call per block: a code per line (0 object read by the fast path, 6 object read by the
   * DOM path, 1 blank, 2 parse_error, 3 not_object, 5 fallback), the fast path's records as value
   * kinds, numbers and two texts (ASCII strings, others), the arrays, objects and DOM-path reduced
   * objects it built as JS values (`extras`), and [start, end) byte offsets of the fallback lines.
   * `keys` are the top-level keys copied in full; `names` are NATIVE_NAMES.
   */
  scan(block: Uint8Array, keys: readonly string[], names: readonly string[]): NativeScan;
  /** The simdjson kernel chosen at run time for this CPU (e.g. "icelake", "haswell"). */
  implementation(): string;
  /** Lines settled by the fast path and lines read by the DOM path, in this thread so far. */
  lineCounts(): [fast: number, dom: number];
}

/** Where scripts/build-native.js puts the addon, from dist/scan/ or src/scan/ alike. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL("../../native/build/Release/engine1_scanner.node", import.meta.url));

const CODE_OBJECT = 0;
const CODE_FALLBACK = 5;
const CODE_BUILT = 6;
/** The addon's codes for the classes it settles by itself, as block.ts numbers them. */
const NATIVE_KIND: readonly number[] = [-1, KIND_CODE.blank, KIND_CODE.parse_error, KIND_CODE.not_object];

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
const COPY_KEYS = NATIVE_FULL_COPY_KEYS;
const COPY_KEY_IS_PROTO: readonly boolean[] = COPY_KEYS.map((key) => key === "__proto__");

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

let loaded: NativeScanner | null | undefined;
let loadProblem: string | null = null;

function isNativeScanner(value: unknown): value is NativeScanner {
  const candidate = value as Partial<NativeScanner> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.scan === "function" &&
    typeof candidate.implementation === "function" &&
    typeof candidate.lineCounts === "function"
  );
}

function sameScan(a: ScannedBlock, b: ScannedBlock): boolean {
  return JSON.stringify([[...a.kinds], a.records]) === JSON.stringify([[...b.kinds], b.records]);
}

function tryLoad(): NativeScanner | null {
  if (!existsSync(NATIVE_ADDON_PATH)) {
    loadProblem = "not built (node scripts/build-native.js builds it)";
    return null;
  }
  try {
    const addon: unknown = createRequire(import.meta.url)(NATIVE_ADDON_PATH);
    if (!isNativeScanner(addon)) {
      loadProblem = "the addon does not export scan(), implementation() and lineCounts()";
      return null;
    }
    // A smoke check: a broken build must not decide anything.
    const sample = Buffer.from(
      '{"pick_id":"a","sport":"NBA","ai_breakdown":{"raw_inputs":{"model_preds":{"values":[0.5,1]}}}}\n \r\n[1]\n{"x":1}\n{bad\n',
    );
    if (!sameScan(scanBlockNative(addon, sample), scanBlockJs(sample))) {
      loadProblem = "the addon failed its smoke check";
      return null;
    }
    return addon;
  } catch (error) {
    loadProblem = error instanceof Error ? error.message.split("\n")[0] ?? "load failed" : String(error);
    return null;
  }
}

/**
 * Loads the compiled addon once; null when it is absent or unloadable (never throws).
 * ENGINE1_SCANNER=js forces null (the JavaScript scanner).
 */
export function loadNativeScanner(): NativeScanner | null {
  if (process.env.ENGINE1_SCANNER === "js") return null;
  if (loaded === undefined) loaded = tryLoad();
  return loaded;
}

/**
 * The fast path's records, turned into the reduced objects the DOM path builds (native/scanner.cc,
 * Builder): the copied keys present in the line, ai_breakdown as {error?, fallback?, model_status?,
 * ai_mode?, raw_inputs?: {model_preds?: {values?}}} and scoring_breakdown as {timeout?, error?}.
 */
class FlatRecords {
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
        let preds: JsonObject | null = null;
        if (kinds[at + TAIL_PREDS] === KIND_OBJECT) {
          preds = {};
          const values = kinds[at + TAIL_VALUES] as number;
          if (values !== KIND_ABSENT) preds.values = this.value(values);
        }
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

/** Same input and exactly the same output as scanBlockJs (src/scan/block.ts). */
export function scanBlockNative(native: NativeScanner, block: Uint8Array): ScannedBlock {
  const [codes, kinds, numbers, ascii, unicode, extras, fallbacks] = native.scan(block, COPY_KEYS, NATIVE_NAMES);
  const flat = new FlatRecords(kinds, numbers, ascii, unicode, extras);
  const records: BlockRecord[] = [];
  let nextFallback = 0;
  let buffer: Buffer | undefined;
  for (let index = 0; index < codes.length; index++) {
    const code = codes[index] as number;
    let reading: LineReading;
    if (code === CODE_OBJECT) {
      reading = readValue(flat.next());
    } else if (code === CODE_BUILT) {
      reading = readValue(flat.nextExtra());
    } else if (code === CODE_FALLBACK) {
      buffer ??= Buffer.from(block.buffer, block.byteOffset, block.byteLength);
      const start = fallbacks[nextFallback++] as number;
      const end = fallbacks[nextFallback++] as number;
      reading = classifyLine(buffer.subarray(start, end), "newline");
    } else {
      codes[index] = NATIVE_KIND[code] as number;
      continue;
    }
    if (reading.kind === "record") {
      records.push({ index, pickId: reading.pickId, raw: extractRawPick(reading.object, reading.pickId) });
    }
    codes[index] = KIND_CODE[reading.kind as BlockKind];
  }
  return { kinds: codes, records };
}

/** scanBlockNative when the addon loaded, else scanBlockJs. */
export function scanBlock(block: Uint8Array): ScannedBlock {
  const native = loadNativeScanner();
  return native === null ? scanBlockJs(block) : scanBlockNative(native, block);
}

/** Which scanner scanBlock uses. */
export function scannerPath(): ScannerPath {
  return loadNativeScanner() === null ? "javascript" : "native-simdjson";
}

/** For reports: the path, simdjson's kernel, or why the addon is not used. */
export function scannerDescription(): string {
  if (process.env.ENGINE1_SCANNER === "js") return "javascript (ENGINE1_SCANNER=js)";
  const native = loadNativeScanner();
  if (native !== null) return `native-simdjson (${native.implementation()})`;
  return `javascript (native scanner not available: ${loadProblem ?? "not built"})`;
}
