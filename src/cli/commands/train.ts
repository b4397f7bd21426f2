import { resolveFilterOptions } from "../../filter/filter-options.js";
import { resolveGradesPath, resolveHome, resolveStorePath, volumeMountPath } from "../../paths.js";
import { runSchema } from "../../schemas/run.js";
import { DEFAULT_SEED, DEFAULT_TIMEOUT_MINUTES, HARD_STOP_GRACE_MS } from "../../train/defaults.js";
import { train } from "../../train/train.js";
import { clockFrom } from "../clock.js";
import { createIo, note, printHuman, printJson, type GlobalFlags } from "../io.js";
import { withExplainAndProgress } from "../explain-file.js";
import { positiveNumber, wholeNumber } from "../numbers.js";
import { threadsFlag } from "../threads.js";
import { renderTrain } from "../render/train-report.js";
import { loadConfig } from "../../config/load-config.js";
import { resolveEvaluation } from "../../eval/evaluation-options.js";
import { evaluationRequest, type EvaluationFlags } from "../evaluation-flags.js";

export interface TrainFlags extends GlobalFlags, EvaluationFlags {
  store?: string;
  grades?: string | false;
  home?: string;
  asOf?: string;
  days?: string;
  sport?: string;
  markets?: string;
  seed?: string;
  timeout?: string;
  explain?: string;
  lstmEpochs?: string;
  threads?: string;
}


export async function runTrain(flags: TrainFlags): Promise<number> {
  const io = createIo(flags);
  const store = resolveStorePath(flags.store, io.env);
  const grades = resolveGradesPath(flags.grades, io.env, store.path);
  const home = resolveHome(flags.home, io.env);
  const filter = resolveFilterOptions(flags, clockFrom(io.env)());
  const timeoutMinutes = positiveNumber("--timeout", flags.timeout ?? String(DEFAULT_TIMEOUT_MINUTES));
  const seed = wholeNumber("--seed", flags.seed ?? String(DEFAULT_SEED), 0);
  const { config, path: configPath } = await loadConfig(flags.config, io.env, home.path);
  const evaluation = resolveEvaluation(evaluationRequest(flags), config.evaluation, seed);
  const epochs = flags.lstmEpochs === undefined ? undefined : wholeNumber("--lstm-epochs", flags.lstmEpochs, 1);
  // The cooperative deadline stops training between epochs; this is the backstop for a run stuck in
  // one long computation, the one place where ending the process (and leaving a stale lock, which the
  // next run recovers) beats waiting.
  const hardStop = setTimeout(() => {
    io.stderr.write(`engine1: training abandoned: the --timeout of ${timeoutMinutes} minutes expired and the run did not stop; current is unchanged\n`);
    process.exit(1);
  }, timeoutMinutes * 60_000 + HARD_STOP_GRACE_MS);
  hardStop.unref();
  let result;
  try {
    result = await withExplainAndProgress(io, flags.explain, [store.path, grades?.path], (explain, progress) =>
      train({
        store,
        grades,
        home: home.path,
        volumeMountPath: volumeMountPath(io.env),
        filter,
        seed,
        evaluation,
        gates: { config: config.gates, configPath, skip: flags.gates === false },
        timeoutMinutes,
        threads: threadsFlag(flags.threads),
        ...(explain ? { explain } : {}),
        ...(epochs ? { lstm: { epochs } } : {}),
        now: clockFrom(io.env),
        onProgress: (done, total) => progress.update(done, total),
        onStage: (stage) => progress.update(1, 1, stage),
        fault: (point) => {
          if (io.env.ENGINE1_FAULT === `crash-${point}`) process.kill(process.pid, "SIGKILL");
        },
      }),
    );
  } finally {
    clearTimeout(hardStop);
  }
  if (result.lockRecovered) {
    const o = result.lockRecovered;
    note(io, `engine1: recovered a stale lock left by pid ${o.pid} (run ${o.run_id}, started ${o.started_at}); that process is gone`);
  }
  for (const failure of result.run.failures) note(io, `engine1: ${failure}`);
  if (io.json) printJson(io, runSchema.parse(result.run));
  else printHuman(io, renderTrain(result, io.out, result.runDir));
  return result.run.status === "SUCCESS" ? 0 : 1;
}
