// Prints the folder of the @nozbe/simdjson sources for binding.gyp, wherever npm put the package,
// relative to this folder (gyp's make generator needs relative source paths).
"use strict";
const path = require("node:path");
const fromEnv = process.env.ENGINE1_SIMDJSON_DIR;
const dir = fromEnv && fromEnv !== "" ? fromEnv : path.dirname(require.resolve("@nozbe/simdjson/package.json", { paths: [__dirname] }));
process.stdout.write(path.relative(__dirname, path.join(dir, "src")).split(path.sep).join("/"));
