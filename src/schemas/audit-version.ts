/** The audit document's schema_version, apart from the zod schema so the audit itself does not load zod. */
export const AUDIT_SCHEMA_VERSION = 1;
