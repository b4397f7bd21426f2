import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import type { LoadedTf, Tf } from "../tf.js";
import { MASK_VALUE, TEAM_FEATURES } from "./features.js";
import type { FeatureRow } from "./sequences.js";

export interface NetworkConfig {
  window: number;
  units: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

/** A distinct 32-bit seed per initialiser, from the run's seed (a murmur3-style mix). */
export function deriveSeed(seed: number, salt: number): number {
  let h = (Math.trunc(seed) ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * masking → LSTM → dense(1). Layer names are fixed rather than left to tfjs's global counters, so the
 * topology and weight names — and so the artifact bytes — do not depend on what ran before in the process.
 */
export function buildTeamNetwork(tf: Tf, config: Pick<NetworkConfig, "window" | "units" | "seed">): LayersModel {
  return tf.sequential({
    name: "team_lstm",
    layers: [
      tf.layers.masking({ name: "history_mask", maskValue: MASK_VALUE, inputShape: [config.window, TEAM_FEATURES.length] }),
      tf.layers.lstm({
        name: "history_lstm",
        units: config.units,
        kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(config.seed, 1) }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: deriveSeed(config.seed, 2) }),
        biasInitializer: "zeros",
        unitForgetBias: false,
      }),
      tf.layers.dense({
        name: "next_points",
        units: 1,
        kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(config.seed, 3) }),
        biasInitializer: "zeros",
      }),
    ],
  });
}

/** Scales a history and left-pads it with masked rows to exactly `window` rows, flattened into `out`. */
export function encodeWindow(history: readonly (readonly number[])[], scale: number, window: number, out: Float32Array, offset: number): void {
  const rows = history.slice(-window);
  const pad = window - rows.length;
  const width = TEAM_FEATURES.length;
  out.fill(MASK_VALUE, offset, offset + pad * width);
  rows.forEach((row, i) => {
    const at = offset + (pad + i) * width;
    out[at] = row[0]! / scale;
    out[at + 1] = row[1]! / scale;
    out[at + 2] = row[2]!;
    out[at + 3] = row[3]!;
  });
}

export interface EncodedWindow {
  history: readonly FeatureRow[];
  scale: number;
}

export function encodeWindows(items: readonly EncodedWindow[], window: number): Float32Array {
  const stride = window * TEAM_FEATURES.length;
  const out = new Float32Array(items.length * stride);
  items.forEach((item, i) => encodeWindow(item.history, item.scale, window, out, i * stride));
  return out;
}

/** The network's outputs (on the scaled target) for already encoded windows. */
export function predictScaled(tf: Tf, model: LayersModel, windows: Float32Array, count: number, window: number): Float32Array {
  if (count === 0) return new Float32Array(0);
  return tf.tidy(() => {
    const x = tf.tensor3d(windows, [count, window, TEAM_FEATURES.length]);
    return (model.predict(x) as Tensor).dataSync() as Float32Array;
  });
}

/**
 * Fits a fresh network on `items` (windows with scaled targets), in the given order every epoch.
 * `checkDeadline` runs at the end of every epoch; when it throws, training stops through
 * `stopTraining` rather than by a throw inside tfjs's loop (which, from a batch callback, leaks that
 * batch's tensors), and the error is re-thrown once everything is disposed.
 */
export async function fitTeamNetwork(
  loaded: LoadedTf,
  items: readonly (EncodedWindow & { target: number })[],
  config: NetworkConfig,
  checkDeadline?: () => void,
): Promise<{ model: LayersModel; finalLoss: number | null }> {
  const { tf } = loaded;
  const model = buildTeamNetwork(tf, config);
  const optimizer = tf.train.adam(config.learningRate);
  const x = tf.tensor3d(encodeWindows(items, config.window), [items.length, config.window, TEAM_FEATURES.length]);
  const y = tf.tensor2d(Float32Array.from(items, (item) => item.target / item.scale), [items.length, 1]);
  const deadline: { error?: unknown; passed: boolean } = { passed: false };
  try {
    model.compile({ optimizer, loss: "meanSquaredError" });
    const history = await model.fit(x, y, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onEpochEnd: async () => {
          try {
            checkDeadline?.();
          } catch (error) {
            Object.assign(deadline, { error, passed: true });
            model.stopTraining = true;
          }
        },
      },
    });
    if (deadline.passed) throw deadline.error;
    const losses = history.history.loss ?? [];
    const last = losses[losses.length - 1];
    return { model, finalLoss: typeof last === "number" ? last : null };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
    x.dispose();
    y.dispose();
  }
}
