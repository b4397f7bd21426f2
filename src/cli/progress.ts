import type { Ora } from "ora";
import type { Io } from "./io.js";

export interface Progress {
  /** Bytes done of total; `label` replaces the text (a new stage). */
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

const MB = 1024 * 1024;
const silent: Progress = { update() {}, stop() {} };

/**
 * A spinner with bytes read on stderr, only on a terminal and never with --json or --quiet (ora is
 * loaded only then: it is a good part of a command's start-up time, which cron and CI runs never need).
 */
export async function startProgress(io: Io, label: string): Promise<Progress> {
  if (io.json || io.quiet || !io.stderr.isTTY || io.env.CI) return silent;
  const { default: ora } = await import("ora");
  const spinner: Ora = ora({ text: label, stream: io.stderr, discardStdin: false }).start();
  let lastPercent = -1;
  let text = label;
  return {
    update(done, total, stage) {
      if (stage !== undefined) {
        text = stage;
        spinner.text = stage;
        return;
      }
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (percent === lastPercent) return;
      lastPercent = percent;
      spinner.text = `${text} ${percent}% (${(done / MB).toFixed(0)} of ${(total / MB).toFixed(0)} MB)`;
    },
    stop() {
      spinner.stop();
    },
  };
}
