import type { RegistryEvent } from "../schemas/registry-event.js";
import type { RegistryLog } from "./registry-log.js";

/**
 * The promotion history as a stack replayed from the log: `train` and `promote` push the run they
 * made current, `rollback` pops. The top is the run the log says is current; the one beneath it is
 * where the next rollback goes, so two promotions then a rollback return to the first, and a second
 * rollback goes one further back.
 *
 * `previous_run` is believed too: when an event says a run was current that is not on top (a log
 * begun in a home that already had a current run, or an event lost to a crash), that run is pushed
 * first, so the stack never forgets a run the log saw as current. A log engine1 wrote alone never
 * needs this, and the stack never holds the same run twice in a row.
 */
export function promotionStack(events: readonly RegistryEvent[]): string[] {
  const stack: string[] = [];
  const settle = (run: string | null): void => {
    if (run !== null && stack.at(-1) !== run) stack.push(run);
  };
  for (const event of events) {
    settle(event.previous_run);
    if (event.action === "rollback") stack.pop();
    settle(event.run);
  }
  return stack;
}

/** The run a rollback would make current, or null when the log records nothing before the top. */
export function rollbackTarget(events: readonly RegistryEvent[]): string | null {
  return promotionStack(events).at(-2) ?? null;
}

/**
 * One line when `current` and the log's last event disagree: the symlink moves before the event is
 * written, so a crash between the two leaves the log one event behind. Null when they agree.
 */
export function logDisagreement(current: string | null, log: RegistryLog): string | null {
  const logged = log.events.at(-1)?.run ?? null;
  if (current === logged) return null;
  const says = logged === null ? "the registry log records no event" : `the registry log's last event says ${logged}`;
  if (current === null) return `nothing is current but ${says}; \`engine1 models promote ${logged}\` makes it current again`;
  return `current is ${current} but ${says} (a move the log missed: a crash between the two, or a change by hand); \`engine1 models promote ${current}\` records it`;
}
