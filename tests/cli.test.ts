import { chmodSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { auditReportSchema } from "../src/schemas/audit-report.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { gamePick, jsonl, tempDir, writeStore } from "./helpers/store.js";

const FIXTURE = path.join(ROOT, "fixtures/store/predictions.jsonl");
const VERSION = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version as string;

describe("engine1 binary", () => {
  it("prints its version and help", () => {
    expect(engine1(["--version"])).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: "" });
    const help = engine1(["audit-store", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stderr).toBe("");
    expect(help.stdout).toContain("Usage: engine1 audit-store [options]");
    expect(help.stdout).toContain("  $ engine1 audit-store --json | jq .line_accounting");
  });

  it("exits 2 with one line on stderr for usage errors", () => {
    const cases: [string[], string][] = [
      [["audit-store", "--bogus"], "engine1: unknown option '--bogus'\n"],
      [["audit-store", "--days", "0"], 'engine1: --days must be a whole number of days (1 or more) or "all", got "0"\n'],
      [["audit-store", "--as-of", "2026-13-01"], 'engine1: --as-of must be a calendar date YYYY-MM-DD, got "2026-13-01"\n'],
      [["audit-store", "--markets", "props"], 'engine1: --markets takes game markets (SPREAD, TOTAL, MONEYLINE), got "PROPS"\n'],
      [["no-such-command"], "engine1: unknown command 'no-such-command'\n"],
      [["audit-store", "--store"], "engine1: option '--store <path>' argument missing\n"],
    ];
    for (const [args, stderr] of cases) {
      expect(engine1(args), args.join(" ")).toEqual({ status: 2, stdout: "", stderr });
    }
  });

  it("audits the committed fixture store: one JSON document on stdout, warnings on stderr", () => {
    const result = engine1(["audit-store", "--store", FIXTURE, "--as-of", "2026-11-20", "--days", "all", "--json"]);
    expect(result.status).toBe(0);
    const report = auditReportSchema.parse(JSON.parse(result.stdout));
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "fixtures/store/manifest.json"), "utf8"));
    expect(report.reconciled).toBe(true);
    expect(report.line_accounting.counts).toEqual(manifest.line_accounting.counts);
    expect(report.store_provenance.source).toBe("--store");
    expect(report.grade_overlay.source).toBe("beside the store");
    const warnings = result.stderr.split("\n").filter(Boolean);
    expect(warnings.every((w) => w.startsWith(`engine1: warning: ${path.dirname(FIXTURE)}/`))).toBe(true);
    expect(warnings.length).toBe(Object.entries(report.line_accounting.counts).filter(([c, v]) => !["record", "blank"].includes(c) && v > 0).length + Object.entries(report.grade_overlay.line_accounting.counts).filter(([c, v]) => !["record", "blank"].includes(c) && v > 0).length);
  });

  it("prints tables and a one-line verdict for people", () => {
    const dir = tempDir();
    const store = writeStore(jsonl([gamePick({ pick_id: "a" }), gamePick({ pick_id: "b", sport: "NFL" })]) + "{bad\n", "predictions.jsonl", dir);
    const result = engine1(["audit-store", "--store", store, "--as-of", "2026-03-10", "--sport", "nba"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`engine1: warning: ${store}: line 3 is not valid JSON (or not UTF-8, or over 64 MiB)\n`);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("✔ reconciled: 3 lines = 2 records + 0 blank + 1 parse_error; 1 eligible (NBA, 7 days to 2026-03-10)");
    expect(result.stdout).toMatch(/│ parse_error +│ +1 │ 3 +│/);
    expect(result.stdout).toMatch(/│ drop_wrong_sport +│ +1 │ +1 │/);
  });

  it("keeps quiet with --quiet and fails --strict on bad lines with exit 1", () => {
    const store = writeStore(jsonl([gamePick({ pick_id: "a" })]) + "[1]\n");
    expect(engine1(["audit-store", "--store", store, "--quiet"])).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(engine1(["audit-store", "--store", store, "--quiet", "--strict"])).toEqual({ status: 1, stdout: "", stderr: "" });
  });

  it("reports a missing store as exists: false (exit 0), naming the path and how it was chosen", () => {
    const missing = path.join(tempDir(), "nope.jsonl");
    const result = engine1(["audit-store", "--json"], { ENGINE1_STORE: missing });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`engine1: warning: store not found: ${missing} (chosen by ENGINE1_STORE); reporting exists: false\n`);
    const report = auditReportSchema.parse(JSON.parse(result.stdout));
    expect(report.store_provenance).toMatchObject({ path: missing, source: "ENGINE1_STORE", exists: false, line_count: 0 });
  });

  it("exits 2 for a missing store under --strict, a directory, and a volume mount default", () => {
    const dir = tempDir();
    expect(engine1(["audit-store", "--strict", "--store", path.join(dir, "x.jsonl")])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: store not found: ${path.join(dir, "x.jsonl")} (chosen by --store)\n`,
    });
    expect(engine1(["audit-store", "--store", dir])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: store ${dir} is a directory, not a file (chosen by --store)\n`,
    });
    const mount = tempDir();
    expect(engine1(["audit-store", "--strict"], { RAILWAY_VOLUME_MOUNT_PATH: mount })).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: store not found: ${mount}/grader/predictions.jsonl (chosen by $RAILWAY_VOLUME_MOUNT_PATH/grader/predictions.jsonl)\n`,
    });
  });

  it("exits 2 when a named grade file is missing or unreadable", () => {
    const store = writeStore(jsonl([gamePick()]));
    expect(engine1(["audit-store", "--store", store, "--grades", "/nonexistent/g.jsonl"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "engine1: grade file not found: /nonexistent/g.jsonl (chosen by --grades)\n",
    });
    // The grade file is read while the store is: its error still comes first, whatever the store's state.
    for (const storeArgs of [["--store", "/nonexistent/p.jsonl"], ["--store", "/nonexistent/p.jsonl", "--strict"], ["--store", store, "--threads", "0"]]) {
      expect(engine1(["audit-store", ...storeArgs, "--grades", "/nonexistent/g.jsonl", "--json"]), storeArgs.join(" ")).toEqual({
        status: 2,
        stdout: "",
        stderr: "engine1: grade file not found: /nonexistent/g.jsonl (chosen by --grades)\n",
      });
    }
  });

  it("writes --explain as one NDJSON line per dropped pick, never over the store", () => {
    const dir = tempDir();
    const store = writeStore(
      jsonl([gamePick({ pick_id: "a" }), gamePick({ pick_id: "b", grade_status: "PENDING" }), gamePick({ pick_id: "c", date_et: "2027-01-01" })]),
      "predictions.jsonl",
      dir,
    );
    const explain = path.join(dir, "dropped.ndjson");
    const result = engine1(["audit-store", "--store", store, "--as-of", "2026-03-10", "--explain", explain, "--quiet"]);
    expect(result).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(readFileSync(explain, "utf8").trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      { line: 2, pick_id: "b", stage: "drop_no_grade", field: "grade_status", value: "PENDING" },
      { line: 3, pick_id: "c", stage: "drop_outside_window", field: "date", value: "2027-01-01" },
    ]);
    const before = readFileSync(store);
    expect(engine1(["audit-store", "--store", store, "--explain", store])).toEqual({
      status: 2,
      stdout: "",
      stderr: `engine1: --explain ${store} is an input file; engine1 never writes to the store\n`,
    });
    expect(readFileSync(store)).toEqual(before);
  });

  it("exits 2 without a partial --explain file when it cannot be written", () => {
    const store = writeStore(jsonl([gamePick({ grade_status: "PENDING" })]));
    const result = engine1(["audit-store", "--store", store, "--explain", "/nonexistent-dir/x.ndjson"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^engine1: cannot write --explain file \/nonexistent-dir\/x\.ndjson: ENOENT/);
  });

  it("turns colour on only when asked and off for NO_COLOR and --no-color", () => {
    const store = writeStore(jsonl([gamePick()]));
    const forced = engine1(["audit-store", "--store", store], { FORCE_COLOR: "1", NO_COLOR: "" });
    expect(forced.stdout).toContain("\u001b[32m✔ reconciled");
    expect(engine1(["audit-store", "--store", store, "--no-color"], { FORCE_COLOR: "1", NO_COLOR: "" }).stdout).not.toContain("\u001b[");
    expect(engine1(["audit-store", "--store", store], { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout).not.toContain("\u001b[");
  });

  it("reads a store it may not write to, and never changes it", () => {
    const store = writeStore(jsonl([gamePick()]));
    chmodSync(store, 0o444);
    const before = readFileSync(store);
    expect(engine1(["audit-store", "--store", store, "--quiet"]).status).toBe(0);
    expect(readFileSync(store)).toEqual(before);
  });

  it("says a store is empty", () => {
    const store = writeStore("");
    const result = engine1(["audit-store", "--store", store, "--as-of", "2026-03-10"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`engine1: warning: ${store}: the store is empty\n`);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("✔ reconciled: 0 lines = 0 records + 0 blank; 0 eligible (all sports, 7 days to 2026-03-10)");
  });
});

describe("fixtures generate", () => {
  it("writes a store whose audit matches its manifest", () => {
    const out = tempDir();
    const gen = engine1(["fixtures", "generate", "--records", "300", "--seed", "3", "--out", out, "--json"]);
    expect(gen.status).toBe(0);
    expect(gen.stderr).toBe("");
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
    const result = engine1(["audit-store", "--store", path.join(out, "predictions.jsonl"), "--as-of", manifest.options.endDate, "--days", "all", "--json"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.reconciled).toBe(true);
    expect(report.line_accounting.counts).toEqual(manifest.line_accounting.counts);
    expect(report.data_quality).toEqual(manifest.data_quality);
  });

  it("refuses bad numbers with exit 2", () => {
    expect(engine1(["fixtures", "generate", "--records", "-5", "--out", tempDir()])).toEqual({
      status: 2,
      stdout: "",
      stderr: 'engine1: --records must be a whole number of at least 0, got "-5"\n',
    });
  });
});

describe("bad input in the store (SPEC 13): one line per problem, naming file and lines", () => {
  it("warns per bad class and exits 0, or 1 under --strict; the truncated tail alone is not a failure", () => {
    const dir = tempDir();
    const content = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${JSON.stringify(gamePick({ pick_id: "a" }))}\r\n`),
      Buffer.from("\n"),
      Buffer.from('{"pick_id":"b","team":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n'),
      Buffer.from("[1,2]\nnull\n"),
      Buffer.from('{"pick_id":null,"sport":"NBA"}\n'),
      Buffer.from(`${JSON.stringify(gamePick({ pick_id: "a" }))}\n`),
      Buffer.from('{"pick_id":"c","v":NaN}\n'),
      Buffer.from('{"pick_id":"d","sport":"NB'),
    ]);
    const store = writeStore(content, "predictions.jsonl", dir);
    const result = engine1(["audit-store", "--store", store, "--as-of", "2026-03-10", "--json"]);
    expect(result.status).toBe(0);
    expect(result.stderr.split("\n")).toEqual([
      `engine1: warning: ${store}: 2 lines (first: 3, 8) are not valid JSON (or not UTF-8, or over 64 MiB)`,
      `engine1: warning: ${store}: 2 lines (first: 4, 5) are valid JSON but not objects`,
      `engine1: warning: ${store}: line 6 is an object without a non-empty string pick_id`,
      `engine1: warning: ${store}: line 7 repeats a pick_id of an earlier line (the first is kept)`,
      `engine1: warning: ${store}: line 9 has no newline: a write in progress, left for the next run`,
      "",
    ]);
    const report = JSON.parse(result.stdout);
    expect(report.line_accounting.counts).toEqual({
      record: 1,
      blank: 1,
      parse_error: 2,
      not_object: 2,
      missing_pick_id: 1,
      duplicate_pick_id: 1,
      truncated_tail: 1,
    });
    expect(report.filter_preview.eligible_total).toBe(1);
    expect(engine1(["audit-store", "--store", store, "--strict", "--quiet"]).status).toBe(1);
    const tailOnly = writeStore(`${JSON.stringify(gamePick())}\n{"pick_id":"x"`);
    expect(engine1(["audit-store", "--store", tailOnly, "--strict", "--quiet"]).status).toBe(0);
  });

  it("names the grade file and its bad lines, and still applies the good grades", () => {
    const dir = tempDir();
    const store = writeStore(jsonl([gamePick({ pick_id: "a", grade_status: "PENDING" })]), "predictions.jsonl", dir);
    const grades = writeStore(`{bad\n${JSON.stringify({ pick_id: "a", grade_status: "GRADED", result: "WIN" })}\n"x"\n`, "graded_picks.jsonl", dir);
    const result = engine1(["audit-store", "--store", store, "--as-of", "2026-03-10", "--json"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      `engine1: warning: ${grades}: line 1 is not valid JSON (or not UTF-8, or over 64 MiB)\n` +
        `engine1: warning: ${grades}: line 3 is valid JSON but not an object\n`,
    );
    expect(JSON.parse(result.stdout).filter_preview.eligible_total).toBe(1);
  });

  it("reports legacy array stores by element", () => {
    const store = writeStore(`[${JSON.stringify(gamePick({ pick_id: "a" }))}, 5, ${JSON.stringify(gamePick({ pick_id: "a" }))}]`);
    const result = engine1(["audit-store", "--store", store, "--as-of", "2026-03-10", "--json"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      `engine1: warning: ${store}: element 1 is valid JSON but not an object\n` +
        `engine1: warning: ${store}: element 2 repeats a pick_id of an earlier element (the first is kept)\n`,
    );
    expect(JSON.parse(result.stdout).store_provenance.format).toBe("json-array");
  });
});
