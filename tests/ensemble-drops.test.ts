import { describe, expect, it } from "vitest";
import { ENSEMBLE_DROP_REASONS, ENSEMBLE_FEATURES, ENSEMBLE_LABEL, trainEnsemble } from "../src/models/ensemble/train-ensemble.js";
import { ensemblePick } from "./helpers/ensemble-picks.js";

const good = [0.55, 0.6, 0.52, 0.58];

describe("ensemble drops (SPEC 5)", () => {
  it("drops each unusable pick with exactly one reason, in order, and reconciles", () => {
    const picks = [
      ensemblePick(good, "WIN"),
      ensemblePick([0.4, 0.45, 0.5, 0.42], "LOSS"),
      ensemblePick(good, "PUSH"),
      ensemblePick(undefined, "WIN"), // no model_preds at all
      ensemblePick(null, "WIN"), // values: null is absent
      ensemblePick({ 0: 0.5 }, "LOSS"), // not an array
      ensemblePick([], "WIN"),
      ensemblePick([0.5, 0.5, 0.5], "WIN"),
      ensemblePick([0.5, "0.6", 0.5, 0.5], "WIN"), // a number as a string
      ensemblePick([0.5, 0.6, null, 0.5], "LOSS"),
      ensemblePick([0.5, 0.6, 0.7, "NaN"], "WIN"),
      ensemblePick([0.5, 0.6, 0.7, 1e400], "WIN"), // JSON overflow: Infinity
      ensemblePick([0.6, 0.5, 0.45, 0.55, 0.9, "junk"], "LOSS"), // extra values: the first four are used
      ensemblePick([0.6, 0.5, 0.45, 0.55, 0.9], "WIN"),
      ensemblePick([0.5, 0.6], "PUSH"), // insufficient wins over push
      ensemblePick([0.5, null, 0.5, 0.5], "PUSH"), // bad wins over push
      ensemblePick(undefined, "PUSH"), // missing wins over push
      ensemblePick([0.5, 0.5, 0.5, 0.5, 0.5], "PUSH"), // push, with extra values: not counted as used
    ];
    const result = trainEnsemble(picks);
    expect(result.telemetry).toEqual({
      eligible_from_upstream: 18,
      drops: { drop_no_model_preds: 4, drop_insufficient_values: 3, drop_bad_values: 5, drop_push_excluded: 2 },
      used_for_training: 4,
      assertion_passed: true,
      assertion_error: null,
    });
    expect(Object.keys(result.telemetry.drops)).toEqual([...ENSEMBLE_DROP_REASONS]);
    expect(result.samples_used).toBe(4);
    expect(result.extra_values_count).toBe(2);
    expect(result.class_balance).toEqual({ wins: 2, losses: 2 });
    expect(result.artifact?.feature_names).toEqual([...ENSEMBLE_FEATURES]);
    expect(result.artifact).toMatchObject(ENSEMBLE_LABEL);
  });

  it("reads only the first four values: what follows them changes nothing", () => {
    const base = [ensemblePick([0.6, 0.5, 0.45, 0.55], "LOSS"), ensemblePick([0.7, 0.6, 0.5, 0.65], "WIN"), ensemblePick([0.3, 0.4, 0.5, 0.35], "WIN")];
    const longer = [ensemblePick([0.6, 0.5, 0.45, 0.55, 0.99, null], "LOSS"), ensemblePick([0.7, 0.6, 0.5, 0.65, "x"], "WIN"), ensemblePick([0.3, 0.4, 0.5, 0.35], "WIN")];
    const a = trainEnsemble(base);
    const b = trainEnsemble(longer);
    expect(b.extra_values_count).toBe(2);
    expect(b.artifact).toEqual(a.artifact);
  });

  it("reconciles on every mix of picks (telemetry identity)", () => {
    const kinds = [undefined, [0.5], [0.5, "x", 0.5, 0.5], [0.2, 0.4, 0.6, 0.8], [0.2, 0.4, 0.6, 0.8, 0.1]];
    const results = ["WIN", "LOSS", "PUSH"];
    for (let seed = 0; seed < 50; seed++) {
      const picks = Array.from({ length: seed }, (_, i) => ensemblePick(kinds[(i * 7 + seed) % kinds.length], results[(i * 5 + seed) % 3]));
      const { telemetry, samples_used } = trainEnsemble(picks);
      const dropped = Object.values(telemetry.drops).reduce((a, b) => a + b, 0);
      expect(telemetry.used_for_training + dropped).toBe(picks.length);
      expect(telemetry.assertion_passed).toBe(true);
      expect(samples_used).toBe(telemetry.used_for_training);
    }
  });

  it("refuses a pick upstream should never pass (a result other than WIN, LOSS, PUSH)", () => {
    expect(() => trainEnsemble([ensemblePick(good, "VOID")])).toThrow(/result VOID/);
  });
});
