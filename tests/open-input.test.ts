import { describe, expect, it, vi } from "vitest";

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    open: vi.fn(async (path: string, flags: string) => {
      if (String(path).endsWith("locked.jsonl")) throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: "EACCES" });
      if (String(path).endsWith("io-error.jsonl")) throw Object.assign(new Error("EIO: i/o error"), { code: "EIO" });
      return actual.open(path, flags);
    }),
  };
});

const { openInput } = await import("../src/store/open-input.js");

describe("opening inputs", () => {
  // Tests run as root in CI, where chmod cannot make a file unreadable; the error is injected instead.
  it("says permission denied for an unreadable store, with the path and how it was chosen (exit 2)", async () => {
    const error = await openInput({ path: "/data/locked.jsonl", source: "ENGINE1_STORE" }, "store", false).catch((e) => e);
    expect(error.message).toBe("cannot read store /data/locked.jsonl: permission denied (chosen by ENGINE1_STORE)");
    expect(error.exitCode).toBe(2);
  });

  it("passes other open failures on with their reason", async () => {
    const error = await openInput({ path: "/data/io-error.jsonl", source: "default" }, "store", true).catch((e) => e);
    expect(error.message).toBe("cannot open store /data/io-error.jsonl: EIO: i/o error");
    expect(error.exitCode).toBe(2);
  });
});
