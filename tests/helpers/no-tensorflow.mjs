// Preloaded with --import: any attempt to load TensorFlow.js fails loudly. Used to show that
// commands which need no model never load it (SPEC 11).
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(
      "export async function resolve(specifier, context, next) {" +
        " if (specifier.startsWith('@tensorflow/')) throw new Error('TensorFlow.js loaded: ' + specifier);" +
        " return next(specifier, context); }",
    ),
);
