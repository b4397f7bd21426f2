import { backtestSection, missingBacktest } from "./backtest-section.js";
import { foldsSection, modelCardSection, reliabilitySection } from "./evaluation-sections.js";
import { figure, page, type Section } from "./html.js";
import { readReportInputs, type ReportInputs } from "./report-inputs.js";
import { funnelSection, gradeOverlaySection, lineAccountingSection, runSection, telemetrySection } from "./store-sections.js";
import { renderSvgs, type Draw } from "./svg.js";

export interface ReportOptions {
  /** A run's directory (resolve `current` or an id with resolveRunDir first). */
  runDir: string;
  /** A backtest document to include; without it, `<run dir>/backtest.json` when present. */
  backtest?: string;
  /** For the generated-at line, the only line that differs between two reports of the same inputs. */
  now?: Date;
}

export interface Report {
  html: string;
  run_id: string;
  /** Every section in page order, with whether it holds data or only says why it has none. */
  sections: { id: string; present: boolean }[];
  charts: number;
  /** Warnings from vega-lite and vega while drawing the charts (none expected). */
  warnings: string[];
}

/** One self-contained HTML page about a run: tables, and charts as inline SVG; no script, nothing fetched. */
export async function buildReport(options: ReportOptions): Promise<Report> {
  return renderReport(await readReportInputs(options.runDir, options.backtest), options.now ?? new Date());
}

export async function renderReport(inputs: ReportInputs, now: Date): Promise<Report> {
  const { run, evaluation, card, backtest } = inputs;
  let charts = 0;
  const warnings: string[] = [];
  const draw: Draw = async (spec, caption) => {
    const rendered = await renderSvgs([spec]);
    charts += 1;
    warnings.push(...rendered.warnings);
    return figure(rendered.svgs[0]!, caption);
  };
  const sections: Section[] = [
    runSection(run, inputs.runDir),
    lineAccountingSection(run),
    gradeOverlaySection(run),
    await funnelSection(run, draw),
    telemetrySection(run),
    await reliabilitySection(run, evaluation, draw),
    await foldsSection(run, evaluation, draw),
    modelCardSection(card),
    backtest === null ? missingBacktest() : await backtestSection(backtest.path, backtest.document, run, draw),
  ];
  const window = run.window_days === "all" ? "all days" : `${run.window_days} days`;
  const html = page(
    {
      title: `engine1 report: run ${run.run_id}`,
      subtitle: [`${run.status} · as of ${run.as_of} (ET) · ${window} · sport ${run.sport ?? "all"} · engine1 ${run.engine1_version}`],
      generatedAt: now.toISOString(),
    },
    sections,
  );
  return { html, run_id: run.run_id, sections: sections.map((s) => ({ id: s.id, present: s.present })), charts, warnings };
}
