import { parentPort } from "node:worker_threads";
import { errnoCode } from "../errors.js";
import type { ScannedBlock } from "./block.js";
import { canScanRanges, loadNativeScanner, scanRangeNative } from "./native.js";
import { encodePicks, type PickBatch } from "./pick-batch.js";
import { scanInMode, type ScanReply, type ScanRequest } from "./scan-pool.js";
import { warmUp } from "./warm-up.js";

warmUp();

/**
 * A scanning thread: a block of complete lines in (its buffer goes back, for reuse), or a range of
 * the file that this thread reads itself; what the scan found out, the typed arrays transferred
 * rather than copied.
 */
parentPort!.on("message", (message: ScanRequest) => {
  let reply: ScanReply;
  let result: ScannedBlock | PickBatch;
  const transfer: ArrayBuffer[] = [];
  if (message.kind === "block") {
    result = scanInMode(new Uint8Array(message.buffer, message.offset, message.length), message.mode);
    reply = { seq: message.seq, buffer: message.buffer, result };
    transfer.push(message.buffer);
  } else {
    const native = loadNativeScanner();
    try {
      if (!canScanRanges(native)) throw new Error("this build of the native scanner cannot read ranges of a file");
      const scanned = scanRangeNative(native, message.fd, message);
      result = message.mode === "raw" ? scanned.block : encodePicks(scanned.block);
      reply = { seq: message.seq, result, tail: scanned.tail };
    } catch (error) {
      const code = errnoCode(error);
      parentPort!.postMessage({ seq: message.seq, error: { message: (error as Error).message, ...(code ? { code } : {}) } } satisfies ScanReply);
      return;
    }
  }
  transfer.push(result.kinds.buffer as ArrayBuffer);
  if (message.mode === "picks") {
    const batch = result as PickBatch;
    transfer.push(batch.ints.buffer as ArrayBuffer, batch.floats.buffer as ArrayBuffer);
  }
  parentPort!.postMessage(reply, transfer);
});
