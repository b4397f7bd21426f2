import { CheckFailedError, UsageError } from "../errors.js";
import { addDays } from "../dates.js";

/** A split that would let a later outcome train the model that predicts an earlier one. */
export class LeakageError extends CheckFailedError {}

export interface FoldOptions {
  /** Validation blocks (at least 2: calibration is judged on the later ones). */
  folds: number;
  /** Whole ET days left out between the last training date and the first validation date. */
  embargoDays: number;
}

export interface DateRange {
  first: string;
  last: string;
  /** Distinct ET dates. */
  dates: number;
  rows: number;
}

/** One expanding-window fold: row indices in their original order. */
export interface DateFold {
  /** 1-based. */
  fold: number;
  train: number[];
  validation: number[];
  trainRange: DateRange;
  validationRange: DateRange;
  /** Dates with picks that sat in the embargo and were used by neither side. */
  embargoedDates: number;
  embargoedRows: number;
}

export function checkFoldOptions(options: FoldOptions): void {
  if (!(Number.isInteger(options.folds) && options.folds >= 2)) throw new UsageError(`--folds must be a whole number of at least 2, got ${options.folds}`);
  if (!(Number.isInteger(options.embargoDays) && options.embargoDays >= 0)) {
    throw new UsageError(`--embargo-days must be a whole number of days, 0 or more, got ${options.embargoDays}`);
  }
}

function range(rows: readonly number[], dates: readonly string[]): DateRange {
  let first = dates[rows[0]!]!;
  let last = first;
  const distinct = new Set<string>();
  for (const row of rows) {
    const d = dates[row]!;
    distinct.add(d);
    if (d < first) first = d;
    if (d > last) last = d;
  }
  return { first, last, dates: distinct.size, rows: rows.length };
}

/**
 * The leakage guard: refuses any split (not only the ones built here) whose latest training date is
 * not before its earliest validation date by more than the embargo. Rows are compared by their ET
 * dates, never by their position, so a store written out of order cannot leak through.
 */
export function assertNoLeakage(label: string, train: readonly number[], validation: readonly number[], dates: readonly string[], embargoDays: number): void {
  if (train.length === 0 || validation.length === 0) throw new LeakageError(`${label}: a split needs training and validation rows`);
  const latestTrain = range(train, dates).last;
  const earliestValidation = range(validation, dates).first;
  const limit = addDays(earliestValidation, -embargoDays);
  if (latestTrain >= limit) {
    const embargo = embargoDays === 0 ? "" : ` with an embargo of ${embargoDays} day${embargoDays === 1 ? "" : "s"} (training must end before ${limit})`;
    throw new LeakageError(
      `leakage: ${label} trains on picks dated up to ${latestTrain} but validates on picks from ${earliestValidation}; ` +
        `training dates must end before validation dates start${embargo}`,
    );
  }
}

/**
 * Expanding-window folds over the distinct ET dates (scikit-learn's TimeSeriesSplit, on dates instead
 * of rows): the dates are cut into `folds + 1` equal blocks from the latest backwards (the remainder
 * goes to the first training block); fold k validates on block k + 1 and trains on every earlier date
 * more than `embargoDays` before it. All picks of a date fall on one side, and every fold passes the
 * leakage guard before it is returned. A string says why the dates cannot be split.
 */
export function dateFolds(dates: readonly string[], options: FoldOptions): DateFold[] | string {
  checkFoldOptions(options);
  const distinct = [...new Set(dates)].sort();
  const size = Math.floor(distinct.length / (options.folds + 1));
  if (size < 1) {
    return `${options.folds} folds need at least ${options.folds + 1} distinct dates, and the samples span ${distinct.length}`;
  }
  const byDate = new Map<string, number[]>();
  dates.forEach((d, row) => {
    const rows = byDate.get(d);
    if (rows === undefined) byDate.set(d, [row]);
    else rows.push(row);
  });
  const rowsOf = (ds: readonly string[]): number[] => ds.flatMap((d) => byDate.get(d)!).sort((a, b) => a - b);
  const folds: DateFold[] = [];
  for (let k = 0; k < options.folds; k++) {
    const start = distinct.length - (options.folds - k) * size;
    const validationDates = distinct.slice(start, start + size);
    const limit = addDays(validationDates[0]!, -options.embargoDays);
    const trainDates = distinct.slice(0, start).filter((d) => d < limit);
    const embargoed = distinct.slice(0, start).filter((d) => d >= limit);
    if (trainDates.length === 0) {
      return `fold ${k + 1} has no training date more than ${options.embargoDays} day(s) before its first validation date ${validationDates[0]}`;
    }
    const train = rowsOf(trainDates);
    const validation = rowsOf(validationDates);
    assertNoLeakage(`fold ${k + 1}`, train, validation, dates, options.embargoDays);
    folds.push({
      fold: k + 1,
      train,
      validation,
      trainRange: range(train, dates),
      validationRange: range(validation, dates),
      embargoedDates: embargoed.length,
      embargoedRows: embargoed.reduce((sum, d) => sum + byDate.get(d)!.length, 0),
    });
  }
  return folds;
}
