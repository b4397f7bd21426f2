import { UsageError } from "../../errors.js";
import { promoteRun, rollbackCurrent, type RegistryChange } from "../../registry/promote.js";
import { listModels, showModel } from "../../registry/registry-view.js";
import { resolveHome } from "../../paths.js";
import { modelsListSchema, modelsShowSchema, registryChangeSchema } from "../../schemas/models.js";
import { clockFrom } from "../clock.js";
import { createIo, note, printHuman, printJson, type GlobalFlags, type Io } from "../io.js";
import { renderChange, renderModelsList, renderModelsShow } from "../render/models-report.js";

export interface ModelsFlags extends GlobalFlags {
  home?: string;
  reason?: string;
  force?: boolean;
}

function reasonFlag(flags: ModelsFlags): { reason?: string } {
  if (flags.reason === undefined) return {};
  if (flags.reason.trim() === "") throw new UsageError("--reason must say why, got an empty text");
  return { reason: flags.reason.trim() };
}

function warn(io: Io, warnings: string[]): void {
  for (const w of warnings) note(io, `engine1: ${w}`);
}

export async function runModelsList(flags: ModelsFlags): Promise<number> {
  const io = createIo(flags);
  const doc = await listModels(resolveHome(flags.home, io.env).path, clockFrom(io.env)());
  warn(io, doc.warnings);
  if (io.json) printJson(io, modelsListSchema.parse(doc));
  else printHuman(io, renderModelsList(doc, io.out));
  return 0;
}

export async function runModelsShow(run: string, flags: ModelsFlags): Promise<number> {
  const io = createIo(flags);
  const doc = await showModel(resolveHome(flags.home, io.env).path, run, clockFrom(io.env)());
  warn(io, doc.warnings);
  if (io.json) printJson(io, modelsShowSchema.parse(doc));
  else printHuman(io, renderModelsShow(doc, io.out));
  return 0;
}

function printChange(io: Io, change: RegistryChange): number {
  if (io.json) {
    if (!change.changed && change.note) note(io, `engine1: ${change.note}`);
    printJson(io, registryChangeSchema.parse({ schema_version: 1, ...change }));
  } else {
    if (change.changed && change.note) note(io, `engine1: ${change.note}`);
    printHuman(io, renderChange(change, io.out));
  }
  return 0;
}

export async function runModelsPromote(run: string, flags: ModelsFlags): Promise<number> {
  const io = createIo(flags);
  const change = await promoteRun({
    home: resolveHome(flags.home, io.env).path,
    run,
    ...reasonFlag(flags),
    force: flags.force ?? false,
    now: clockFrom(io.env)(),
  });
  return printChange(io, change);
}

export async function runModelsRollback(flags: ModelsFlags): Promise<number> {
  const io = createIo(flags);
  const change = await rollbackCurrent({
    home: resolveHome(flags.home, io.env).path,
    ...reasonFlag(flags),
    now: clockFrom(io.env)(),
  });
  return printChange(io, change);
}
