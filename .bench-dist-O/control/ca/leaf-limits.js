/**
 * How long a leaf certificate lives. Its own module, free of the X.509
 * library, so flag checks (`ca issue --ttl`) can read it without loading the CA.
 */
/** A leaf's lifetime unless asked otherwise. */
export const DEFAULT_LEAF_TTL_MS = 24 * 3_600_000;
/** The longest lifetime a leaf may ask for: identities are meant to be short-lived and rotated. */
export const MAX_LEAF_TTL_MS = 30 * 86_400_000;
//# sourceMappingURL=leaf-limits.js.map