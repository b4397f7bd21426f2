import { normalizePick, type Pick } from "../../src/store/normalize.js";
import { extractRawPick } from "../../src/store/pick.js";
import { gamePick } from "./store.js";

let serial = 0;

/**
 * An upstream-eligible pick built from a raw record, as the store reader would build it. `values` is
 * what `ai_breakdown.raw_inputs.model_preds.values` holds; `undefined` leaves `model_preds` out.
 */
export function ensemblePick(values: unknown, result = "WIN", date = "2026-03-10", overrides: Record<string, unknown> = {}): Pick {
  serial += 1;
  const rawInputs = values === undefined ? { features: { pace: 1 } } : { model_preds: { values } };
  const record = gamePick({ pick_id: `e${serial}`, result, date_et: date, ai_breakdown: { raw_inputs: rawInputs }, ...overrides });
  return normalizePick(extractRawPick(record, String(record.pick_id)), serial);
}

/** Picks from parallel lists of value rows, 0/1 labels and dates. */
export function picksFrom(rows: readonly (readonly number[])[], labels: readonly number[], dates: readonly string[] | ((i: number) => string)): Pick[] {
  return rows.map((row, i) => ensemblePick([...row], labels[i] === 1 ? "WIN" : "LOSS", typeof dates === "function" ? dates(i) : dates[i]!));
}

/** `YYYY-MM-DD`, `days` after 2026-01-01. */
export function dayAfterNewYear(days: number): string {
  return new Date(Date.UTC(2026, 0, 1 + days)).toISOString().slice(0, 10);
}
