#!/usr/bin/env node
// Writes schemas/*.schema.json from the zod schemas in dist/ (run `npm run build` first).
// tests/schemas.test.ts fails when the committed copies drift from the zod source.
import { mkdirSync, writeFileSync } from "node:fs";
import { PUBLISHED_SCHEMAS, toJsonSchema } from "../dist/schemas/registry.js";

const dir = new URL("../schemas/", import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
  writeFileSync(new URL(name, dir), `${JSON.stringify(toJsonSchema(name, schema), null, 2)}\n`);
  process.stderr.write(`wrote schemas/${name}\n`);
}
