import { defaultThreads } from "../scan/scan-pool.js";
import { wholeNumber } from "./numbers.js";

/** `--threads N` (1 or more), or the machine's cores. */
export function threadsFlag(value: string | undefined): number {
  return value === undefined ? defaultThreads() : wholeNumber("--threads", value, 1);
}
