import type { ExplainWriter } from "../filter/explain.js";
import { PickFilter, type FilterTelemetry } from "../filter/filter.js";
import type { FilterOptions } from "../filter/filter-options.js";
import type { ResolvedPath } from "../paths.js";
import type { Pick } from "../store/normalize.js";
import { readStore, type StoreReading } from "../store/read-store.js";

export interface EligiblePicks {
  reading: StoreReading;
  telemetry: FilterTelemetry;
  /** The picks that passed all six stages, in file order. */
  eligible: Pick[];
}

/**
 * One pass over the store: line accounting, overlay, SHA-256 of the bytes read (while reading, not
 * in a second pass), and the six-stage filter. Only eligible picks are kept in memory.
 */
export async function collectEligible(options: {
  store: ResolvedPath;
  grades: ResolvedPath | null;
  volumeMountPath: string | null;
  filter: FilterOptions;
  explain?: ExplainWriter | undefined;
  onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined;
  threads?: number | undefined;
}): Promise<EligiblePicks> {
  const filter = new PickFilter(options.filter);
  const eligible: Pick[] = [];
  const { explain } = options;
  const reading = await readStore({
    store: options.store,
    grades: options.grades,
    volumeMountPath: options.volumeMountPath,
    hash: true,
    threads: options.threads ?? 0,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    onPick: (pick) => {
      const drop = filter.apply(pick);
      if (drop === null) eligible.push(pick);
      else explain?.write(pick, drop);
    },
  });
  return { reading, telemetry: filter.telemetry(), eligible };
}
