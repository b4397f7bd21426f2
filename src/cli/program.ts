import { Command, Option } from "commander";
import { DEFAULT_PREDS_INTRODUCED } from "../audit/attribution.js";
import { evaluationOptions } from "./evaluation-flags.js";
import { ENGINE1_VERSION } from "../version.js";

/** Joins commander's multi-line errors (e.g. "Did you mean …?") into the one line SPEC 11 asks for. */
function oneLine(text: string): string {
  return `engine1: ${text.trim().replace(/^error: /, "").replace(/\s*\n+\s*/g, " ")}\n`;
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

/** The options every store-reading command shares (SPEC 2). */
function storeOptions(command: Command): Command {
  return command
    .option("--store <path>", "the pick store (predictions.jsonl); env ENGINE1_STORE")
    .option("--grades <path>", "the grade overlay; env ENGINE1_GRADES; default graded_picks.jsonl beside the store")
    .option("--no-grades", "read the store alone, without the grade overlay");
}

function filterOptions(command: Command): Command {
  return command
    .option("--threads <n>", "worker threads that scan the store (default: the machine's cores; 0 scans on the main thread)")
    .option("--as-of <date>", "reference ET date YYYY-MM-DD (default: today in America/New_York)")
    .option("--days <n|all>", "window of ET calendar days up to and including --as-of, or all", "7")
    .option("--sport <list>", "keep only these sports (comma list, case-insensitive)")
    .option("--markets <list>", "keep only these game markets (SPREAD,TOTAL,MONEYLINE)")
    .option("--explain <file>", "write one NDJSON line per dropped pick to FILE");
}

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

  storeOptions(program.command("backtest").description("walk forward day by day: fit on what was known before each day, bet that day's picks, settle them"))
    .option("--from <date>", "first ET date to bet (default: 29 days before --to, 30 days in all)")
    .option("--to <date>", "last ET date to bet (default: yesterday in America/New_York)")
    .option("--sport <list>", "only these sports")
    .option("--markets <list>", "only these game markets (SPREAD,TOTAL,MONEYLINE)")
    .option("--C <number>", "the ensemble's inverse L2 strength (default 1)")
    .option("--embargo-days <n>", "whole days between the last training date and the day bet (default 0: everything before the day)")
    .option("--calibration <method>", "none, or platt: a Platt map fitted on the walk's own earlier out-of-sample predictions (default none)")
    .option("--kelly-fraction <x>", "share of the full Kelly stake (default 0.25)")
    .option("--kelly-cap <x>", "largest stake as a share of the bankroll (default 0.05)")
    .option("--config <file>", "engine1.config.json (tiers and Kelly defaults); env ENGINE1_CONFIG")
    .option("--home <dir>", "where engine1.config.json is looked for; env ENGINE1_HOME")
    .option("--out <file>", "also write the backtest document to FILE (for engine1 report)")
    .option("--threads <n>", "worker threads that scan the store (default: the machine's cores; 0 scans on the main thread)")
    .addHelpText(
      "after",
      examples([
        "engine1 backtest --from 2026-10-01 --to 2026-11-19 --sport NBA",
        "engine1 backtest --json | jq .summary",
        "engine1 backtest --out backtest.json && engine1 report --backtest backtest.json --out report.html",
      ]),
    )
    .action(async (_options, command: Command) => {
      const { runBacktest } = await import("./commands/backtest.js");
      process.exitCode = await runBacktest(command.optsWithGlobals());
    });

  const models = program.command("models").description("the model registry: list runs, show one, promote a run to current, roll back");
  models
    .command("list")
    .description("every run with its status, gates and whether it is current")
    .option("--home <dir>", "where runs live; env ENGINE1_HOME")
    .addHelpText("after", examples(["engine1 models list --home /data/engine1", "engine1 models list --json | jq '.runs[] | select(.current)'"]))
    .action(async (_options, command: Command) => {
      const { runModelsList } = await import("./commands/models.js");
      process.exitCode = await runModelsList(command.optsWithGlobals());
    });
  models
    .command("show")
    .description("one run: signatures, evaluation, card, and its promotion history")
    .argument("[run]", "run id, run directory or current", "current")
    .option("--home <dir>", "where runs live; env ENGINE1_HOME")
    .addHelpText("after", examples(["engine1 models show", "engine1 models show 20261121T120000Z-1a2b3c --json"]))
    .action(async (run: string, _options, command: Command) => {
      const { runModelsShow } = await import("./commands/models.js");
      process.exitCode = await runModelsShow(run, command.optsWithGlobals());
    });
  models
    .command("promote")
    .description("make a successful run current (logged in <home>/registry.ndjson)")
    .argument("<run>", "run id or run directory")
    .option("--home <dir>", "where runs live; env ENGINE1_HOME")
    .option("--reason <text>", "why, for the log")
    .addHelpText("after", examples(['engine1 models promote 20261121T120000Z-1a2b3c --reason "back to the November model"']))
    .option("--force", "promote a run that failed only its promotion gates (never one whose training failed or found no data)")
    .action(async (run: string, _options, command: Command) => {
      const { runModelsPromote } = await import("./commands/models.js");
      process.exitCode = await runModelsPromote(run, command.optsWithGlobals());
    });
  models
    .command("rollback")
    .description("make the previously promoted run current again (logged; nothing is deleted)")
    .option("--home <dir>", "where runs live; env ENGINE1_HOME")
    .option("--reason <text>", "why, for the log")
    .addHelpText("after", examples(['engine1 models rollback --reason "ECE jumped after the new scorer"', "tail -3 /data/engine1/registry.ndjson"]))
    .action(async (_options, command: Command) => {
      const { runModelsRollback } = await import("./commands/models.js");
      process.exitCode = await runModelsRollback(command.optsWithGlobals());
    });

  storeOptions(program.command("predict").description("score a date's ungraded picks (or candidate picks on stdin) with the current model: probability, edge, tier, Kelly stake"))
    .option("--home <dir>", "where runs live; env ENGINE1_HOME")
    .option("--run <dir|id|current>", "the run whose models score the picks", "current")
    .option("--date <date>", "ET date of the picks to score (default: today in America/New_York)")
    .option("--stdin", "read candidate picks as JSONL from standard input instead of the store")
    .option("--sport <list>", "only these sports")
    .option("--markets <list>", "only these game markets (SPREAD,TOTAL,MONEYLINE)")
    .option("--min-edge <x>", "list only picks with at least this edge (e.g. 0.02)")
    .option("--tier <list>", "list only these tiers (comma list of A,B,C,D)")
    .option("--kelly-fraction <x>", "share of the full Kelly stake (default 0.25)")
    .option("--kelly-cap <x>", "largest stake as a share of the bankroll (default 0.05)")
    .option("--bankroll <units>", "print stakes in units of this bankroll as well as shares")
    .option("--ndjson", "one JSON line per pick on stdout instead of one document")
    .option("--config <file>", "engine1.config.json (tiers and Kelly defaults); env ENGINE1_CONFIG")
    .option("--threads <n>", "worker threads that scan the store (default: the machine's cores; 0 scans on the main thread)")
    .addHelpText(
      "after",
      examples([
        "engine1 predict --date 2026-11-20",
        "engine1 predict --sport NBA --min-edge 0.05 --tier A,B",
        "engine1 predict --ndjson | jq -c 'select(.tier == \"A\")'",
        "cat candidates.jsonl | engine1 predict --stdin --json",
      ]),
    )
    .action(async (_options, command: Command) => {
      const { runPredict } = await import("./commands/predict.js");
      process.exitCode = await runPredict(command.optsWithGlobals());
    });


  program
    .command("report")
    .description("one self-contained HTML page: line accounting, filter funnel, telemetry, reliability, folds, backtest")
    .option("--run <dir|id|current>", "the run to report on", "current")
    .option("--home <dir>", "where runs live; env ENGINE1_HOME")
    .option("--backtest <file>", "a backtest document (engine1 backtest --out FILE) to include")
    .requiredOption("--out <file>", "where to write the HTML page")
    .addHelpText("after", examples(["engine1 report --run current --out report.html", "engine1 report --backtest backtest.json --out /var/www/engine1.html"]))
    .action(async (_options, command: Command) => {
      const { runReport } = await import("./commands/report.js");
      process.exitCode = await runReport(command.optsWithGlobals());
    });

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
