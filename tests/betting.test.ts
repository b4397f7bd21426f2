import { describe, expect, it } from "vitest";
import { checkKelly, DEFAULT_KELLY, fullKelly, kellyStake } from "../src/betting/kelly.js";
import { decimalOdds, fairProbability, impliedProbability, isAmericanOdds, netOdds } from "../src/betting/odds.js";
import { checkTiers, DEFAULT_TIERS, tierOf } from "../src/betting/tiers.js";

describe("American odds", () => {
  it("quotable prices are ≤ −100 or ≥ +100", () => {
    expect([100, -100, 150, -110, 10000].map(isAmericanOdds)).toEqual([true, true, true, true, true]);
    expect([99, -99, 0, Number.NaN, Number.POSITIVE_INFINITY, "110", null].map(isAmericanOdds)).toEqual([false, false, false, false, false, false, false]);
    expect(() => decimalOdds(50)).toThrow("American odds must be ≤ −100 or ≥ +100, got 50");
  });

  it("decimal and net odds: +150 → 2.5 and 1.5, −110 → 1.90909 and 0.90909, ±100 → 2 and 1", () => {
    expect(decimalOdds(150)).toBe(2.5);
    expect(netOdds(150)).toBe(1.5);
    expect(decimalOdds(-110)).toBeCloseTo(1.909090909, 9);
    expect(netOdds(-110)).toBeCloseTo(0.909090909, 9);
    expect(decimalOdds(100)).toBe(2);
    expect(decimalOdds(-100)).toBe(2);
  });

  it("implied probability: −110 → 110/210 = 0.52381, +150 → 0.4, −200 → 2/3", () => {
    expect(impliedProbability(-110)).toBeCloseTo(0.523809524, 9);
    expect(impliedProbability(150)).toBeCloseTo(0.4, 12);
    expect(impliedProbability(-200)).toBeCloseTo(2 / 3, 12);
  });

  it("both sides −110: fair 0.5 each, overround 2·0.52381 − 1 = 0.04762", () => {
    expect(fairProbability(-110, -110)).toEqual({
      probability: expect.closeTo(0.5, 12),
      implied: expect.closeTo(0.523809524, 9),
      vig_removed: true,
      overround: expect.closeTo(0.047619048, 9),
    });
  });

  it("+150 against −180: 0.4 / (0.4 + 0.642857) = 0.383562, and the two sides add up to 1", () => {
    const dog = fairProbability(150, -180);
    const favourite = fairProbability(-180, 150);
    expect(dog.probability).toBeCloseTo(0.383561644, 9);
    expect(dog.overround).toBeCloseTo(0.042857143, 9);
    expect(dog.probability + favourite.probability).toBeCloseTo(1, 12);
  });

  it("one side only: the quoted implied probability, margin included", () => {
    expect(fairProbability(150, null)).toEqual({ probability: 0.4, implied: 0.4, vig_removed: false, overround: null });
  });
});

describe("fractional Kelly", () => {
  it("p 0.55 at −110: b = 0.90909, full = (0.90909·0.55 − 0.45)/0.90909 = 0.055, quarter = 0.01375", () => {
    expect(fullKelly(0.55, -110)).toBeCloseTo(0.055, 12);
    expect(kellyStake(0.55, -110)).toBeCloseTo(0.01375, 12);
    expect(kellyStake(0.55, -110, { fraction: 0.5, cap: 1 })).toBeCloseTo(0.0275, 12);
  });

  it("the cap binds: p 0.7 at +150 → full (1.5·0.7 − 0.3)/1.5 = 0.5, quarter 0.125, capped at 0.05", () => {
    expect(fullKelly(0.7, 150)).toBeCloseTo(0.5, 12);
    expect(kellyStake(0.7, 150)).toBe(0.05);
    expect(kellyStake(0.7, 150, { fraction: 0.25, cap: 0.2 })).toBeCloseTo(0.125, 12);
  });

  it("below break-even the stake is 0: p 0.5 at −110 → full −0.05; p 0.39 at +150 → full (0.585 − 0.61)/1.5 = −0.01667", () => {
    expect(fullKelly(0.5, -110)).toBeCloseTo(-0.05, 12);
    expect(kellyStake(0.5, -110)).toBe(0);
    expect(fullKelly(0.39, 150)).toBeCloseTo(-0.016666667, 9);
    expect(kellyStake(0.39, 150)).toBe(0);
    expect(kellyStake(0, 150)).toBe(0);
    // Exactly break-even (p 0.4 at +150: 1.5·0.4 − 0.6 = 0) is no bet, though rounding leaves ~1e-17 in the full Kelly.
    expect(kellyStake(0.4, 150)).toBe(0);
  });

  it("defaults are quarter Kelly capped at 5 %, and out-of-range options are refused", () => {
    expect(DEFAULT_KELLY).toEqual({ fraction: 0.25, cap: 0.05 });
    expect(() => checkKelly({ fraction: 0, cap: 0.05 })).toThrow("the Kelly fraction must be in (0, 1], got 0");
    expect(() => checkKelly({ fraction: 0.25, cap: 1.5 })).toThrow("the stake cap must be in (0, 1], got 1.5");
    expect(() => checkKelly({ fraction: 1, cap: 1 })).not.toThrow();
  });
});

describe("tiers", () => {
  it("A ≥ 0.10, B ≥ 0.05, C ≥ 0.02, D below, thresholds inclusive", () => {
    expect([0.25, 0.1, 0.0999, 0.05, 0.0499, 0.02, 0.0199, 0, -0.3].map((e) => tierOf(e))).toEqual(["A", "A", "B", "B", "C", "C", "D", "D", "D"]);
  });

  it("configurable thresholds, which must fall from A to C", () => {
    const t = { A: 0.06, B: 0.03, C: 0.01 };
    expect([0.07, 0.04, 0.015, 0.005].map((e) => tierOf(e, t))).toEqual(["A", "B", "C", "D"]);
    expect(DEFAULT_TIERS).toEqual({ A: 0.1, B: 0.05, C: 0.02 });
    expect(() => checkTiers({ A: 0.05, B: 0.05, C: 0.02 })).toThrow("tier thresholds must fall from A to C, got A 0.05, B 0.05, C 0.02");
  });
});
