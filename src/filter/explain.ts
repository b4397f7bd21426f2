import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import ndjson from "ndjson";
import { InputError } from "../errors.js";
import type { Pick } from "../store/normalize.js";
import type { Drop } from "./filter.js";

/** One line of `--explain FILE`: a dropped pick and why. */
export interface ExplainLine {
  line: number;
  pick_id: string;
  stage: Drop["stage"];
  field: string;
  value: string | null;
}

/**
 * Writes one NDJSON line per dropped pick, to a temporary file renamed into place on `close()`,
 * so a failed run never leaves a half-written explanation where a complete one was.
 */
export class ExplainWriter {
  private readonly serializer = ndjson.stringify();
  private readonly temporary: string;
  private readonly output;
  private failure: Error | null = null;
  written = 0;

  constructor(readonly target: string) {
    this.temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    this.output = createWriteStream(this.temporary);
    this.output.on("error", (error) => (this.failure ??= error));
    this.serializer.pipe(this.output);
  }

  write(pick: Pick, drop: Drop): void {
    const line: ExplainLine = { line: pick.position, pick_id: pick.pickId, stage: drop.stage, field: drop.field, value: drop.value };
    this.serializer.write(line);
    this.written += 1;
  }

  async close(): Promise<void> {
    this.serializer.end();
    try {
      await finished(this.output);
    } catch (error) {
      this.failure ??= error as Error;
    }
    if (this.failure !== null) {
      await rm(this.temporary, { force: true });
      throw new InputError(`cannot write --explain file ${this.target}: ${this.failure.message}`, { cause: this.failure });
    }
    await rename(this.temporary, this.target);
  }

  async abort(): Promise<void> {
    this.serializer.destroy();
    this.output.destroy();
    await rm(this.temporary, { force: true });
  }
}
