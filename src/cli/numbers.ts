import { UsageError } from "../errors.js";

export function wholeNumber(flag: string, value: string, min: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    throw new UsageError(`${flag} must be a whole number of at least ${min}, got "${value}"`);
  }
  return Number(value);
}

export function positiveNumber(flag: string, value: string): number {
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a number above 0, got "${value}"`);
  return n;
}
