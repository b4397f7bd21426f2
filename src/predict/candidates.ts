import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { ResolvedPath } from "../paths.js";
import type { PredictDocument } from "../schemas/predict.js";
import { isJsonObject, pickIdOf } from "../store/classify-line.js";
import { normalizePick, type GameMarket, type Pick } from "../store/normalize.js";
import { extractRawPick } from "../store/pick.js";
import { readRecordsAt } from "../store/read-lines.js";
import { readStore } from "../store/read-store.js";
import { bettingFields, lineRejection, type Candidate, type Rejection } from "./candidate.js";
import { OtherSideIndex } from "./other-side.js";

export interface Selection {
  /** Upper-cased sports to keep, or null for all. */
  sports: string[] | null;
  /** Game markets to keep, or null for all (and for picks of other markets, which are then unscored). */
  markets: GameMarket[] | null;
}

/** The picks to score, the prices of every side seen, and what was read but is not a candidate. */
export interface CandidateSet {
  source: PredictDocument["source"];
  /** In input order. */
  candidates: Candidate[];
  /** Stdin lines that are candidates but not picks (not JSON, not an object, …), with their reasons. */
  rejected: Rejection[];
  others: OtherSideIndex;
  read: number;
  alreadyGraded: number;
  notSelected: number;
  blankLines: number;
}

/** Whether --sport and --markets leave the pick in. */
function selected(pick: Pick, selection: Selection): boolean {
  if (selection.sports !== null && (pick.sport === null || !selection.sports.includes(pick.sport))) return false;
  if (selection.markets !== null && (pick.gameMarket === null || !selection.markets.includes(pick.gameMarket))) return false;
  return true;
}

/** Graded as the six-stage filter counts it (its `graded_total`): grade_status GRADED after the overlay. */
const isGraded = (pick: Pick): boolean => pick.gradeStatus === "GRADED";

export interface StoreCandidateOptions extends Selection {
  store: ResolvedPath;
  grades: ResolvedPath | null;
  /** ET date `YYYY-MM-DD` of the picks to score. */
  date: string;
  threads?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/**
 * The ungraded picks of one date, in two passes over one snapshot of the store: the fast reader
 * (with the grade overlay) finds the date's records by line number, then only those lines are read
 * again for the fields a price needs. Every record of the date (graded ones too) lends its price to
 * the other side's vig removal.
 */
export async function storeCandidates(options: StoreCandidateOptions): Promise<CandidateSet> {
  const ofDate: Pick[] = [];
  const reading = await readStore({
    store: options.store,
    grades: options.grades,
    threads: options.threads ?? 0,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    onPick: (pick) => {
      if (pick.date === options.date) ofDate.push(pick);
    },
  });
  const { provenance } = reading;
  const records = await readRecordsAt(provenance.path, provenance.format ?? "jsonl", provenance.bytes_read, ofDate.map((p) => p.position));
  const others = new OtherSideIndex("store");
  const set: CandidateSet = {
    source: { kind: "store", path: provenance.path, grades: options.grades?.path ?? null, bytes_read: provenance.bytes_read, format: provenance.format },
    candidates: [],
    rejected: [],
    others,
    read: ofDate.length,
    alreadyGraded: 0,
    notSelected: 0,
    blankLines: 0,
  };
  for (const pick of ofDate) {
    const record = records.get(pick.position);
    const betting = record === undefined ? null : bettingFields(record);
    if (betting !== null) others.add({ sourceLine: pick.position, pick, betting });
    if (isGraded(pick)) set.alreadyGraded += 1;
    else if (!selected(pick, options)) set.notSelected += 1;
    else set.candidates.push({ sourceLine: pick.position, pick, betting });
  }
  return set;
}

/**
 * Candidate picks as JSONL (each line a record shaped like the store's): every non-blank line is a
 * candidate, graded or not; a line that is not a pick is kept as a rejection with its line number.
 */
export async function stdinCandidates(input: Readable, selection: Selection): Promise<CandidateSet> {
  const others = new OtherSideIndex("stdin");
  const set: CandidateSet = { source: { kind: "stdin" }, candidates: [], rejected: [], others, read: 0, alreadyGraded: 0, notSelected: 0, blankLines: 0 };
  const seen = new Set<string>();
  let line = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    const text = line === 1 && raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
    if (text.trim() === "") {
      set.blankLines += 1;
      continue;
    }
    set.read += 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      set.rejected.push(lineRejection(line, "not_json", `line ${line} is not JSON: ${(error as Error).message}`));
      continue;
    }
    if (!isJsonObject(value)) {
      set.rejected.push(lineRejection(line, "not_object", `line ${line} is JSON but not an object`));
      continue;
    }
    const pickId = pickIdOf(value);
    if (pickId === null) {
      set.rejected.push(lineRejection(line, "missing_pick_id", `line ${line} has no pick_id`));
      continue;
    }
    if (seen.has(pickId)) {
      set.rejected.push(lineRejection(line, "duplicate_pick_id", `pick_id ${pickId} already appeared on an earlier line`, pickId));
      continue;
    }
    seen.add(pickId);
    const pick = normalizePick(extractRawPick(value, pickId), line);
    const betting = bettingFields(value);
    others.add({ sourceLine: line, pick, betting });
    if (selected(pick, selection)) set.candidates.push({ sourceLine: line, pick, betting });
    else set.notSelected += 1;
  }
  return set;
}
