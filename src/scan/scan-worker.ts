import { parentPort } from "node:worker_threads";
import type { PickBatch } from "./pick-batch.js";
import { scanInMode, type ScanReply, type ScanRequest } from "./scan-pool.js";

/**
 * A scanning thread: a block of complete lines in; its buffer (for reuse) and what the scan found
 * out, the typed arrays transferred rather than copied.
 */
parentPort!.on("message", (message: ScanRequest) => {
  const result = scanInMode(new Uint8Array(message.buffer, message.offset, message.length), message.mode);
  const transfer: ArrayBuffer[] = [message.buffer, result.kinds.buffer as ArrayBuffer];
  if (message.mode === "picks") {
    const batch = result as PickBatch;
    transfer.push(batch.ints.buffer as ArrayBuffer, batch.floats.buffer as ArrayBuffer);
  }
  const reply: ScanReply = { seq: message.seq, buffer: message.buffer, result };
  parentPort!.postMessage(reply, transfer);
});
