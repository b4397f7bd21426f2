/**
 * The native scanner (native/scanner.cc via src/scan/native.ts) against the reference scan
 * (scanBlockJs: JSON.parse of every line): the same class for every line and, for records, the
 * same pick_id and RawPick, on random, mutated, hand-picked and realistic lines.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { generateFixtures } from "../src/fixtures/generate.js";
import { scanBlockJs, type ScannedBlock } from "../src/scan/block.js";
import {
  canScanRanges,
  scanRangeNative,
  NATIVE_ADDON_PATH,
  NATIVE_FULL_COPY_KEYS,
  NATIVE_NAMES,
  loadNativeScanner,
  scanBlock,
  scanBlockNative,
  scannerPath,
  type NativeScanner,
} from "../src/scan/native.js";
import { FlatRecords } from "../src/scan/flat-records.js";
import { readValue } from "../src/store/classify-line.js";
import { extractRawPick, GRADE_FIELDS, RAW_FIELDS, rawPickOf } from "../src/store/pick.js";

// The comparisons need the addon whatever ENGINE1_SCANNER says.
const forced = process.env.ENGINE1_SCANNER;
delete process.env.ENGINE1_SCANNER;
const native: NativeScanner | null = loadNativeScanner();
if (forced !== undefined) process.env.ENGINE1_SCANNER = forced;
const built = existsSync(NATIVE_ADDON_PATH);

// Realistic lines (and the fixture generator's bad lines) from a small generated store.
const fixtureDir = mkdtempSync(path.join(os.tmpdir(), "engine1-scan-diff-"));
afterAll(() => rmSync(fixtureDir, { recursive: true, force: true }));
const fixture = await generateFixtures({ records: 40, seed: 11, outDir: fixtureDir, recordBytes: 12000 });
const fixtureBytes = readFileSync(fixture.storePath);
const fixtureBlock = fixtureBytes.subarray(3, fixtureBytes.lastIndexOf(0x0a) + 1); // BOM at byte 0
const fixtureLines = fixtureBlock.toString("latin1").split("\n").slice(0, -1).map((l) => Buffer.from(l, "latin1"));

type Part = string | Uint8Array;
const bytes = (part: Part): Buffer => (typeof part === "string" ? Buffer.from(part, "utf8") : Buffer.from(part));

/** A block of complete lines, each ending in "\n" (or "\r\n"). */
function blockOf(lines: Part[], crlf = false): Buffer {
  return Buffer.concat(lines.flatMap((l) => [bytes(l), Buffer.from(crlf ? "\r\n" : "\n")]));
}

const show = (value: unknown): string => {
  const text = typeof value === "string" ? JSON.stringify(value) : Object.is(value, -0) ? "-0" : String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/**
 * Where two values first differ (null when they are the same): Object.is for primitives (so -0 is
 * not 0), the same prototype, the same own keys in the same order, the same property kinds.
 * Iterative, because records nest deeper than a recursive deep-equal can follow.
 */
function firstDifference(a: unknown, b: unknown): string | null {
  const stack: [unknown, unknown, string][] = [[a, b, "$"]];
  while (stack.length > 0) {
    const [x, y, at] = stack.pop()!;
    if (Object.is(x, y)) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return `${at}: ${show(x)} vs ${show(y)}`;
    if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return `${at}: different prototypes`;
    const xKeys = Reflect.ownKeys(x);
    const yKeys = Reflect.ownKeys(y);
    if (xKeys.length !== yKeys.length || xKeys.some((k, i) => k !== yKeys[i])) {
      return `${at}: keys ${show(xKeys.map(String).join(","))} vs ${show(yKeys.map(String).join(","))}`;
    }
    for (const key of xKeys) {
      const dx = Object.getOwnPropertyDescriptor(x, key)!;
      const dy = Object.getOwnPropertyDescriptor(y, key)!;
      if (!("value" in dx) || !("value" in dy) || dx.enumerable !== dy.enumerable || dx.writable !== dy.writable) {
        return `${at}.${String(key)}: different property kinds`;
      }
      stack.push([dx.value, dy.value, `${at}.${String(key)}`]);
    }
  }
  return null;
}

function expectSame(block: Uint8Array): void {
  const fast = scanBlockNative(native!, block);
  const reference = scanBlockJs(block);
  const difference = firstDifference(fast, reference);
  if (difference !== null) {
    const text = Buffer.from(block.buffer, block.byteOffset, block.byteLength).toString("utf8");
    expect.fail(`native vs JSON.parse differ at ${difference}\nblock (${block.byteLength} bytes): ${JSON.stringify(text.slice(0, 2000))}`);
  }
}

const COPIED = [
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
];

const EDGE_NUMBERS = [
  "0", "-0", "0.0", "-0.0", "-0e0", "-0E+1", "0e-5", "1e308", "1e309", "1e400", "-1e400", "1E-400", "-1E-400",
  "0.1", "12345678901234567890", "18446744073709551615", "18446744073709551616", "9223372036854775807",
  "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "9007199254740993", "9007199254740995",
  "4.9e-324", "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
  "1.7976931348623158e308", "1.7976931348623159e308", "2.2250738585072011e-308", "2.2250738585072014e-308",
  "123456789012345678901234567890", "0.000000000000000000000000000001", `0.${"0".repeat(400)}1`, `1${"0".repeat(330)}`,
  `${"9".repeat(25)}e-10`, "1e-7", "100e-2", "3.141592653589793238462643383279", "0e999999999999", "1e99999999999999999999",
];
const BAD_ATOMS = ["NaN", "Infinity", "-Infinity", "undefined", "tru", "nul", "True", "'s'", "0x10", ".5", "+1", "01", "1.", "-", "1e", "--1", "1.e5", "-01"];

const digits = (max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: max });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Number texts: valid ones of every form, and in loose mode leading zeros and the like. */
const numberText = (loose: boolean): fc.Arbitrary<string> =>
  pick(
    { weight: 1, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
    { weight: 3, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom("0", "-0", "1", "-1", "0.5", "-0.5", "100", "-110") },
    { weight: loose ? 1 : 0, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String) },
    { weight: 4, arbitrary: finite.map(String) },
    { weight: 1, arbitrary: fc.tuple(finite, fc.integer({ min: 1, max: 40 })).map(([d, p]) => d.toPrecision(p)) },
    { weight: 1, arbitrary: fc.tuple(finite, fc.integer({ min: 0, max: 30 })).map(([d, p]) => d.toExponential(p)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom("", "-"),
          loose ? digits(30) : fc.oneof(fc.constant("0"), digits(18).map((d) => `1${d}`)),
          fc.option(digits(30)),
          fc.option(fc.tuple(fc.constantFrom("e", "E", "e+", "e-", "E-"), digits(loose ? 4 : 2))),
        )
        .map(([sign, int, frac, exp]) => `${sign}${int}${frac === null ? "" : `.${frac}`}${exp === null ? "" : exp.join("")}`),
    },
  );

const VALID_PIECES = [
  "\\u0000", "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\udbff\\udfff", "\\u00e9", "\\u2028", "\\/", "\\\\", '\\"', "\\b\\f\\n\\r\\t", "é",
  "😀", "\u00a0", "\ufeff", "\u2028", "\u0085", "\u007f", "-0", ":-0,", "a-0", "pick_id", "HEURISTIC_FALLBACK",
  " heuristic_deterministic ", "fallback", "ERROR", " timeout ",
];
// What JSON.parse accepts and simdjson does not (lone surrogates), or neither does.
const ODD_PIECES = ["\\ud800", "\\udc00", "\\ud83dx", "\\ud800\\u0041", "\\x", "\\u12", "\\uZZZZ", "\t", "\u0001", "\u001f", "\\"];
/** fc.oneof over the choices whose weight is not 0. */
function pick<T>(...choices: { weight: number; arbitrary: fc.Arbitrary<T> }[]): fc.Arbitrary<T> {
  return fc.oneof(...choices.filter((c) => c.weight > 0));
}

const stringPiece = (loose: boolean): fc.Arbitrary<string> =>
  pick(
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 5 }).map((s) => JSON.stringify(s).slice(1, -1)) },
    { weight: 3, arbitrary: fc.constantFrom(...VALID_PIECES) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => `\\u${c.toString(16).padStart(4, "0")}`) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`) },
    { weight: loose ? 1 : 0, arbitrary: fc.string({ unit: "binary", maxLength: 5 }).map((s) => JSON.stringify(s).slice(1, -1)) },
    { weight: loose ? 2 : 0, arbitrary: fc.constantFrom(...ODD_PIECES) },
  );
const stringText = (loose: boolean): fc.Arbitrary<string> =>
  pick(
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => JSON.stringify(s)), weight: 2 },
    // JSON.stringify writes lone surrogates as \udxxx escapes: JSON.parse keeps them, simdjson refuses them.
    { arbitrary: fc.string({ unit: "binary", maxLength: 12 }).map((s) => JSON.stringify(s)), weight: loose ? 2 : 0 },
    { arbitrary: fc.array(stringPiece(loose), { maxLength: 6 }).map((parts) => `"${parts.join("")}"`), weight: 3 },
  );

const scalarText = (loose: boolean): fc.Arbitrary<string> =>
  pick(
    { arbitrary: numberText(loose), weight: 4 },
    { arbitrary: stringText(loose), weight: 4 },
    { arbitrary: fc.constantFrom("true", "false", "null"), weight: 2 },
    { arbitrary: fc.constantFrom(...BAD_ATOMS), weight: loose ? 1 : 0 },
  );

const KEYS = [
  "pick_id", "ai_breakdown", "scoring_breakdown", "ai_mode", ...COPIED, "__proto__", "constructor", "toString",
  "hasOwnProperty", "", "x", "0", "1", "raw_inputs", "model_preds", "values", "error", "fallback", "timeout", "model_status",
];
const keyText = (loose: boolean): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...KEYS).map((k) => JSON.stringify(k)), weight: 6 },
    {
      arbitrary: fc.constantFrom('"pick\\u005fid"', '"ai\\u005fbreakdown"', '"\\u005f_proto__"', '"raw\\u005finputs"', '"values\\u0000"'),
      weight: 1,
    },
    { arbitrary: stringText(loose), weight: 2 },
  );

// Whitespace between tokens: JSON's own, and in loose mode what JSON.parse rejects.
const wsText = (loose: boolean): fc.Arbitrary<string> =>
  pick(
    { arbitrary: fc.constant(""), weight: 20 },
    { arbitrary: fc.constantFrom(" ", "\t", "\r", "  \t "), weight: 4 },
    { arbitrary: fc.constantFrom("\u00a0", "\v", "\f", "\ufeff", "\u2028"), weight: loose ? 1 : 0 },
  );
const trailingComma = (loose: boolean): fc.Arbitrary<string> =>
  pick({ arbitrary: fc.constant(""), weight: 12 }, { arbitrary: fc.constant(","), weight: loose ? 1 : 0 });

const obj = (entries: [string, string][]): string => `{${entries.map(([k, v]) => `${k}:${v}`).join(",")}}`;
const entry = (key: string, value: fc.Arbitrary<string>): fc.Arbitrary<[string, string]> =>
  value.map((v): [string, string] => [JSON.stringify(key), v]);

// A type alias, not an interface: fc.letrec's typed overload needs an index-compatible record.
type JsonTexts = { value: string; array: string; object: string };

/** Texts of JSON values and of record-shaped objects; in loose mode, with odd and invalid parts. */
function jsonTexts(loose: boolean): { value: fc.Arbitrary<string>; record: fc.Arbitrary<string> } {
  const ws = wsText(loose);
  const key = keyText(loose);
  const json = fc.letrec<JsonTexts>((tie) => ({
    value: fc.oneof({ depthSize: "small" }, scalarText(loose), tie("array"), tie("object")),
    array: fc
      .tuple(fc.array(fc.tuple(ws, tie("value"), ws), { maxLength: 5 }), trailingComma(loose))
      .map(([items, trailing]) => `[${items.map((i) => i.join("")).join(",")}${trailing}]`),
    object: fc
      .tuple(fc.array(fc.tuple(ws, key, ws, tie("value"), ws), { maxLength: 6 }), trailingComma(loose))
      .map(([entries, trailing]) => `{${entries.map(([a, k, b, v, c]) => `${a}${k}${b}:${v}${c}`).join(",")}${trailing}}`),
  }));
  const number = numberText(loose);
  const scalar = scalarText(loose);
  const text = stringText(loose);

  // Values only ever tested for being "set".
  const flag = fc.oneof(
    fc.constantFrom("null", "false", "true", "0", "-0", "0.0", "-0.0", "0e5", "1", "-1", '""', '" "', '"x"', "[]", "[0]", "{}", '{"a":null}', '{"__proto__":1}'),
    json.value,
  );
  const label = fc.oneof(
    fc
      .constantFrom("FALLBACK", "error", " Timeout ", "OK", "", "\u00a0ERROR\u00a0", "HEURISTIC_FALLBACK", " heuristic_deterministic", "LEGACY_V1", "ﬀ", "timeout\u2028")
      .map((s) => JSON.stringify(s)),
    fc.constantFrom("null", "5", '["HEURISTIC_FALLBACK"]', '{"x":"ERROR"}', '"\\u0045RROR"'),
  );
  const values = fc.oneof(
    fc.array(number, { maxLength: 8 }).map((v) => `[${v.join(",")}]`),
    fc.array(json.value, { maxLength: 5 }).map((v) => `[${v.join(",")}]`),
    fc.constantFrom("null", "[]", "{}", '"0.5,0.6"', "0.5", "true", "[[0.5],[0.6]]", "[null,0.5,null]", "[-0,0,-0.0]", '{"0":0.5}'),
    json.value,
  );
  const preds = fc.oneof(
    fc.array(fc.oneof(entry("values", values), fc.tuple(key, json.value)), { maxLength: 4 }).map(obj),
    fc.constantFrom("null", "[]", '"x"', "{}", "7", '{"values":null}', '{"values":[0.1],"values":null}', '{"values":null,"values":[0.2]}'),
  );
  const rawInputs = fc.oneof(
    fc.array(fc.oneof(entry("model_preds", preds), fc.tuple(key, json.value)), { maxLength: 4 }).map(obj),
    fc.constantFrom("null", "{}", "[]", '"x"', "0", '{"__proto__":{}}', '{"model_preds":{"values":[1]},"model_preds":null}'),
  );
  const breakdown = fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .array(
          fc.oneof(
            entry("error", flag),
            entry("fallback", flag),
            entry("model_status", label),
            entry("ai_mode", label),
            entry("raw_inputs", rawInputs),
            fc.tuple(key, json.value),
          ),
          { maxLength: 7 },
        )
        .map(obj),
    },
    { weight: 1, arbitrary: fc.constantFrom("null", "[]", '"x"', "1", "{}", '{"__proto__":{"error":1}}') },
  );
  const scoring = fc.oneof(
    fc.array(fc.oneof(entry("timeout", flag), entry("error", flag), fc.tuple(key, json.value)), { maxLength: 4 }).map(obj),
    fc.constantFrom("null", "[]", "true", "{}"),
  );
  const pickId = fc.oneof(
    fc.constantFrom("a", "b", "nba-2026-01-01-bos-mia-ml-000001", "", " ", "\u00a0", "\ufeff", "\u2028x", "x\u00a0", "\u0000").map((s) => JSON.stringify(s)),
    fc.constantFrom('"\\u0061"', '"\\u00a0"', "1", "null", "[]", "{}", "true", '["a"]'),
    text,
  );
  // A record-shaped object: keys in any order, any of them repeated (the last one wins).
  const record = fc
    .tuple(
      fc.option(pickId, { freq: 6 }),
      fc.array(
        fc.oneof(
          { weight: 2, arbitrary: entry("pick_id", pickId) },
          { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...COPIED).map((k) => JSON.stringify(k)), fc.oneof(scalar, json.value)) },
          { weight: 1, arbitrary: entry("ai_mode", label) },
          { weight: 4, arbitrary: entry("ai_breakdown", breakdown) },
          { weight: 2, arbitrary: entry("scoring_breakdown", scoring) },
          { weight: 2, arbitrary: fc.tuple(key, json.value) },
        ),
        { maxLength: 14 },
      ),
    )
    .map(([id, rest]) => obj(id === null ? rest : [['"pick_id"', id], ...rest]));
  return { value: json.value, record };
}

const strict = jsonTexts(false);
const loose = jsonTexts(true);

const blankText = fc.constantFrom("", " ", "\t\t", "\r", "\u00a0", "\ufeff", " \u2028 ", "\v\f", "\u3000", "\u0085", " \r ");

const INSERTIONS: Part[] = [
  new Uint8Array([0xff]), new Uint8Array([0xc0, 0x80]), new Uint8Array([0xc0, 0xaf]), new Uint8Array([0xed, 0xa0, 0x80]),
  new Uint8Array([0xed, 0xbf, 0xbf]), new Uint8Array([0xf4, 0x90, 0x80, 0x80]), new Uint8Array([0xf8, 0x88, 0x80, 0x80, 0x80]),
  new Uint8Array([0xe2, 0x82]), new Uint8Array([0x80]), new Uint8Array([0xc3, 0x28]), new Uint8Array([0xef, 0xbb, 0xbf]),
  new Uint8Array([0xf0, 0x9f, 0x98]), new Uint8Array([0xf4, 0x8f, 0xbf, 0xbf]), new Uint8Array([0xef, 0xbf, 0xbf]),
  " ", "\u00a0", ",", "}", "]", "{", "[", '"', "\\", "\u0000", "\t", "\r", "-0", "e400", ":", "1", "\ufeff",
];
const SURROUNDINGS = ["", " ", "\t", "\r", "\u00a0", "\ufeff", "\u2028", "\v", "\f", "\u3000", "\u0085", "  \t"];

type Mutation =
  | { kind: "none" }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; what: Part }
  | { kind: "delete"; at: number; count: number }
  | { kind: "surround"; before: string; after: string };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Mutation>({ kind: "none" }) },
  { weight: 1, arbitrary: fc.nat().map((at): Mutation => ({ kind: "truncate", at })) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...INSERTIONS)).map(([at, what]): Mutation => ({ kind: "insert", at, what })) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 1, max: 4 })).map(([at, count]): Mutation => ({ kind: "delete", at, count })) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...SURROUNDINGS), fc.constantFrom(...SURROUNDINGS)).map(([before, after]): Mutation => ({ kind: "surround", before, after })),
  },
);

function mutate(line: Buffer, m: Mutation): Buffer {
  const at = (n: number) => n % (line.length + 1);
  switch (m.kind) {
    case "none":
      return line;
    case "truncate":
      return line.subarray(0, at(m.at));
    case "insert":
      return Buffer.concat([line.subarray(0, at(m.at)), bytes(m.what), line.subarray(at(m.at))]);
    case "delete":
      return Buffer.concat([line.subarray(0, at(m.at)), line.subarray(at(m.at) + m.count)]);
    case "surround":
      return Buffer.concat([bytes(m.before), line, bytes(m.after)]);
  }
}

const lineArb: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.oneof(
      { weight: 8, arbitrary: strict.record.map(bytes) },
      { weight: 2, arbitrary: loose.record.map(bytes) },
      { weight: 2, arbitrary: strict.value.map(bytes) },
      { weight: 1, arbitrary: loose.value.map(bytes) },
      { weight: 1, arbitrary: blankText.map(bytes) },
      { weight: 1, arbitrary: fc.constantFrom(...fixtureLines) },
    ),
    fc.array(mutation, { minLength: 1, maxLength: 2 }),
  )
  .map(([line, mutations]) => mutations.reduce(mutate, line));

const blockArb = fc
  .array(fc.tuple(lineArb, fc.constantFrom("\n", "\n", "\n", "\r\n")), { minLength: 1, maxLength: 30 })
  .map((lines) => Buffer.concat(lines.flatMap(([line, end]) => [line, Buffer.from(end)])));

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

const HAND_PICKED: Part[] = [
  '{"pick_id":"a","sport":"NBA"}',
  "",
  "   \t ",
  "\r",
  "\u00a0",
  "\ufeff",
  '\ufeff{"pick_id":"bom"}',
  '\ufeff{"pick_id":"bom"} ',
  ' {"pick_id":"ws"}\u00a0',
  '\u2028{"pick_id":"ls"}',
  '{"pick_id":"vt"}\v',
  "{not json",
  '{"pick_id":"trail",}',
  '[1,2,]',
  "NaN",
  '{"pick_id":"n","actual_value":NaN}',
  "[1,2]",
  '"a string"',
  "42",
  "null",
  "-0",
  "{}",
  '{"pick_id":""}',
  '{"pick_id":"   "}',
  '{"pick_id":"\u00a0"}',
  '{"pick_id":"\\u00a0"}',
  '{"pick_id":"\\ufeff"}',
  '{"pick_id":7}',
  '{"pick_id":"dup","pick_id":""}',
  '{"pick_id":"","pick_id":"dup2"}',
  '{"pick\\u005fid":"escaped-key"}',
  '{"pick_id":"\\u0000"}',
  '{"pick_id":"nul","home_team":"a\\u0000b"}',
  '{"pick_id":"emoji","home_team":"\\ud83d\\ude00 😀"}',
  '{"pick_id":"lone","home_team":"\\ud800"}',
  '{"pick_id":"lone2","home_team":"x\\udc00y"}',
  '{"pick_id":"\\ud800"}',
  '{"pick_id":"ctl","home_team":"a\tb"}',
  '{"pick_id":"z0","actual_value":-0}',
  '{"pick_id":"z1","actual_value":0,"note":"a-0"}',
  '{"pick_id":"z2","actual_value":-0.0,"total_score":-0e0}',
  '{"pick_id":"z3","home_team":[-0,0,-0.0,-0E+1,-0.0e-5,-1E-400]}',
  '{"pick_id":"z4","ai_breakdown":{"raw_inputs":{"model_preds":{"values":[-0,0.5]}}}}',
  '{"pick_id":"z5","ai_breakdown":{"error":-0,"fallback":-0.0},"scoring_breakdown":{"timeout":0,"error":-0}}',
  ...EDGE_NUMBERS.map((n, i) => `{"pick_id":"num${i}","actual_value":${n},"ai_breakdown":{"raw_inputs":{"model_preds":{"values":[${n}]}}}}`),
  '{"pick_id":"p1","home_team":{"__proto__":{"x":1},"y":2}}',
  '{"pick_id":"p2","__proto__":{"pick_id":"evil","sport":"NBA"}}',
  '{"__proto__":{"pick_id":"q"}}',
  '{"pick_id":"p3","ai_breakdown":{"__proto__":{"error":1}}}',
  '{"pick_id":"p4","ai_breakdown":{"raw_inputs":{"__proto__":1}}}',
  '{"pick_id":"p5","ai_breakdown":{"raw_inputs":{"model_preds":{"__proto__":{"values":[1]}}}}}',
  '{"pick_id":"p6","ai_breakdown":{"raw_inputs":{"model_preds":{"values":{"__proto__":[1],"__proto__":[2]}}}}}',
  '{"pick_id":"d1","ai_breakdown":{"error":"x"},"ai_breakdown":{"error":null}}',
  '{"pick_id":"d2","ai_breakdown":{"raw_inputs":{"model_preds":{"values":[1]}}},"ai_breakdown":"none"}',
  '{"pick_id":"d3","ai_breakdown":null,"ai_breakdown":{"ai_mode":" heuristic_fallback "}}',
  '{"pick_id":"d4","sport":"NBA","sport":null,"market":"h2h","market":"SPREADS"}',
  '{"pick_id":"h1","ai_mode":"HEURISTIC_DETERMINISTIC"}',
  '{"pick_id":"h2","ai_mode":["HEURISTIC_DETERMINISTIC"],"ai_breakdown":{"ai_mode":5}}',
  '{"pick_id":"e1","ai_breakdown":{"model_status":" timeout "}}',
  '{"pick_id":"e2","ai_breakdown":{"model_status":"\\u00a0ERROR"}}',
  '{"pick_id":"e3","scoring_breakdown":{"timeout":[],"error":{}}}',
  '{"pick_id":"e4","scoring_breakdown":{"timeout":[0],"error":{"a":null}}}',
  '{"pick_id":"f1","ai_breakdown":{"error":"","fallback":""},"scoring_breakdown":{"timeout":"","error":""}}',
  '{"pick_id":"f2","ai_breakdown":{"error":" ","fallback":"x"},"scoring_breakdown":{"timeout":"0","error":"false"}}',
  '{"pick_id":"f3","ai_breakdown":{"error":false,"fallback":true},"scoring_breakdown":{"timeout":0.0,"error":1e-400}}',
  '{"pick_id":"f4","ai_breakdown":{"error":18446744073709551615,"fallback":-1},"scoring_breakdown":{"timeout":null,"error":0.5}}',
  '{"pick_id":"r1","ai_breakdown":{"raw_inputs":{}}}',
  '{"pick_id":"r2","ai_breakdown":{"raw_inputs":{"other":1}}}',
  '{"pick_id":"r3","ai_breakdown":{"raw_inputs":[]}}',
  '{"pick_id":"r4","ai_breakdown":{"raw_inputs":{"model_preds":[1,2]}}}',
  '{"pick_id":"r5","ai_breakdown":{"raw_inputs":{"model_preds":{"values":null}}}}',
  '{"pick_id":"r6","ai_breakdown":{"raw_inputs":{"model_preds":{"values":"0.5"}}}}',
  '{"pick_id":"r7","ai_breakdown":{"raw_inputs":{"model_preds":{"values":[[0.5],{"a":[1]},"x",null,true]}}}}',
  `{"pick_id":"deep1","home_team":${deep(1022)}}`,
  `{"pick_id":"deep2","home_team":${deep(1023)}}`,
  `{"pick_id":"deep3","home_team":${deep(1024)}}`,
  `{"pick_id":"deep4","home_team":${deep(5000)}}`,
  `{"pick_id":"deep5","ai_breakdown":{"raw_inputs":{"model_preds":{"values":${deep(1019)}}}}}`,
  `{"pick_id":"deep6","away_team":${deepObject(1023)}}`,
  `{"pick_id":"deep7","away_team":${deepObject(2000)}}`,
  deep(3000),
  '{"pick_id":"t1"',
  '{"pick_id":"t2","home_team":"abc',
  '{"pick_id":"g1"} x',
  '{"pick_id":"g2"}{"pick_id":"g3"}',
  "1 2",
  '{"pick_id":"s1","home_team":"\\x"}',
  '{"pick_id":"s2","home_team":"\\uZZZZ"}',
  '{"pick_id":"c1"}\u0000',
  new Uint8Array([0xff]),
  Buffer.concat([Buffer.from('{"pick_id":"bad-utf8","home_team":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
  Buffer.concat([Buffer.from(" "), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(" ")]),
  Buffer.concat([Buffer.from('{"pick_id":"overlong"'), Buffer.from([0xc0, 0xaf]), Buffer.from("}")]),
  Buffer.concat([Buffer.from('{"pick_id":"big","x":"'), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from('"}')]),
  Buffer.concat([Buffer.from('{"pick_id":"max","x":"'), Buffer.from([0xf4, 0x8f, 0xbf, 0xbf]), Buffer.from('"}')]),
  Buffer.from([0xc2, 0xa0]),
  Buffer.from([0xc2, 0xa0, 0xff]),
];

describe("native scanner (SPEC 12)", () => {
  it("builds every RawPick with every field, each from its own RAW_FIELDS position", () => {
    const pick = rawPickOf("id", RAW_FIELDS.map((key) => `value of ${key}`), [1], false, true, false);
    expect(Object.keys(pick)).toEqual(["pick_id", ...RAW_FIELDS, "model_preds_values", "raw_inputs_empty", "error_path", "heuristic"]);
    for (const key of RAW_FIELDS) expect(pick[key]).toBe(`value of ${key}`);
    expect(rawPickOf("id", [], null, true, false, true).model_preds_values).toBeUndefined();
  });

  it("copies in full every top-level field extractRawPick reads", () => {
    expect([...NATIVE_FULL_COPY_KEYS].sort()).toEqual([...COPIED, "ai_mode", "pick_id"].sort());
  });

  it.skipIf(!built)("is the scanner in use when it is built and ENGINE1_SCANNER is unset", () => {
    const saved = process.env.ENGINE1_SCANNER;
    try {
      delete process.env.ENGINE1_SCANNER;
      expect(native, "the built addon failed to load").not.toBeNull();
      expect(scannerPath()).toBe("native-simdjson");
      process.env.ENGINE1_SCANNER = "js";
      expect(loadNativeScanner()).toBeNull();
      expect(scannerPath()).toBe("javascript");
    } finally {
      if (saved === undefined) delete process.env.ENGINE1_SCANNER;
      else process.env.ENGINE1_SCANNER = saved;
    }
  });

  it("scanBlock gives the reference output whichever path it takes", () => {
    const block = blockOf(HAND_PICKED);
    expect(firstDifference(scanBlock(block), scanBlockJs(block))).toBeNull();
    expect(firstDifference(scanBlock(fixtureBlock), scanBlockJs(fixtureBlock))).toBeNull();
  });

  it.skipIf(!native)("matches the reference on hand-picked lines, together and one by one", () => {
    expectSame(blockOf(HAND_PICKED));
    expectSame(blockOf(HAND_PICKED, true));
    for (const line of HAND_PICKED) expectSame(blockOf([line]));
    expectSame(new Uint8Array(0));
    expectSame(Buffer.from("\n\n\r\n"));
    // Bytes after the last newline are not a line of the block.
    expectSame(Buffer.from('{"pick_id":"a"}\n{"pick_id":"b"'));
  });

  it.skipIf(!native)("matches the reference on a realistic store (12 KB records and the generator's bad lines)", () => {
    expectSame(fixtureBlock);
    const [fastBefore] = native!.lineCounts();
    const scanned = scanBlockNative(native!, fixtureBlock);
    const [fastAfter] = native!.lineCounts();
    expect(scanned.records.length).toBeGreaterThan(30);
    expect(scanned.records.some((r) => Array.isArray(r.raw.model_preds_values))).toBe(true);
    // The realistic records take the fast path (stage 1 and the grammar walk), not simdjson's DOM parser.
    expect(fastAfter - fastBefore).toBeGreaterThanOrEqual(scanned.records.length);
  });

  it.skipIf(!native)("reads lines in place when 64 bytes follow the block in its buffer, and copies them otherwise", () => {
    // What follows the block must never count: bytes a parser reading past a line could take for JSON.
    const junk = Buffer.from('"\\u12 -0e]}1, true:{["'.repeat(8));
    const placed = (block: Uint8Array, slack: number): Uint8Array => {
      const buffer = new ArrayBuffer(block.byteLength + slack);
      const view = new Uint8Array(buffer, 0, block.byteLength);
      view.set(block);
      new Uint8Array(buffer, block.byteLength).set(junk.subarray(0, slack));
      return view;
    };
    const blocks = [blockOf(HAND_PICKED), blockOf(HAND_PICKED, true), fixtureBlock, ...fc.sample(blockArb, { seed: 3, numRuns: 150 })];
    for (const block of blocks) {
      for (const slack of [0, 1, 63, 64, 200]) expectSame(placed(block, slack));
    }
    for (const line of HAND_PICKED) {
      for (const slack of [0, 64]) expectSame(placed(blockOf([line]), slack));
    }
  });

  it.skipIf(!native)("reads a block that is a view into a larger buffer (offsets are the block's own)", () => {
    const inner = blockOf(['{"pick_id":"v1"}', "{bad", "\u00a0", '{"pick_id":"v2","actual_value":-0}']);
    const outer = Buffer.concat([Buffer.from("junk\n{bad\n"), inner, Buffer.from("tail")]);
    const view = outer.subarray(10, 10 + inner.length);
    expect(view.byteOffset).toBeGreaterThan(0);
    expectSame(view);
    expectSame(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  });

  it.skipIf(!native)("hands lines over 1 MiB to JSON.parse, with the same result", () => {
    const filler = "x".repeat(1.5 * 1024 * 1024);
    const justUnder = "y".repeat(1024 * 1024 - 64);
    expectSame(
      blockOf([
        `{"pick_id":"huge","home_team":"${filler}","ai_breakdown":{"raw_inputs":{"model_preds":{"values":[0.25]}}}}`,
        `{"pick_id":"under","away_team":"${justUnder}"}`,
        `{"pick_id":"small"}`,
        `["${filler}"`,
      ]),
    );
  });

  it.skipIf(!native)("works in worker threads, two at once (one parser per thread)", async () => {
    const block = blockOf([...HAND_PICKED, ...fixtureLines]);
    // Every part of the result, typed arrays as plain arrays.
    const show = (parts: unknown[]): string => JSON.stringify(parts.map((p) => (ArrayBuffer.isView(p) ? [...(p as Uint8Array)] : p)));
    const expected = show(native!.scan(block, NATIVE_FULL_COPY_KEYS, NATIVE_NAMES));
    const source = `
      const { parentPort, workerData } = require("node:worker_threads");
      const addon = require(workerData.path);
      const show = ${show.toString()};
      const results = [];
      for (let i = 0; i < 10; i++) results.push(show(addon.scan(workerData.block, workerData.keys, workerData.names)));
      parentPort.postMessage(results);`;
    const run = () =>
      new Promise<string[]>((resolve, reject) => {
        const worker = new Worker(source, {
          eval: true,
          workerData: { path: NATIVE_ADDON_PATH, block, keys: [...NATIVE_FULL_COPY_KEYS], names: [...NATIVE_NAMES] },
        });
        worker.once("message", (results: string[]) => {
          void worker.terminate();
          resolve(results);
        });
        worker.once("error", reject);
      });
    const results = await Promise.all([run(), run()]);
    for (const result of results.flat()) expect(result).toBe(expected);
  });

  it.skipIf(!native)("matches the reference on random and mutated blocks", () => {
    fc.assert(
      fc.property(blockArb, (block) => {
        expectSame(block);
      }),
      { seed: 20261121, numRuns: 800 },
    );
  });

  it.skipIf(!native)("matches the reference on number-heavy lines (numbers are checked several at a time)", () => {
    const numberLike = fc.oneof(
      { weight: 6, arbitrary: numberText(false) },
      { weight: 2, arbitrary: fc.constantFrom(...BAD_ATOMS, "00", "1..2", "1.2.3", "1e5.5", "1ee5", "1-2", "-.5", "0-", "1.5-", "12345678.", "-1234567.8") },
      { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789-+.eE"), minLength: 1, maxLength: 12 }) },
    );
    const line = fc
      .tuple(fc.array(fc.tuple(numberLike, fc.constantFrom("", "", "", " ")), { minLength: 1, maxLength: 12 }), fc.nat(3))
      .map(([items, form]) => {
        const values = items.map(([n, ws]) => `${n}${ws}`);
        if (form === 0) return `{"pick_id":"n","x":[${values.join(",")}]}`;
        if (form === 1) return `{"pick_id":"n",${values.map((v, i) => `"k${i}":${v}`).join(",")}}`;
        if (form === 2) return `{"pick_id":"n","actual_value":${values[0]},"y":[[${values.join("],[")}]]}`;
        return `[${values.join(",")}]`;
      });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
        expectSame(blockOf(lines));
      }),
      { seed: 12, numRuns: 400 },
    );
  });

  it.skipIf(!native)("reads fast-path records the same straight to RawPick as through the reduced object", () => {
    expect(FlatRecords.fused).toBe(true);
    const compare = (block: Uint8Array): void => {
      const [codes, kinds, numbers, ascii, unicode, extras] = native!.scan(block, NATIVE_FULL_COPY_KEYS, NATIVE_NAMES);
      const fused = new FlatRecords(kinds, numbers, ascii, unicode, extras);
      const viaObject = new FlatRecords(kinds, numbers, ascii, unicode, extras);
      for (const code of codes) {
        if (code === 6) {
          fused.nextExtra();
          viaObject.nextExtra();
        }
        if (code !== 0) continue;
        const reading = readValue(viaObject.next());
        const expected = reading.kind === "record" ? extractRawPick(reading.object, reading.pickId) : null;
        const difference = firstDifference(fused.nextRawPick(), expected);
        if (difference !== null) expect.fail(`fused vs object path differ at ${difference}: ${Buffer.from(block).toString("utf8").slice(0, 2000)}`);
      }
    };
    fc.assert(fc.property(blockArb, compare), { seed: 99, numRuns: 400 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...fixtureLines), mutation), { minLength: 1, maxLength: 6 }), (lines) =>
        compare(blockOf(lines.map(([line, m]) => mutate(line, m)))),
      ),
      { seed: 3, numRuns: 100 },
    );
  });

  it.skipIf(!native)("matches the reference on mutated realistic records", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...fixtureLines), mutation, mutation), { minLength: 1, maxLength: 6 }), (lines) => {
        expectSame(blockOf(lines.map(([line, a, b]) => mutate(mutate(line, a), b))));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

const ranges = canScanRanges(native) ? native : null;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * `content` written to a file and read with scanRange over ranges of `blockBytes`, the ranges'
 * scans put together as one block's (record indexes made file-wide), and whether the tail followed.
 */
function scanFile(content: Buffer, blockBytes: number, maxLine?: number, size = content.length): { scanned: ScannedBlock; tail: boolean } {
  const file = path.join(fixtureDir, "ranges.jsonl");
  writeFileSync(file, content);
  const fd = openSync(file, "r");
  try {
    const kinds: number[] = [];
    const records: ScannedBlock["records"] = [];
    let tail = false;
    for (let start = 0; start < size; start += blockBytes) {
      const range = { start, end: Math.min(size, start + blockBytes), size, ...(maxLine === undefined ? {} : { maxLine }) };
      const part = scanRangeNative(ranges!, fd, range);
      // The range where the tail starts ends in it; the ranges after it (inside it) hold nothing.
      if (tail) expect(part).toEqual({ block: { kinds: new Uint8Array(0), records: [] }, tail: false });
      for (const record of part.block.records) records.push({ ...record, index: record.index + kinds.length });
      kinds.push(...part.block.kinds);
      tail ||= part.tail;
    }
    return { scanned: { kinds: Uint8Array.from(kinds), records }, tail };
  } finally {
    closeSync(fd);
  }
}

/** What the block reader and the reference scan make of a file: its complete lines after a BOM, and whether bytes follow the last newline. */
function referenceOfFile(content: Buffer): { scanned: ScannedBlock; tail: boolean } {
  const body = content.subarray(content.subarray(0, 3).equals(BOM) ? 3 : 0);
  const complete = body.lastIndexOf(0x0a) + 1;
  return { scanned: scanBlockJs(body.subarray(0, complete)), tail: complete < body.length };
}

function expectSameFile(content: Buffer, blockBytes: number): void {
  const difference = firstDifference(scanFile(content, blockBytes), referenceOfFile(content));
  if (difference !== null) {
    expect.fail(`scanRange (ranges of ${blockBytes}) vs the reference differ at ${difference}\nfile: ${JSON.stringify(content.toString("utf8").slice(0, 2000))}`);
  }
}

describe("native scanner reading ranges of a file (scanRange, SPEC 12)", () => {
  it.skipIf(!built)("is built into the addon on this platform", () => {
    expect(ranges).not.toBeNull();
  });

  it.skipIf(!ranges)("matches the reference on random files split at random range sizes (BOM, CRLF, the tail)", () => {
    const file = fc
      .tuple(fc.boolean(), blockArb, fc.constantFrom("", "", '{"pick_id":"tail"', "x", "\r", " "))
      .map(([bom, block, tail]) => Buffer.concat([bom ? BOM : Buffer.alloc(0), block, Buffer.from(tail)]));
    fc.assert(
      fc.property(file, fc.integer({ min: 1, max: 300 }), (content, blockBytes) => {
        expectSameFile(content, blockBytes);
      }),
      { seed: 20261122, numRuns: 400 },
    );
  });

  it.skipIf(!ranges)("matches the reference on hand-picked lines, a realistic store and lines handed to JSON.parse", () => {
    const huge = `{"pick_id":"huge","home_team":"${"x".repeat(1.5 * 1024 * 1024)}"}`;
    const files = [
      blockOf(HAND_PICKED),
      blockOf(HAND_PICKED, true),
      fixtureBytes,
      Buffer.concat([BOM, blockOf(['{"pick_id":"a"}', '\ufeff{"pick_id":"bom-again"}', huge, '{"pick_id":"b","actual_value":-0}'])]),
      Buffer.from(""),
      BOM,
      Buffer.from("\n\n\r\n"),
      Buffer.from("no newline at all"),
    ];
    for (const content of files) {
      // Each range looks for its first line from its start: tiny ranges only on small files.
      const sizes = content.length < 20_000 ? [1, 2, 3, 4, 7, 4096, 64 << 20] : [4096, 65536, 1 << 20, 64 << 20];
      for (const blockBytes of sizes) expectSameFile(content, blockBytes);
    }
  });

  it.skipIf(!ranges)("makes a line longer than maxLine bytes before its newline a parse_error, \\r included", () => {
    const line = '{"pick_id":"abc"}'; // 17 bytes
    const kindsOf = (content: string, maxLine: number) => [...scanFile(Buffer.from(content), 5, maxLine).scanned.kinds];
    expect(kindsOf(`${line}\n${line}\n`, 17)).toEqual([0, 0]);
    expect(kindsOf(`${line}\n${line}\n`, 16)).toEqual([2, 2]);
    expect(kindsOf(`${line}\r\n{}\n`, 17)).toEqual([2, 4]);
    expect(kindsOf(`${line}\r\n{}\n`, 18)).toEqual([0, 4]);
    // The tail is the tail, however long.
    expect(scanFile(Buffer.from(`${line}\n${line}${line}`), 5, 17)).toMatchObject({ tail: true, scanned: { kinds: Uint8Array.from([0]) } });
  });

  it.skipIf(!ranges)("throws ESHRANK, and reads on afterwards, when the file is shorter than the snapshot said", () => {
    const content = Buffer.from('{"pick_id":"a"}\n{"pick_id":"b"');
    let thrown: unknown = null;
    try {
      scanFile(content, 1 << 20, undefined, content.length + 3 * 65536);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ code: "ESHRANK", message: "the file shrank while it was being read (it is read as it was when opened)" });
    expectSameFile(content, 1 << 20);
    // Cut inside its last page: no fault (the bytes read as zeros), still caught.
    expect(() => scanFile(content, 1 << 20, undefined, content.length + 100)).toThrow(expect.objectContaining({ code: "ESHRANK" }));
    expect(() => scanFile(Buffer.from('{"pick_id":"a"}\n'), 1 << 20, undefined, 17)).toThrow(expect.objectContaining({ code: "ESHRANK" }));
  });

  it.skipIf(!ranges)("leaves a SIGBUS that is not its own to the default action (the process ends)", () => {
    const file = path.join(fixtureDir, "bus.jsonl");
    writeFileSync(file, '{"pick_id":"a"}\n');
    const script = `
      const { openSync } = require("node:fs");
      const addon = require(${JSON.stringify(NATIVE_ADDON_PATH)});
      const r = addon.scanRange(openSync(${JSON.stringify(file)}, "r"), 0, 16, 16, 64, ${JSON.stringify([...NATIVE_FULL_COPY_KEYS])}, ${JSON.stringify([...NATIVE_NAMES])});
      process.stdout.write("lines " + r[0].length + "\\n");
      process.kill(process.pid, "SIGBUS");
      setTimeout(() => process.stdout.write("still alive\\n"), 200);`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(result.stdout).toBe("lines 1\n");
    expect(result.signal).toBe("SIGBUS");
  });
});
