/**
 * The shapes a canary release shares between its parts: the measurements
 * the proxies give per subset, the checks and judgements made from them,
 * and the journal the run writes and reports read. Plain data, JSON as is.
 */
export {};
//# sourceMappingURL=canary-types.js.map