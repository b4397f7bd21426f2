import { open, readFile, type FileHandle } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { errnoCode, InputError } from "../errors.js";
import { writeFailure } from "../runs/run-writer.js";
import { registryEventSchema, type RegistryEvent } from "../schemas/registry-event.js";

export const REGISTRY_FILE = "registry.ndjson";
/** Where the bytes of a line whose write never finished are kept when the next event is appended. */
export const TORN_FILE = "registry.ndjson.torn";

export interface TruncatedLine {
  /** 1-based line number of the unfinished last line. */
  line: number;
  bytes: number;
}

export interface RegistryLog {
  file: string;
  events: RegistryEvent[];
  /** The last line when the file does not end in a newline: an append that never finished. Reported, not fatal. */
  truncated: TruncatedLine | null;
}

function parseLine(line: string, lineNumber: number, file: string): RegistryEvent | null {
  if (line.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new InputError(`${file} line ${lineNumber}: not JSON (${(error as Error).message}); the registry log is append-only, so this line was changed by hand or by a failing disk`);
  }
  const parsed = registryEventSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.map(String).join(".")}: ` : "";
    throw new InputError(`${file} line ${lineNumber}: not a registry event: ${where}${issue.message}`);
  }
  return parsed.data;
}

/** Parses the text of a registry log; `file` names it in errors. */
export function parseRegistry(text: string, file: string): RegistryLog {
  const lines = text.split("\n");
  // Every event is written as one line ending in "\n", so the text after the last newline is either
  // empty or the remains of a write that did not finish.
  const last = lines.pop()!;
  const events: RegistryEvent[] = [];
  lines.forEach((line, i) => {
    const event = parseLine(line, i + 1, file);
    if (event !== null) events.push(event);
  });
  return { file, events, truncated: last === "" ? null : { line: lines.length + 1, bytes: Buffer.byteLength(last) } };
}

/** `<home>/registry.ndjson`, validated line by line; a home without one has an empty log. */
export async function readRegistry(home: string): Promise<RegistryLog> {
  const file = path.join(home, REGISTRY_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT") return { file, events: [], truncated: null };
    throw new InputError(`cannot read the registry log ${file}: ${code ?? (error as Error).message}`, { cause: error });
  }
  return parseRegistry(text, file);
}

/**
 * The log must end in a newline before a line is appended, or the new event would be glued to the
 * remains of an unfinished one. Those remains are cut off, but kept in `registry.ndjson.torn`.
 */
async function setAsideTornLine(handle: FileHandle, home: string): Promise<void> {
  const { size } = await handle.stat();
  if (size === 0) return;
  const bytes = Buffer.alloc(size);
  await handle.read(bytes, 0, size, 0);
  if (bytes[size - 1] === 0x0a) return;
  const keep = bytes.lastIndexOf(0x0a) + 1;
  await appendSynced(path.join(home, TORN_FILE), Buffer.concat([bytes.subarray(keep), Buffer.from("\n")]));
  await handle.truncate(keep);
}

async function appendSynced(file: string, data: Buffer, beforeWrite?: (handle: FileHandle) => Promise<void>): Promise<void> {
  const handle = await open(file, "a+");
  try {
    await beforeWrite?.(handle);
    // One write(2) per line on an O_APPEND descriptor: concurrent appends never interleave inside a line.
    const { bytesWritten } = await handle.write(data, 0, data.length);
    if (bytesWritten !== data.length) throw new Error(`only ${bytesWritten} of ${data.length} bytes were written`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Appends one event as one line and fsyncs it. The caller holds the training lock. */
export async function appendEvent(home: string, event: RegistryEvent): Promise<void> {
  const file = path.join(home, REGISTRY_FILE);
  const line = Buffer.from(`${JSON.stringify(registryEventSchema.parse(event))}\n`);
  try {
    await appendSynced(file, line, (handle) => setAsideTornLine(handle, home));
  } catch (error) {
    throw writeFailure("the registry log", file, error);
  }
}

/** Who made a change: the login name, else USER or LOGNAME, else "unknown". */
export function whoAmI(env: NodeJS.ProcessEnv = process.env): string {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry for this uid (common in containers): fall back to the environment
  }
  return env.USER || env.LOGNAME || "unknown";
}
