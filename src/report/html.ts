/** The report page's building blocks: every string that reaches the HTML passes through `escapeHtml`. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text and attribute values alike: the five characters HTML gives meaning to. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Markup that is already safe: built here from escaped parts, or an SVG string vega rendered. */
export interface Html {
  readonly html: string;
  /** Right-aligned in a table cell, like a number. */
  readonly num?: boolean;
}

export const raw = (html: string): Html => ({ html });

/** A number shown as formatted text (a percentage, a signed amount), aligned like a number. */
export const numText = (text: string): Html => ({ html: escapeHtml(text), num: true });

/** A cell is text (escaped), a number (formatted, right-aligned) or markup built here. */
export type Cell = string | number | null | Html;

export function formatNumber(value: number, digits = 4): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value.toFixed(digits);
}

function cell(value: Cell, tag: "td" | "th"): string {
  if (value === null) return `<${tag} class="none">–</${tag}>`;
  if (typeof value === "number") return `<${tag} class="num">${escapeHtml(formatNumber(value))}</${tag}>`;
  if (typeof value === "string") return `<${tag}>${escapeHtml(value)}</${tag}>`;
  return `<${tag}${value.num ? ' class="num"' : ""}>${value.html}</${tag}>`;
}

export function table(headers: string[], rows: Cell[][], caption?: string): Html {
  const head = `<tr>${headers.map((h) => cell(h, "th")).join("")}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((v) => cell(v, "td")).join("")}</tr>`).join("\n");
  const cap = caption === undefined ? "" : `<caption>${escapeHtml(caption)}</caption>`;
  return raw(`<div class="wide"><table>${cap}<thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>`);
}

/** Two-column facts: a label and its value. */
export function facts(rows: [string, Cell][]): Html {
  return raw(`<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${cellText(v)}</dd>`).join("")}</dl>`);
}

function cellText(value: Cell): string {
  if (value === null) return "–";
  if (typeof value === "number") return escapeHtml(formatNumber(value));
  if (typeof value === "string") return escapeHtml(value);
  return value.html;
}

export const paragraph = (text: string, className?: string): Html =>
  raw(`<p${className ? ` class="${escapeHtml(className)}"` : ""}>${escapeHtml(text)}</p>`);

export const code = (text: string): Html => raw(`<code>${escapeHtml(text)}</code>`);

/** A chart as inline SVG, in a figure whose caption says what it shows. */
export const figure = (svg: string, caption: string): Html =>
  raw(`<figure>${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`);

export interface Section {
  /** The section's id in the page and in `report --json`'s `sections`. */
  id: string;
  title: string;
  /** False when the section only says why its data is missing. */
  present: boolean;
  body: Html[];
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2327;background:#f6f7f9}
main{max-width:1080px;margin:0 auto;padding:24px}
header h1{margin:0 0 4px;font-size:1.6rem}
header p{margin:2px 0;color:#50575e}
nav{margin:12px 0 0;font-size:.9rem}nav a{margin-right:12px;color:#2271b1}
section{background:#fff;border:1px solid #dcdcde;border-radius:6px;padding:16px 20px;margin:18px 0}
section h2{margin:0 0 12px;font-size:1.2rem}
.wide{overflow-x:auto}
table{border-collapse:collapse;margin:8px 0 14px;font-size:.88rem}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid #e4e4e7;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f0f0f1}td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}td.none{color:#8c8f94}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 12px;font-size:.9rem}dt{color:#50575e}dd{margin:0;word-break:break-all}
figure{margin:8px 0 16px;display:inline-block;vertical-align:top}figcaption{font-size:.85rem;color:#50575e;max-width:520px}
p.missing{color:#8a2424;background:#fcf0f1;padding:8px 12px;border-radius:4px}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;background:#f0f0f1;padding:1px 4px;border-radius:3px}
.ok{color:#00a32a}.bad{color:#d63638}
`;

export interface PageHead {
  title: string;
  subtitle: string[];
  generatedAt: string;
}

/** The whole page: no script, no external resource; the generated-at line is the only one that varies. */
export function page(head: PageHead, sections: Section[]): string {
  const nav = sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join("");
  const body = sections
    .map((s) => `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.body.map((b) => b.html).join("\n")}\n</section>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(head.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(head.title)}</h1>
${head.subtitle.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n")}
<p class="generated">Generated at ${escapeHtml(head.generatedAt)}</p>
<nav>${nav}</nav>
</header>
${body}
</main>
</body>
</html>
`;
}

/** A share as a percentage; null stays empty. */
export const percent = (share: number | null, digits = 1): Cell =>
  share === null ? null : numText(`${share < 0 ? "−" : ""}${Math.abs(share * 100).toFixed(digits)} %`);

/** A profit with its sign, so a loss is never mistaken for a gain. */
export const signed = (value: number | null, digits = 2): Cell =>
  value === null ? null : numText(`${value > 0 ? "+" : value < 0 ? "−" : ""}${Math.abs(value).toFixed(digits)}`);

/** A number to fixed digits; null stays empty. */
export const fixed = (value: number | null, digits = 4): Cell => (value === null ? null : numText(value.toFixed(digits)));
