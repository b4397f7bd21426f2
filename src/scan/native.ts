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
import { MAX_LINE_BYTES } from "../store/line-limits.js";
import { COPY_KEYS, FlatRecords, NATIVE_NAMES } from "./flat-records.js";

export { NATIVE_FULL_COPY_KEYS, NATIVE_NAMES } from "./flat-records.js";

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

/** What one scanRange() returns: scan()'s parts, the fallback lines' bytes, and whether the range ends in the tail. */
export type NativeRangeScan = [...NativeScan, fallbackBytes: Uint8Array, tail: number];

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
  /**
   * The lines that start in [start, end) of an open file, read through a mapping of it (POSIX
   * builds only): scan()'s parts with the fallback lines' bytes alongside, and 1 when the range
   * ends in the snapshot's truncated tail. Lines longer than `maxLine` are parse errors (code 2).
   * Throws an error with code ESHRANK when the file shrinks below `size` while it is read.
   */
  scanRange?(fd: number, start: number, end: number, size: number, maxLine: number, keys: readonly string[], names: readonly string[]): NativeRangeScan;
}

/** Where scripts/build-native.js puts the addon, from dist/scan/ or src/scan/ alike. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL("../../native/build/Release/engine1_scanner.node", import.meta.url));

const CODE_OBJECT = 0;
const CODE_FALLBACK = 5;
const CODE_BUILT = 6;
/** The addon's codes for the classes it settles by itself, as block.ts numbers them. */
const NATIVE_KIND: readonly number[] = [-1, KIND_CODE.blank, KIND_CODE.parse_error, KIND_CODE.not_object];


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


/** Same input and exactly the same output as scanBlockJs (src/scan/block.ts). */
export function scanBlockNative(native: NativeScanner, block: Uint8Array): ScannedBlock {
  return finishScan(native.scan(block, COPY_KEYS, NATIVE_NAMES), block);
}

/** An addon built with scanRange (POSIX). */
export type RangeScanner = NativeScanner & { scanRange: NonNullable<NativeScanner["scanRange"]> };

/** Whether this build of the addon can read ranges of a file itself (scanRange). */
export function canScanRanges(native: NativeScanner | null): native is RangeScanner {
  return native !== null && typeof native.scanRange === "function";
}

/** A range's lines (see NativeScanner.scanRange), finished as scanBlockNative finishes a block's; `tail` when it ends in the truncated tail. */
export function scanRangeNative(
  native: RangeScanner,
  fd: number,
  range: { start: number; end: number; size: number; maxLine?: number },
): { block: ScannedBlock; tail: boolean } {
  const scanned = native.scanRange(fd, range.start, range.end, range.size, range.maxLine ?? MAX_LINE_BYTES, COPY_KEYS, NATIVE_NAMES);
  const [codes, kinds, numbers, ascii, unicode, extras, fallbacks, fallbackBytes, tail] = scanned;
  return { block: finishScan([codes, kinds, numbers, ascii, unicode, extras, fallbacks], fallbackBytes), tail: tail === 1 };
}

/** The addon's output turned into the reference's; fallback lines are `source`'s bytes at the offsets given. */
function finishScan(scan: NativeScan, source: Uint8Array): ScannedBlock {
  const [codes, kinds, numbers, ascii, unicode, extras, fallbacks] = scan;
  const flat = new FlatRecords(kinds, numbers, ascii, unicode, extras);
  const records: BlockRecord[] = [];
  let nextFallback = 0;
  let buffer: Buffer | undefined;
  for (let index = 0; index < codes.length; index++) {
    const code = codes[index] as number;
    let reading: LineReading;
    if (code === CODE_OBJECT && FlatRecords.fused) {
      // The common case: straight from the flat values to the RawPick (no reduced object).
      const raw = flat.nextRawPick();
      if (raw === null) {
        codes[index] = KIND_CODE.missing_pick_id;
      } else {
        records.push({ index, pickId: raw.pick_id, raw });
        codes[index] = KIND_CODE.record;
      }
      continue;
    } else if (code === CODE_OBJECT) {
      reading = readValue(flat.next());
    } else if (code === CODE_BUILT) {
      reading = readValue(flat.nextExtra());
    } else if (code === CODE_FALLBACK) {
      buffer ??= Buffer.from(source.buffer, source.byteOffset, source.byteLength);
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
