import path from "node:path";
import { UsageError } from "../errors.js";
import type { ExplainWriter } from "../filter/explain.js";
import type { Io } from "./io.js";
import { startProgress, type Progress } from "./progress.js";

/**
 * `--explain` never points at an input: engine1 never writes to the store. The writer (and ndjson)
 * is loaded only when a run asks for it.
 */
export async function openExplain(target: string, inputs: (string | undefined)[]): Promise<ExplainWriter> {
  const resolved = path.resolve(target);
  if (inputs.some((input) => input !== undefined && path.resolve(input) === resolved)) {
    throw new UsageError(`--explain ${target} is an input file; engine1 never writes to the store`);
  }
  const { ExplainWriter } = await import("../filter/explain.js");
  return new ExplainWriter(resolved);
}

/**
 * Runs one pass over the store with its `--explain` file (when asked for; never one of `inputs`) and
 * the progress display: the file is completed when `work` succeeds and removed when it fails, and the
 * display is always stopped.
 */
export async function withExplainAndProgress<T>(
  io: Io,
  target: string | undefined,
  inputs: (string | undefined)[],
  work: (explain: ExplainWriter | undefined, progress: Progress) => Promise<T>,
): Promise<T> {
  const explain = target === undefined ? undefined : await openExplain(target, inputs);
  const progress = await startProgress(io, "reading store");
  let result: T;
  try {
    result = await work(explain, progress);
  } catch (error) {
    await explain?.abort();
    throw error;
  } finally {
    progress.stop();
  }
  await explain?.close();
  return result;
}
