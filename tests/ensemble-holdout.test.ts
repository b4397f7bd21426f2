import { describe, expect, it } from "vitest";
import { brierScore, logLoss, rocAuc } from "../src/metrics/binary.js";
import { EnsembleModel } from "../src/models/ensemble/artifact.js";
import { splitByDate } from "../src/models/ensemble/holdout.js";
import { trainEnsemble } from "../src/models/ensemble/train-ensemble.js";
import { dayAfterNewYear, ensemblePick, picksFrom } from "./helpers/ensemble-picks.js";

const flat = [0.5, 0.6, 0.7, 0.8];

describe("the ensemble's time-ordered holdout", () => {
  it("holds out exactly the picks on the latest ceil(20 %) of distinct dates, whatever the file order", () => {
    const dates = ["2026-03-09", "2026-03-01", "2026-03-10", "2026-03-02", "2026-03-09", "2026-03-05", "2026-03-03", "2026-03-04",
      "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-10", "2026-03-01", "2026-03-08"];
    const split = splitByDate(dates, 0.2);
    if (typeof split === "string") throw new Error(split);
    expect(split.holdoutStartDate).toBe("2026-03-09"); // 10 distinct dates: the latest 2
    expect(split.holdout).toEqual([0, 2, 4, 11]);
    expect(split.train).toEqual([1, 3, 5, 6, 7, 8, 9, 10, 12, 13]);
    expect(splitByDate(dates.slice(0, 6), 0.2)).toMatchObject({ holdoutStartDate: "2026-03-10", holdout: [2] }); // 5 dates: ceil(1.0) = 1
    expect(splitByDate(["2026-03-02", "2026-03-01", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"], 0.2))
      .toMatchObject({ holdoutStartDate: "2026-03-05", holdout: [4, 5] }); // 6 dates: ceil(1.2) = 2
    expect(splitByDate(["2026-03-02", "2026-03-01"], 0.9)).toMatchObject({ holdout: [0], train: [1] }); // one date always stays for training
  });

  it("never holds out a pick older than a training pick", () => {
    for (let seed = 1; seed < 40; seed++) {
      const dates = Array.from({ length: 3 + seed }, (_, i) => dayAfterNewYear((i * 7919 * seed) % (2 + (seed % 13))));
      const split = splitByDate(dates, 0.2);
      if (typeof split === "string") continue;
      const latestTrain = split.train.map((i) => dates[i]!).sort().at(-1)!;
      const earliestHoldout = split.holdout.map((i) => dates[i]!).sort()[0]!;
      expect(earliestHoldout > latestTrain).toBe(true);
      expect(split.train.length + split.holdout.length).toBe(dates.length);
    }
  });

  it("says why there is no holdout", () => {
    expect(splitByDate(["2026-03-01", "2026-03-01"], 0.2)).toMatch(/span 1 date/);
    expect(splitByDate(["2026-03-01", null], 0.2)).toMatch(/1 training samples have no date/);
    expect(splitByDate(["2026-03-01", "2026-03-02"], 0)).toMatch(/fraction is 0/);
    const oneDate = trainEnsemble([ensemblePick(flat, "WIN"), ensemblePick(flat, "LOSS")]);
    expect(oneDate.artifact).not.toBeNull();
    expect(oneDate.holdout).toBeNull();
    expect(oneDate.holdout_skipped_reason).toMatch(/at least 2/);
    const oneClassHeldOut = trainEnsemble([ensemblePick(flat, "WIN", "2026-03-01"), ensemblePick(flat, "LOSS", "2026-03-01"), ensemblePick(flat, "WIN", "2026-03-02")]);
    expect(oneClassHeldOut.holdout_skipped_reason).toBe("the holdout dates hold only one class");
    const oneClassEarlier = trainEnsemble([ensemblePick(flat, "WIN", "2026-03-01"), ensemblePick(flat, "LOSS", "2026-03-02"), ensemblePick(flat, "WIN", "2026-03-02")]);
    expect(oneClassEarlier.holdout_skipped_reason).toBe("the earlier dates hold only one class");
  });

  it("scores a hand-checkable case: constant features predict the earlier hit rate", () => {
    // Earlier dates: 3 wins, 1 loss. With constant features the optimum has w = 0 and b = logit(3/4),
    // so every holdout row gets 0.75; the holdout has one win and one loss.
    const picks = [
      ensemblePick(flat, "WIN", "2026-03-01"), ensemblePick(flat, "LOSS", "2026-03-01"), ensemblePick(flat, "WIN", "2026-03-02"),
      ensemblePick(flat, "WIN", "2026-03-04"), ensemblePick(flat, "WIN", "2026-03-05"), ensemblePick(flat, "LOSS", "2026-03-05"),
      ensemblePick(flat, "PUSH", "2026-03-06"), // excluded: it adds no date
    ];
    const { holdout, holdout_skipped_reason } = trainEnsemble(picks);
    expect(holdout_skipped_reason).toBeNull();
    const expectedLogLoss = -(Math.log(0.75) + Math.log(0.25)) / 2;
    expect(holdout).toEqual({
      train_rows: 4,
      holdout_rows: 2,
      holdout_start_date: "2026-03-05",
      log_loss: expect.closeTo(expectedLogLoss, 9),
      brier: expect.closeTo((0.25 ** 2 + 0.75 ** 2) / 2, 9),
      auc: 0.5,
      base_rate: 0.5,
      base_rate_log_loss: expect.closeTo(expectedLogLoss, 12),
    });
  });

  it("reports the metrics of a model fitted on the earlier dates alone", () => {
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 80; i++) {
      const p = 0.25 + 0.5 * (((i * 29) % 80) / 80);
      rows.push([p, 0.4 + 0.2 * Math.cos(i), 0.5 + 0.3 * (p - 0.5), 0.3 + ((i * 11) % 40) / 100]);
      labels.push(((i * 29) % 80 > 35) !== (i % 6 === 0) ? 1 : 0);
    }
    const dateOf = (i: number) => dayAfterNewYear(i % 10);
    const picks = picksFrom(rows, labels, dateOf);
    const result = trainEnsemble(picks);
    const heldOut = (i: number) => dateOf(i) >= dayAfterNewYear(8);
    const earlier = trainEnsemble(picks.filter((_, i) => !heldOut(i)), { holdoutFraction: 0 });
    const model = EnsembleModel.fromArtifact(earlier.artifact);
    const testRows = rows.filter((_, i) => heldOut(i));
    const testLabels = labels.filter((_, i) => heldOut(i));
    const probs = model.predictMany(testRows);
    const trainRate = earlier.class_balance.wins / earlier.samples_used;
    expect(result.holdout).toEqual({
      train_rows: 64,
      holdout_rows: 16,
      holdout_start_date: dayAfterNewYear(8),
      log_loss: logLoss(testLabels, probs),
      brier: brierScore(testLabels, probs),
      auc: rocAuc(testLabels, probs),
      base_rate: testLabels.filter((y) => y === 1).length / 16,
      base_rate_log_loss: logLoss(testLabels, testLabels.map(() => trainRate)),
    });
    expect(result.holdout!.log_loss).toBeLessThan(result.holdout!.base_rate_log_loss); // the signal is real
  });

  it("chooses the holdout model's transform from the earlier rows, and skips when the holdout leaves its domain", () => {
    const picks = [
      ensemblePick([0.3, 0.5, 0.5, 0.5], "WIN", "2026-03-01"), ensemblePick([0.6, 0.5, 0.4, 0.5], "LOSS", "2026-03-01"),
      ensemblePick([0.4, 0.5, 0.5, 0.5], "WIN", "2026-03-02"), ensemblePick([0.0, 0.5, 0.5, 0.5], "LOSS", "2026-03-02"),
    ];
    const result = trainEnsemble(picks);
    expect(result.artifact?.transform.kind).toBe("standardize"); // all samples include a 0
    expect(result.holdout).toBeNull();
    expect(result.holdout_skipped_reason).toBe("the earlier dates chose the logit transform, but holdout rows hold values outside (0, 1)");
  });
});
