import type { ChalkInstance } from "chalk";
import { DROP_STAGES } from "../../filter/filter.js";
import type { AuditReport } from "../../schemas/audit-report.js";
import { BAD_LINE_CLASSES, LINE_CLASSES } from "../../store/line-accounting.js";
import { auditExitCode } from "../audit-exit-code.js";
import { bytes, compactTable, n, plural } from "./table.js";


function storeTable(r: AuditReport): string {
  const p = r.store_provenance;
  const g = r.grade_overlay;
  const rows: (string | number)[][] = [
    ["store", `${p.path} (${p.source})`],
    ["size", p.exists ? `${bytes(p.size_bytes)}, ${n(p.line_count)} lines, ${p.format}` : "does not exist"],
    ["grades", g.exists ? `${g.path} (${g.source})` : "none"],
  ];
  if (g.exists) {
    rows.push([
      "overlay",
      `${plural(g.grade_records, "graded pick")}, ${n(g.applied)} applied, ${n(g.orphaned)} orphaned, ${n(g.superseded)} superseded, ` +
        plural(g.line_accounting.total_lines - g.line_accounting.counts.record - g.line_accounting.counts.blank, "bad line"),
    ]);
  }
  return compactTable(null, rows);
}

function linesTable(r: AuditReport): string {
  const a = r.line_accounting;
  const first = a.first_bad_lines as Record<string, number[]>;
  const rows = LINE_CLASSES.map((c) => [c, n(a.counts[c]), (first[c] ?? []).join(", ")]);
  rows.push(["total", n(a.total_lines), a.reconciled ? "reconciled" : "NOT reconciled"]);
  return compactTable(["line class", "lines", r.store_provenance.format === "json-array" ? "first elements" : "first lines"], rows, [
    "left",
    "right",
    "left",
  ]);
}

function qualityTable(r: AuditReport): string {
  const q = r.data_quality;
  const m = q.missing_required_fields;
  const rows: (string | number)[][] = [
    ["records", n(q.total_records), `${n(q.graded_count)} graded, ${n(q.ungraded_count)} ungraded`],
    ["missing grade_status", n(q.missing_grade_status), ""],
    ["missing result", n(q.missing_result), ""],
    ["missing required", n(m.home_team + m.away_team + m.sport + m.date), `home ${n(m.home_team)}, away ${n(m.away_team)}, sport ${n(m.sport)}, date ${n(m.date)}`],
    ["model_preds complete", n(q.complete_model_preds), `${n(q.extra_values)} with more than 4 values`],
    ["model_preds too short", n(q.insufficient_model_preds), ""],
    ["model_preds bad values", n(q.bad_values), ""],
    ["model_preds missing", n(q.missing_model_preds_total), ""],
    ...Object.entries(q.missing_model_preds_attribution).map(([bucket, v]) => [`  ${bucket}`, n(v), ""]),
  ];
  return compactTable(["data quality", "records", ""], rows, ["left", "right", "left"]);
}

function funnelTable(r: AuditReport): string {
  const f = r.filter_preview;
  let remaining = f.loaded_total;
  const rows: (string | number)[][] = [["loaded", "", n(remaining)]];
  for (const stage of DROP_STAGES) {
    remaining -= f[stage];
    rows.push([stage, n(f[stage]), n(remaining)]);
  }
  rows.push(["eligible", "", n(f.eligible_total)]);
  return compactTable(["filter stage", "dropped", "remaining"], rows, ["left", "right", "right"]);
}

function distributionLine(r: AuditReport): string {
  const fmt = (t: Record<string, number>) => Object.entries(t).map(([k, v]) => `${k} ${n(v)}`).join(", ");
  const range = r.eligible_timestamp_range;
  return [
    `by sport: ${fmt(r.distribution.by_sport) || "none"}`,
    `by market: ${fmt(r.distribution.by_market) || "none"}`,
    `graded WIN/LOSS dates: ${range.earliest ?? "none"} to ${range.latest ?? "none"} (${n(range.records)} records)`,
  ].join("\n");
}

function scopeText(r: AuditReport): string {
  const f = r.filter_preview;
  const window = f.window_days === "all" ? `all dates up to ${f.as_of}` : `${f.window_days} days to ${f.as_of}`;
  return `${f.sport ?? "all sports"}, ${window}`;
}

/** The one-line verdict that ends the human report. */
export function auditVerdict(r: AuditReport, color: ChalkInstance, strict: boolean): string {
  const a = r.line_accounting;
  if (!r.store_provenance.exists) return color.yellow(`! store does not exist: ${r.store_provenance.path} (${r.store_provenance.source})`);
  const bad = BAD_LINE_CLASSES.filter((c) => a.counts[c] > 0).map((c) => `${n(a.counts[c])} ${c}`);
  const lines = `${n(a.total_lines)} lines = ${n(a.counts.record)} records + ${n(a.counts.blank)} blank${bad.length ? ` + ${bad.join(" + ")}` : ""}`;
  const eligible = `${n(r.filter_preview.eligible_total)} eligible (${scopeText(r)})`;
  if (!r.reconciled) {
    const why = r.filter_preview.assertion_error ?? "line classes do not sum to the lines read";
    return color.red(`✖ not reconciled: ${why}`);
  }
  if (auditExitCode(r, strict) !== 0) return color.red(`✖ reconciled but bad lines found (--strict): ${lines}; ${eligible}`);
  return color.green(`✔ reconciled: ${lines}; ${eligible}`);
}

export function renderAudit(r: AuditReport, color: ChalkInstance, options: { strict: boolean }): string {
  const parts = [storeTable(r)];
  if (r.store_provenance.exists) parts.push(linesTable(r), qualityTable(r), funnelTable(r), distributionLine(r));
  parts.push(auditVerdict(r, color, options.strict));
  return `${parts.join("\n")}\n`;
}
