import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PUBLISHED_SCHEMAS, toJsonSchema } from "../src/schemas/registry.js";

const committed = (name: string) => JSON.parse(readFileSync(new URL(`../schemas/${name}`, import.meta.url), "utf8"));

describe("published JSON Schemas", () => {
  it.each(Object.keys(PUBLISHED_SCHEMAS))("schemas/%s matches its zod source (run `npm run schemas` after changing it)", (name) => {
    expect(committed(name)).toEqual(toJsonSchema(name, PUBLISHED_SCHEMAS[name as keyof typeof PUBLISHED_SCHEMAS]));
  });

  it("ships nothing in schemas/ that has no zod source", () => {
    expect(readdirSync(new URL("../schemas/", import.meta.url)).sort()).toEqual(Object.keys(PUBLISHED_SCHEMAS).sort());
  });
});
