import ora, { type Ora } from "ora";
import type { Io } from "./io.js";

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const MB = 1024 * 1024;
const silent: Progress = { update() {}, stop() {} };

/** A spinner with bytes read on stderr, only on a terminal and never with --json or --quiet. */
export function startProgress(io: Io, label: string): Progress {
  if (io.json || io.quiet || !io.stderr.isTTY || io.env.CI) return silent;
  const spinner: Ora = ora({ text: label, stream: io.stderr, discardStdin: false }).start();
  let lastPercent = -1;
  return {
    update(done, total) {
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (percent === lastPercent) return;
      lastPercent = percent;
      spinner.text = `${label} ${percent}% (${(done / MB).toFixed(0)} of ${(total / MB).toFixed(0)} MB)`;
    },
    stop() {
      spinner.stop();
    },
  };
}
