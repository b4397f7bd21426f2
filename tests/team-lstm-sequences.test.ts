import { describe, expect, it } from "vitest";
import type { Game } from "../src/models/games.js";
import { MASK_VALUE } from "../src/models/team-lstm/features.js";
import { meanAbsoluteError, pointScales, splitHoldout } from "../src/models/team-lstm/holdout.js";
import { encodeWindows } from "../src/models/team-lstm/network.js";
import { buildSequenceExamples } from "../src/models/team-lstm/sequences.js";

let pickNo = 0;
const game = (date: string, homeTeam: string, awayTeam: string, homeScore: number, awayScore: number, sport = "NBA"): Game => ({
  sport,
  date,
  homeTeam,
  awayTeam,
  homeScore,
  awayScore,
  pickId: `p${++pickNo}`,
});

const season: Game[] = [
  game("2026-01-01", "Aces", "Bears", 100, 90),
  game("2026-01-01", "Kings", "Bears", 2, 3, "NHL"),
  game("2026-01-02", "Bears", "Kings", 95, 95),
  game("2026-01-03", "Aces", "Kings", 80, 85),
  game("2026-01-04", "Kings", "Aces", 101, 99),
];

describe("team_lstm sequence examples", () => {
  it("gives two examples per game, home first, each with the history before it", () => {
    const { examples, teams } = buildSequenceExamples(season, 5);
    expect(examples).toHaveLength(2 * season.length);
    expect(examples.map((e) => [e.gameIndex, e.team, e.target])).toEqual([
      [0, "NBA|ACES", 100],
      [0, "NBA|BEARS", 90],
      [1, "NHL|KINGS", 2],
      [1, "NHL|BEARS", 3],
      [2, "NBA|BEARS", 95],
      [2, "NBA|KINGS", 95],
      [3, "NBA|ACES", 80],
      [3, "NBA|KINGS", 85],
      [4, "NBA|KINGS", 101],
      [4, "NBA|ACES", 99],
    ]);
    // NBA Kings and NHL Kings are different teams; a tie is not a win.
    expect(examples[5]!.history).toEqual([]);
    expect(examples[4]!.history).toEqual([[90, 100, 0, 0]]);
    expect(examples[8]!.history).toEqual([
      [95, 95, 0, 0],
      [85, 80, 0, 1],
    ]);
    expect([...teams.keys()].sort()).toEqual(["NBA|ACES", "NBA|BEARS", "NBA|KINGS", "NHL|BEARS", "NHL|KINGS"]);
    expect(teams.get("NBA|KINGS")).toEqual({ sport: "NBA", team: "Kings", games: 3, pointsForTotal: 281, lastGames: [[95, 95, 0, 0], [85, 80, 0, 1], [101, 99, 1, 1]] });
  });

  it("keeps only the last W games, and a team's first game is all masked", () => {
    const { examples } = buildSequenceExamples(season, 1);
    expect(examples[8]!.history).toEqual([[85, 80, 0, 1]]);
    const encoded = encodeWindows([{ history: [], scale: 100 }, { history: [[50, 100, 1, 0]], scale: 100 }], 2);
    expect(Array.from(encoded)).toEqual([...Array<number>(8).fill(MASK_VALUE), ...Array<number>(4).fill(MASK_VALUE), 0.5, 1, 1, 0]);
  });

  it("never lets a later game change an earlier example (leakage)", () => {
    const before = buildSequenceExamples(season, 5).examples;
    const changed = season.map((g, i) => (i === 3 ? { ...g, homeScore: 140, awayScore: 20 } : g));
    const after = buildSequenceExamples(changed, 5).examples;
    expect(after.slice(0, 6)).toEqual(before.slice(0, 6));
    const window = (e: (typeof before)[number]) => Array.from(encodeWindows([{ history: e.history, scale: 100 }], 5));
    expect(before.slice(0, 6).map(window)).toEqual(after.slice(0, 6).map(window));
    // The holdout network's scales come from the earlier dates only.
    const lastChanged = buildSequenceExamples(season.map((g, i) => (i === 4 ? { ...g, homeScore: 500 } : g)), 5).examples;
    const [a, b] = [splitHoldout(before, 0.2), splitHoldout(lastChanged, 0.2)];
    if (!a.ok || !b.ok) throw new Error("expected a holdout");
    expect(b.startDate).toBe("2026-01-04");
    expect(pointScales(b.train)).toEqual(pointScales(a.train));
  });

  it("refuses games out of chronological order", () => {
    expect(() => buildSequenceExamples([season[2]!, season[0]!], 5)).toThrow(/chronological order: 2026-01-01 comes after 2026-01-02/);
  });

  it("takes the baseline from earlier games only: team mean, else the sport's mean on earlier dates", () => {
    const games = [
      game("2026-02-01", "A", "B", 100, 90),
      game("2026-02-02", "A", "C", 110, 80),
      game("2026-02-03", "A", "B", 120, 100),
      game("2026-02-03", "C", "D", 70, 75),
    ];
    const { examples } = buildSequenceExamples(games, 5);
    // D's first game: mean of the 4 team-games on earlier dates, not of A–B played the same day.
    expect(examples.map((e) => e.baseline)).toEqual([null, null, 100, 95, 105, 90, 80, 95]);
    const split = splitHoldout(examples, 0.2);
    expect(split).toMatchObject({ ok: true, startDate: "2026-02-03" });
    if (!split.ok) return;
    expect([split.train.length, split.holdout.length]).toEqual([4, 4]);
    expect(meanAbsoluteError(split.holdout.map((e) => e.baseline!), split.holdout.map((e) => e.target))).toBe(13.75);
  });
});

describe("team_lstm holdout split and scales", () => {
  const daily = (days: number) =>
    Array.from({ length: days }, (_, d) => game(`2026-03-${String(d + 1).padStart(2, "0")}`, `H${d % 3}`, `V${d % 4}`, 100 + d, 90));

  it("holds out the latest ceil(20 %) of dates and nothing earlier", () => {
    const { examples } = buildSequenceExamples(daily(11), 5);
    const split = splitHoldout(examples, 0.2);
    expect(split).toMatchObject({ ok: true, startDate: "2026-03-09" });
    if (!split.ok) return;
    expect(split.holdout.map((e) => e.date)).toEqual(["2026-03-09", "2026-03-09", "2026-03-10", "2026-03-10", "2026-03-11", "2026-03-11"]);
    expect(split.train).toHaveLength(16);
    expect(Math.max(...split.train.map((e) => Date.parse(e.date)))).toBeLessThan(Math.min(...split.holdout.map((e) => Date.parse(e.date))));
  });

  it("skips the holdout with fewer than 2 dates, or when the fraction holds out none or all", () => {
    expect(splitHoldout(buildSequenceExamples(daily(1), 5).examples, 0.2)).toEqual({ ok: false, reason: "a time-ordered holdout needs at least 2 distinct game dates; found 1" });
    expect(splitHoldout(buildSequenceExamples(daily(3), 5).examples, 0)).toMatchObject({ ok: false });
    expect(splitHoldout(buildSequenceExamples(daily(2), 5).examples, 0.2)).toMatchObject({ ok: true, startDate: "2026-03-02" });
  });

  it("scales points per sport by its mean per team-game", () => {
    const { examples } = buildSequenceExamples([game("2026-01-01", "A", "B", 100, 120), game("2026-01-01", "K", "L", 2, 4, "NHL")], 5);
    expect(pointScales(examples)).toEqual({ bySport: { NBA: 110, NHL: 3 }, pooled: 56.5 });
    expect(pointScales(buildSequenceExamples([game("2026-01-01", "A", "B", 0, 0)], 5).examples).bySport).toEqual({ NBA: 1 });
  });
});
