import Table from "cli-table3";

/** A compact table without cli-table3's own colours: colour is applied by the caller's chalk, or not at all. */
export function compactTable(head: string[] | null, rows: (string | number)[][], align?: ("left" | "right")[]): string {
  const table = new Table({
    ...(head ? { head } : {}),
    style: { head: [], border: [], compact: true, "padding-left": 1, "padding-right": 1 },
    ...(align ? { colAligns: align } : {}),
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}

export const n = (value: number): string => value.toLocaleString("en-US");

export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = value / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export const plural = (count: number, one: string, many = `${one}s`): string => `${n(count)} ${count === 1 ? one : many}`;
