import { CommanderError } from "commander";
import { isEngine1Error } from "../errors.js";
import { defaultThreads, prestartScanWorkers } from "../scan/prestart.js";
import { ENGINE1_VERSION } from "../version.js";
import { buildProgram } from "./program.js";

/** The commands that read the store on scanning threads (with the default --threads). */
const SCANNING_COMMANDS = new Set(["audit-store", "train", "evaluate", "backtest", "status"]);

const REPORT_URL = "https://github.com/engine1-dev/engine1/issues";

/**
 * Runs the CLI and sets `process.exitCode` (never `process.exit()`, so piped JSON is not cut short):
 * 0 success, 1 a check failed, 2 the command could not run (SPEC 11).
 */
export async function main(argv: string[]): Promise<void> {
  // `engine1 … | head` closes the pipe early: the reader has what it wanted, so stop quietly (as
  // coreutils do) instead of dying on EPIPE with a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  // Their threads start now, while the command loads, rather than once it reaches the store.
  const args = argv.slice(2);
  if (SCANNING_COMMANDS.has(args[0] ?? "") && !args.some((a) => a === "--threads" || a.startsWith("--threads=") || a === "--help" || a === "-h")) {
    prestartScanWorkers(defaultThreads());
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = handleError(error);
  }
}

function handleError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its one-line message; help and --version are not errors.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0 ? 0 : 2;
  }
  if (isEngine1Error(error)) {
    process.stderr.write(`engine1: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `engine1 ${ENGINE1_VERSION}: unexpected error: ${message.split("\n")[0]} — this is a bug; please report it at ${REPORT_URL} with the command you ran (ENGINE1_DEBUG=1 shows the stack)\n`,
  );
  if (process.env.ENGINE1_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  return 2;
}
