import { stat } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { errnoCode, InputError } from "../errors.js";

/** Fails before any work when the page could not be written: the directory must already exist. */
export async function checkReportTarget(out: string): Promise<string> {
  const file = path.resolve(out);
  const dir = path.dirname(file);
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new InputError(`cannot write ${file}: the directory ${dir} does not exist`);
  return file;
}

/** Writes the page whole or not at all (write-file-atomic: a temporary file, fsync, rename); returns its bytes. */
export async function writeReport(out: string, html: string): Promise<number> {
  const file = await checkReportTarget(out);
  try {
    await writeFileAtomic(file, html, { encoding: "utf8" });
  } catch (error) {
    throw new InputError(`cannot write ${file}: ${errnoCode(error) ?? (error as Error).message}`, { cause: error });
  }
  return Buffer.byteLength(html, "utf8");
}
