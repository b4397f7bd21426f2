import { LINE_CLASSES } from "../store/line-accounting.js";
import type { RunDocument } from "../schemas/run.js";
import { MODEL_NAMES } from "../schemas/run.js";
import { funnelChart, funnelSteps } from "./charts.js";
import { facts, paragraph, raw, table, type Cell, type Section } from "./html.js";
import type { Draw } from "./svg.js";

/** The report's sections about the run itself: what was read, what the filter kept, what each model used. */

type LineAccounting = RunDocument["store"]["line_accounting"];

const yesNo = (ok: boolean, yes: string, no: string): Cell => raw(ok ? `<span class="ok">${yes}</span>` : `<span class="bad">${no}</span>`);

function lineTable(accounting: LineAccounting, caption: string) {
  const firstBad = accounting.first_bad_lines as Record<string, number[] | undefined>;
  return table(
    ["line class", "lines", "first line numbers"],
    [
      ...LINE_CLASSES.map((c): Cell[] => [c, accounting.counts[c], firstBad[c]?.length ? firstBad[c].join(", ") : null]),
      ["total", accounting.total_lines, null],
    ],
    caption,
  );
}

export function runSection(run: RunDocument, runDir: string): Section {
  return {
    id: "run",
    title: "Run",
    present: true,
    body: [
      facts([
        ["run id", run.run_id],
        ["directory", runDir],
        ["status", yesNo(run.status === "SUCCESS", run.status, run.status)],
        ["failures", run.failures.length ? run.failures.join("; ") : "none"],
        ["as of (ET)", run.as_of],
        ["window", run.window_days === "all" ? "all days" : `${run.window_days} days`],
        ["sport", run.sport ?? "all"],
        ["markets", run.markets?.join(", ") ?? "all game markets"],
        ["seed", run.seed],
        ["started / finished", `${run.started_at} / ${run.finished_at}`],
        ["engine1", run.engine1_version],
      ]),
    ],
  };
}

export function lineAccountingSection(run: RunDocument): Section {
  const p = run.store.provenance;
  const la = run.store.line_accounting;
  return {
    id: "line_accounting",
    title: "Line accounting",
    present: true,
    body: [
      facts([
        ["store", p.path],
        ["found by", p.source],
        ["sha256", p.sha256],
        ["size (bytes)", p.size_bytes],
        ["bytes read", p.bytes_read],
        ["format", p.format],
        ["scanner", p.scanner === null ? null : `${p.scanner} on ${p.threads} thread${p.threads === 1 ? "" : "s"}`],
      ]),
      lineTable(la, "Every physical line of the store, in exactly one class"),
      paragraph(la.reconciled ? `Reconciled: the ${la.total_lines} lines are the sum of the classes.` : "NOT reconciled: the classes do not add up to the lines read."),
    ],
  };
}

export function gradeOverlaySection(run: RunDocument): Section {
  const g = run.store.grade_overlay;
  if (!g.exists) {
    return { id: "grade_overlay", title: "Grade overlay", present: false, body: [paragraph(`No grade overlay was read${g.path ? ` (${g.path} does not exist)` : ""}.`, "missing")] };
  }
  return {
    id: "grade_overlay",
    title: "Grade overlay",
    present: true,
    body: [
      facts([
        ["file", g.path],
        ["found by", g.source],
        ["size (bytes)", g.size_bytes],
      ]),
      table(["grade records", "superseded", "applied", "orphaned"], [[g.grade_records, g.superseded, g.applied, g.orphaned]], "Grades"),
      lineTable(g.line_accounting, "Every physical line of the grade file"),
    ],
  };
}

export async function funnelSection(run: RunDocument, draw: Draw): Promise<Section> {
  const t = run.filter_telemetry;
  const steps = funnelSteps(t);
  return {
    id: "filter_funnel",
    title: "Filter funnel",
    present: true,
    body: [
      await draw(funnelChart(t), `${t.loaded_total} picks loaded, ${t.eligible_total} eligible after the six stages (filter ${t.filter_version}).`),
      table(
        ["stage", "dropped", "remaining"],
        steps.map((s): Cell[] => [s.stage, s.step === 0 ? null : s.dropped, s.remaining]),
        "The six stages in order",
      ),
      facts([
        ["graded / ungraded", `${t.graded_total} / ${t.ungraded_total}`],
        ["eligible", t.eligible_total],
        ["window", t.window_start === null ? `all days up to ${t.as_of}` : `${t.window_start} to ${t.as_of}`],
        ["assertion", yesNo(t.assertion_passed, "loaded = eligible + Σ drops", t.assertion_error ?? "failed")],
      ]),
    ],
  };
}

export function telemetrySection(run: RunDocument): Section {
  const models = MODEL_NAMES.map((name) => run.models[name]);
  const telemetry = models.map((m) => m.signature.filter_telemetry);
  const dropKeys = [...new Set(telemetry.flatMap((t) => Object.keys(t.drops)))];
  const rows: Cell[][] = [
    ["status", ...models.map((m) => yesNo(m.status === "SUCCESS", m.status, m.failure ? `${m.status}: ${m.failure}` : m.status))],
    ["eligible from the filter", ...telemetry.map((t) => t.eligible_from_upstream)],
    ...dropKeys.map((k): Cell[] => [k, ...telemetry.map((t) => t.drops[k] ?? null)]),
    ["used for training", ...telemetry.map((t) => t.used_for_training)],
    ["samples used", ...models.map((m) => m.signature.samples_used)],
    ["assertion", ...telemetry.map((t) => yesNo(t.assertion_passed, "passed", t.assertion_error ?? "failed"))],
  ];
  return {
    id: "model_telemetry",
    title: "Per-model telemetry",
    present: true,
    body: [table(["", ...MODEL_NAMES], rows, "What each model received from the filter, dropped (– where a drop does not apply) and used")],
  };
}
