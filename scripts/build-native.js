#!/usr/bin/env node
// Builds engine1's native line scanner (native/: simdjson's DOM parser in a small Node-API addon)
// with node-gyp. Runs as npm's `install` script, and by hand: `node scripts/build-native.js`.
//
// It ALWAYS exits 0: without a compiler, Python, node-gyp or the simdjson sources, or when the
// build fails, it says so in one line on stderr and engine1 reads stores with its JavaScript
// scanner (slower, same results). `engine1` says which scanner it used.
//
//   ENGINE1_SKIP_NATIVE=1     do not build (the JavaScript scanner is used)
//   ENGINE1_REBUILD_NATIVE=1  (or --force) rebuild even when the addon is up to date
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nativeDir = path.join(root, "native");
const addon = path.join(nativeDir, "build", "Release", "engine1_scanner.node");
const logFile = path.join(nativeDir, "build-native.log");
const started = Date.now();

function say(message) {
  process.stderr.write(`engine1: ${message}\n`);
}

function seconds() {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

/** The first compiler error in the build output, else node-gyp's last error line. */
function errorHint(output) {
  const lines = output.split("\n");
  const compiler = lines.find((l) => /\berror\b/i.test(l) && !l.startsWith("gyp"));
  const gyp = lines.filter((l) => /error|not found|No such file|ENOENT/i.test(l)).pop();
  const hint = compiler ?? gyp;
  return hint === undefined ? "" : `: ${hint.trim().slice(0, 200)}`;
}

function simdjsonSources() {
  const fromEnv = process.env.ENGINE1_SIMDJSON_DIR;
  if (fromEnv) return path.join(fromEnv, "src");
  try {
    const require = createRequire(path.join(root, "package.json"));
    return path.join(path.dirname(require.resolve("@nozbe/simdjson/package.json")), "src");
  } catch {
    return null;
  }
}

/** node-gyp as npm ships it (npm tells its lifecycle scripts where), else a local or global one. */
function findNodeGyp() {
  const candidates = [];
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm) candidates.push(fromNpm);
  const npmCli = process.env.npm_execpath;
  if (npmCli) candidates.push(path.join(path.dirname(npmCli), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  candidates.push(path.join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  candidates.push(path.join(path.dirname(process.execPath), "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  try {
    candidates.push(createRequire(path.join(root, "package.json")).resolve("node-gyp/bin/node-gyp.js"));
  } catch {
    // not installed locally
  }
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** Node's headers: npm's nodedir setting, else the ones installed beside this node (no download). */
function findNodeDir() {
  const fromNpm = process.env.npm_config_nodedir;
  if (fromNpm) return fromNpm;
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  if (existsSync(path.join(prefix, "include", "node", "node_api.h"))) return prefix;
  return null;
}

function hasCompiler() {
  if (process.platform === "win32") return true; // node-gyp finds Visual Studio itself
  const cxx = process.env.CXX || "c++";
  const probe = spawnSync(cxx, ["--version"], { stdio: "ignore", shell: false });
  return probe.status === 0;
}

/** Loads the addon in a fresh process: the name of the simdjson kernel, or null. */
function probeAddon() {
  const probe = spawnSync(
    process.execPath,
    ["-e", `process.stdout.write(require(${JSON.stringify(addon)}).implementation())`],
    { encoding: "utf8", timeout: 60_000 },
  );
  return probe.status === 0 ? probe.stdout.trim() : null;
}

function upToDate(sources) {
  if (!existsSync(addon)) return false;
  const built = statSync(addon).mtimeMs;
  const inputs = [path.join(nativeDir, "scanner.cc"), path.join(nativeDir, "binding.gyp"), path.join(sources, "simdjson.cpp"), path.join(sources, "simdjson.h")];
  return inputs.every((f) => existsSync(f) && statSync(f).mtimeMs <= built);
}

function main() {
  const fallback = "engine1 will read stores with its JavaScript scanner (slower, same results)";
  if (process.env.ENGINE1_SKIP_NATIVE === "1") {
    say(`native scanner not built (ENGINE1_SKIP_NATIVE=1); ${fallback}`);
    return;
  }
  const sources = simdjsonSources();
  if (sources === null || !existsSync(path.join(sources, "simdjson.cpp"))) {
    say(`native scanner not built: the simdjson sources (@nozbe/simdjson) are missing; ${fallback}`);
    return;
  }
  const force = process.argv.includes("--force") || process.env.ENGINE1_REBUILD_NATIVE === "1";
  if (!force && upToDate(sources)) {
    const kernel = probeAddon();
    if (kernel !== null) {
      say(`native scanner up to date (${path.relative(root, addon)}, simdjson ${kernel})`);
      return;
    }
  }
  if (!hasCompiler()) {
    say(`native scanner not built: no C++ compiler found (${process.env.CXX || "c++"}); ${fallback}`);
    return;
  }
  const nodeGyp = findNodeGyp();
  if (nodeGyp === null) {
    say(`native scanner not built: node-gyp not found; ${fallback}`);
    return;
  }
  const args = [nodeGyp, "rebuild", "--release", `--directory=${nativeDir}`, `--jobs=${Math.max(1, os.availableParallelism?.() ?? os.cpus().length)}`];
  const nodeDir = findNodeDir();
  if (nodeDir !== null) args.push(`--nodedir=${nodeDir}`);
  say(`building the native scanner (node-gyp, simdjson DOM parser, -O3)${nodeDir === null ? "" : ` with Node headers from ${nodeDir}`}…`);
  const build = spawnSync(process.execPath, args, {
    cwd: nativeDir,
    encoding: "utf8",
    env: { ...process.env, ENGINE1_SIMDJSON_DIR: path.dirname(sources) },
    timeout: 10 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${build.stdout ?? ""}${build.stderr ?? ""}${build.error ? `\n${build.error.message}` : ""}`;
  try {
    mkdirSync(nativeDir, { recursive: true });
    writeFileSync(logFile, output);
  } catch {
    // the log is a convenience
  }
  if (build.status !== 0) {
    const why = build.error ? build.error.message : `node-gyp exited with ${build.status ?? build.signal}`;
    say(`native scanner build failed after ${seconds()} (${why}${errorHint(output)}; log: ${path.relative(root, logFile)}); ${fallback}`);
    return;
  }
  const kernel = probeAddon();
  if (kernel === null) {
    say(`native scanner built but does not load (log: ${path.relative(root, logFile)}); ${fallback}`);
    return;
  }
  say(`native scanner built in ${seconds()}: ${path.relative(root, addon)} (simdjson, runtime kernel ${kernel})`);
}

try {
  main();
} catch (error) {
  say(`native scanner not built (${error instanceof Error ? error.message : String(error)}); engine1 will read stores with its JavaScript scanner`);
}
process.exitCode = 0;
