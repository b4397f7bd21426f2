/**
 * The native block scanner (SPEC 12): simdjson's DOM parser, compiled by node-gyp into a small
 * Node-API addon (native/scanner.cc, built by scripts/build-native.js at install time), validates
 * every line and builds, for each JSON object, a reduced object holding only what the reference
 * reads. The classes and values are finished here with the reference code itself (`readValue`,
 * `extractRawPick`), and every line the addon is not sure about is re-read with `JSON.parse`, so
 * the output is exactly `scanBlockJs`'s. Without the addon, engine1 uses `scanBlockJs`.
 *
 * What the addon keeps of `ai_breakdown` (error, fallback, model_status, ai_mode,
 * raw_inputs.model_preds.values and raw_inputs' emptiness) and of `scoring_breakdown` (timeout,
 * error) is written in native/scanner.cc: if extractRawPick reads more of them, that file must keep
 * it too. Top-level fields are found here by probing extractRawPick. tests/scan-differential.test.ts
 * compares the two scans.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { classifyLine, readValue, type JsonObject, type LineReading } from "../store/classify-line.js";
import { extractRawPick } from "../store/pick.js";
import { KIND_CODE, scanBlockJs, type BlockKind, type BlockRecord, type ScannedBlock } from "./block.js";

export type ScannerPath = "native-simdjson" | "javascript";

/** The compiled addon (native/scanner.cc). */
export interface NativeScanner {
  /**
   * One call per block: a code per line (0 object, 1 blank, 2 parse_error, 3 not_object,
   * 5 fallback), the reduced objects in line order, and [start, end) byte offsets of the
   * fallback lines. `keys` are the top-level keys copied in full; `names` are NATIVE_NAMES.
   */
  scan(block: Uint8Array, keys: readonly string[], names: readonly string[]): [Uint8Array, JsonObject[], Float64Array];
  /** The simdjson kernel chosen at run time for this CPU (e.g. "icelake", "haswell"). */
  implementation(): string;
}

/** Where scripts/build-native.js puts the addon, from dist/scan/ or src/scan/ alike. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL("../../native/build/Release/engine1_scanner.node", import.meta.url));

const NATIVE_OBJECT = 0;
const NATIVE_FALLBACK = 5;
/** The addon's codes for the classes it settles by itself, as block.ts numbers them. */
const NATIVE_KIND: readonly number[] = [-1, KIND_CODE.blank, KIND_CODE.parse_error, KIND_CODE.not_object];

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
  return typeof candidate === "object" && candidate !== null && typeof candidate.scan === "function" && typeof candidate.implementation === "function";
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
      loadProblem = "the addon does not export scan()";
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

/** Same input and exactly the same output as scanBlockJs (src/scan/block.ts). */
export function scanBlockNative(native: NativeScanner, block: Uint8Array): ScannedBlock {
  const [codes, objects, fallbacks] = native.scan(block, NATIVE_FULL_COPY_KEYS, NATIVE_NAMES);
  const records: BlockRecord[] = [];
  let nextObject = 0;
  let nextFallback = 0;
  let buffer: Buffer | undefined;
  for (let index = 0; index < codes.length; index++) {
    const code = codes[index] as number;
    let reading: LineReading;
    if (code === NATIVE_OBJECT) {
      reading = readValue(objects[nextObject++]);
    } else if (code === NATIVE_FALLBACK) {
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
