import { CheckFailedError } from "../errors.js";

/** The run took longer than --timeout: abandoned, nothing replaces `current` (exit 1). */
export class TrainingTimeoutError extends CheckFailedError {}

/** The --timeout budget, checked between stages and at every training epoch. */
export class Deadline {
  private readonly endsAt: number;
  stage = "starting";

  constructor(
    readonly minutes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.endsAt = now() + minutes * 60_000;
  }

  check = (): void => {
    if (this.now() >= this.endsAt) {
      throw new TrainingTimeoutError(
        `training abandoned: the --timeout of ${this.minutes} minutes expired while ${this.stage}; current is unchanged`,
      );
    }
  };

  enter(stage: string): void {
    this.stage = stage;
    this.check();
  }
}
