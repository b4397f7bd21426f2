import path from "node:path";
import { fileExists, parseArtifact, readJsonFile } from "../models/artifact-io.js";
import type { Env } from "../paths.js";
import { engine1ConfigSchema, type Engine1Config } from "./config-schema.js";

export const CONFIG_FILE = "engine1.config.json";

export interface LoadedConfig {
  config: Engine1Config;
  /** The file it came from, or null when there is none and every default applies. */
  path: string | null;
}

/**
 * The configuration: `--config`, else ENGINE1_CONFIG, else `<home>/engine1.config.json` when it exists
 * (cron jobs run from anywhere, so the home is the one stable place). A file named by the flag or the
 * variable must exist; a file that is not JSON or does not match the schema is an InputError naming
 * the file and the first problem.
 */
export async function loadConfig(flag: string | undefined, env: Env, home: string | null): Promise<LoadedConfig> {
  const named = flag ?? env.ENGINE1_CONFIG;
  let file: string | null = named === undefined || named === "" ? null : path.resolve(named);
  if (file === null && home !== null) {
    const candidate = path.join(home, CONFIG_FILE);
    if (await fileExists(candidate)) file = candidate;
  }
  if (file === null) return { config: {}, path: null };
  const config = parseArtifact(engine1ConfigSchema, await readJsonFile(file), file, "engine1 configuration");
  return { config, path: file };
}
