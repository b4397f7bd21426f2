import type { Command } from "commander";

/** Joins commander's multi-line errors (e.g. "Did you mean …?") into the one line SPEC 11 asks for. */
export function oneLine(text: string): string {
  return `engine1: ${text.trim().replace(/^error: /, "").replace(/\s*\n+\s*/g, " ")}\n`;
}

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

/** The options every store-reading command shares (SPEC 2). */
export function storeOptions(command: Command): Command {
  return command
    .option("--store <path>", "the pick store (predictions.jsonl); env ENGINE1_STORE")
    .option("--grades <path>", "the grade overlay; env ENGINE1_GRADES; default graded_picks.jsonl beside the store")
    .option("--no-grades", "read the store alone, without the grade overlay");
}

export function filterOptions(command: Command): Command {
  return command
    .option("--threads <n>", "worker threads that scan the store (default: the machine's cores; 0 scans on the main thread)")
    .option("--as-of <date>", "reference ET date YYYY-MM-DD (default: today in America/New_York)")
    .option("--days <n|all>", "window of ET calendar days up to and including --as-of, or all", "7")
    .option("--sport <list>", "keep only these sports (comma list, case-insensitive)")
    .option("--markets <list>", "keep only these game markets (SPREAD,TOTAL,MONEYLINE)")
    .option("--explain <file>", "write one NDJSON line per dropped pick to FILE");
}
