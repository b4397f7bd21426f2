import { stat } from "node:fs/promises";
import path from "node:path";
import { isoEt } from "../dates.js";
import { CheckFailedError, errnoCode, InputError } from "../errors.js";
import { acquireLock } from "../runs/lock.js";
import { readRun, resolveRunDir } from "../runs/run-reader.js";
import { RUNS_DIR } from "../runs/run-writer.js";
import type { RegistryEvent } from "../schemas/registry-event.js";
import type { RunDocument } from "../schemas/run.js";
import { currentRunId, moveCurrent, registryEvent } from "./move-current.js";
import { logDisagreement, promotionStack } from "./promotion-stack.js";
import { appendEvent, readRegistry } from "./registry-log.js";

export interface RegistryChange {
  /** False when nothing was done (the run was already current and logged). */
  changed: boolean;
  current_run: string;
  /** The event appended to the log, or null when nothing changed. */
  event: RegistryEvent | null;
  note: string | null;
}

export interface PromoteOptions {
  home: string;
  /** A run id, a run directory under `<home>/runs/`, or `current`. */
  run: string;
  reason?: string;
  /** Promote a run whose only failure is its promotion gates; recorded in the reason. */
  force?: boolean;
  now?: Date;
}

export interface RollbackOptions {
  home: string;
  reason?: string;
  now?: Date;
}

/** The run's id when its directory is `<home>/runs/<id>` and its run.json agrees; `current` can point nowhere else. */
function idInHome(home: string, runDir: string, run: RunDocument): string {
  const id = path.basename(runDir);
  const expected = path.resolve(home, RUNS_DIR, id);
  if (path.resolve(runDir) !== expected) {
    throw new InputError(`${runDir} is not a run of the home ${home}: current can only point to a run under ${path.join(home, RUNS_DIR)}`);
  }
  if (run.run_id !== id) throw new InputError(`${path.join(runDir, "run.json")} says run_id ${run.run_id}, but its directory is ${id}`);
  return id;
}

/** The gates a run failed, as one phrase, or null when they passed, were skipped, or were never checked. */
function failedGates(run: RunDocument): string | null {
  if (!run.gates || run.gates.passed) return null;
  return run.gates.results.filter((r) => !r.passed).map((r) => `${r.gate} (${r.detail})`).join("; ");
}

/**
 * Refuses a run that must not be current: NO_DATA and FAILED runs never; a run that failed only its
 * promotion gates (every model trained, the filter reconciled) only with `force`. Returns what the
 * reason must add, if anything.
 */
function checkPromotable(id: string, run: RunDocument, force: boolean): string | null {
  if (run.status === "SUCCESS") return null;
  const gates = failedGates(run);
  const modelsTrained = Object.values(run.models).every((m) => m.status === "SUCCESS");
  const onlyGatesFailed =
    run.status === "FAILED" && gates !== null && modelsTrained && run.filter_telemetry.assertion_passed && run.filter_telemetry.eligible_total > 0;
  if (!onlyGatesFailed) {
    throw new CheckFailedError(`cannot promote ${id}: it is ${run.status} (${run.failures[0] ?? "see its run.json"}); only a run whose training succeeded can be current`);
  }
  if (!force) throw new CheckFailedError(`cannot promote ${id}: its promotion gates failed: ${gates}; --force promotes it anyway and records that in the log`);
  return `forced past failed gates: ${gates}`;
}

/** Makes a run current under the training lock and logs it; promoting the run already current changes nothing. */
export async function promoteRun(options: PromoteOptions): Promise<RegistryChange> {
  const { home } = options;
  const now = options.now ?? new Date();
  const runDir = await resolveRunDir(home, options.run);
  const run = await readRun(runDir);
  const id = idInHome(home, runDir, run);
  const lock = await acquireLock(home, { run_id: `models promote ${id}`, started_at: isoEt(now) });
  try {
    const log = await readRegistry(home);
    const current = await currentRunId(home);
    const reason = options.reason ?? "promoted by hand";
    if (current === id) {
      const logged = log.events.at(-1)?.run ?? null;
      if (logged === id) return { changed: false, current_run: id, event: null, note: `${id} is already current; nothing changed` };
      // `current` already points here but the log missed that move: record it, so the log and the stack catch up.
      const event = registryEvent({ action: "promote", run: id, reason: `${reason}; records a move the log missed`, time: now }, logged);
      await appendEvent(home, event);
      return { changed: true, current_run: id, event, note: `current already pointed at ${id}, but the log's last event said ${logged ?? "nothing"}: that move is now recorded` };
    }
    const forced = checkPromotable(id, run, options.force ?? false);
    const event = await moveCurrent(home, { action: "promote", run: id, reason: forced ? `${reason}; ${forced}` : reason, time: now });
    return { changed: true, current_run: id, event, note: null };
  } finally {
    await lock.release();
  }
}

async function requireHome(home: string): Promise<void> {
  try {
    await stat(home);
  } catch (error) {
    throw new InputError(`cannot read the home ${home}: ${errnoCode(error) ?? (error as Error).message}`, { cause: error });
  }
}

/** Makes the previously promoted run current again (see promotionStack), under the training lock, and logs it. */
export async function rollbackCurrent(options: RollbackOptions): Promise<RegistryChange> {
  const { home } = options;
  const now = options.now ?? new Date();
  await requireHome(home);
  const lock = await acquireLock(home, { run_id: "models rollback", started_at: isoEt(now) });
  try {
    const log = await readRegistry(home);
    const current = await currentRunId(home);
    const disagreement = logDisagreement(current, log);
    if (disagreement !== null) throw new InputError(`cannot roll back: ${disagreement}, then roll back`);
    const stack = promotionStack(log.events);
    const target = stack.at(-2);
    if (target === undefined) {
      throw new CheckFailedError(
        current === null
          ? `nothing to roll back to: nothing is current and ${log.file} records no change of current`
          : `nothing to roll back to: ${log.file} records no run that was current before ${current}`,
      );
    }
    // The target was current once; it must still be a readable run (runs are never deleted, but a person could).
    await readRun(path.join(home, RUNS_DIR, target));
    const event = await moveCurrent(home, { action: "rollback", run: target, reason: options.reason ?? `rolled back from ${current}`, time: now });
    return { changed: true, current_run: target, event, note: null };
  } finally {
    await lock.release();
  }
}
