import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CronExpressionParser, CronFileParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { addDays } from "../src/dates.js";
import { shQuote } from "../src/schedule/crontab-syntax.js";
import { nextOffsetChange } from "../src/schedule/et-season.js";
import { DEFAULT_TRAIN_TIMEOUT_MINUTES, schedule, TRAIN_AT, VERIFY_AT, type ScheduleOptions } from "../src/schedule/schedule.js";
import { scheduleReportSchema, type ScheduleReport } from "../src/schemas/schedule.js";
import { DEFAULT_TIMEOUT_MINUTES } from "../src/train/train.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { tempDir } from "./helpers/store.js";

const ET = "America/New_York";
const BIN = realpathSync(path.join(ROOT, "bin/engine1"));
const NODE = process.execPath;

const etClock = new Intl.DateTimeFormat("en-CA", {
  timeZone: ET,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});
/** An instant as `YYYY-MM-DD HH:MM` in New York, read independently of the code under test. */
function inEt(instant: Date): string {
  const p = Object.fromEntries(etClock.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function nextFires(expression: string, tz: string, from: string, n: number): string[] {
  const interval = CronExpressionParser.parse(expression, { tz, currentDate: new Date(from) });
  return interval.take(n).map((d) => d.toDate().toISOString());
}

/** What cron hands to sh: `\%` becomes `%`; an unescaped `%` would end the command (what follows becomes stdin). */
function asCronRuns(command: string): string {
  let out = "";
  for (let i = 0; i < command.length; i++) {
    if (command[i] === "\\" && command[i + 1] === "%") {
      out += "%";
      i++;
    } else if (command[i] === "%") {
      break;
    } else {
      out += command[i];
    }
  }
  return out;
}

/** The entries of a crontab block: its variables and each job's time fields and command. */
function entries(block: string): { variables: string[]; jobs: { expression: string; command: string }[] } {
  const lines = block.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  const variables = lines.filter((l) => /^[A-Z_]+=/.test(l));
  const jobs = lines
    .filter((l) => !/^[A-Z_]+=/.test(l))
    .map((l) => {
      const fields = l.split(" ");
      return { expression: fields.slice(0, 5).join(" "), command: fields.slice(5).join(" ") };
    });
  return { variables, jobs };
}

/** A store and home under a directory whose name needs quoting (a space). */
function place(): { dir: string; store: string; home: string } {
  const dir = path.join(tempDir("engine1-schedule-"), "pick store");
  const home = path.join(dir, "home");
  mkdirSync(home, { recursive: true });
  const store = path.join(dir, "predictions.jsonl");
  writeFileSync(store, "");
  return { dir, store, home };
}

function runJson(args: string[], env: Record<string, string> = {}): ScheduleReport {
  const result = engine1(["schedule", ...args, "--json"], env);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return scheduleReportSchema.parse(JSON.parse(result.stdout));
}

describe("cron-parser reads 07:00 America/New_York as the right UTC instant", () => {
  it("12:00Z in winter (EST) and 11:00Z in summer (EDT), and across both changes", () => {
    expect(nextFires("0 7 * * *", ET, "2026-11-21T00:00:00Z", 1)).toEqual(["2026-11-21T12:00:00.000Z"]);
    expect(nextFires("0 7 * * *", ET, "2026-07-01T00:00:00Z", 1)).toEqual(["2026-07-01T11:00:00.000Z"]);
    expect(nextFires("30 7 * * *", ET, "2027-03-13T00:00:00Z", 2)).toEqual(["2027-03-13T12:30:00.000Z", "2027-03-14T11:30:00.000Z"]);
    expect(nextFires("0 7 * * *", ET, "2026-10-31T00:00:00Z", 2)).toEqual(["2026-10-31T11:00:00.000Z", "2026-11-01T12:00:00.000Z"]);
  });
});

describe("the next daylight-saving change, computed from the time zone data", () => {
  it.each([
    ["2026-11-21", "2027-03-14"],
    ["2026-07-01", "2026-11-01"],
    ["2026-01-15", "2026-03-08"],
    ["2026-03-07", "2026-03-08"],
    ["2026-03-08", "2026-11-01"],
    ["2026-10-31", "2026-11-01"],
    ["2026-11-01", "2027-03-14"],
    ["2027-12-31", "2028-03-12"],
  ])("as of %s the clocks next change on %s", (asOf, change) => {
    expect(nextOffsetChange(asOf, TRAIN_AT)).toBe(change);
  });
});

describe("schedule (core)", () => {
  const options = (asOf: string): ScheduleOptions => ({
    binary: "/opt/engine1/bin/engine1",
    node: "/usr/bin/node",
    store: "/data/grader/predictions.jsonl",
    grades: null,
    home: "/data/engine1",
    log: "/data/engine1/engine1.log",
    asOf,
    timeoutMinutes: 10,
    sports: null,
    days: null,
  });

  it.each([
    ["2026-11-21", "EST", "-05:00", "0 12 * * *", "30 12 * * *", "2027-03-14", "0 11 * * *"],
    ["2026-07-01", "EDT", "-04:00", "0 11 * * *", "30 11 * * *", "2026-11-01", "0 12 * * *"],
    ["2026-03-08", "EDT", "-04:00", "0 11 * * *", "30 11 * * *", "2026-11-01", "0 12 * * *"],
    ["2026-11-01", "EST", "-05:00", "0 12 * * *", "30 12 * * *", "2027-03-14", "0 11 * * *"],
  ])("as of %s: %s (%s), train %s, verify %s, switch on %s to %s", (asOf, abbreviation, offset, train, verify, change, next) => {
    const r = schedule(options(asOf));
    expect({
      season: r.season,
      train: [r.train.cron_tz_schedule, r.train.utc_schedule],
      verify: [r.verify.cron_tz_schedule, r.verify.utc_schedule],
      change: [r.next_dst_change?.date, r.next_dst_change?.train_utc_schedule],
    }).toEqual({
      season: { abbreviation, utc_offset: offset },
      train: ["0 7 * * *", train],
      verify: ["30 7 * * *", verify],
      change: [change, next],
    });
  });

  it.each(["2026-01-15", "2026-03-07", "2026-03-08", "2026-07-01", "2026-10-31", "2026-11-21", "2027-12-31"])(
    "as of %s the UTC lines fire at 07:00 and 07:30 ET every day until the change, and the next season's lines from then on",
    (asOf) => {
      const r = schedule(options(asOf));
      const change = r.next_dst_change!.date;
      for (const [job, at] of [
        [r.train, TRAIN_AT],
        [r.verify, VERIFY_AT],
      ] as const) {
        const etTime = `${String(at.hour).padStart(2, "0")}:${String(at.minute).padStart(2, "0")}`;
        const utc = CronExpressionParser.parse(job.utc_schedule, { tz: "UTC", currentDate: new Date(`${asOf}T00:00:00Z`) });
        for (let date = asOf; date < change; date = addDays(date, 1)) {
          expect(inEt(utc.next().toDate())).toBe(`${date} ${etTime}`);
        }
        expect(inEt(utc.next().toDate())).not.toBe(`${change} ${etTime}`);
        const nextSchedule = job === r.train ? r.next_dst_change!.train_utc_schedule : r.next_dst_change!.verify_utc_schedule;
        const after = CronExpressionParser.parse(nextSchedule, { tz: "UTC", currentDate: new Date(`${change}T00:00:00Z`) });
        expect(inEt(after.next().toDate())).toBe(`${change} ${etTime}`);
        const withTz = CronExpressionParser.parse(job.cron_tz_schedule, { tz: ET, currentDate: new Date(`${asOf}T00:00:00Z`) });
        for (const fire of withTz.take(400)) expect(inEt(fire.toDate()).slice(11)).toBe(etTime);
      }
    },
  );

  it("kills a hung training two minutes past --timeout, after train's own one-minute backstop", () => {
    expect(DEFAULT_TRAIN_TIMEOUT_MINUTES).toBe(DEFAULT_TIMEOUT_MINUTES);
    const r = schedule({ ...options("2026-11-21"), timeoutMinutes: 15 });
    expect(r.train.command.startsWith("timeout 17m /usr/bin/node /opt/engine1/bin/engine1 train ")).toBe(true);
    expect(r.train.command).toContain(" --timeout 15 >> ");
    expect(r.kill_after_minutes).toBe(17);
  });

  it("warns when a hung training could outlive the 07:30 verification", () => {
    const r = schedule({ ...options("2026-11-21"), timeoutMinutes: 28 });
    expect(r.warnings).toContain(
      "with --timeout 28 a hung training is killed only after 30 minutes, not before verify runs at 07:30 ET",
    );
    expect(r.crontab_cron_tz).toContain("# which is not before verify checks it at 07:30 ET: lower --timeout.");
  });
});

describe("quoting for sh and cron", () => {
  it("leaves plain words alone and single-quotes the rest", () => {
    expect(shQuote("/data/grader/predictions.jsonl")).toBe("/data/grader/predictions.jsonl");
    expect(shQuote("/tmp/pick store/x")).toBe("'/tmp/pick store/x'");
    expect(shQuote("/tmp/it's")).toBe(`'/tmp/it'\\''s'`);
    expect(shQuote("50%")).toBe("'50%'");
    expect(shQuote("")).toBe("''");
    expect(() => shQuote("a\nb")).toThrow("a crontab line cannot hold a line break");
  });

  it("every argument reaches the program unchanged once cron and sh have read the line", () => {
    const odd = ["/tmp/pick store", "it's", "100%", "$HOME", "`x`", "a\\b", '"q"', "*", "~", "; rm -rf /", ""];
    const dir = tempDir("engine1-schedule-");
    const log = path.join(dir, "a log 100%.txt");
    const r = schedule({
      binary: path.join(dir, "args.js"),
      node: NODE,
      store: odd.join("|"),
      grades: null,
      home: dir,
      log,
      asOf: "2026-11-21",
      timeoutMinutes: 10,
      sports: null,
      days: null,
    });
    writeFileSync(path.join(dir, "args.js"), "console.log(JSON.stringify(process.argv.slice(2)));\n");
    const sh = spawnSync("/bin/sh", ["-c", asCronRuns(r.train.command)], { encoding: "utf8" });
    expect(sh.status).toBe(0);
    const argv = JSON.parse(readFileSync(log, "utf8"));
    expect(argv).toEqual(["train", "--store", odd.join("|"), "--home", dir, "--timeout", "10"]);
  });
});

describe("engine1 schedule (binary)", () => {
  it("prints the CRON_TZ block, then the UTC block for the season of --as-of (winter)", () => {
    const { store, home } = place();
    const q = (p: string) => `'${p}'`;
    const log = `${home}/engine1.log`;
    const train = `timeout 12m ${NODE} ${BIN} train --store ${q(store)} --home ${q(home)} --timeout 10 >> ${q(log)} 2>&1`;
    const verify = `${NODE} ${BIN} verify --home ${q(home)} >> ${q(log)} 2>&1`;
    const shared = [
      "# Training stops itself after 10 minutes (--timeout 10); coreutils timeout kills a hung run at 12 minutes,",
      "# so it is over before verify checks it at 07:30 ET.",
      `# Output is appended to ${log}. Paths are absolute, as cron's PATH is minimal:`,
      "# run `engine1 schedule` again after moving engine1 or upgrading Node.",
    ];
    const expected = [
      "# engine1: train at 07:00 and verify at 07:30 America/New_York time, every day.",
      "# For a cron that honours CRON_TZ (cronie: Fedora, RHEL, Arch, ...; see `man 5 crontab`).",
      "# CRON_TZ holds for every line after it: paste this block at the end of the crontab.",
      ...shared,
      "CRON_TZ=America/New_York",
      `0 7 * * * ${train}`,
      `30 7 * * * ${verify}`,
      "",
      "# engine1: train at 07:00 and verify at 07:30 America/New_York time, written in UTC",
      "# for a cron without CRON_TZ. Cron reads these hours in the machine's own time zone:",
      "# use them only where that is UTC (`date` prints UTC).",
      "# 07:00 ET is 12:00 UTC in winter (EST, UTC-5) and 11:00 UTC in summer (EDT, UTC-4).",
      "# As of 2026-11-21 New York is on EST: these lines hold until the clocks change on 2027-03-14;",
      "# from that day (EDT) use 0 11 * * * and 30 11 * * * instead.",
      ...shared,
      `0 12 * * * ${train}`,
      `30 12 * * * ${verify}`,
      "",
    ].join("\n");
    const args = ["schedule", "--store", store, "--home", home, "--as-of", "2026-11-21"];
    expect(engine1(args)).toEqual({ status: 0, stdout: expected, stderr: "" });
    for (const TZ of ["Asia/Tokyo", "UTC", "America/Los_Angeles", "Pacific/Kiritimati"]) {
      expect(engine1(args, { TZ }), TZ).toEqual({ status: 0, stdout: expected, stderr: "" });
    }
  });

  it("gives the same as data with --json (summer), whatever the process's time zone", () => {
    const { store, home } = place();
    const args = ["--store", store, "--home", home, "--as-of", "2026-07-01", "--sport", "nba, nfl", "--days", "30"];
    const r = runJson(args, { TZ: "Asia/Tokyo" });
    expect(runJson(args, { TZ: "UTC" })).toEqual(r);
    const log = `${home}/engine1.log`;
    const train = `timeout 12m ${NODE} ${BIN} train --store '${store}' --home '${home}' --sport NBA,NFL --days 30 --timeout 10 >> '${log}' 2>&1`;
    const verify = `${NODE} ${BIN} verify --home '${home}' >> '${log}' 2>&1`;
    expect({ ...r, crontab_cron_tz: "…", crontab_utc: "…" }).toEqual({
      schema_version: 1,
      timezone: "America/New_York",
      as_of: "2026-07-01",
      season: { abbreviation: "EDT", utc_offset: "-04:00" },
      next_dst_change: {
        date: "2026-11-01",
        abbreviation: "EST",
        utc_offset: "-05:00",
        train_utc_schedule: "0 12 * * *",
        verify_utc_schedule: "30 12 * * *",
      },
      train: {
        et_time: "07:00",
        command: train,
        cron_tz_schedule: "0 7 * * *",
        cron_tz_line: `0 7 * * * ${train}`,
        utc_schedule: "0 11 * * *",
        utc_line: `0 11 * * * ${train}`,
      },
      verify: {
        et_time: "07:30",
        command: verify,
        cron_tz_schedule: "30 7 * * *",
        cron_tz_line: `30 7 * * * ${verify}`,
        utc_schedule: "30 11 * * *",
        utc_line: `30 11 * * * ${verify}`,
      },
      timeout_minutes: 10,
      kill_after_minutes: 12,
      binary: BIN,
      node: NODE,
      store,
      grades: null,
      home,
      log,
      crontab_cron_tz: "…",
      crontab_utc: "…",
      warnings: [],
    });
    expect(r.crontab_utc).toContain("# As of 2026-07-01 New York is on EDT: these lines hold until the clocks change on 2026-11-01;\n");
    expect(r.crontab_utc).toContain("# from that day (EST) use 0 12 * * * and 30 12 * * * instead.\n");
    const human = engine1(["schedule", ...args]);
    expect(human).toEqual({ status: 0, stdout: `${r.crontab_cron_tz}\n${r.crontab_utc}`, stderr: "" });
  });

  it("prints only valid crontab entries, each with a schedule cron-parser reads", () => {
    const { dir, store, home } = place();
    const r = runJson(["--store", store, "--home", home, "--as-of", "2026-11-21"]);
    const blocks = [
      [r.crontab_cron_tz, ["CRON_TZ=America/New_York"], { CRON_TZ: ET }],
      [r.crontab_utc, [], {}],
    ] as const;
    for (const [block, variables, parsedVariables] of blocks) {
      const file = path.join(dir, "crontab");
      writeFileSync(file, block);
      const parsed = CronFileParser.parseFileSync(file);
      expect(parsed.errors).toEqual({});
      expect(parsed.variables).toEqual(parsedVariables);
      expect(parsed.expressions).toHaveLength(2);
      const e = entries(block);
      expect(e.variables).toEqual(variables);
      expect(e.jobs.map((j) => j.command)).toEqual([r.train.command, r.verify.command]);
      for (const job of e.jobs) expect(() => CronExpressionParser.parse(job.expression, { strict: false })).not.toThrow();
    }
    expect(entries(r.crontab_cron_tz).jobs.map((j) => j.expression)).toEqual(["0 7 * * *", "30 7 * * *"]);
    expect(entries(r.crontab_utc).jobs.map((j) => j.expression)).toEqual(["0 12 * * *", "30 12 * * *"]);
    expect(nextFires(r.train.cron_tz_schedule, ET, "2026-11-21T00:00:00Z", 1)).toEqual(["2026-11-21T12:00:00.000Z"]);
    expect(nextFires(r.train.utc_schedule, "UTC", "2026-11-21T00:00:00Z", 1)).toEqual(["2026-11-21T12:00:00.000Z"]);
    expect(nextFires(r.verify.utc_schedule, "UTC", "2026-11-21T00:00:00Z", 1)).toEqual(["2026-11-21T12:30:00.000Z"]);
  });

  it("runs the training line as cron would: quoted paths, the timeout wrapper, output appended to the log", () => {
    const dir = path.join(tempDir("engine1-schedule-"), "it's 100% odd");
    const home = path.join(dir, "home");
    mkdirSync(home, { recursive: true });
    const missing = path.join(dir, "missing.jsonl");
    const result = engine1(["schedule", "--store", missing, "--home", home, "--as-of", "2026-11-21", "--json"]);
    expect(result.stderr).toBe(`engine1: warning: the store ${missing} does not exist here: the training fails until it does\n`);
    const r = scheduleReportSchema.parse(JSON.parse(result.stdout));
    expect(r.train.command).toContain(`--store '${dir.replaceAll("'", `'\\''`).replaceAll("%", "\\%")}/missing.jsonl'`);
    writeFileSync(r.log, "earlier run\n");
    const sh = spawnSync("/bin/sh", ["-c", asCronRuns(r.train.command)], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
    expect({ status: sh.status, stdout: sh.stdout, stderr: sh.stderr }).toEqual({ status: 2, stdout: "", stderr: "" });
    expect(readFileSync(r.log, "utf8")).toBe(`earlier run\nengine1: store not found: ${missing} (chosen by --store)\n`);
  });

  it("runs the verification line as cron would: verify reads the quoted home and alerts there", () => {
    const { store, home } = place();
    const r = runJson(["--store", store, "--home", home]);
    const sh = spawnSync("/bin/sh", ["-c", asCronRuns(r.verify.command)], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
    expect({ status: sh.status, stdout: sh.stdout, stderr: sh.stderr }).toEqual({ status: 1, stdout: "", stderr: "" });
    expect(readdirSync(path.join(home, "audit_logs"))).toEqual([`training_alert_${r.as_of}.json`]);
    expect(readFileSync(r.log, "utf8")).not.toBe("");
  });

  it("names the grade file when one is resolved, --no-grades when asked, and takes paths from the environment", () => {
    const { dir, store, home } = place();
    writeFileSync(path.join(dir, "graded_picks.jsonl"), "");
    const beside = runJson(["--store", store, "--home", home, "--as-of", "2026-11-21"]);
    expect(beside.grades).toBe(path.join(dir, "graded_picks.jsonl"));
    expect(beside.train.command).toContain(`--grades '${dir}/graded_picks.jsonl' --home`);
    const none = runJson(["--store", store, "--home", home, "--as-of", "2026-11-21", "--no-grades"]);
    expect(none.grades).toBe(false);
    expect(none.train.command).toContain(" --no-grades --home ");
    const fromEnv = runJson(["--as-of", "2026-11-21", "--log", "relative.log"], { ENGINE1_STORE: store, ENGINE1_HOME: home });
    expect([fromEnv.store, fromEnv.home, fromEnv.log]).toEqual([store, home, path.join(ROOT, "relative.log")]);
  });

  it("defaults --as-of to today in New York", () => {
    const { store, home } = place();
    const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: ET }).format(new Date());
    const before = today();
    const r = runJson(["--store", store, "--home", home], { TZ: "Pacific/Kiritimati" });
    expect([before, today()]).toContain(r.as_of);
  });

  it("never loads TensorFlow.js", () => {
    const { store, home } = place();
    const hook = path.join(ROOT, "tests/helpers/blocked-packages.mjs");
    const result = engine1(["schedule", "--store", store, "--home", home, "--quiet"], { NODE_OPTIONS: `--import=${hook}` });
    expect(result).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("exits 2 with one line for bad flags", () => {
    const cases: [string[], string][] = [
      [["--as-of", "2026-02-30"], 'engine1: --as-of must be a calendar date YYYY-MM-DD, got "2026-02-30"\n'],
      [["--as-of", "tomorrow"], 'engine1: --as-of must be a calendar date YYYY-MM-DD, got "tomorrow"\n'],
      [["--timeout", "0"], 'engine1: --timeout must be a whole number of at least 1, got "0"\n'],
      [["--days", "0"], 'engine1: --days must be a whole number of days (1 or more) or "all", got "0"\n'],
      [["--home", "/tmp/a\nb"], 'engine1: a crontab line cannot hold a line break: "/tmp/a\\nb"\n'],
    ];
    for (const [args, stderr] of cases) {
      expect(engine1(["schedule", "--store", ROOT, ...args, "--json"]), args.join(" ")).toEqual({ status: 2, stdout: "", stderr });
    }
  });
});
