import type { Command } from "commander";
import { examples, storeOptions } from "./program-options.js";

/** The commands that use trained models: predict, backtest, the registry and the report. */
export function addModelUseCommands(program: Command): void {
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
}
