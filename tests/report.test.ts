import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../src/report/build-report.js";
import { escapeHtml } from "../src/report/html.js";
import { resolveRunDir } from "../src/runs/run-reader.js";
import { reportResultSchema } from "../src/schemas/report.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { handMadeBacktest, sectionHtml, STORE, tableByCaption, textOf, trainFixture } from "./helpers/report-fixtures.js";
import { tempDir } from "./helpers/store.js";

const manifest = JSON.parse(readFileSync(path.join(ROOT, "fixtures/store/manifest.json"), "utf8"));
const NOW = new Date("2026-11-21T12:00:00.000Z");
const ALL_SECTIONS = ["run", "line_accounting", "grade_overlay", "filter_funnel", "model_telemetry", "reliability", "folds", "model_card", "backtest"];

const home = tempDir();
let runDir = "";
let backtestFile = "";

beforeAll(async () => {
  trainFixture(home);
  runDir = await resolveRunDir(home, "current");
  backtestFile = path.join(tempDir(), "backtest.json");
  writeFileSync(backtestFile, JSON.stringify(handMadeBacktest()));
});

/** A copy of the trained run, changed by `edit`, so that the original stays as train wrote it. */
function copyOfRun(edit: (dir: string) => void): string {
  const dir = path.join(tempDir(), "run");
  cpSync(runDir, dir, { recursive: true });
  edit(dir);
  return dir;
}

describe("escapeHtml", () => {
  it("escapes the five characters HTML gives meaning to, and nothing else", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y' ≥ é`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; ≥ é");
    expect(escapeHtml(null)).toBe("");
    expect(escapeHtml(408)).toBe("408");
  });
});

describe("buildReport on the trained fixture store", () => {
  it("shows the fixture's line accounting and grade overlay exactly as the manifest states them", async () => {
    const { html } = await buildReport({ runDir, now: NOW });
    const expectedLines = (accounting: { total_lines: number; counts: Record<string, number>; first_bad_lines: Record<string, number[]> }) => [
      ["line class", "lines", "first line numbers"],
      ...Object.entries(accounting.counts).map(([cls, n]) => [cls, String(n), accounting.first_bad_lines[cls]?.length ? accounting.first_bad_lines[cls].join(", ") : "–"]),
      ["total", String(accounting.total_lines), "–"],
    ];
    const lines = sectionHtml(html, "line_accounting");
    expect(tableByCaption(lines, "Every physical line of the store, in exactly one class")).toEqual(expectedLines(manifest.line_accounting));
    expect(tableByCaption(lines, "Every physical line of the store, in exactly one class")).toContainEqual(["parse_error", "2", "44, 187"]);
    expect(textOf(lines)).toContain(`sha256${manifest.files.store_sha256}`);
    expect(textOf(lines)).toContain("Reconciled: the 408 lines are the sum of the classes.");

    const grades = sectionHtml(html, "grade_overlay");
    expect(tableByCaption(grades, "Every physical line of the grade file")).toEqual(expectedLines(manifest.grade_overlay.line_accounting));
    expect(tableByCaption(grades, "Grades")).toEqual([
      ["grade records", "superseded", "applied", "orphaned"],
      ["353", "2", "352", "1"],
    ]);
  });

  it("draws the six-stage funnel from the run's filter telemetry (the manifest's expected counts)", async () => {
    const { html } = await buildReport({ runDir, now: NOW });
    const f = manifest.filter_all;
    const funnel = sectionHtml(html, "filter_funnel");
    expect(tableByCaption(funnel, "The six stages in order")).toEqual([
      ["stage", "dropped", "remaining"],
      ["loaded", "–", "400"],
      ["has a grade", String(f.drop_no_grade), "385"],
      ["has a result", String(f.drop_no_result), "385"],
      ["game market", String(f.drop_wrong_market), "273"],
      ["required fields", String(f.drop_missing_required), "271"],
      ["inside the window", String(f.drop_outside_window), "270"],
      ["sport", String(f.drop_wrong_sport), String(f.eligible_total)],
    ]);
    expect(funnel.match(/<svg /g)).toHaveLength(1);
    expect(funnel).toContain(">Filter funnel</text>");
    expect(funnel).toContain(">273 (−112)</text>");
  });

  it("lists each model's telemetry as run.json records it", async () => {
    const { html } = await buildReport({ runDir, now: NOW });
    const run = JSON.parse(readFileSync(path.join(runDir, "run.json"), "utf8"));
    const ens = run.models.ensemble.signature.filter_telemetry;
    expect(ens.eligible_from_upstream).toBe(manifest.filter_all.eligible_total);
    expect(tableByCaption(sectionHtml(html, "model_telemetry"), "What each model received from the filter, dropped (– where a drop does not apply) and used")).toEqual([
      ["", "team_lstm", "matchup", "ensemble"],
      ["status", "SUCCESS", "SUCCESS", "SUCCESS"],
      ["eligible from the filter", "270", "270", "270"],
      ["drop_no_scores", "0", "0", "–"],
      ["drop_duplicate_game", "0", "0", "–"],
      ...Object.entries(ens.drops as Record<string, number>).map(([k, n]) => [k, "–", "–", String(n)]),
      ["used for training", "270", "270", String(ens.used_for_training)],
      ["samples used", "270", "270", String(run.models.ensemble.signature.samples_used)],
      ["assertion", "passed", "passed", "passed"],
    ]);
    expect(270 - Object.values(ens.drops as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(ens.used_for_training);
  });

  it("shows the reliability bins and the folds against the baselines from evaluation.json", async () => {
    const report = await buildReport({ runDir, now: NOW });
    const ev = JSON.parse(readFileSync(path.join(runDir, "evaluation.json"), "utf8")).evaluation;
    const f4 = (x: number | null) => (x === null ? "–" : x.toFixed(4));
    const reliability = sectionHtml(report.html, "reliability");
    expect(tableByCaption(reliability, "Reliability bins").slice(1)).toEqual(
      ev.comparison.ensemble.bins.map((b: Record<string, number | null>) => [
        `${b.lower!.toFixed(1)}–${b.upper!.toFixed(1)}`,
        String(b.count),
        String(b.hits),
        b.expected_hits!.toFixed(2),
        f4(b.mean_prediction!),
        f4(b.hit_rate!),
        b.actual_expected === null ? "–" : b.actual_expected.toFixed(3),
      ]),
    );
    const filled = ev.comparison.ensemble.bins.filter((b: { count: number }) => b.count > 0);
    for (const b of filled) expect(reliability).toContain(`>n=${b.count}</text>`);
    expect(reliability).toContain(">mean predicted probability</text>");

    const folds = sectionHtml(report.html, "folds");
    const foldRows = tableByCaption(folds, `Date folds (embargo ${ev.options.embargo_days} days, leakage check passed on every fold)`);
    expect(foldRows.map((r) => [r[0], r[6]])).toEqual([["fold", "log loss"], ...ev.folds.map((f: { fold: number; metrics: { log_loss: number } }) => [String(f.fold), f.metrics.log_loss.toFixed(4)])]);
    const predictors = tableByCaption(folds, `Folds ${ev.comparison.from_fold} and later, every predictor on the same ${ev.comparison.rows} picks`);
    expect(predictors.map((r) => [r[0], r[2], r[3]])).toEqual([
      ["predictor", "picks", "log loss"],
      ["ensemble (calibrated)", String(ev.comparison.rows), ev.comparison.ensemble.log_loss.toFixed(4)],
      ["ensemble (uncalibrated)", String(ev.comparison.rows), ev.comparison.uncalibrated.log_loss.toFixed(4)],
      ...ev.comparison.baselines.map((b: { name: string; metrics: { log_loss: number } }) => [b.name, String(ev.comparison.rows), b.metrics.log_loss.toFixed(4)]),
    ]);
    expect(report.sections).toEqual(ALL_SECTIONS.map((id) => ({ id, present: id !== "backtest" })));
    expect(report.charts).toBe(4);
    expect(report.warnings).toEqual([]);
  });

  it("says how to make a backtest when none is given and the run has none", async () => {
    const backtest = textOf(sectionHtml((await buildReport({ runDir, now: NOW })).html, "backtest"));
    expect(backtest).toContain("No backtest was given and the run's directory holds no backtest.json.");
    expect(backtest).toContain("Make one with engine1 backtest --out backtest.json, then engine1 report --backtest backtest.json --out report.html.");
  });

  it("shows a backtest's tiers and top shares with hand-checked numbers, and its two curves", async () => {
    const report = await buildReport({ runDir, backtest: backtestFile, now: NOW });
    const section = sectionHtml(report.html, "backtest");
    const header = ["picks", "wins", "losses", "pushes", "profit (units)", "ROI", "hit rate", "actual ÷ expected", "Kelly bets", "Kelly staked", "Kelly profit", "Kelly yield"];
    const all = ["12", "7", "4", "1", "+3.00", "25.0 %", "63.6 %", "1.129", "10", "0.2600", "+0.1600", "61.5 %"];
    const a = ["3", "3", "0", "0", "+3.00", "100.0 %", "100.0 %", "1.667", "3", "0.1500", "+0.1500", "100.0 %"];
    expect(tableByCaption(section, "By edge tier")).toEqual([
      ["tier", ...header],
      ["A (edge ≥ 10.0 %)", ...a],
      ["B (edge ≥ 5.0 %)", "4", "2", "2", "0", "0.00", "0.0 %", "50.0 %", "0.909", "4", "0.0800", "0.0000", "0.0 %"],
      ["C (edge ≥ 2.0 %)", "3", "2", "1", "0", "+1.00", "33.3 %", "66.7 %", "1.250", "3", "0.0300", "+0.0100", "33.3 %"],
      ["D (edge < 2.0 %)", "2", "0", "1", "1", "−1.00", "−50.0 %", "0.0 %", "0.000", "0", "0.0000", "0.0000", "–"],
      ["all", ...all],
    ]);
    expect(tableByCaption(section, "The top X % of scored picks by edge")).toEqual([
      ["top picks by edge", ...header],
      ["top 10 %", "2", "2", "0", "0", "+2.00", "100.0 %", "100.0 %", "1.538", "2", "0.1000", "+0.1000", "100.0 %"],
      ["top 20 %", ...a],
      ["top 30 %", "4", "3", "1", "0", "+2.00", "50.0 %", "75.0 %", "1.277", "4", "0.1700", "+0.1300", "76.5 %"],
      ["all (100 %)", ...all],
    ]);
    const text = textOf(section);
    expect(text).toContain("20 candidates: 12 scored, 5 before a model could be fitted, unscored: no_fair_price 3");
    expect(text).toContain("margin removed for 8 picks, quoted price with its margin for 4");
    expect(text).toContain("30 refits, at most 210 training rows, 0 Platt maps");
    expect(text).toContain("sport all, markets all, C 1, embargo 0 days, Kelly 0.25 capped at 0.05, calibration none");
    expect(text).toContain("2.00 units (2026-11-17 to 2026-11-17)");
    expect(text).toContain("3.8 % of the peak bankroll");
    expect(text).toContain("Flat staking ends at +3.00 units after 12 picks.");
    expect(text).toContain("ends at a bankroll of 1.1600.");
    expect(text).not.toContain("different store");
    expect(section.match(/<svg /g)).toHaveLength(2);
    expect(section).toContain(">Backtest: cumulative profit</text>");
    expect(section).toContain(">Backtest: fractional-Kelly bankroll</text>");
    expect(report.sections.every((s) => s.present)).toBe(true);
    expect(report.charts).toBe(6);
    expect(report.warnings).toEqual([]);
  });

  it("takes <run dir>/backtest.json when no --backtest is given, and says when it read another store", async () => {
    const dir = copyOfRun((d) => writeFileSync(path.join(d, "backtest.json"), JSON.stringify({ ...handMadeBacktest(), store: { path: "/elsewhere.jsonl", sha256: "ab".repeat(32), bytes_read: 1 } })));
    const text = textOf(sectionHtml((await buildReport({ runDir: dir, now: NOW })).html, "backtest"));
    expect(text).toContain(`file${path.join(dir, "backtest.json")}`);
    expect(text).toContain(`This backtest read a different store (sha256 abababababab…) than the run (${manifest.files.store_sha256.slice(0, 12)}…).`);
  });

  it("renders a run without evaluation.json or card.json: those sections say why, the rest is whole", async () => {
    const dir = copyOfRun((d) => {
      rmSync(path.join(d, "evaluation.json"));
      rmSync(path.join(d, "card.json"));
    });
    const report = await buildReport({ runDir: dir, now: NOW });
    expect(report.sections).toEqual(ALL_SECTIONS.map((id) => ({ id, present: !["reliability", "folds", "model_card", "backtest"].includes(id) })));
    expect(report.charts).toBe(1);
    for (const id of ["reliability", "folds"]) {
      expect(textOf(sectionHtml(report.html, id))).toMatch(/^(Reliability|Folds and baselines)\nThis run has no evaluation\.json: .+\.\nTrain a new run \(engine1 train\) to get one/);
    }
    expect(textOf(sectionHtml(report.html, "model_card"))).toContain("This run has no card.json");
    expect(report.html).toMatch(/<\/html>\n$/);
  });

  it("gives the same page for the same inputs, apart from the generated-at line", async () => {
    const one = await buildReport({ runDir, backtest: backtestFile, now: NOW });
    const two = await buildReport({ runDir, backtest: backtestFile, now: new Date("2027-01-01T00:00:00.000Z") });
    const differing = one.html.split("\n").filter((line, i) => line !== two.html.split("\n")[i]);
    expect(differing).toEqual(['<p class="generated">Generated at 2026-11-21T12:00:00.000Z</p>']);
  });
});

describe("escaping", () => {
  it("a store path holding markup reaches the page as text, never as markup", async () => {
    const evil = path.join(tempDir(), `<b>"x"&'y'</b><script>alert(1)<`, "script>");
    mkdirSync(evil, { recursive: true });
    for (const f of ["predictions.jsonl", "graded_picks.jsonl"]) cpSync(path.join(path.dirname(STORE), f), path.join(evil, f));
    const evilHome = tempDir();
    trainFixture(evilHome, path.join(evil, "predictions.jsonl"));
    const { html } = await buildReport({ runDir: await resolveRunDir(evilHome, "current"), now: NOW });
    expect(html).not.toMatch(/<script|<b>/i);
    expect(html).toContain(`&lt;b&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;/predictions.jsonl`);
    expect(textOf(sectionHtml(html, "line_accounting"))).toContain(`store${path.join(evil, "predictions.jsonl")}`);
  });
});

describe("engine1 report (the built binary)", () => {
  const env = { ENGINE1_NOW: "2026-11-21T12:00:00.000Z" };

  it("writes the page and prints one JSON document naming the sections present", () => {
    const out = path.join(tempDir(), "report.html");
    const r = engine1(["report", "--json", "--home", home, "--backtest", backtestFile, "--out", out], env);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const doc = reportResultSchema.parse(JSON.parse(r.stdout));
    expect(doc).toEqual({ schema_version: 1, out, bytes: statSync(out).size, sections: ALL_SECTIONS, charts: 6 });
    expect(readFileSync(out, "utf8")).toContain("<title>engine1 report: run ");
  });

  it("without a backtest: the human summary names what is missing", () => {
    const out = path.join(tempDir(), "report.html");
    const r = engine1(["report", "--run", "current", "--home", home, "--out", out], env);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(${statSync(out).size} bytes, 4 charts\\) for run \\S+\nsections without data: backtest \\(the page says why\\)\n$`));
  });

  it("the same page in any time zone (dates on the axes are UTC days)", () => {
    const dir = tempDir();
    const pages = ["UTC", "America/Los_Angeles", "Asia/Tokyo"].map((tz) => {
      const out = path.join(dir, `${tz.replace("/", "_")}.html`);
      expect(engine1(["report", "--home", home, "--backtest", backtestFile, "--out", out, "--quiet"], { ...env, TZ: tz }).status).toBe(0);
      return readFileSync(out, "utf8");
    });
    expect(pages[1]).toBe(pages[0]);
    expect(pages[2]).toBe(pages[0]);
  });

  it("--out in a missing directory: exit 2 with one line, nothing written", () => {
    const out = path.join(tempDir(), "no-such-dir", "report.html");
    const r = engine1(["report", "--home", home, "--out", out]);
    expect(r).toEqual({ status: 2, stdout: "", stderr: `engine1: cannot write ${out}: the directory ${path.dirname(out)} does not exist\n` });
    expect(existsSync(path.dirname(out))).toBe(false);
  });

  it("a --backtest that is not a backtest document: exit 2 naming the file and the problem", () => {
    const notBacktest = path.join(runDir, "run.json");
    const out = path.join(tempDir(), "report.html");
    const r = engine1(["report", "--home", home, "--backtest", notBacktest, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^engine1: ${notBacktest.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a valid backtest document \\(engine1 backtest --out FILE\\): [^\n]+\n$`));
    expect(existsSync(out)).toBe(false);
    const missing = engine1(["report", "--home", home, "--backtest", "/nonexistent/backtest.json", "--out", out]);
    expect(missing).toEqual({ status: 2, stdout: "", stderr: "engine1: cannot read /nonexistent/backtest.json: ENOENT\n" });
  });

  it("--out is required; a home without runs exits 2", () => {
    expect(engine1(["report", "--home", home])).toEqual({ status: 2, stdout: "", stderr: "engine1: required option '--out <file>' not specified\n" });
    const empty = tempDir();
    const r = engine1(["report", "--home", empty, "--out", path.join(empty, "r.html")]);
    expect(r).toEqual({ status: 2, stdout: "", stderr: `engine1: no current run: ${path.join(empty, "current")} does not exist (has train ever succeeded in this home?)\n` });
  });

  it("only the report command loads vega: other commands run with it out of reach", () => {
    const noVega = { NODE_OPTIONS: `--import=${path.join(ROOT, "tests/helpers/no-vega.mjs")}` };
    const guarded = engine1(["report", "--home", home, "--out", path.join(tempDir(), "r.html")], noVega);
    expect(guarded.status).toBe(2);
    expect(guarded.stderr).toContain("vega loaded: vega");
    expect(engine1(["audit-store", "--store", STORE, "--quiet"], noVega)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(engine1(["verify", "--home", home, "--max-age-hours", "100000", "--quiet"], noVega)).toEqual({ status: 0, stdout: "", stderr: "" });
  });
});
