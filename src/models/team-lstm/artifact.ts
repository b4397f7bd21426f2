import type { LayersModel } from "@tensorflow/tfjs";
import { z } from "zod";
import { InputError } from "../../errors.js";
import { parseArtifact, readJsonFile } from "../artifact-io.js";
import type { LoadedTf } from "../tf.js";
import { TEAM_FEATURES, teamKey } from "./features.js";
import { encodeWindow, predictScaled } from "./network.js";

const positiveInt = z.number().int().positive();
const DTYPE_BYTES = { float32: 4, int32: 4, bool: 1 } as const;

export const teamLstmHyperparametersSchema = z.strictObject({
  window: positiveInt,
  units: positiveInt,
  epochs: positiveInt,
  batch_size: positiveInt,
  learning_rate: z.number().positive(),
  holdout_fraction: z.number().min(0).lt(1),
});

const weightSpecSchema = z.strictObject({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(["float32", "int32", "bool"]),
});

const teamStateSchema = z.strictObject({
  sport: z.string().min(1),
  team: z.string().min(1),
  games: positiveInt,
  /** Up to W rows of the raw features, oldest first. */
  last_games: z.array(z.array(z.number())),
  mean_points_for: z.number().nonnegative(),
});

/** The saved team model: JSON only; the network travels as its tfjs topology plus base64 weights. */
export const teamLstmArtifactSchema = z
  .strictObject({
    model: z.literal("team_lstm"),
    artifact_version: z.literal(1),
    feature_names: z.array(z.string()).min(1),
    window: positiveInt,
    backend: z.enum(["tfjs", "tfjs-node"]),
    sport_scales: z.record(z.string(), z.number().positive()),
    topology: z.record(z.string(), z.unknown()),
    weight_specs: z.array(weightSpecSchema).min(1),
    weights_base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "is not base64"),
    team_state: z.record(z.string(), teamStateSchema),
    label_type: z.string(),
    label_definition: z.string(),
    hyperparameters: teamLstmHyperparametersSchema,
  })
  .superRefine((a, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (a.hyperparameters.window !== a.window) issue(["hyperparameters", "window"], `is ${a.hyperparameters.window} but window is ${a.window}`);
    const expected = a.weight_specs.reduce((n, s) => n + s.shape.reduce((p, d) => p * d, 1) * DTYPE_BYTES[s.dtype], 0);
    const actual = Buffer.byteLength(a.weights_base64, "base64");
    if (actual !== expected) issue(["weights_base64"], `holds ${actual} bytes but weight_specs describe ${expected}`);
    for (const [key, state] of Object.entries(a.team_state)) {
      if (teamKey(state.sport, state.team) !== key) issue(["team_state", key], `key does not match sport ${state.sport} and team ${state.team}`);
      if (a.sport_scales[state.sport] === undefined) issue(["team_state", key, "sport"], `sport ${state.sport} has no entry in sport_scales`);
      if (state.last_games.length > a.window) issue(["team_state", key, "last_games"], `holds ${state.last_games.length} rows, more than the window ${a.window}`);
      state.last_games.forEach((row, i) => {
        if (row.length !== a.feature_names.length) issue(["team_state", key, "last_games", i], `has ${row.length} values for ${a.feature_names.length} features`);
      });
    }
  });

export type TeamLstmArtifact = z.infer<typeof teamLstmArtifactSchema>;

/** A trained team network with the per-team state it predicts from. */
export class TeamLstmModel {
  private constructor(
    private readonly loaded: LoadedTf,
    private readonly network: LayersModel,
    private readonly artifact: TeamLstmArtifact,
  ) {}

  /** Wraps a network just trained; `artifact` must have been saved from it. The model owns the network. */
  static fromNetwork(loaded: LoadedTf, network: LayersModel, artifact: TeamLstmArtifact): TeamLstmModel {
    return new TeamLstmModel(loaded, network, artifact);
  }

  /** Validates a parsed artifact and rebuilds its network from memory. */
  static async fromArtifact(loaded: LoadedTf, json: unknown, source = "team_lstm artifact"): Promise<TeamLstmModel> {
    const artifact = parseArtifact(teamLstmArtifactSchema, json, source, "team_lstm artifact");
    const { tf } = loaded;
    const bytes = Buffer.from(artifact.weights_base64, "base64");
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    let network: LayersModel;
    try {
      network = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: artifact.topology, weightSpecs: artifact.weight_specs, weightData }));
    } catch (error) {
      throw new InputError(`${source}: the team_lstm network cannot be rebuilt from its topology and weights: ${(error as Error).message}`, { cause: error });
    }
    const shape = network.inputs[0]?.shape;
    if (shape?.length !== 3 || shape[1] !== artifact.window || shape[2] !== artifact.feature_names.length) {
      network.dispose();
      throw new InputError(`${source}: the network reads inputs of shape [${shape?.join(", ")}], not [null, ${artifact.window}, ${artifact.feature_names.length}] as the artifact says`);
    }
    return new TeamLstmModel(loaded, network, artifact);
  }

  /** The feature names as read from the artifact: the inference schema. */
  get featureNames(): string[] {
    return [...this.artifact.feature_names];
  }

  /** The team's next points scored, unscaled; null for a team the artifact does not know. */
  predictNextPoints(sport: string, team: string): number | null {
    const state = this.artifact.team_state[teamKey(sport, team)];
    if (state === undefined) return null;
    if (this.artifact.feature_names.join("|") !== TEAM_FEATURES.join("|")) {
      throw new InputError(`this team_lstm artifact's features (${this.artifact.feature_names.join(", ")}) are not the ones engine1 reads (${TEAM_FEATURES.join(", ")})`);
    }
    const scale = this.artifact.sport_scales[state.sport]!;
    const { window } = this.artifact;
    const encoded = new Float32Array(window * TEAM_FEATURES.length);
    encodeWindow(state.last_games, scale, window, encoded, 0);
    return predictScaled(this.loaded.tf, this.network, encoded, 1, window)[0]! * scale;
  }

  dispose(): void {
    this.network.dispose();
  }
}

export async function readTeamLstmArtifact(loaded: LoadedTf, path: string): Promise<TeamLstmModel> {
  return TeamLstmModel.fromArtifact(loaded, await readJsonFile(path), path);
}

/** The network as JSON: tfjs topology, weight specs and base64 weight bytes, through a custom save handler. */
export async function serializeNetwork(
  loaded: LoadedTf,
  network: LayersModel,
): Promise<Pick<TeamLstmArtifact, "topology" | "weight_specs" | "weights_base64">> {
  const { tf } = loaded;
  let saved: Pick<TeamLstmArtifact, "topology" | "weight_specs" | "weights_base64"> | null = null;
  await network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      saved = {
        topology: artifacts.modelTopology as Record<string, unknown>,
        weight_specs: (artifacts.weightSpecs ?? []).map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype as "float32" | "int32" | "bool" })),
        weights_base64: Buffer.from(data).toString("base64"),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
    }),
  );
  if (saved === null) throw new Error("the team_lstm network was not handed to the save handler");
  return saved;
}
