import { loadConfig } from "../../config/load-config.js";
import { todayEt } from "../../dates.js";
import { UsageError } from "../../errors.js";
import { parseDateFlag, parseList, parseMarkets } from "../../filter/filter-options.js";
import { resolveGradesPath, resolveHome, resolveStorePath } from "../../paths.js";
import { stdinCandidates, storeCandidates, type CandidateSet } from "../../predict/candidates.js";
import { loadRunEnsemble } from "../../predict/load-model.js";
import { resolvePredictSettings } from "../../predict/predict-options.js";
import { predictPicks } from "../../predict/predict.js";
import { clockFrom } from "../clock.js";
import { createIo, note, printHuman, printJson, type GlobalFlags } from "../io.js";
import { startProgress } from "../progress.js";
import { predictSummary, renderPredictions } from "../render/predict-report.js";
import { threadsFlag } from "../threads.js";

export interface PredictFlags extends GlobalFlags {
  home?: string;
  run?: string;
  store?: string;
  grades?: string | false;
  date?: string;
  stdin?: boolean;
  sport?: string;
  markets?: string;
  minEdge?: string;
  tier?: string;
  kellyFraction?: string;
  kellyCap?: string;
  bankroll?: string;
  ndjson?: boolean;
  config?: string;
  threads?: string;
}

function numberFlag(flag: string, value: string | undefined, ok: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n) || !ok(n)) throw new UsageError(`${flag} must be ${expected}, got "${value}"`);
  return n;
}

const share = (n: number): boolean => n > 0 && n <= 1;

/** Exit 0 when the picks were scored (even none), 1 if the accounting did not reconcile, 2 when nothing could be scored with. */
export async function runPredict(flags: PredictFlags): Promise<number> {
  const io = createIo(flags);
  if (flags.json && flags.ndjson) throw new UsageError("--json prints one document and --ndjson one line per pick: give one of them");
  if (flags.stdin) {
    if (flags.date !== undefined) throw new UsageError("--date picks a date of the store; with --stdin every line is a candidate");
    if (flags.store !== undefined || typeof flags.grades === "string") throw new UsageError("--stdin reads the candidates from standard input, not the store: leave out --store and --grades");
    if (process.stdin.isTTY) throw new UsageError("--stdin reads candidate picks as JSONL from a pipe or a file (engine1 predict --stdin < picks.jsonl), not from a terminal");
  }
  const request = {
    kellyFraction: numberFlag("--kelly-fraction", flags.kellyFraction, share, "a number in (0, 1]"),
    kellyCap: numberFlag("--kelly-cap", flags.kellyCap, share, "a number in (0, 1]"),
    minEdge: numberFlag("--min-edge", flags.minEdge, (n) => n >= -1 && n <= 1, "a number between -1 and 1"),
    tiers: parseList(flags.tier) ?? undefined,
  };
  const bankroll = numberFlag("--bankroll", flags.bankroll, (n) => n > 0, "a number above 0") ?? null;
  const now = clockFrom(io.env)();
  const home = resolveHome(flags.home, io.env);
  const { config } = await loadConfig(flags.config, io.env, home.path);
  const settings = resolvePredictSettings(request, config.predict);
  const date = flags.stdin ? null : flags.date === undefined ? todayEt(now) : parseDateFlag("--date", flags.date);
  const ensemble = await loadRunEnsemble(home.path, flags.run ?? "current");
  // A model trained on one sport (train --sport NBA) scores that sport unless told otherwise.
  const selection = {
    sports: parseList(flags.sport) ?? parseList(ensemble.run.sport ?? undefined),
    markets: parseMarkets(flags.markets) ?? parseMarkets(ensemble.run.markets?.join(",")),
  };
  let candidates: CandidateSet;
  if (date === null) {
    candidates = await stdinCandidates(process.stdin, selection);
  } else {
    const store = resolveStorePath(flags.store, io.env);
    const progress = await startProgress(io, "reading store");
    try {
      candidates = await storeCandidates({
        store,
        grades: resolveGradesPath(flags.grades, io.env, store.path),
        date,
        ...selection,
        threads: threadsFlag(flags.threads),
        onProgress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.stop();
    }
  }
  const document = predictPicks({ ensemble, candidates, settings, date, ...selection, bankroll, now });
  if (io.json) printJson(io, document);
  else if (flags.ndjson) {
    const lines = [...document.picks.map((p) => ({ status: "scored", ...p })), ...document.unscored.map((u) => ({ status: "unscored", ...u }))];
    io.stdout.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
    note(io, predictSummary(document));
  } else printHuman(io, renderPredictions(document, io.out));
  if (!document.accounting.assertion_passed) {
    note(io, `engine1: the prediction accounting does not reconcile: ${document.accounting.assertion_error}`);
    return 1;
  }
  return 0;
}
