import { parseDateFlag } from "../../filter/filter-options.js";
import { generateFixtures } from "../../fixtures/generate.js";
import { createIo, note, printJson, type GlobalFlags } from "../io.js";
import { wholeNumber } from "../numbers.js";
import { bytes, n } from "../render/table.js";

export interface FixturesGenerateFlags extends GlobalFlags {
  out: string;
  records: string;
  seed: string;
  endDate: string;
  spanDays: string;
  recordBytes: string;
  anomalies: "default" | "none";
}

export async function runFixturesGenerate(flags: FixturesGenerateFlags): Promise<number> {
  const io = createIo(flags);
  const result = await generateFixtures({
    outDir: flags.out,
    records: wholeNumber("--records", flags.records, 0),
    seed: wholeNumber("--seed", flags.seed, 0),
    endDate: parseDateFlag("--end-date", flags.endDate),
    spanDays: wholeNumber("--span-days", flags.spanDays, 1),
    recordBytes: wholeNumber("--record-bytes", flags.recordBytes, 512),
    anomalies: flags.anomalies,
  });
  if (io.json) {
    printJson(io, { schema_version: 1, ...result });
  } else {
    note(io, `wrote ${result.storePath} (${n(result.manifest.options.records)} picks, ${bytes(result.manifest.files.store_bytes)})`);
    note(io, `wrote ${result.gradesPath} and ${result.manifestPath}`);
  }
  return 0;
}
