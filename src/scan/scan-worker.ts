import { parentPort } from "node:worker_threads";
import { scanBlock } from "./scanner.js";

/** A scanning thread: a block of complete lines in; a class per line, the records and the buffer (for reuse) out. */
parentPort!.on("message", (message: { seq: number; buffer: ArrayBuffer; offset: number; length: number }) => {
  const { kinds, records } = scanBlock(new Uint8Array(message.buffer, message.offset, message.length));
  parentPort!.postMessage({ seq: message.seq, buffer: message.buffer, kinds, records }, [message.buffer, kinds.buffer as ArrayBuffer]);
});
