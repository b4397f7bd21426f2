/** Training defaults shared by `train` and `schedule`, in a module light enough for both to import. */
export const DEFAULT_SEED = 42;
export const DEFAULT_TIMEOUT_MINUTES = 10;
/** Past --timeout plus this grace, a run stuck inside one computation is ended by force. */
export const HARD_STOP_GRACE_MS = 60_000;
