/**
 * Typed errors carry their exit code to the CLI boundary (SPEC 11):
 * 2 when the command could not run, 1 when a check failed.
 */
export class Engine1Error extends Error {
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A flag or argument the user got wrong. */
export class UsageError extends Engine1Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** A file that is missing, unreadable or malformed beyond what the line classes account for. */
export class InputError extends Engine1Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** A check that ran and failed: an assertion, a reconciliation, a verification. */
export class CheckFailedError extends Engine1Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 1, options);
  }
}

export function isEngine1Error(error: unknown): error is Engine1Error {
  return error instanceof Engine1Error;
}

/** Node's errno code of a failed system call, when there is one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/** A model asked to predict before it was fitted (or loaded from a fitted artifact). */
export class ModelNotFittedError extends Engine1Error {
  constructor(model: string) {
    super(`the ${model} model is not fitted: train it or load a fitted artifact before predicting`, 2);
  }
}
