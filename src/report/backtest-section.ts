import type { BacktestDocument, BacktestSegment } from "../schemas/backtest.js";
import type { RunDocument } from "../schemas/run.js";
import { kellyChart, profitChart } from "./charts.js";
import { code, facts, fixed, paragraph, percent, raw, signed, table, type Cell, type Html, type Section } from "./html.js";
import type { Draw } from "./svg.js";

/** The report's backtest section: the profit curves, the tiers and the top picks by edge. */

const SEGMENT_HEADERS = ["picks", "wins", "losses", "pushes", "profit (units)", "ROI", "hit rate", "actual ÷ expected", "Kelly bets", "Kelly staked", "Kelly profit", "Kelly yield"];

function segmentCells(s: BacktestSegment): Cell[] {
  return [
    s.picks,
    s.wins,
    s.losses,
    s.pushes,
    signed(s.profit_units),
    percent(s.roi),
    percent(s.hit_rate),
    fixed(s.actual_expected, 3),
    s.kelly.bets,
    fixed(s.kelly.staked),
    signed(s.kelly.profit, 4),
    percent(s.kelly.yield),
  ];
}

const TIERS = ["A", "B", "C", "D"] as const;
const TOPS = ["10", "20", "30", "100"] as const;

function tierLabel(tier: (typeof TIERS)[number], tiers: BacktestDocument["options"]["tiers"]): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  return tier === "D" ? `D (edge < ${pct(tiers.C)})` : `${tier} (edge ≥ ${pct(tiers[tier])})`;
}

export function missingBacktest(): Section {
  return {
    id: "backtest",
    title: "Backtest",
    present: false,
    body: [
      paragraph("No backtest was given and the run's directory holds no backtest.json.", "missing"),
      raw(`<p>Make one with ${code("engine1 backtest --out backtest.json").html}, then ${code("engine1 report --backtest backtest.json --out report.html").html}.</p>`),
    ],
  };
}

export async function backtestSection(file: string, doc: BacktestDocument, run: RunDocument, draw: Draw): Promise<Section> {
  const o = doc.options;
  const a = doc.accounting;
  const dd = doc.max_drawdown;
  const body: Html[] = [];
  if (run.store.provenance.sha256 !== null && doc.store.sha256 !== run.store.provenance.sha256) {
    body.push(paragraph(`This backtest read a different store (sha256 ${doc.store.sha256.slice(0, 12)}…) than the run (${run.store.provenance.sha256.slice(0, 12)}…).`, "missing"));
  }
  const unscored = Object.entries(a.unscored).map(([reason, n]) => `${reason} ${n}`).join(", ");
  body.push(
    facts([
      ["file", file],
      ["store", `${doc.store.path} (sha256 ${doc.store.sha256})`],
      ["days", `${doc.range.from} to ${doc.range.to}: ${doc.range.days} days, ${doc.range.days_with_bets} with bets`],
      ["options", `sport ${o.sport ?? "all"}, markets ${o.markets?.join(", ") ?? "all"}, C ${o.C}, embargo ${o.embargo_days} days, Kelly ${o.kelly_fraction} capped at ${o.kelly_cap}, calibration ${o.calibration}`],
      ["picks", `${a.candidates} candidates: ${a.scored} scored, ${a.no_model_yet} before a model could be fitted${unscored ? `, unscored: ${unscored}` : ""}`],
      ["fair prices", `margin removed for ${doc.pricing.vig_removed} picks, quoted price with its margin for ${doc.pricing.implied_with_margin}`],
      ["fits", `${doc.fits.refits} refits, at most ${doc.fits.largest_training_rows} training rows, ${doc.fits.calibration_fits} Platt maps`],
      ["max drawdown (flat)", `${dd.flat_units.toFixed(2)} units${dd.flat_from ? ` (${dd.flat_from} to ${dd.flat_to})` : ""}`],
      ["max drawdown (Kelly)", `${(dd.kelly_share * 100).toFixed(1)} % of the peak bankroll`],
    ]),
  );
  if (doc.curve.length === 0) {
    body.push(paragraph("No day had a scored pick: there is no curve to draw.", "missing"));
  } else {
    const last = doc.curve[doc.curve.length - 1]!;
    body.push(
      await draw(profitChart(doc.curve), `Flat staking ends at ${last.cumulative_units >= 0 ? "+" : "−"}${Math.abs(last.cumulative_units).toFixed(2)} units after ${doc.summary.picks} picks.`),
      await draw(kellyChart(doc.curve), `Fractional Kelly (${o.kelly_fraction}, cap ${o.kelly_cap}) ends at a bankroll of ${last.kelly_bankroll.toFixed(4)}.`),
    );
  }
  body.push(
    table(["tier", ...SEGMENT_HEADERS], [...TIERS.map((t) => [tierLabel(t, o.tiers), ...segmentCells(doc.by_tier[t])]), ["all", ...segmentCells(doc.summary)]], "By edge tier"),
    table(["top picks by edge", ...SEGMENT_HEADERS], [
      ...TOPS.map((x) => [x === "100" ? "all (100 %)" : `top ${x} %`, ...segmentCells(doc.top[x])]),
      ...(doc.positive_edge ? [["edge > 0 (the bets)", ...segmentCells(doc.positive_edge)]] : []),
    ], "The top X % of scored picks by edge"),
  );
  return { id: "backtest", title: "Backtest", present: true, body };
}
