import type { TopLevelSpec } from "vega-lite";
import type { Html } from "./html.js";

export interface RenderedCharts {
  svgs: string[];
  /** What vega-lite and vega would have printed: kept, never written to the console. */
  warnings: string[];
}

/**
 * Renders Vega-Lite specs to SVG strings in Node: compiled by vega-lite, drawn by vega's headless
 * SVG renderer (no canvas, no DOM, no script in the output). vega and vega-lite are imported here,
 * on first use, so no other command pays for loading them.
 */
export async function renderSvgs(specs: TopLevelSpec[]): Promise<RenderedCharts> {
  const warnings: string[] = [];
  if (specs.length === 0) return { svgs: [], warnings };
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const logger = vega.logger(vega.Warn, undefined, (_method, level, args) => warnings.push(`${level} ${args.map(String).join(" ")}`));
  const svgs: string[] = [];
  for (const spec of specs) {
    const view = new vega.View(vega.parse(vegaLite.compile(spec, { logger }).spec), { renderer: "none", logger });
    try {
      svgs.push(await view.toSVG());
    } finally {
      view.finalize();
    }
  }
  return { svgs, warnings };
}

/** Draws one chart into the page: the spec rendered to SVG inside a captioned figure. */
export type Draw = (spec: TopLevelSpec, caption: string) => Promise<Html>;
