import type { ChalkInstance } from "chalk";
import type { PredictDocument, ScoredPick } from "../../schemas/predict.js";
import { compactTable, n, plural } from "./table.js";

const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;
const signed = (x: number): string => `${x > 0 ? "+" : x < 0 ? "−" : ""}${percent(Math.abs(x))}`;
const american = (odds: number): string => (odds > 0 ? `+${odds}` : `−${Math.abs(odds)}`);

function tierColor(c: ChalkInstance, tier: ScoredPick["tier"]): (text: string) => string {
  if (tier === "A") return c.green.bold;
  if (tier === "B") return c.green;
  if (tier === "C") return c.yellow;
  return c.dim;
}

/** What the pick backs: its selection as quoted, else the team (or over/under) and the line. */
function bet(p: ScoredPick): string {
  if (p.selection !== null) return p.selection;
  const team = p.side === "home" ? p.home_team : p.side === "away" ? p.away_team : null;
  const who = team ?? p.side ?? "?";
  if (p.market === "MONEYLINE") return `${who} ML`;
  return p.line === null ? who : `${who} ${p.line > 0 && p.market === "SPREAD" ? "+" : ""}${p.line}`;
}

/** The one-line summary: what was read, scored, listed and left out. */
export function predictSummary(d: PredictDocument): string {
  const a = d.accounting;
  const where = d.date === null ? "stdin" : d.date;
  const tiers = (["A", "B", "C", "D"] as const).map((t) => `${t} ${a.listed_by_tier[t]}`).join(", ");
  const parts = [
    `${where}: ${plural(a.candidates, "candidate")} → ${n(a.scored)} scored, ${n(a.unscored)} unscored`,
    `${n(a.listed)} listed (${tiers})`,
  ];
  if (a.filtered_out > 0) parts.push(`${n(a.filtered_out)} below --min-edge or outside --tier`);
  if (a.already_graded > 0) parts.push(`${n(a.already_graded)} already graded`);
  if (a.not_selected > 0) {
    const chosen = [d.options.sport?.join(",") ?? "", d.options.markets?.join(",") ?? ""].filter((x) => x !== "").join(" ");
    parts.push(`${n(a.not_selected)} outside ${chosen} (--sport/--markets; the run's own by default)`);
  }
  return parts.join("; ");
}

export function renderPredictions(d: PredictDocument, c: ChalkInstance): string {
  const o = d.options;
  const model = `${d.model.calibration ?? "uncalibrated"}, C ${d.model.C}`;
  const lines = [
    `run ${d.run_id} (trained as of ${d.model.trained_as_of}, ${model}) · Kelly ×${o.kelly_fraction}, cap ${percent(o.kelly_cap)}` +
      (o.bankroll === null ? "" : ` · bankroll ${n(o.bankroll)}`),
  ];
  if (d.picks.length > 0) {
    const units = o.bankroll !== null;
    const head = ["tier", "edge", "model", "fair", "odds", "stake", ...(units ? ["units"] : []), "sport", "market", "bet", "pick_id", "line"];
    const rows = d.picks.map((p) => [
      tierColor(c, p.tier)(p.tier),
      signed(p.edge),
      p.probability.toFixed(3),
      `${p.fair.toFixed(3)}${p.vig_removed ? "*" : ""}`,
      american(p.odds),
      percent(p.stake, 2),
      ...(units ? [(p.stake_units ?? 0).toFixed(2)] : []),
      p.sport ?? "–",
      p.market,
      bet(p),
      p.pick_id,
      p.source_line,
    ]);
    const align: ("left" | "right")[] = ["left", "right", "right", "right", "right", "right", ...(units ? ["right" as const] : []), "left", "left", "left", "left", "right"];
    lines.push(compactTable(head, rows, align));
    if (d.picks.some((p) => p.vig_removed)) lines.push("* margin removed with the other side's price");
  } else {
    lines.push("no scored picks to list");
  }
  if (d.unscored.length > 0) {
    lines.push(`unscored (${n(d.unscored.length)}):`);
    for (const u of d.unscored) lines.push(`  line ${u.source_line}  ${u.pick_id ?? "(no pick_id)"}  ${c.yellow(u.reason)}: ${u.detail}`);
  }
  lines.push(predictSummary(d));
  return lines.join("\n");
}
