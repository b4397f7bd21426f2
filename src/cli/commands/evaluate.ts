import { loadConfig } from "../../config/load-config.js";
import { UsageError } from "../../errors.js";
import { evaluateFromStore, readRunEvaluation } from "../../eval/evaluate-source.js";
import { resolveEvaluation } from "../../eval/evaluation-options.js";
import { gatesFailure } from "../../eval/gates.js";
import { resolveFilterOptions } from "../../filter/filter-options.js";
import { resolveGradesPath, resolveHome, resolveStorePath } from "../../paths.js";
import { DEFAULT_SEED } from "../../train/defaults.js";
import { clockFrom } from "../clock.js";
import { evaluationRequest, type EvaluationFlags } from "../evaluation-flags.js";
import { withExplainAndProgress } from "../explain-file.js";
import { createIo, note, printHuman, printJson, type GlobalFlags } from "../io.js";
import { wholeNumber } from "../numbers.js";
import { renderEvaluation } from "../render/evaluation-report.js";
import { threadsFlag } from "../threads.js";

export interface EvaluateFlags extends GlobalFlags, EvaluationFlags {
  run?: string;
  home?: string;
  store?: string;
  grades?: string | false;
  asOf?: string;
  days?: string;
  sport?: string;
  markets?: string;
  seed?: string;
  threads?: string;
  explain?: string;
}

/** Exit 0 when every configured gate passes (or none is configured), 1 when one fails. */
export async function runEvaluate(flags: EvaluateFlags, typed: readonly string[] = []): Promise<number> {
  const io = createIo(flags);
  const home = resolveHome(flags.home, io.env);
  let document;
  if (flags.run !== undefined) {
    // Every flag typed besides --run, --home and the global ones belongs to a fresh fit.
    const mixed = typed.filter((f) => !["--run", "--home", "--json", "--quiet", "--no-color"].includes(f));
    if (mixed.length > 0) {
      throw new UsageError(`--run shows the evaluation a run saved; ${mixed.join(", ")} only apply to a fresh fit from the store`);
    }
    document = await readRunEvaluation(home.path, flags.run);
  } else {
    const store = resolveStorePath(flags.store, io.env);
    const { config, path: configPath } = await loadConfig(flags.config, io.env, home.path);
    const seed = wholeNumber("--seed", flags.seed ?? String(DEFAULT_SEED), 0);
    const evaluation = resolveEvaluation(evaluationRequest(flags), config.evaluation, seed);
    const now = clockFrom(io.env);
    const grades = resolveGradesPath(flags.grades, io.env, store.path);
    document = await withExplainAndProgress(io, flags.explain, [store.path, grades?.path], (explain, progress) =>
      evaluateFromStore({
        ...(explain ? { explain } : {}),
        store,
        grades,
        filter: resolveFilterOptions(flags, now()),
        evaluation,
        gates: config.gates,
        configPath,
        threads: threadsFlag(flags.threads),
        now: now(),
        onProgress: (done, total) => progress.update(done, total),
      }),
    );
  }
  const gatesFailed = gatesFailure(document.gates);
  if (gatesFailed !== null) note(io, `engine1: ${gatesFailed}`);
  if (io.json) printJson(io, document);
  else printHuman(io, renderEvaluation(document, io.out));
  return document.gates.passed ? 0 : 1;
}
