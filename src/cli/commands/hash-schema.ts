import { UsageError } from "../../errors.js";
import { resolveHome } from "../../paths.js";
import { hashSchemaReportSchema, type HashSchemaReport } from "../../schemas/hash-schema.js";
import { checkRunSchemas, hashNames } from "../../train/hash-schema.js";
import { createIo, printHuman, printJson, type GlobalFlags } from "../io.js";
import { compactTable } from "../render/table.js";

export interface HashSchemaFlags extends GlobalFlags {
  run?: string;
  home?: string;
}

/** Names given on the command line may also be one comma or space separated argument. */
function splitNames(args: string[]): string[] {
  return args.flatMap((a) => a.split(/[\s,]+/)).filter((a) => a !== "");
}

export async function runHashSchema(args: string[], flags: HashSchemaFlags): Promise<number> {
  const io = createIo(flags);
  const names = splitNames(args);
  if (names.length === 0 && flags.run === undefined) {
    throw new UsageError("hash-schema needs feature names (engine1 hash-schema ensemble lstm matchup monte_carlo) or --run DIR|current");
  }
  const report: HashSchemaReport = { schema_version: 1, names: null, run: null };
  if (names.length > 0) report.names = hashNames(names);
  if (flags.run !== undefined) report.run = await checkRunSchemas(resolveHome(flags.home, io.env).path, flags.run);
  const ok = report.run === null || report.run.all_match;
  if (io.json) {
    printJson(io, hashSchemaReportSchema.parse(report));
    return ok ? 0 : 1;
  }
  if (report.names) printHuman(io, `${report.names.feature_schema_hash}  ${report.names.sorted_joined}`);
  if (report.run) {
    printHuman(
      io,
      compactTable(
        ["model", "training", "inference", "order (training / inference)", ""],
        report.run.models.map((m) => [
          m.model,
          m.training_feature_schema_hash,
          m.inference_feature_schema_hash ?? "–",
          `${m.training_feature_order_hash} / ${m.inference_feature_order_hash ?? "–"}`,
          m.match ? io.out.green("match") : io.out.red(`MISMATCH: ${m.problem}`),
        ]),
      ),
    );
    printHuman(
      io,
      ok
        ? io.out.green(`✔ run ${report.run.run_id}: every model's inference schema matches training`)
        : io.out.red(`✖ run ${report.run.run_id}: schema mismatch in ${report.run.models.filter((m) => !m.match).map((m) => m.model).join(", ")}`),
    );
  }
  return ok ? 0 : 1;
}
