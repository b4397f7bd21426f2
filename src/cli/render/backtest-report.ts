import type { ChalkInstance } from "chalk";
import type { BacktestCurvePoint, BacktestDocument, BacktestSegment } from "../../schemas/backtest.js";
import { compactTable, n, plural } from "./table.js";

const fx = (x: number | null, digits: number): string => (x === null ? "–" : x.toFixed(digits));
const pct = (x: number | null, digits = 1): string => (x === null ? "–" : `${(x * 100).toFixed(digits)}%`);
const signed = (x: number, digits = 2): string => `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
const SPARKS = "▁▂▃▄▅▆▇█";
const SPARK_WIDTH = 60;

/** The cumulative flat profit as one line of block characters, lowest to highest; long curves are sampled. */
export function sparkline(curve: readonly BacktestCurvePoint[], width = SPARK_WIDTH): string {
  if (curve.length === 0) return "";
  const values = curve.map((p) => p.cumulative_units);
  const sampled = values.length <= width ? values : Array.from({ length: width }, (_, i) => values[Math.round((i * (values.length - 1)) / (width - 1))]!);
  const lo = Math.min(...sampled);
  const hi = Math.max(...sampled);
  return sampled.map((v) => SPARKS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (SPARKS.length - 1))]).join("");
}

function row(label: string, s: BacktestSegment, color: ChalkInstance): string[] {
  const roi = s.roi === null ? "–" : s.roi >= 0 ? color.green(pct(s.roi, 2)) : color.red(pct(s.roi, 2));
  return [label, n(s.picks), `${s.wins}-${s.losses}-${s.pushes}`, pct(s.hit_rate), fx(s.actual_expected, 3), signed(s.profit_units), roi, n(s.kelly.bets), pct(s.kelly.yield, 2)];
}

/** The human view: the summary, tiers and top shares in one table, the drawdowns and the curve. */
export function renderBacktest(doc: BacktestDocument, color: ChalkInstance): string {
  const { summary: s, accounting: a, range: r } = doc;
  const unscored = Object.entries(a.unscored)
    .map(([reason, count]) => `${reason} ${n(count)}`)
    .join(", ");
  const title = `backtest ${r.from} … ${r.to} (${plural(r.days, "day")}, ${r.days_with_bets} with bets) of ${doc.store.path}`;
  if (a.candidates === 0) return `${title}\nno eligible graded picks are dated in the range: nothing to bet`;
  const lines = [
    title,
    `${n(a.candidates)} candidates: ${n(a.scored)} scored, ${n(a.no_model_yet)} before the first model` + (unscored === "" ? "" : `, unscored: ${unscored}`),
    `summary: ${plural(s.picks, "pick")}, hit rate ${pct(s.hit_rate)}, A/E ${fx(s.actual_expected, 3)}, ` +
      `profit ${signed(s.profit_units)} units, ROI ${pct(s.roi, 2)}, Kelly yield ${pct(s.kelly.yield, 2)} on ${plural(s.kelly.bets, "bet")}`,
    compactTable(
      ["segment", "picks", "W-L-P", "hit rate", "A/E", "profit", "ROI", "Kelly bets", "Kelly yield"],
      [
        ...(["A", "B", "C", "D"] as const).map((t) => row(`tier ${t}`, doc.by_tier[t], color)),
        ...(["10", "20", "30", "100"] as const).map((k) => row(k === "100" ? "all picks" : `top ${k}%`, doc.top[k], color)),
        ...(doc.positive_edge ? [row("edge > 0", doc.positive_edge, color)] : []),
      ],
      ["left", "right", "right", "right", "right", "right", "right", "right", "right"],
    ),
  ];
  const d = doc.max_drawdown;
  lines.push(
    `max drawdown: ${d.flat_units.toFixed(2)} units flat` +
      (d.flat_from === null ? "" : ` (${d.flat_from} … ${d.flat_to})`) +
      `, ${pct(d.kelly_share, 2)} of the Kelly bankroll` +
      (d.kelly_from === null ? "" : ` (${d.kelly_from} … ${d.kelly_to})`),
  );
  const last = doc.curve.at(-1);
  if (last !== undefined) {
    lines.push(`cumulative profit ${sparkline(doc.curve)} ${signed(last.cumulative_units)} units, Kelly bankroll ${last.kelly_bankroll.toFixed(4)}`);
  }
  lines.push(`edge: model probability − fair probability (${doc.pricing.vig_removed} with the margin removed, ${doc.pricing.implied_with_margin} against the quoted price)`);
  return lines.join("\n");
}
