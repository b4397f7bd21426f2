/**
 * A scanned block's records, normalised on the scanning thread and handed to the main thread in a
 * compact form: typed arrays (transferred, not copied) and one string, instead of one
 * structured-cloned object per record. Cloning objects cost both threads about as much as the
 * per-record logic itself; here the main thread only rebuilds each Pick from a few array reads.
 *
 * The picks are `normalizePick(raw, 0)`: everything that does not need the grade overlay or the
 * line number. The main thread sets `position` and applies the grade (`applyGradeToPick`), and
 * keeps what needs the whole file: duplicate pick_ids, the grade overlay, the order of delivery.
 */
import { GAME_MARKETS, normalizePick, type GameMarket, type MarketClass, type ModelPreds, type Pick } from "../store/normalize.js";
import type { ScannedBlock } from "./block.js";

/** What one block scanned in "picks" mode holds. */
export interface PickBatch {
  /** A class code per line (src/scan/block.ts, KIND_CODE). */
  kinds: Uint8Array;
  /** INTS per record, see the I_ offsets; a string field is its end offset in `text` (-1: null). */
  ints: Int32Array;
  /** FLOATS per record: home score, away score (NaN: null), the first four model_preds values. */
  floats: Float64Array;
  /**
   * The string fields of the block's records, one after the other, in record and field order:
   * a string field starts where the previous non-null one ended. One string crosses threads
   * much faster than thousands of small ones (or than interning them on the scanning thread).
   */
  text: string;
  /**
   * The pick_ids, one after the other (I_PICK_ID is each one's end). Apart from `text`: the main
   * thread keeps every pick_id, and a slice keeps the whole string it was cut from alive.
   */
  ids: string;
}

const I_INDEX = 0; // the record's 0-based line index in its block
const I_PICK_ID = 1;
const I_GRADE_STATUS = 2;
const I_RESULT = 3;
const I_MARKET_LABEL = 4;
const I_PICK_TYPE = 5;
const I_SPORT = 6;
const I_HOME_TEAM = 7;
const I_AWAY_TEAM = 8;
const I_DATE = 9;
const I_EVENT_ID = 10;
const I_FLAGS = 11;
const I_PREDS_LENGTH = 12;
const INTS = 13;
const FLOATS = 6;

const MARKET_CLASSES: readonly (MarketClass | null)[] = [null, "game", "prop", "other"];
const GAME_MARKET_CODES: readonly (GameMarket | null)[] = [null, ...GAME_MARKETS];
const PREDS_STATUS: readonly ModelPreds["status"][] = ["missing", "insufficient", "bad", "ok"];
const codes = <T>(values: readonly T[]): Map<T, number> => new Map(values.map((v, i) => [v, i]));
const MARKET_CLASS_CODE = codes(MARKET_CLASSES);
const GAME_MARKET_CODE = codes(GAME_MARKET_CODES);
const PREDS_STATUS_CODE = codes(PREDS_STATUS);
// I_FLAGS: market class (2 bits), game market (2 bits), three booleans, preds status (2 bits).
const F_GAME_MARKET = 2;
const F_ERROR_PATH = 1 << 4;
const F_HEURISTIC = 1 << 5;
const F_RAW_EMPTY = 1 << 6;
const F_PREDS = 7;

/** Encodes a scanned block's records as normalised picks (on a scanning thread). */
export function encodePicks(block: ScannedBlock): PickBatch {
  const { records } = block;
  const ints = new Int32Array(records.length * INTS);
  const floats = new Float64Array(records.length * FLOATS);
  const parts: string[] = [];
  const ids: string[] = [];
  let idsEnd = 0;
  let end = 0;
  const put = (value: string | null): number => {
    if (value === null) return -1;
    parts.push(value);
    end += value.length;
    return end;
  };
  for (let r = 0; r < records.length; r++) {
    const record = records[r]!;
    const pick = normalizePick(record.raw, 0);
    const at = r * INTS;
    ints[at + I_INDEX] = record.index;
    ids.push(pick.pickId);
    ints[at + I_PICK_ID] = idsEnd += pick.pickId.length;
    ints[at + I_GRADE_STATUS] = put(pick.gradeStatus);
    ints[at + I_RESULT] = put(pick.result);
    ints[at + I_MARKET_LABEL] = put(pick.marketLabel);
    ints[at + I_PICK_TYPE] = put(pick.pickType);
    ints[at + I_SPORT] = put(pick.sport);
    ints[at + I_HOME_TEAM] = put(pick.homeTeam);
    ints[at + I_AWAY_TEAM] = put(pick.awayTeam);
    ints[at + I_DATE] = put(pick.date);
    ints[at + I_EVENT_ID] = put(pick.eventId);
    const preds = pick.preds;
    ints[at + I_FLAGS] =
      (MARKET_CLASS_CODE.get(pick.marketClass) as number) |
      ((GAME_MARKET_CODE.get(pick.gameMarket) as number) << F_GAME_MARKET) |
      (pick.predsErrorPath ? F_ERROR_PATH : 0) |
      (pick.predsHeuristic ? F_HEURISTIC : 0) |
      (pick.rawInputsEmpty ? F_RAW_EMPTY : 0) |
      ((PREDS_STATUS_CODE.get(preds.status) as number) << F_PREDS);
    const f = r * FLOATS;
    // null scores as NaN: finite() never lets a NaN through, so NaN cannot be a score.
    floats[f] = pick.homeScore ?? Number.NaN;
    floats[f + 1] = pick.awayScore ?? Number.NaN;
    if (preds.status !== "missing") {
      ints[at + I_PREDS_LENGTH] = preds.length;
      if (preds.status === "ok") {
        const v = preds.values;
        floats[f + 2] = v[0];
        floats[f + 3] = v[1];
        floats[f + 4] = v[2];
        floats[f + 5] = v[3];
      }
    }
  }
  return { kinds: block.kinds, ints, floats, text: parts.join(""), ids: ids.join("") };
}

/** The number of records in a batch. */
export function batchRecords(batch: PickBatch): number {
  return batch.ints.length / INTS;
}

/** The line index (in its block) of a batch's record `r`. */
export function batchLineIndex(batch: PickBatch, r: number): number {
  return batch.ints[r * INTS + I_INDEX]!;
}

/**
 * Reads a batch's records in order (on the main thread): `decode(r, position)` rebuilds record
 * `r`, the pick encodePicks was given, at `position`. Records must be read in order (each string
 * field starts where the one before it ended).
 */
export class PickBatchReader {
  private offset = 0;
  private idsOffset = 0;

  constructor(private readonly batch: PickBatch) {}

  private str(end: number): string | null {
    if (end < 0) return null;
    const text = this.batch.text.slice(this.offset, end);
    this.offset = end;
    return text;
  }

  private id(end: number): string {
    const id = this.batch.ids.slice(this.idsOffset, end);
    this.idsOffset = end;
    return id;
  }

  decode(r: number, position: number): Pick {
    const { ints, floats } = this.batch;
    const at = r * INTS;
    const f = r * FLOATS;
    const flags = ints[at + I_FLAGS]!;
    const status = PREDS_STATUS[(flags >> F_PREDS) & 3]!;
    let preds: ModelPreds;
    if (status === "missing") preds = { status };
    else if (status === "ok") {
      preds = { status, length: ints[at + I_PREDS_LENGTH]!, values: [floats[f + 2]!, floats[f + 3]!, floats[f + 4]!, floats[f + 5]!] };
    } else preds = { status, length: ints[at + I_PREDS_LENGTH]! };
    const home = floats[f]!;
    const away = floats[f + 1]!;
    // The same properties in the same order as normalizePick builds them (the string fields in
    // the order encodePicks wrote them).
    return {
      position,
      pickId: this.id(ints[at + I_PICK_ID]!),
      gradeStatus: this.str(ints[at + I_GRADE_STATUS]!),
      result: this.str(ints[at + I_RESULT]!),
      marketLabel: this.str(ints[at + I_MARKET_LABEL]!),
      pickType: this.str(ints[at + I_PICK_TYPE]!),
      marketClass: MARKET_CLASSES[flags & 3]!,
      gameMarket: GAME_MARKET_CODES[(flags >> F_GAME_MARKET) & 3]!,
      sport: this.str(ints[at + I_SPORT]!),
      homeTeam: this.str(ints[at + I_HOME_TEAM]!),
      awayTeam: this.str(ints[at + I_AWAY_TEAM]!),
      date: this.str(ints[at + I_DATE]!),
      eventId: this.str(ints[at + I_EVENT_ID]!),
      homeScore: Number.isNaN(home) ? null : home,
      awayScore: Number.isNaN(away) ? null : away,
      preds,
      predsErrorPath: (flags & F_ERROR_PATH) !== 0,
      predsHeuristic: (flags & F_HEURISTIC) !== 0,
      rawInputsEmpty: (flags & F_RAW_EMPTY) !== 0,
    };
  }
}
