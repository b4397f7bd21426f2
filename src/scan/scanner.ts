/** The block scanner every reader uses: the native one when it is built, else the JavaScript one. */
export { scanBlockJs as scanBlock } from "./block.js";
export const scannerPath = (): "native-simdjson" | "javascript" => "javascript";
