import { existsSync } from "node:fs";
import path from "node:path";

/** A resolved path and the rule of SPEC 2 that chose it, so errors can say how it was chosen. */
export interface ResolvedPath {
  path: string;
  source: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

/** The volume root the original system ran on: `RAILWAY_VOLUME_MOUNT_PATH`, then `GRADER_MOUNT_ROOT`. */
export function volumeMountPath(env: Env): string | null {
  return nonEmpty(env.RAILWAY_VOLUME_MOUNT_PATH) ?? nonEmpty(env.GRADER_MOUNT_ROOT) ?? null;
}

/** `--store` > `ENGINE1_STORE` > `$RAILWAY_VOLUME_MOUNT_PATH/grader/…` > `$GRADER_MOUNT_ROOT/grader/…` > `/data/grader/…`. */
export function resolveStorePath(flag: string | undefined, env: Env): ResolvedPath {
  if (nonEmpty(flag)) return { path: path.resolve(flag!), source: "--store" };
  const fromEnv = nonEmpty(env.ENGINE1_STORE);
  if (fromEnv) return { path: path.resolve(fromEnv), source: "ENGINE1_STORE" };
  for (const name of ["RAILWAY_VOLUME_MOUNT_PATH", "GRADER_MOUNT_ROOT"] as const) {
    const root = nonEmpty(env[name]);
    if (root) return { path: path.resolve(root, "grader", "predictions.jsonl"), source: `$${name}/grader/predictions.jsonl` };
  }
  return { path: "/data/grader/predictions.jsonl", source: "default" };
}

/**
 * `--grades` > `ENGINE1_GRADES` > `graded_picks.jsonl` beside the store when it exists.
 * Null when `--no-grades` was given or no overlay file exists by default.
 */
export function resolveGradesPath(
  flag: string | false | undefined,
  env: Env,
  storePath: string,
): ResolvedPath | null {
  if (flag === false) return null;
  if (nonEmpty(flag || undefined)) return { path: path.resolve(flag as string), source: "--grades" };
  const fromEnv = nonEmpty(env.ENGINE1_GRADES);
  if (fromEnv) return { path: path.resolve(fromEnv), source: "ENGINE1_GRADES" };
  const beside = path.join(path.dirname(storePath), "graded_picks.jsonl");
  return existsSync(beside) ? { path: beside, source: "beside the store" } : null;
}

/** `--home` > `ENGINE1_HOME` > `<mount>/engine1` > `./.engine1`. */
export function resolveHome(flag: string | undefined, env: Env, cwd: string = process.cwd()): ResolvedPath {
  if (nonEmpty(flag)) return { path: path.resolve(flag!), source: "--home" };
  const fromEnv = nonEmpty(env.ENGINE1_HOME);
  if (fromEnv) return { path: path.resolve(fromEnv), source: "ENGINE1_HOME" };
  const mount = volumeMountPath(env);
  if (mount) return { path: path.resolve(mount, "engine1"), source: "volume mount" };
  return { path: path.resolve(cwd, ".engine1"), source: "default" };
}
