import path from "node:path";
import { UsageError } from "../errors.js";
import { ExplainWriter } from "../filter/explain.js";

/** `--explain` never points at an input: engine1 never writes to the store. */
export function openExplain(target: string, inputs: (string | undefined)[]): ExplainWriter {
  const resolved = path.resolve(target);
  if (inputs.some((input) => input !== undefined && path.resolve(input) === resolved)) {
    throw new UsageError(`--explain ${target} is an input file; engine1 never writes to the store`);
  }
  return new ExplainWriter(resolved);
}
