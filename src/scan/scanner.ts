/** The block scanner every reader uses: the native one when it is built, else the JavaScript one. */
export { scanBlock, scannerPath } from "./native.js";
