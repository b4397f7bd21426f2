import os from "node:os";
import { isoEt } from "../dates.js";
import { currentRunDir, runIdOf } from "../runs/run-summary.js";
import { pointCurrentAt } from "../runs/run-writer.js";
import { REGISTRY_EVENT_SCHEMA_VERSION, type RegistryAction, type RegistryEvent } from "../schemas/registry-event.js";
import { appendEvent, whoAmI } from "./registry-log.js";

export interface CurrentChange {
  action: RegistryAction;
  run: string;
  reason: string;
  time: Date;
}

/** The id of the run `<home>/current` points to, or null when nothing is current. */
export async function currentRunId(home: string): Promise<string | null> {
  const dir = await currentRunDir(home);
  return dir === null ? null : runIdOf(dir);
}

export function registryEvent(change: CurrentChange, previousRun: string | null): RegistryEvent {
  return {
    schema_version: REGISTRY_EVENT_SCHEMA_VERSION,
    time: isoEt(change.time),
    action: change.action,
    run: change.run,
    previous_run: previousRun,
    reason: change.reason,
    user: whoAmI(),
    host: os.hostname(),
  };
}

/**
 * Points `current` at a run and logs the change. The caller holds the training lock, so no other
 * change of `current` can come between reading the previous run and writing the event.
 *
 * The symlink moves first and the event is written second. `current` is what predictions load; the
 * log is the record of it. If the process dies between the two, the log is one event behind a
 * `current` that is a whole, finished run, and `models list` says so. The other order could log a
 * move that never happened, and every rollback would then be computed from a false history.
 */
export async function moveCurrent(home: string, change: CurrentChange): Promise<RegistryEvent> {
  const previous = await currentRunId(home);
  await pointCurrentAt(home, change.run);
  const event = registryEvent(change, previous);
  await appendEvent(home, event);
  return event;
}
