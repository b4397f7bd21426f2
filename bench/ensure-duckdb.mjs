// DuckDB is the peer the benchmark measures against. It is not a devDependency: its lock entries for
// other platforms' prebuilt bindings keep `npm ci` from installing on a clean machine. The benchmark
// installs it here, without touching package.json or the lock; without the registry it is skipped
// with a note.
import { spawnSync } from "node:child_process";

try {
  await import("@duckdb/node-api");
} catch {
  process.stderr.write("bench: installing @duckdb/node-api@1.5.6-r.1 (not saved) to measure DuckDB beside engine1\n");
  const r = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "@duckdb/node-api@1.5.6-r.1"], { stdio: "inherit" });
  if (r.status !== 0) process.stderr.write("bench: could not install @duckdb/node-api; DuckDB will be skipped\n");
}
