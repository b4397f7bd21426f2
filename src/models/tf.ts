import type * as TfModule from "@tensorflow/tfjs";

export type Tf = typeof TfModule;
export type TfBackendName = "tfjs-node" | "tfjs";

export interface LoadedTf {
  tf: Tf;
  /** Which package runs the maths: the native accelerator when installed, else plain JavaScript. */
  backend: TfBackendName;
}

let loaded: Promise<LoadedTf> | null = null;

// A variable specifier keeps tsc from requiring the optional package's types at build time.
const NATIVE = "@tensorflow/tfjs-node";

/**
 * Loads TensorFlow.js once: `@tensorflow/tfjs-node` when it is installed (it needs a native binary
 * that its install script downloads, so it is optional), otherwise `@tensorflow/tfjs`. Production
 * mode keeps tfjs from printing its banner and debug checks. Only commands that train or run a model
 * call this, so `verify`, `status` and `audit-store` never pay for it.
 */
export function loadTf(options: { preferNative?: boolean } = {}): Promise<LoadedTf> {
  loaded ??= (async () => {
    if (options.preferNative !== false) {
      try {
        const tf = (await import(NATIVE)) as Tf;
        tf.enableProdMode();
        return { tf, backend: "tfjs-node" as const };
      } catch {
        // Not installed, or its binary is missing: fall back to the JavaScript backend.
      }
    }
    const tf = await import("@tensorflow/tfjs");
    tf.enableProdMode();
    await tf.setBackend("cpu");
    await tf.ready();
    return { tf, backend: "tfjs" as const };
  })();
  return loaded;
}
