import { writeFileSync } from "node:fs";
import path from "node:path";
import { addDays } from "../../src/dates.js";
import { Rng } from "../../src/fixtures/random.js";
import { jsonl, tempDir } from "./store.js";

/** −110 on both sides: implied 0.5238 each, a 4.55 % margin; a flat bet's expectation at p = 0.5 is −1/22. */
export const VIG_ROI = 0.5 * (100 / 110) - 0.5;

export interface TruthStore {
  store: string;
  grades: string;
  first: string;
  last: string;
  picks: number;
}

interface TruthPick {
  id: string;
  date: string;
  event: string;
  side: "home" | "away";
  values: number[];
  win: boolean;
}

const clamp = (x: number): number => Math.min(0.99, Math.max(0.01, x));

/** The store's records (PENDING, no result) and the grade file's lines (the results), written beside each other. */
function writePicks(picks: TruthPick[], first: string, last: string): TruthStore {
  const dir = tempDir("engine1-truth-");
  const records = picks.map((p) => ({
    pick_id: p.id,
    event_id: p.event,
    sport: "NBA",
    home_team: `Home ${p.event}`,
    away_team: `Away ${p.event}`,
    pick_type: "SPREAD",
    side: p.side,
    line: p.side === "home" ? -3.5 : 3.5,
    odds: -110,
    book: "testbook",
    date_et: p.date,
    grade_status: "PENDING",
    result: null,
    ai_breakdown: { raw_inputs: { model_preds: { values: p.values } } },
  }));
  const grades = picks.map((p) => ({ pick_id: p.id, grade_status: "GRADED", result: p.win ? "WIN" : "LOSS" }));
  const store = path.join(dir, "predictions.jsonl");
  const gradeFile = path.join(dir, "graded_picks.jsonl");
  writeFileSync(store, jsonl(records));
  writeFileSync(gradeFile, jsonl(grades));
  return { store, grades: gradeFile, first, last, picks: picks.length };
}

/**
 * A store with a known truth: `days` days of `games` games from `first`, each game listed twice (home
 * and away, both at −110, a mirrored spread, so the margin can be removed: fair 0.5 each side). The
 * home side wins with p_true ~ U(0.35, 0.65) — the book prices every game the same, so it is wrong
 * wherever p_true ≠ 0.5. With `edge`, each side's four upstream values are noisy estimates of that
 * side's own p_true (sd 0.05); without, they are drawn independently of everything.
 */
export function writeTruthStore(options: { seed: number; edge: boolean; days?: number; games?: number; first?: string }): TruthStore {
  const days = options.days ?? 60;
  const games = options.games ?? 20;
  const first = options.first ?? "2026-01-01";
  const rng = Rng.derive(options.seed, "truth-store", options.edge ? "edge" : "no-edge");
  const picks: TruthPick[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(first, d);
    for (let g = 0; g < games; g++) {
      const event = `${date}-g${g}`;
      const pHome = rng.float(0.35, 0.65);
      const homeWins = rng.chance(pHome);
      for (const side of ["home", "away"] as const) {
        const pSide = side === "home" ? pHome : 1 - pHome;
        const values = Array.from({ length: 4 }, () => clamp(options.edge ? rng.normal(pSide, 0.05) : rng.float(0.35, 0.65)));
        picks.push({ id: `${event}-${side}`, date, event, side, values, win: side === "home" ? homeWins : !homeWins });
      }
    }
  }
  return writePicks(picks, first, addDays(first, days - 1));
}

/**
 * A store built so that a leak shows in the numbers: day k (k = 0, 1, …) has 8 · 2^k one-sided picks,
 * more than all earlier days together, and each pick's values are a function of its own result whose
 * direction flips every day (even days: a win reads 0.7, a loss 0.3; odd days the reverse; ± 0.05 noise).
 * A model fitted on earlier days only has learnt mostly yesterday's direction and ranks today's picks
 * backwards; a model that saw today's results would rank them right.
 */
export function writeFlipStore(options: { seed: number; days?: number; first?: string }): TruthStore {
  const days = options.days ?? 6;
  const first = options.first ?? "2026-02-01";
  const rng = Rng.derive(options.seed, "flip-store");
  const picks: TruthPick[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(first, d);
    const direction = d % 2 === 0 ? 1 : -1;
    for (let i = 0; i < 8 * 2 ** d; i++) {
      const win = rng.chance(0.5);
      const centre = 0.5 + direction * (win ? 0.2 : -0.2);
      const values = Array.from({ length: 4 }, () => clamp(centre + rng.float(-0.05, 0.05)));
      picks.push({ id: `${date}-${i}`, date, event: `${date}-e${i}`, side: "home", values, win });
    }
  }
  return writePicks(picks, first, addDays(first, days - 1));
}
