import { readlink, stat } from "node:fs/promises";
import path from "node:path";
import { errnoCode, InputError } from "../errors.js";
import { parseArtifact, readJsonFile } from "../models/artifact-io.js";
import { runSchema, type RunDocument } from "../schemas/run.js";
import { CURRENT_LINK, RUNS_DIR } from "./run-writer.js";

/** `current` (the run `<home>/current` points to), a run id under `<home>/runs/`, or a directory. */
export async function resolveRunDir(home: string, which: string): Promise<string> {
  if (which === CURRENT_LINK) {
    const link = path.join(home, CURRENT_LINK);
    try {
      return path.resolve(home, await readlink(link));
    } catch (error) {
      const code = errnoCode(error);
      if (code === "ENOENT") throw new InputError(`no current run: ${link} does not exist (has train ever succeeded in this home?)`);
      throw new InputError(`cannot read ${link}: ${code ?? (error as Error).message}`, { cause: error });
    }
  }
  const asId = path.join(home, RUNS_DIR, which);
  for (const candidate of [path.resolve(which), asId]) {
    try {
      if ((await stat(candidate)).isDirectory()) return candidate;
    } catch {
      // try the next reading of `which`
    }
  }
  throw new InputError(`no run found at ${path.resolve(which)} or ${asId}`);
}

export async function readRun(runDir: string): Promise<RunDocument> {
  const file = path.join(runDir, "run.json");
  return parseArtifact(runSchema, await readJsonFile(file), file, "run document");
}
