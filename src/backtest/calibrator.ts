import { fitPlatt, type CalibrationMap } from "../models/calibration/calibration.js";

/** Out-of-sample rows a Platt map needs before the backtest trusts it (both classes among them). */
export const MIN_CALIBRATION_ROWS = 100;

/**
 * The walk forward's own out-of-sample predictions, kept to calibrate later days: each row is a pick's
 * uncalibrated probability from the model fitted before its day, with its result. A day's map is fitted
 * only on rows dated before that day's cutoff, so neither the model nor the map has seen the day.
 */
export class OutOfSampleCalibrator {
  private readonly probabilities: number[] = [];
  private readonly labels: number[] = [];
  readonly dates: string[] = [];
  private mapRows = -1;
  private map: CalibrationMap | null = null;
  /** Rows the current map was fitted on. */
  rows = 0;
  fits = 0;

  /** Rows must come in date order (the walk goes forward). */
  add(date: string, probability: number, win: boolean): void {
    this.dates.push(date);
    this.probabilities.push(probability);
    this.labels.push(win ? 1 : 0);
  }

  /** The Platt map of every row dated before `cutoff`, or null while they are too few or of one class. */
  mapBefore(cutoff: string): CalibrationMap | null {
    let rows = this.dates.length;
    while (rows > 0 && this.dates[rows - 1]! >= cutoff) rows -= 1;
    if (rows !== this.mapRows) {
      this.mapRows = rows;
      const labels = this.labels.slice(0, rows);
      const wins = labels.reduce((s, y) => s + y, 0);
      this.map = rows >= MIN_CALIBRATION_ROWS && wins > 0 && wins < rows ? fitPlatt(this.probabilities.slice(0, rows), labels) : null;
      this.rows = this.map === null ? 0 : rows;
      if (this.map !== null) this.fits += 1;
    }
    return this.map;
  }
}
