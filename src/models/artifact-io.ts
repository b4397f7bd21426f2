import { access, readFile } from "node:fs/promises";
import type { z } from "zod";
import { errnoCode, InputError } from "../errors.js";

/** Validates a parsed artifact (or run document), naming the file and the first problem when it is not one. */
export function parseArtifact<T>(schema: z.ZodType<T>, json: unknown, source: string, kind = "model artifact"): T {
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.map(String).join(".")}: ` : "";
    throw new InputError(`${source} is not a valid ${kind}: ${where}${issue.message}`);
  }
  return result.data;
}

/** Reads a JSON artifact file: a clear InputError when it is missing, unreadable or not JSON. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${errnoCode(error) ?? (error as Error).message}`, { cause: error });
  }
  return parseJsonText(text, path);
}

/** Parses the text of a JSON file: an InputError naming `path`, on one line, when it is not JSON. */
export function parseJsonText(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8 may quote the text in its message, line ends included: keep the error on one line.
    throw new InputError(`${path} is not valid JSON: ${(error as Error).message.replace(/\s*[\r\n]+\s*/g, " ")}`, { cause: error });
  }
}

/** Whether `file` exists (and can be looked at): optional files such as a run's card or the config. */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
