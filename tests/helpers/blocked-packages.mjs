// Preloaded with --import: any attempt to load a blocked package fails loudly ("<package> loaded:
// <specifier>"). TensorFlow.js is always blocked; ENGINE1_TEST_BLOCKED adds packages (comma-separated).
// Used to show that commands load only what they need (SPEC 11).
import { register } from "node:module";

const blocked = ["@tensorflow/", ...(process.env.ENGINE1_TEST_BLOCKED ?? "").split(",").filter((p) => p !== "")];

register(
  "data:text/javascript," +
    encodeURIComponent(
      `const BLOCKED = ${JSON.stringify(blocked)};` +
        " export async function resolve(specifier, context, next) {" +
        "  for (const p of BLOCKED) if (specifier === p || specifier.startsWith(p.endsWith('/') ? p : p + '/'))" +
        "   throw new Error((p === '@tensorflow/' ? 'TensorFlow.js' : p) + ' loaded: ' + specifier);" +
        "  return next(specifier, context); }",
    ),
);
