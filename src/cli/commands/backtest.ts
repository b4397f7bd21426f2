import { mkdir } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { backtestStore, defaultFrom } from "../../backtest/backtest-store.js";
import { DEFAULT_KELLY } from "../../betting/kelly.js";
import { DEFAULT_TIERS } from "../../betting/tiers.js";
import { loadConfig } from "../../config/load-config.js";
import { addDays, todayEt } from "../../dates.js";
import { UsageError } from "../../errors.js";
import { parseDateFlag, parseList, parseMarkets } from "../../filter/filter-options.js";
import { resolveGradesPath, resolveHome, resolveStorePath } from "../../paths.js";
import { writeFailure } from "../../runs/run-writer.js";
import { clockFrom } from "../clock.js";
import { createIo, note, printHuman, printJson, type GlobalFlags } from "../io.js";
import { positiveNumber, wholeNumber } from "../numbers.js";
import { startProgress } from "../progress.js";
import { renderBacktest } from "../render/backtest-report.js";
import { threadsFlag } from "../threads.js";

export interface BacktestFlags extends GlobalFlags {
  store?: string;
  grades?: string | false;
  from?: string;
  to?: string;
  sport?: string;
  markets?: string;
  C?: string;
  embargoDays?: string;
  calibration?: string;
  kellyFraction?: string;
  kellyCap?: string;
  config?: string;
  home?: string;
  out?: string;
  threads?: string;
}

function shareFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const x = positiveNumber(flag, value);
  if (x > 1) throw new UsageError(`${flag} must be a share of the bankroll in (0, 1], got "${value}"`);
  return x;
}

function calibrationFlag(value: string | undefined): "none" | "platt" {
  if (value === undefined || value === "none" || value === "platt") return value ?? "none";
  throw new UsageError(`--calibration must be none or platt, got "${value}"`);
}

/** Exit 0 with the document; 2 for bad flags or an unreadable store. */
export async function runBacktest(flags: BacktestFlags): Promise<number> {
  const io = createIo(flags);
  const now = clockFrom(io.env)();
  const to = flags.to === undefined ? addDays(todayEt(now), -1) : parseDateFlag("--to", flags.to);
  const from = flags.from === undefined ? defaultFrom(to) : parseDateFlag("--from", flags.from);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}: the range bets from its first day to its last`);
  const home = resolveHome(flags.home, io.env);
  const { config } = await loadConfig(flags.config, io.env, home.path);
  const predict = config.predict ?? {};
  const store = resolveStorePath(flags.store, io.env);
  const options = {
    store,
    grades: resolveGradesPath(flags.grades, io.env, store.path),
    from,
    to,
    sports: parseList(flags.sport),
    markets: parseMarkets(flags.markets),
    C: flags.C === undefined ? 1 : positiveNumber("--C", flags.C),
    embargoDays: flags.embargoDays === undefined ? 0 : wholeNumber("--embargo-days", flags.embargoDays, 0),
    calibration: calibrationFlag(flags.calibration),
    kelly: {
      fraction: shareFlag("--kelly-fraction", flags.kellyFraction, predict.kelly_fraction ?? DEFAULT_KELLY.fraction),
      cap: shareFlag("--kelly-cap", flags.kellyCap, predict.kelly_cap ?? DEFAULT_KELLY.cap),
    },
    tiers: predict.tiers ?? DEFAULT_TIERS,
    threads: threadsFlag(flags.threads),
    now,
  };
  const progress = await startProgress(io, "reading store");
  let document;
  try {
    document = await backtestStore({ ...options, onProgress: (done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
  if (flags.out !== undefined) {
    const file = path.resolve(flags.out);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
    } catch (error) {
      throw writeFailure("the backtest document", file, error);
    }
    if (!io.json) note(io, `wrote ${file}`);
  }
  if (io.json) printJson(io, document);
  else printHuman(io, renderBacktest(document, io.out));
  return 0;
}
