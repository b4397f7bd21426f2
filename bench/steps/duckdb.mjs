// DuckDB's read_json with EXPLICIT columns (the fields the audit reads), newline-delimited, every
// column referenced so none is projected away. usage: node duckdb.mjs STORE
import { DuckDBInstance } from "@duckdb/node-api";

const COLUMNS = {
  pick_id: "VARCHAR", grade_status: "VARCHAR", result: "VARCHAR", pick_type: "VARCHAR",
  market: "VARCHAR", sport: "VARCHAR", home_team: "VARCHAR", away_team: "VARCHAR",
  date_et: "VARCHAR", created_at: "VARCHAR", persisted_at_et: "VARCHAR", ai_mode: "VARCHAR",
  ai_breakdown: 'STRUCT(ai_mode VARCHAR, model_status VARCHAR, raw_inputs STRUCT(model_preds STRUCT("values" DOUBLE[])))',
};
const cols = "{" + Object.entries(COLUMNS).map(([k, t]) => `${k}: '${t.replaceAll("'", "''")}'`).join(", ") + "}";
const file = process.argv[2].replaceAll("'", "''");
const sql = `SELECT
  count(*) FILTER (WHERE trim(pick_id) <> '') AS records,
  count(grade_status) + count(result) + count(pick_type) + count(market) + count(sport) + count(home_team)
    + count(away_team) + count(date_et) + count(created_at) + count(persisted_at_et) + count(ai_mode)
    + count(ai_breakdown.ai_mode) + count(ai_breakdown.model_status)
    + sum(len(ai_breakdown.raw_inputs.model_preds."values")) AS touched
FROM read_json('${file}', format = 'newline_delimited', columns = ${cols})`;

const instance = await DuckDBInstance.create(":memory:");
const db = await instance.connect();
const [settings] = (await db.runAndReadAll("SELECT current_setting('threads') AS threads, version() AS version")).getRowObjects();
const [row] = (await db.runAndReadAll(sql)).getRowObjects();
console.log(JSON.stringify({ records: Number(row.records), touched: Number(row.touched),
  threads: Number(settings.threads), version: settings.version }));
