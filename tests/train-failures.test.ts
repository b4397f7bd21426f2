import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ROOT } from "./helpers/cli.js";
import { currentTarget, fingerprint } from "./helpers/runs.js";
import { tempDir } from "./helpers/store.js";

// A full disk, injected: the third file the run writes fails with ENOSPC.
let writes = 0;
let failOn = Infinity;
vi.mock("write-file-atomic", async (importOriginal) => {
  const actual = (await importOriginal<{ default: (...args: unknown[]) => Promise<void> }>()).default;
  return {
    default: async (...args: unknown[]) => {
      writes += 1;
      if (writes === failOn) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      return actual(...args);
    },
  };
});

const { train } = await import("../src/train/train.js");
const { resolveFilterOptions } = await import("../src/filter/filter-options.js");

const options = (home: string) => ({
  store: { path: path.join(ROOT, "fixtures/store/predictions.jsonl"), source: "test" },
  grades: { path: path.join(ROOT, "fixtures/store/graded_picks.jsonl"), source: "test" },
  home,
  filter: resolveFilterOptions({ asOf: "2026-11-20", days: "all", sport: "NBA" }),
  lstm: { epochs: 1 },
});

describe("a disk that fills up during a run", () => {
  it("fails with exit 2 naming the file, leaves no partial run, and keeps current", async () => {
    const home = tempDir();
    const first = await train(options(home));
    expect(first.run.status).toBe("SUCCESS");
    const before = fingerprint(first.runDir);
    writes = 0;
    failOn = 3;
    const error = await train(options(home)).catch((e) => e);
    failOn = Infinity;
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^cannot write the artifact .*\/runs\/\.partial-\S+\/ensemble\.json: ENOSPC \(the disk is full\)$/);
    expect(readdirSync(path.join(home, "runs"))).toEqual([first.run.run_id]);
    expect(currentTarget(home)).toBe(`runs/${first.run.run_id}`);
    expect(fingerprint(first.runDir)).toEqual(before);
    expect(existsSync(path.join(home, "train.lock"))).toBe(false);
  });
});
