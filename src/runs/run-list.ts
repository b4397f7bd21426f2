import { readdir } from "node:fs/promises";
import path from "node:path";
import { errnoCode, InputError } from "../errors.js";
import { RUNS_DIR } from "./run-writer.js";

/**
 * The finished runs of a home, oldest first. Run ids start with their UTC start time, so they sort
 * chronologically; `.partial-` directories (runs that never finished) are not runs.
 * A home that does not exist has no runs; one that cannot be read is an error (exit 2).
 */
export async function listRuns(home: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(path.join(home, RUNS_DIR));
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT") {
      try {
        await readdir(home);
      } catch (homeError) {
        if (errnoCode(homeError) === "ENOENT") return [];
        throw new InputError(`cannot read the home ${home}: ${errnoCode(homeError) ?? (homeError as Error).message}`, { cause: homeError });
      }
      return [];
    }
    throw new InputError(`cannot read ${path.join(home, RUNS_DIR)}: ${code ?? (error as Error).message}`, { cause: error });
  }
  return entries.filter((e) => !e.startsWith(".")).sort();
}
