import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { crossValidate, gather, predictedRows } from "../src/eval/cross-validate.js";
import { evaluateEnsemble } from "../src/eval/evaluate-ensemble.js";
import { EVALUATION_DEFAULTS, resolveEvaluation } from "../src/eval/evaluation-options.js";
import { dateFolds, type DateFold } from "../src/eval/folds.js";
import { candidateCs, DEFAULT_C_GRID, tuneC, type SearchOptions } from "../src/eval/tuning.js";
import { logLoss } from "../src/metrics/binary.js";
import { ENSEMBLE_TOLERANCE } from "../src/models/ensemble/train-ensemble.js";
import { modelCardSchema } from "../src/schemas/card.js";
import { evaluationDocumentSchema } from "../src/schemas/evaluation.js";
import { engine1, ROOT } from "./helpers/cli.js";
import { evaluationOptions, honestTruth } from "./helpers/eval-samples.js";
import { tempDir } from "./helpers/store.js";

const search = (overrides: Partial<SearchOptions>): SearchOptions => ({ search: "grid", trials: 20, seed: 42, grid: DEFAULT_C_GRID, C: 1, ...overrides });
const fit = { maxIterations: 100, tolerance: ENSEMBLE_TOLERANCE, transformKind: "logit" as const };

function thrown(work: () => unknown): Error & { exitCode?: number } {
  try {
    work();
  } catch (error) {
    return error as Error & { exitCode?: number };
  }
  throw new Error("expected an error");
}

// 36 dates × 10 rows: 5 folds validate 6 dates (60 rows) each, 300 out-of-fold rows in all.
const samples = honestTruth(2, 36, 10);
const folds = dateFolds(samples.dates, { folds: 5, embargoDays: 1 }) as DateFold[];

describe("the values of C a search tries", () => {
  it("grid: the grid as given, in order; fixed: the one C", () => {
    expect(DEFAULT_C_GRID).toEqual([0.001, 0.01, 0.1, 1, 10, 100]);
    expect(candidateCs(search({}))).toEqual([0.001, 0.01, 0.1, 1, 10, 100]);
    expect(candidateCs(search({ grid: [3, 0.2] }))).toEqual([3, 0.2]);
    expect(candidateCs(search({ search: "fixed", C: 0.37 }))).toEqual([0.37]);
  });

  it("random: seeded draws of log10 C in [−3, 3], six significant digits, the same for a seed and different for another", () => {
    const draws = candidateCs(search({ search: "random", trials: 8, seed: 42 }));
    expect(draws).toHaveLength(8);
    expect(candidateCs(search({ search: "random", trials: 8, seed: 42 }))).toEqual(draws);
    // One stream per seed: fewer trials draw a prefix of the same values.
    expect(candidateCs(search({ search: "random", trials: 3, seed: 42 }))).toEqual(draws.slice(0, 3));
    const other = candidateCs(search({ search: "random", trials: 8, seed: 7 }));
    expect(other.filter((c) => draws.includes(c))).toEqual([]);
    for (const c of [...draws, ...other]) {
      expect(c).toBeGreaterThanOrEqual(0.001);
      expect(c).toBeLessThanOrEqual(1000);
      expect(Number(c.toPrecision(6))).toBe(c);
    }
    expect(new Set(draws).size).toBe(8);
  });

  it("refuses an empty or non-positive grid and a trial count that is not a whole number of at least 1 (exit 2)", () => {
    const cases: [Partial<SearchOptions>, string][] = [
      [{ grid: [] }, "the C grid must hold positive numbers, got []"],
      [{ grid: [1, 0] }, "the C grid must hold positive numbers, got [1, 0]"],
      [{ grid: [1, Number.NaN] }, "the C grid must hold positive numbers, got [1, NaN]"],
      [{ search: "random", trials: 0 }, "--trials must be a whole number of at least 1, got 0"],
      [{ search: "random", trials: 2.5 }, "--trials must be a whole number of at least 1, got 2.5"],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => candidateCs(search(options)));
      expect([error.name, error.message, error.exitCode]).toEqual(["UsageError", message, 2]);
    }
  });
});

describe("tuning C by out-of-fold log loss", () => {
  it("scores every grid value on the same folds and keeps the lowest; the table holds each value's exact loss", () => {
    const { tuning, cv } = tuneC(samples, folds, search({}), fit);
    expect(tuning.search).toBe("grid");
    expect(tuning.seed).toBe(42);
    expect(tuning.trials.map((t) => [t.trial, t.C, t.rows, t.failed_folds])).toEqual(DEFAULT_C_GRID.map((C, k) => [k + 1, C, 300, 0]));
    for (const trial of tuning.trials) {
      const own = crossValidate(samples, folds, { ...fit, C: trial.C });
      const { labels, probs } = gather(samples.y, own.oof, predictedRows(own));
      expect(trial.log_loss).toBe(logLoss(labels, probs));
    }
    const best = tuning.trials.reduce((a, b) => (b.log_loss! < a.log_loss! ? b : a));
    expect(tuning.chosen_C).toBe(best.C);
    // The losses differ, so the choice is a real argmin and not the first value by default.
    expect(new Set(tuning.trials.map((t) => t.log_loss)).size).toBe(6);
    expect(tuning.chosen_C).not.toBe(DEFAULT_C_GRID[0]);
    // The cross-validation handed back is the chosen C's.
    expect(cv!.oof).toEqual(crossValidate(samples, folds, { ...fit, C: tuning.chosen_C }).oof);
  });

  it("a fold whose training dates hold one class fails every value: no C is chosen and the evaluation says why", () => {
    // Every pick of the first 6 dates (fold 1's training dates) is a win.
    const y = Uint8Array.from(samples.y, (v, i) => (i < 60 ? 1 : v));
    const oneClass = { ...samples, y };
    const { tuning, cv } = tuneC(oneClass, folds, search({ C: 0.25 }), fit);
    expect(cv).toBeNull();
    expect(tuning.trials.map((t) => [t.C, t.log_loss, t.rows, t.failed_folds])).toEqual(DEFAULT_C_GRID.map((C) => [C, null, 240, 1]));
    expect(tuning.chosen_C).toBe(0.25);
    const evaluation = evaluateEnsemble(oneClass, evaluationOptions());
    expect(evaluation.skipped_reason).toBe(
      "no value of C could be fitted on every fold (a fold's training dates hold one class, or the fit did not converge)",
    );
    expect([evaluation.comparison, evaluation.calibration, evaluation.out_of_fold, evaluation.folds]).toEqual([null, null, null, []]);
    expect(evaluation.tuning!.trials).toHaveLength(6);
  });

  it("random search through evaluateEnsemble: reproducible for a seed, different for another, recorded with its seed", () => {
    const run = (seed: number) => evaluateEnsemble(samples, evaluationOptions({ search: "random", trials: 4, seed }));
    const first = run(42);
    expect(run(42)).toEqual(first);
    expect(first.options).toMatchObject({ search: "random", trials: 4, seed: 42 });
    expect(first.tuning!.trials.map((t) => t.C)).toEqual(candidateCs(search({ search: "random", trials: 4, seed: 42 })));
    const other = run(7);
    expect(other.tuning!.seed).toBe(7);
    expect(other.tuning!.trials.map((t) => t.C)).toEqual(candidateCs(search({ search: "random", trials: 4, seed: 7 })));
    expect(other.tuning!.trials.map((t) => t.C)).not.toEqual(first.tuning!.trials.map((t) => t.C));
    for (const e of [first, other]) {
      expect(e.tuning!.chosen_C).toBe(e.tuning!.trials.reduce((a, b) => (b.log_loss! < a.log_loss! ? b : a)).C);
    }
  });

  it("a fixed C is scored once and kept", () => {
    const e = evaluateEnsemble(samples, evaluationOptions({ search: "fixed", C: 0.5 }));
    expect(e.options).toMatchObject({ search: "fixed", trials: 1 });
    expect(e.tuning).toEqual({
      search: "fixed",
      seed: 42,
      trials: [{ trial: 1, C: 0.5, log_loss: expect.any(Number), rows: 300, failed_folds: 0 }],
      chosen_C: 0.5,
    });
    const grid = evaluateEnsemble(samples, evaluationOptions());
    expect(e.tuning!.trials[0]!.log_loss).toBe(tuneC(samples, folds, search({ search: "fixed", C: 0.5 }), fit).tuning.trials[0]!.log_loss);
    expect(grid.options.trials).toBe(6);
  });
});

describe("resolving the evaluation flags", () => {
  it("flags over the configuration over the defaults; --C fixes C and turns the search off", () => {
    expect(EVALUATION_DEFAULTS).toEqual({ folds: 5, embargoDays: 1, calibration: "auto", search: "grid", trials: 20, isotonicMinSamples: 1000 });
    expect(resolveEvaluation({}, undefined, 42)).toEqual({
      folds: 5, embargoDays: 1, calibration: "auto", search: "grid", trials: 20, seed: 42, grid: DEFAULT_C_GRID, isotonicMinSamples: 1000, C: undefined,
    });
    const config = { folds: 4, embargo_days: 2, calibration: "platt" as const, search: "random" as const, trials: 9, c_grid: [0.5, 5], isotonic_min_samples: 50 };
    expect(resolveEvaluation({}, config, 7)).toEqual({
      folds: 4, embargoDays: 2, calibration: "platt", search: "random", trials: 9, seed: 7, grid: [0.5, 5], isotonicMinSamples: 50, C: undefined,
    });
    expect(resolveEvaluation({ folds: 3, embargoDays: 0, calibration: "none", search: "grid" }, config, 7)).toMatchObject({
      folds: 3, embargoDays: 0, calibration: "none", search: "grid",
    });
    expect(resolveEvaluation({ C: 2 }, config, 7)).toMatchObject({ search: "fixed", C: 2 });
  });

  it("refuses contradictions and unknown choices as usage errors", () => {
    const cases: [Parameters<typeof resolveEvaluation>[0], string][] = [
      [{ C: 2, search: "grid" }, "--C fixes the regularisation strength and --search grid searches for it: give one of them"],
      [{ C: 2, search: "random" }, "--C fixes the regularisation strength and --search random searches for it: give one of them"],
      [{ trials: 5 }, "--trials counts the draws of --search random"],
      [{ trials: 5, search: "grid" }, "--trials counts the draws of --search random"],
      [{ calibration: "beta" }, "--calibration must be one of auto, platt, isotonic, none, got beta"],
      [{ search: "fixed" }, "--search must be grid or random, got fixed"],
    ];
    for (const [request, message] of cases) {
      const error = thrown(() => resolveEvaluation(request, undefined, 42));
      expect([error.name, error.message, error.exitCode]).toEqual(["UsageError", message, 2]);
    }
  });
});

describe("the search end to end", () => {
  const STORE = path.join(ROOT, "fixtures/store/predictions.jsonl");
  const fresh = ["evaluate", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--home", tempDir()];

  it("engine1 evaluate --search random --trials 3 --seed 5 tries the seed's values and keeps the lowest", () => {
    const result = engine1([...fresh, "--search", "random", "--trials", "3", "--seed", "5", "--json"]);
    expect([result.status, result.stderr]).toEqual([0, ""]);
    const tuning = evaluationDocumentSchema.parse(JSON.parse(result.stdout)).evaluation.tuning!;
    expect(tuning.search).toBe("random");
    expect(tuning.seed).toBe(5);
    expect(tuning.trials.map((t) => [t.trial, t.C, t.rows, t.failed_folds])).toEqual(
      candidateCs(search({ search: "random", trials: 3, seed: 5 })).map((C, k) => [k + 1, C, 174, 0]),
    );
    expect(tuning.chosen_C).toBe(tuning.trials.reduce((a, b) => (b.log_loss! < a.log_loss! ? b : a)).C);
  });

  it("engine1 evaluate --C 0.5 scores that one value", () => {
    const result = engine1([...fresh, "--C", "0.5", "--json"]);
    expect(result.status).toBe(0);
    const e = evaluationDocumentSchema.parse(JSON.parse(result.stdout)).evaluation;
    expect(e.options.search).toBe("fixed");
    expect(e.tuning!.trials.map((t) => t.C)).toEqual([0.5]);
    expect(e.tuning!.chosen_C).toBe(0.5);
  });

  it("engine1 train records the chosen C and the table in evaluation.json, the artifact, run.json and the card", () => {
    const home = tempDir();
    const result = engine1(["train", "--store", STORE, "--as-of", "2026-11-20", "--days", "all", "--lstm-epochs", "2", "--home", home, "--search", "random", "--trials", "3", "--seed", "5", "--quiet"]);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, "", ""]);
    const read = (file: string) => JSON.parse(readFileSync(path.join(home, "current", file), "utf8"));
    const tuning = evaluationDocumentSchema.parse(read("evaluation.json")).evaluation.tuning!;
    expect(tuning.trials.map((t) => t.C)).toEqual(candidateCs(search({ search: "random", trials: 3, seed: 5 })));
    const chosen = tuning.chosen_C;
    expect(read("ensemble.json").C).toBe(chosen);
    expect(read("run.json").evaluation.chosen_C).toBe(chosen);
    expect(modelCardSchema.parse(read("card.json")).hyperparameters).toEqual({
      C: chosen, search: "random", values_tried: 3, chosen_by: "lowest out-of-fold log loss", transform: "logit",
    });
  });

  it("usage errors exit 2 with one line and nothing on stdout", () => {
    const cases: [string[], string][] = [
      [["--trials", "5"], "engine1: --trials counts the draws of --search random\n"],
      [["--search", "random", "--trials", "0"], 'engine1: --trials must be a whole number of at least 1, got "0"\n'],
      [["--search", "bogus"], "engine1: option '--search <kind>' argument 'bogus' is invalid. Allowed choices are grid, random.\n"],
      [["--C", "-1"], 'engine1: --C must be a number above 0, got "-1"\n'],
      [["--folds", "1"], 'engine1: --folds must be a whole number of at least 2, got "1"\n'],
      [["--embargo-days", "-2"], 'engine1: --embargo-days must be a whole number of at least 0, got "-2"\n'],
    ];
    for (const [args, stderr] of cases) {
      expect({ args, ...engine1([...fresh, ...args, "--json"]) }).toEqual({ args, status: 2, stdout: "", stderr });
    }
  });
});
