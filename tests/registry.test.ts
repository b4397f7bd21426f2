import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { logDisagreement, promotionStack, rollbackTarget } from "../src/registry/promotion-stack.js";
import { appendEvent, parseRegistry, readRegistry, REGISTRY_FILE, TORN_FILE, whoAmI } from "../src/registry/registry-log.js";
import type { RegistryAction, RegistryEvent } from "../src/schemas/registry-event.js";
import { tempDir } from "./helpers/store.js";

let minute = 0;
function event(action: RegistryAction, run: string, previous_run: string | null, reason = `${action} ${run}`): RegistryEvent {
  minute += 1;
  return {
    schema_version: 1,
    time: `2026-11-21T07:${String(minute).padStart(2, "0")}:00.000-05:00`,
    action,
    run,
    previous_run,
    reason,
    user: "tester",
    host: "box",
  };
}

describe("the registry log", () => {
  it("appends one line per event and reads them back in order", async () => {
    const home = tempDir();
    const events = [event("train", "A", null), event("promote", "B", "A", "why: with \"quotes\"\nand a newline")];
    for (const e of events) await appendEvent(home, e);
    const text = readFileSync(path.join(home, REGISTRY_FILE), "utf8");
    expect(text.split("\n")).toHaveLength(3); // two lines, each ending in "\n"
    expect(text.endsWith("\n")).toBe(true);
    expect(await readRegistry(home)).toEqual({ file: path.join(home, REGISTRY_FILE), events, truncated: null });
  });

  it("is empty in a home without one", async () => {
    const home = tempDir();
    expect(await readRegistry(home)).toEqual({ file: path.join(home, REGISTRY_FILE), events: [], truncated: null });
  });

  it("refuses an event that is not one before writing anything", async () => {
    const home = tempDir();
    await expect(appendEvent(home, { ...event("train", "A", null), action: "delete" as RegistryAction })).rejects.toThrow(/action/);
    expect((await readRegistry(home)).events).toEqual([]);
  });

  it("names the file and the line of a line that is not JSON", () => {
    const text = `${JSON.stringify(event("train", "A", null))}\n{"schema_version":1,\n`;
    expect(() => parseRegistry(text, "/h/registry.ndjson")).toThrow(InputError);
    expect(() => parseRegistry(text, "/h/registry.ndjson")).toThrow(/^\/h\/registry\.ndjson line 2: not JSON \(/);
  });

  it("names the file, the line and the field of a line that is not an event", () => {
    const { reason: _dropped, ...noReason } = event("promote", "B", "A");
    const text = [event("train", "A", null), event("train", "B", "A"), noReason].map((e) => `${JSON.stringify(e)}\n`).join("");
    expect(() => parseRegistry(text, "/h/registry.ndjson")).toThrow(
      "/h/registry.ndjson line 3: not a registry event: reason: Invalid input: expected string, received undefined",
    );
  });

  it("reports an unfinished last line without failing, and sets it aside (kept in registry.ndjson.torn) before the next append", async () => {
    const home = tempDir();
    const a = event("train", "A", null);
    const b = event("train", "B", "A");
    const torn = JSON.stringify(event("promote", "A", "B")).slice(0, 40);
    writeFileSync(path.join(home, REGISTRY_FILE), `${JSON.stringify(a)}\n${JSON.stringify(b)}\n${torn}`);
    expect(await readRegistry(home)).toEqual({
      file: path.join(home, REGISTRY_FILE),
      events: [a, b],
      truncated: { line: 3, bytes: 40 },
    });
    const c = event("promote", "A", "B");
    await appendEvent(home, c);
    expect((await readRegistry(home)).events).toEqual([a, b, c]);
    expect((await readRegistry(home)).truncated).toBeNull();
    expect(readFileSync(path.join(home, TORN_FILE), "utf8")).toBe(`${torn}\n`);
  });
});

describe("the promotion stack", () => {
  const trains = [event("train", "A", null), event("train", "B", "A")];

  it("two promotions then a rollback return to the first; a second rollback goes one further back", () => {
    const promoted = [...trains, event("promote", "A", "B"), event("promote", "B", "A")];
    expect(promotionStack(promoted)).toEqual(["A", "B", "A", "B"]);
    expect(rollbackTarget(promoted)).toBe("A");
    const once = [...promoted, event("rollback", "A", "B")];
    expect(promotionStack(once)).toEqual(["A", "B", "A"]);
    expect(rollbackTarget(once)).toBe("B");
    const twice = [...once, event("rollback", "B", "A")];
    expect(promotionStack(twice)).toEqual(["A", "B"]);
    const thrice = [...twice, event("rollback", "A", "B")];
    expect(promotionStack(thrice)).toEqual(["A"]);
    expect(rollbackTarget(thrice)).toBeNull();
  });

  it("has nothing to roll back to before any change, or after a single one", () => {
    expect(promotionStack([])).toEqual([]);
    expect(rollbackTarget([])).toBeNull();
    expect(rollbackTarget([event("train", "A", null)])).toBeNull();
  });

  it("a run trained after a rollback is pushed on what the rollback left", () => {
    const events = [...trains, event("rollback", "A", "B"), event("train", "C", "A")];
    expect(promotionStack(events)).toEqual(["A", "C"]);
  });

  it("believes previous_run when the log began after a run was already current, or missed a move", () => {
    // The home had X current before the registry existed: a rollback after the first promotion returns to X.
    expect(promotionStack([event("promote", "Y", "X")])).toEqual(["X", "Y"]);
    // A move to C was never logged (a crash between the symlink and the log); the next event says C was current.
    expect(promotionStack([...trains, event("promote", "A", "C")])).toEqual(["A", "B", "C", "A"]);
  });
});

describe("current against the log", () => {
  const log = (events: RegistryEvent[]) => ({ file: "/h/registry.ndjson", events, truncated: null });

  it("agree when current is the last event's run, or both are empty", () => {
    expect(logDisagreement("B", log([event("train", "A", null), event("train", "B", "A")]))).toBeNull();
    expect(logDisagreement(null, log([]))).toBeNull();
  });

  it("say how to record a move the log missed", () => {
    expect(logDisagreement("B", log([event("train", "A", null)]))).toBe(
      "current is B but the registry log's last event says A (a move the log missed: a crash between the two, or a change by hand); `engine1 models promote B` records it",
    );
    expect(logDisagreement("B", log([]))).toBe(
      "current is B but the registry log records no event (a move the log missed: a crash between the two, or a change by hand); `engine1 models promote B` records it",
    );
    expect(logDisagreement(null, log([event("train", "A", null)]))).toBe(
      "nothing is current but the registry log's last event says A; `engine1 models promote A` makes it current again",
    );
  });
});

it("records the user running the command", () => {
  expect(whoAmI({})).toBe(os.userInfo().username);
});
