import { defaultThreads } from "../scan/prestart.js";
import { wholeNumber } from "./numbers.js";

/** `--threads N` (0: scan on the main thread), or the machine's cores. */
export function threadsFlag(value: string | undefined): number {
  return value === undefined ? defaultThreads() : wholeNumber("--threads", value, 0);
}
