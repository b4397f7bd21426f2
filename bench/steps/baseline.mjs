// The plain baseline: readline over a read stream, JSON.parse per line, count the objects with a
// non-empty string pick_id. usage: node baseline.mjs STORE
import fs from "node:fs";
import readline from "node:readline";

const lines = readline.createInterface({ input: fs.createReadStream(process.argv[2]), crlfDelay: Infinity });
let records = 0;
for await (const line of lines) {
  let value;
  try { value = JSON.parse(line); } catch { continue; }
  if (value !== null && typeof value === "object" && !Array.isArray(value) &&
      typeof value.pick_id === "string" && value.pick_id.trim() !== "") records += 1;
}
console.log(JSON.stringify({ records }));
