// Preloaded with --import: any attempt to load vega or vega-lite fails loudly. Used to show that only
// `engine1 report` loads the charting libraries.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(
      "export async function resolve(specifier, context, next) {" +
        " if (specifier === 'vega' || specifier === 'vega-lite') throw new Error('vega loaded: ' + specifier);" +
        " return next(specifier, context); }",
    ),
);
