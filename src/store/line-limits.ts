/** A line longer than this is a parse_error and is never buffered whole (SPEC 3). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** How a physical line ended: with a newline, at end of file without one, or past the size limit. */
export type LineEnd = "newline" | "tail" | "oversize";
