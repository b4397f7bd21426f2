import { Chalk, type ChalkInstance } from "chalk";
import type { Writable } from "node:stream";

/** Where a command writes, and how: the CLI's only connection to the terminal. */
export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  json: boolean;
  quiet: boolean;
  /** Colours for stdout and stderr, each off unless that stream is a terminal (or FORCE_COLOR). */
  out: ChalkInstance;
  err: ChalkInstance;
}

export interface GlobalFlags {
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
}

/** SPEC 11: colour only on a terminal; NO_COLOR (non-empty) and --no-color turn it off; FORCE_COLOR wins over the terminal test. */
export function colorLevel(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force === "false") return 0;
    if (force === "2") return 2;
    if (force === "3") return 3;
    return 1;
  }
  return stream.isTTY ? 1 : 0;
}

export function createIo(flags: GlobalFlags, process_: NodeJS.Process = process): Io {
  const { stdout, stderr, env } = process_;
  return {
    stdout,
    stderr,
    env,
    json: flags.json ?? false,
    quiet: flags.quiet ?? false,
    out: new Chalk({ level: colorLevel(stdout, env, flags.color) }),
    err: new Chalk({ level: colorLevel(stderr, env, flags.color) }),
  };
}

/** Prints the one machine-readable document of a `--json` run. */
export function printJson(io: Io, document: unknown): void {
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

/** A line of human output: the report itself goes to stdout, unless --quiet. */
export function printHuman(io: Io, text: string): void {
  if (!io.quiet) io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** A note or warning for a person: stderr, never mixed into a --json document; silenced by --quiet. */
export function note(io: Io, text: string): void {
  if (!io.quiet) io.stderr.write(`${text}\n`);
}
