#!/usr/bin/env node
// npm run bench [-- --records N --runs K --threads N]
// Times audit-store, train's read-and-filter pass, a readline + JSON.parse baseline and DuckDB's
// read_json (explicit columns) on one generated store; prints a table, writes bench/results.json.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const BIN = path.join(ROOT, "bin", "engine1");
const STEPS = path.join(BENCH, "steps");
const AS_OF = "2026-11-20";
const GEN = { seed: 42, recordBytes: 12000, anomalies: "none", endDate: AS_OF, spanDays: 365 };
const RSS_LIMIT_MB = 200;

function parseArgs(argv) {
  const opts = { records: 100000, runs: 5, threads: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--records") opts.records = Number(value());
    else if (flag === "--runs") opts.runs = Number(value());
    else if (flag === "--threads") opts.threads = Number(value());
    else if (flag === "-h" || flag === "--help") {
      console.log("usage: npm run bench -- [--records N (100000)] [--runs K (5)] [--threads N]");
      process.exit(0);
    } else throw new Error(`unknown option ${argv[i]}`);
  }
  for (const k of ["records", "runs", "threads"]) {
    if (opts[k] !== null && !(Number.isInteger(opts[k]) && opts[k] >= 1)) throw new Error(`--${k} must be a whole number ≥ 1`);
  }
  return opts;
}

const HAVE_TIME = !process.env.BENCH_NO_TIME && fs.existsSync("/usr/bin/time"); // BENCH_NO_TIME=1 tests the fallback
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "engine1-bench-"));
let tmpSeq = 0;

/** Runs one command as a child process: wall seconds from spawn to exit, peak RSS (MiB), stdout. */
function measure(cmd, args) {
  const rssFile = path.join(tmp, `rss-${tmpSeq++}`);
  const isNode = cmd === process.execPath;
  let file = cmd, argv = args;
  const env = { ...process.env, NO_COLOR: "1" };
  if (HAVE_TIME) [file, argv] = ["/usr/bin/time", ["-f", "%e %M", "-o", rssFile, cmd, ...args]];
  else if (isNode) [argv, env.BENCH_RSS_FILE] = [["--import", path.join(STEPS, "maxrss.mjs"), ...args], rssFile];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [], err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      let rss_mb = null;
      try { rss_mb = Number(fs.readFileSync(rssFile, "utf8").trim().split(/\s+/).pop()) / 1024; } catch {}
      resolve({ seconds, rss_mb, exit_code: code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const round = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(d)));
/** Newest mtime under dist/: a rebuild during the run makes the figures mix two builds. */
function distStamp(dir = path.join(ROOT, "dist")) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? distStamp(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}
const lastJson = (text) => { try { return JSON.parse(text.trim().split("\n").pop()); } catch { return null; } };

/** The store, reused when its manifest has the same options and its size matches. */
async function ensureStore(records) {
  const dir = path.join(BENCH, ".cache", `store-${records % 1000 === 0 ? `${records / 1000}k` : records}`);
  const store = path.join(dir, "predictions.jsonl");
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    const want = { records, ...GEN };
    const same = Object.entries(want).every(([k, v]) => m.options?.[k] === v);
    if (same && fs.statSync(store).size === m.files.store_bytes) return { dir, store, manifest: m, generated: false, seconds: 0 };
  } catch {}
  fs.rmSync(dir, { recursive: true, force: true });
  console.error(`generating ${records} records of ~${GEN.recordBytes} bytes in ${path.relative(ROOT, dir)} …`);
  const r = await measure(process.execPath, [BIN, "fixtures", "generate", "--records", String(records), "--record-bytes", String(GEN.recordBytes),
    "--seed", String(GEN.seed), "--anomalies", GEN.anomalies, "--end-date", GEN.endDate, "--span-days", String(GEN.spanDays), "--out", dir]);
  if (r.exit_code !== 0) throw new Error(`fixtures generate failed (exit ${r.exit_code}):\n${r.stderr}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  return { dir, store, manifest, generated: true, seconds: r.seconds };
}

async function duckdbAvailable() {
  try { await import("@duckdb/node-api"); return null; } catch (e) { return `@duckdb/node-api not importable (${e.code ?? e.message}); DuckDB skipped`; }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = new Date();
  const distBefore = distStamp(), loadBefore = os.loadavg();
  const st = await ensureStore(opts.records);
  const bytes = fs.statSync(st.store).size;
  const threadArgs = opts.threads ? ["--threads", String(opts.threads)] : [];
  const duckdbNote = await duckdbAvailable();
  const node = process.execPath;
  const steps = [
    { key: "audit_store", label: "engine1 audit-store", cmd: node,
      args: [BIN, "audit-store", "--store", st.store, "--no-grades", "--json", "--as-of", AS_OF, "--days", "all", ...threadArgs],
      count: (o) => o?.line_accounting?.counts?.record },
    { key: "train_read", label: "train read+filter (collectEligible)", cmd: node,
      args: [path.join(STEPS, "collect.mjs"), st.store, AS_OF, "7", ...(opts.threads ? [String(opts.threads)] : [])], count: (o) => o?.records },
    { key: "baseline", label: "readline + JSON.parse", cmd: node, args: [path.join(STEPS, "baseline.mjs"), st.store], count: (o) => o?.records },
    ...(duckdbNote ? [] : [{ key: "duckdb", label: "DuckDB read_json (explicit cols)", cmd: node,
      args: [path.join(STEPS, "duckdb.mjs"), st.store], count: (o) => o?.records }]),
    { key: "wc", label: "wc -l (floor)", cmd: "wc", args: ["-l", st.store], count: (o, text) => Number(text.trim().split(/\s+/)[0]) },
  ];
  // Warm the page cache so every step and every run reads from memory alike.
  spawnSync("cat", [st.store], { stdio: ["ignore", "ignore", "ignore"] });

  const results = {};
  for (const s of steps) results[s.key] = { label: s.label, command: [s.cmd === node ? "node" : s.cmd, ...s.args].join(" "), runs: [] };
  for (let k = 1; k <= opts.runs; k++) {
    for (const s of steps) {
      const r = await measure(s.cmd, s.args);
      const parsed = s.key === "audit_store" ? (() => { try { return JSON.parse(r.stdout); } catch { return null; } })() : lastJson(r.stdout);
      const count = s.count(parsed, r.stdout) ?? null;
      if (s.key === "audit_store" && parsed) results[s.key].store_provenance ??= parsed.store_provenance;
      if (s.key === "duckdb" && parsed) Object.assign(results[s.key], { duckdb_threads: parsed.threads, duckdb_version: parsed.version });
      if (s.key === "train_read" && parsed) Object.assign(results[s.key], { eligible: parsed.eligible, threads: parsed.threads, scanner: parsed.scanner });
      const ok = r.exit_code === 0 && count === opts.records;
      results[s.key].runs.push({ seconds: round(r.seconds, 3), rss_mb: round(r.rss_mb, 1), exit_code: r.exit_code, count, ok,
        ...(r.exit_code !== 0 ? { stderr_tail: r.stderr.slice(-2000) } : {}) });
      console.error(`run ${k}/${opts.runs}  ${s.label.padEnd(36)} ${r.seconds.toFixed(2)} s  ${r.rss_mb?.toFixed(0) ?? "?"} MB  count=${count}  exit=${r.exit_code}`);
    }
  }

  // train end to end, once (the cron figure).
  const home = fs.mkdtempSync(path.join(tmp, "home-"));
  const tr = await measure(node, [BIN, "train", "--store", st.store, "--no-grades", "--as-of", AS_OF, "--days", "7", "--home", home, "--json", ...threadArgs]);
  const trJson = (() => { try { return JSON.parse(tr.stdout); } catch { return null; } })();
  const train_e2e = { command: `node ${BIN} train --store ${st.store} --no-grades --as-of ${AS_OF} --days 7 --home TMPDIR --json${threadArgs.length ? " " + threadArgs.join(" ") : ""}`,
    seconds: round(tr.seconds, 3), rss_mb: round(tr.rss_mb, 1), exit_code: tr.exit_code, status: trJson?.status ?? null,
    ...(tr.exit_code !== 0 ? { stderr_tail: tr.stderr.slice(-2000) } : {}) };
  console.error(`train end to end  ${tr.seconds.toFixed(2)} s  ${tr.rss_mb?.toFixed(0) ?? "?"} MB  exit=${tr.exit_code} status=${train_e2e.status}`);

  for (const r of Object.values(results)) {
    // Statistics over the good runs only (exit 0, every record counted); failures stay in runs[].
    const good = r.runs.filter((x) => x.ok), used = good.length ? good : r.runs;
    const secs = used.map((x) => x.seconds), rss = used.map((x) => x.rss_mb).filter((x) => x !== null);
    Object.assign(r, { median_s: round(median(secs), 3), min_s: round(Math.min(...secs), 3), max_s: round(Math.max(...secs), 3),
      mb_per_s: round(bytes / 1e6 / median(secs), 1), records_per_s: Math.round(opts.records / median(secs)),
      peak_rss_mb: rss.length ? round(Math.max(...rss), 1) : null, median_rss_mb: rss.length ? round(median(rss), 1) : null,
      good_runs: good.length, count_ok: good.length === r.runs.length });
  }
  const base = results.baseline.median_s, duck = results.duckdb?.median_s ?? null;
  for (const r of Object.values(results)) {
    r.speedup_vs_baseline = round(base / r.median_s, 2);
    r.speedup_vs_duckdb = duck ? round(duck / r.median_s, 2) : null;
  }

  const a = results.audit_store, t = results.train_read;
  const target = (name, met, value) => ({ target: name, value, met: met === null ? "skipped" : met ? "met" : "not met" });
  const targets = [
    target("audit-store at least as fast as DuckDB read_json (explicit columns)", duck ? a.median_s <= duck : null,
      duck ? `${a.median_s} s vs ${duck} s (×${a.speedup_vs_duckdb})` : duckdbNote),
    target("audit-store ≥ 10× readline + JSON.parse", a.speedup_vs_baseline >= 10, `×${a.speedup_vs_baseline}`),
    target(`audit-store peak RSS < ${RSS_LIMIT_MB} MB`, a.peak_rss_mb === null ? null : a.peak_rss_mb < RSS_LIMIT_MB, `${a.peak_rss_mb} MB`),
    target(`train read+filter peak RSS < ${RSS_LIMIT_MB} MB`, t.peak_rss_mb === null ? null : t.peak_rss_mb < RSS_LIMIT_MB, `${t.peak_rss_mb} MB`),
    target(`train end to end peak RSS < ${RSS_LIMIT_MB} MB`, train_e2e.rss_mb === null ? null : train_e2e.rss_mb < RSS_LIMIT_MB, `${train_e2e.rss_mb} MB`),
    target("train end to end well inside the 10-minute cron timeout (< 300 s, exit 0)", tr.exit_code === 0 && tr.seconds < 300, `${train_e2e.seconds} s, exit ${tr.exit_code}`),
    target("every run of every step exited 0 and counted every record", Object.values(results).every((r) => r.count_ok), Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.runs.map((x) => x.count)]))),
  ];

  const cpus = os.cpus();
  const distChanged = distStamp() !== distBefore;
  const notes = [duckdbNote,
    distChanged && "dist/ was rebuilt during this run: the figures may mix two builds; run again",
    Object.values(results).some((r) => !r.count_ok) && "some runs failed or miscounted: medians use the good runs only (see steps.*.runs)",
    "MB/s = store bytes / 1e6 / median seconds; RSS in MiB; ×baseline and ×DuckDB = their median / this median (above 1 = faster)"].filter(Boolean);
  const report = {
    schema_version: 1, started_at: started.toISOString(), finished_at: new Date().toISOString(),
    options: { records: opts.records, runs: opts.runs, threads: opts.threads, as_of: AS_OF },
    machine: { node: process.version, platform: `${os.platform()} ${os.release()} ${os.arch()}`, cores: os.availableParallelism?.() ?? cpus.length,
      cpu_model: cpus[0]?.model ?? null, loadavg_before: loadBefore.map((x) => round(x)), loadavg_after: os.loadavg().map((x) => round(x)), mem_gb: round(os.totalmem() / 2 ** 30, 1), rss_source: HAVE_TIME ? "/usr/bin/time %M" : "process.resourceUsage().maxRSS" },
    store: { path: path.relative(ROOT, st.store), bytes, mb: round(bytes / 1e6, 1), records: opts.records, generator: { records: opts.records, ...GEN },
      cached: !st.generated, generate_seconds: st.generated ? round(st.seconds, 1) : null, page_cache: "warm (read once before timing)" },
    dist_changed_during_run: distChanged, notes,
    steps: results, train_end_to_end: train_e2e, targets,
  };
  fs.writeFileSync(path.join(BENCH, "results.json"), JSON.stringify(report, null, 2) + "\n");
  printTable(report);
}

function printTable(r) {
  const m = r.machine;
  console.log(`\nengine1 bench — node ${m.node}, ${m.cores} cores, ${m.cpu_model}, ${m.mem_gb} GiB, load ${m.loadavg_before[0]} → ${m.loadavg_after[0]}`);
  console.log(`store ${r.store.path}: ${r.store.records} records, ${r.store.mb} MB${r.store.cached ? " (cached)" : ` (generated in ${r.store.generate_seconds} s)`}; ${r.options.runs} runs, medians${r.options.threads ? `; --threads ${r.options.threads}` : ""}`);
  const head = ["step", "median s", "min–max s", "MB/s", "records/s", "peak RSS MB", "×baseline", "×DuckDB"];
  const rows = Object.values(r.steps).map((s) => [s.label + (s.count_ok ? "" : ` (${s.good_runs}/${s.runs.length} ok)`), s.median_s.toFixed(2), `${s.min_s.toFixed(2)}–${s.max_s.toFixed(2)}`,
    String(s.mb_per_s), String(s.records_per_s), s.peak_rss_mb === null ? "–" : s.peak_rss_mb.toFixed(0), s.speedup_vs_baseline.toFixed(2),
    s.speedup_vs_duckdb === null ? "–" : s.speedup_vs_duckdb.toFixed(2)]);
  const e = r.train_end_to_end;
  rows.push(["train end to end (once)", e.seconds.toFixed(2), "", "", "", e.rss_mb === null ? "–" : e.rss_mb.toFixed(0), "", ""]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row) => row.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  console.log(line(head)); console.log(w.map((n) => "-".repeat(n)).join("  "));
  for (const row of rows) console.log(line(row));
  if (r.steps.train_read.threads) console.log(`train read+filter threads=${r.steps.train_read.threads}, scanner=${r.steps.train_read.scanner}; eligible (--days 7) = ${r.steps.train_read.eligible}`);
  if (r.steps.duckdb) console.log(`DuckDB ${r.steps.duckdb.duckdb_version}, threads=${r.steps.duckdb.duckdb_threads}`);
  for (const n of r.notes) console.log(`note: ${n}`);
  console.log("\ntargets:");
  for (const t of r.targets) console.log(`  [${t.met}] ${t.target}: ${typeof t.value === "string" ? t.value : JSON.stringify(t.value)}`);
  console.log(`\nwrote bench/results.json`);
}

try { await main(); } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
