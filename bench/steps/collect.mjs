// train's read-and-filter pass alone: collectEligible (line accounting, SHA-256, six-stage filter),
// exactly as `engine1 train --no-grades` calls it, without model fitting.
// usage: node collect.mjs STORE AS_OF DAYS [THREADS]
import path from "node:path";
import { collectEligible } from "../../dist/train/collect-eligible.js";

const [store, asOf, days, threadsArg] = process.argv.slice(2);
// As `engine1 train` does: --threads N when given, else the machine's cores (the CLI's default).
let threads = threadsArg ? Number(threadsArg) : undefined;
if (threads === undefined) {
  try { threads = (await import("../../dist/scan/scan-pool.js")).defaultThreads(); } catch { /* reader without threads */ }
}
let scanner = null; // which block scanner the reader uses ("native" or "javascript"), where it says
try { scanner = (await import("../../dist/scan/scanner.js")).scannerPath(); } catch { /* older reader */ }
const result = await collectEligible({
  store: { path: path.resolve(store), source: "--store" },
  grades: null,
  volumeMountPath: null,
  filter: { asOf, days: days === "all" ? "all" : Number(days), sports: null, markets: null },
  ...(threads ? { threads } : {}),
});
console.log(JSON.stringify({
  threads: threads ?? null,
  scanner,
  records: result.reading.line_accounting.counts.record,
  eligible: result.eligible.length,
  sha256: result.reading.provenance.sha256,
}));
