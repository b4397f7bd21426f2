/**
 * Per-model filter telemetry (SPEC 5): starts from the picks the upstream filter kept and must
 * reconcile: used_for_training + Σ drops == eligible_from_upstream.
 */
export interface ModelTelemetry {
  eligible_from_upstream: number;
  /** Drop counts by reason, in the order the model applies them. */
  drops: Record<string, number>;
  used_for_training: number;
  assertion_passed: boolean;
  assertion_error: string | null;
}

/** Counts one model's drops as it goes and checks the identity at the end. */
export class ModelFilterCounter<Reason extends string> {
  private eligible = 0;
  private used = 0;
  private readonly drops: Record<Reason, number>;

  constructor(reasons: readonly Reason[]) {
    this.drops = Object.fromEntries(reasons.map((r) => [r, 0])) as Record<Reason, number>;
  }

  seen(): void {
    this.eligible += 1;
  }

  drop(reason: Reason): void {
    this.drops[reason] += 1;
  }

  use(): void {
    this.used += 1;
  }

  telemetry(): ModelTelemetry {
    const dropped = (Object.values(this.drops) as number[]).reduce((a, b) => a + b, 0);
    const ok = this.used + dropped === this.eligible;
    return {
      eligible_from_upstream: this.eligible,
      drops: { ...this.drops },
      used_for_training: this.used,
      assertion_passed: ok,
      assertion_error: ok ? null : `used_for_training ${this.used} + drops ${dropped} != eligible_from_upstream ${this.eligible}`,
    };
  }
}
