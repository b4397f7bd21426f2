import { Command, Option } from "commander";
import { DEFAULT_PREDS_INTRODUCED } from "../audit/attribution.js";
import { evaluationOptions } from "./evaluation-flags.js";
import { examples, filterOptions, oneLine, storeOptions } from "./program-options.js";
import { addModelUseCommands } from "./program-use.js";
import { ENGINE1_VERSION } from "../version.js";

export function buildProgram(): Command {
  const program = new Command("engine1")
    .description("Mechanically verifiable training for sports-betting models.")
    .version(ENGINE1_VERSION, "-V, --version", "print the version")
    .option("--json", "print one JSON document on stdout; everything else goes to stderr")
    .option("--no-color", "no colour (also NO_COLOR=1)")
    .option("-q, --quiet", "print nothing but errors; the exit code tells")
    .showHelpAfterError(false)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(oneLine(text)) })
    .addHelpText(
      "after",
      `\nExit codes: 0 success, 1 a check failed, 2 the command could not run.\n` +
        examples([
          "engine1 audit-store --store fixtures/store/predictions.jsonl",
          "engine1 audit-store --json --sport NBA --days 30",
          "engine1 train --sport NBA",
          "engine1 hash-schema --run current",
          "engine1 fixtures generate --records 1000 --seed 7 --out /tmp/store",
        ]),
    );

  const audit = storeOptions(
    program
      .command("audit-store")
      .description("account for every line of the store and report data quality, without training"),
  );
  filterOptions(audit)
    .option("--preds-introduced <date>", "model_preds introduction date for old_schema attribution", DEFAULT_PREDS_INTRODUCED)
    .option("--strict", "exit 1 when a line is a parse error, not an object, lacks a pick_id or repeats one; exit 2 when the store is missing")
    .addHelpText(
      "after",
      examples([
        "engine1 audit-store --store /data/grader/predictions.jsonl",
        "engine1 audit-store --json | jq .line_accounting",
        "engine1 audit-store --sport NBA,NFL --days all --explain dropped.ndjson",
        "engine1 audit-store --strict --quiet   # CI smoke check: exit code only",
      ]),
    )
    .action(async (_options, command: Command) => {
      const { runAuditStore } = await import("./commands/audit-store.js");
      process.exitCode = await runAuditStore(command.optsWithGlobals());
    });

  const trainCommand = storeOptions(
    program.command("train").description("stream the store, apply the six-stage filter, train the three models, write a signed run"),
  );
  filterOptions(trainCommand)
    .option("--home <dir>", "where runs, current and the lock live; env ENGINE1_HOME")
    .option("--seed <n>", "seed for every random choice in training", "42")
    .option("--timeout <minutes>", "abandon the run after this many minutes (nothing replaces current)", "10")
    .option("--lstm-epochs <n>", "training epochs of the team LSTM (default 20)");
  evaluationOptions(trainCommand)
    .option("--no-gates", "move current even when a promotion gate fails (recorded in the run)")
    .addHelpText(
      "after",
      examples([
        "engine1 train --sport NBA",
        "engine1 train --store fixtures/store/predictions.jsonl --as-of 2026-11-20 --days all --home /tmp/engine1",
        "engine1 train --json > run.json   # the run document on stdout",
        "engine1 train --days 30 --markets spread,total --explain dropped.ndjson",
        "engine1 train --search random --trials 40 --calibration isotonic",
        "engine1 train --no-gates   # promote even if a gate of engine1.config.json fails",
      ]),
    )
    .action(async (_options, command: Command) => {
      const { runTrain } = await import("./commands/train.js");
      process.exitCode = await runTrain(command.optsWithGlobals());
    });

  const evaluate = storeOptions(
    program
      .command("evaluate")
      .description("the ensemble's date-fold evaluation: folds, metrics, baselines, calibration, reliability and gates"),
  ).option("--run <dir|id|current>", "show the evaluation a run saved instead of fitting afresh from the store");
  filterOptions(evaluate)
    .option("--home <dir>", "where runs live (and engine1.config.json); env ENGINE1_HOME")
    .option("--seed <n>", "seed of the random search (default 42)");
  evaluationOptions(evaluate)
    .addHelpText(
      "after",
      examples([
        "engine1 evaluate --run current",
        "engine1 evaluate --store fixtures/store/predictions.jsonl --as-of 2026-11-20 --days all",
        "engine1 evaluate --sport NBA --days 90 --folds 4 --embargo-days 2 --calibration platt --json",
        "engine1 evaluate --search random --trials 30 --seed 7",
      ]),
    )
    .action(async (_options, command: Command) => {
      const { runEvaluate } = await import("./commands/evaluate.js");
      // The flags typed (not defaults), so --run can refuse the ones of a fresh fit.
      const typed = command.options
        .filter((o) => command.getOptionValueSource(o.attributeName()) === "cli" && (command.getOptionValue(o.attributeName()) === false) === o.negate)
        .map((o) => o.long ?? o.flags);
      process.exitCode = await runEvaluate(command.optsWithGlobals(), typed);
    });

  program
    .command("hash-schema")
    .description("hash feature names, or compare a trained run's training and inference schemas")
    .argument("[names...]", "feature names (space or comma separated)")
    .option("--run <dir|current>", "check every model of a run: a run directory, a run id, or current")
    .option("--home <dir>", "where runs live; env ENGINE1_HOME")
    .addHelpText(
      "after",
      examples([
        "engine1 hash-schema ensemble lstm matchup monte_carlo   # 7353259d6bb0f7ce",
        "engine1 hash-schema --run current",
        "engine1 hash-schema --run current --json",
      ]),
    )
    .action(async (names: string[], _options, command: Command) => {
      const { runHashSchema } = await import("./commands/hash-schema.js");
      process.exitCode = await runHashSchema(names, command.optsWithGlobals());
    });

  storeOptions(program.command("schedule").description("print the crontab lines for the 07:00 ET training and the 07:30 ET verification"))
    .option("--home <dir>", "where runs, current and the lock live; env ENGINE1_HOME")
    .option("--log <file>", "file both jobs append their output to (default: <home>/engine1.log)")
    .option("--as-of <date>", "ET date whose season the UTC lines are for, YYYY-MM-DD (default: today in America/New_York)")
    .option("--timeout <minutes>", "train --timeout; coreutils timeout kills a hung run 2 minutes later", "10")
    .option("--sport <list>", "passed to train")
    .option("--days <n|all>", "passed to train (train's default: 7)")
    .addHelpText(
      "after",
      examples([
        "engine1 schedule --store /data/grader/predictions.jsonl --home /data/engine1",
        "engine1 schedule --sport NBA --days 30 --as-of 2027-01-15",
        "(crontab -l; engine1 schedule --json | jq -r .crontab_cron_tz) | crontab -   # append the CRON_TZ block",
      ]),
    )
    .action(async (_options, command: Command) => {
      const { runSchedule } = await import("./commands/schedule.js");
      process.exitCode = await runSchedule(command.optsWithGlobals());
    });

  program
    .command("verify")
    .description("the scheduled check that today's training ran and reconciled; writes an alert file and exits 1 if not")
    .option("--home <dir>", "where runs live; env ENGINE1_HOME")
    .option("--as-of <date>", "the ET date training should have run on (default: today in America/New_York)")
    .option("--max-age-hours <hours>", "also accept a run this recent from another date", "24")
    .addHelpText(
      "after",
      examples([
        "engine1 verify --home /data/engine1            # 07:30 ET in cron: exit 1 and an alert file if training did not happen",
        "engine1 verify --json | jq .alerts",
        "engine1 verify --quiet || page-the-team          # CI smoke check",
      ]),
    )
    .action(async (_options, command: Command) => {
      const { runVerify } = await import("./commands/verify.js");
      process.exitCode = await runVerify(command.optsWithGlobals());
    });

  program
    .command("status")
    .description("the training-status report: health, last run, artifacts, store audit summary")
    .option("--home <dir>", "where runs live; env ENGINE1_HOME")
    .option("--store <path>", "the pick store to summarise; env ENGINE1_STORE")
    .option("--no-store", "do not read the store")
    .option("--grades <path>", "the grade overlay; env ENGINE1_GRADES")
    .option("--no-grades", "read the store alone")
    .option("--as-of <date>", "reference ET date for the store summary's filter preview")
    .option("--days <n|all>", "window for the store summary's filter preview", "7")
    .option("--sport <list>", "sports for the store summary's filter preview")
    .option("--threads <n>", "worker threads that scan the store (default: the machine's cores; 0 scans on the main thread)")
    .addHelpText(
      "after",
      examples(["engine1 status --home /data/engine1", "engine1 status --json | jq .training_health", "engine1 status --no-store"]),
    )
    .action(async (_options, command: Command) => {
      const { runStatus } = await import("./commands/status.js");
      process.exitCode = await runStatus(command.optsWithGlobals());
    });

  addModelUseCommands(program);

  const fixtures = program.command("fixtures").description("make stores for tests, demos and benchmarks");
  fixtures
    .command("generate")
    .description("write a deterministic store, grade file and manifest of expected counts")
    .requiredOption("--out <dir>", "directory to write predictions.jsonl, graded_picks.jsonl and manifest.json")
    .option("--records <n>", "number of distinct picks", "1000")
    .option("--seed <n>", "random seed", "1")
    .option("--end-date <date>", "date of the latest picks (ET)", "2026-11-20")
    .option("--span-days <n>", "days the picks are spread over", "365")
    .option("--record-bytes <n>", "approximate size of one store line", "4096")
    .addOption(new Option("--anomalies <mode>", "bad lines and odd records to include").choices(["default", "none"]).default("default"))
    .addHelpText(
      "after",
      examples([
        "engine1 fixtures generate --records 500 --seed 1 --out fixtures/store",
        "engine1 fixtures generate --records 100000 --record-bytes 12000 --anomalies none --out /tmp/big",
      ]),
    )
    .action(async (_options, command: Command) => {
      const { runFixturesGenerate } = await import("./commands/fixtures-generate.js");
      process.exitCode = await runFixturesGenerate(command.optsWithGlobals());
    });

  return program;
}
