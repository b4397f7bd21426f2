import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { errnoCode } from "../errors.js";
import { MODEL_NAMES, type ModelName, type RunDocument } from "../schemas/run.js";

export interface ArtifactProof {
  model: ModelName;
  file: string | null;
  exists: boolean;
  size_bytes: number | null;
  mtime_iso: string | null;
  sha256: string | null;
  /** What run.json recorded when the run was written. */
  expected_sha256: string | null;
  matches: boolean;
}

/** Each artifact of a run as it is on disk now, beside the checksum the run recorded. */
export async function proveArtifacts(runDir: string, run: RunDocument): Promise<ArtifactProof[]> {
  return Promise.all(
    MODEL_NAMES.map(async (model): Promise<ArtifactProof> => {
      const recorded = run.models[model].artifact;
      const proof: ArtifactProof = {
        model,
        file: recorded ? path.join(runDir, recorded.file) : null,
        exists: false,
        size_bytes: null,
        mtime_iso: null,
        sha256: null,
        expected_sha256: recorded?.sha256 ?? null,
        matches: false,
      };
      if (proof.file === null) return proof;
      try {
        const [info, bytes] = await Promise.all([stat(proof.file), readFile(proof.file)]);
        proof.exists = true;
        proof.size_bytes = info.size;
        proof.mtime_iso = info.mtime.toISOString();
        proof.sha256 = createHash("sha256").update(bytes).digest("hex");
        proof.matches = proof.sha256 === proof.expected_sha256;
      } catch (error) {
        if (errnoCode(error) !== "ENOENT") throw error;
      }
      return proof;
    }),
  );
}
