/** Toxiproxy's default toxic name: `<type>_<stream>`, e.g. `latency_downstream`. */
export const defaultToxicName = (type, stream) => `${type}_${stream}`;
/** The toxic's JSON: Toxiproxy's fields in its order, then the lease when there is one. */
export function viewOfToxic(t) {
    const { name, type, stream, toxicity, attributes } = t.spec;
    return { attributes, name, type, stream, toxicity, ...(t.expiresAt !== undefined ? { expires_at: new Date(t.expiresAt).toISOString() } : {}) };
}
/**
 * Toxics in the order Toxiproxy lists them: every upstream toxic, then every
 * downstream one, each in the order it was added (its chain order).
 */
export function inListOrder(toxics) {
    return [...toxics.filter((t) => t.spec.stream === 'upstream'), ...toxics.filter((t) => t.spec.stream === 'downstream')];
}
//# sourceMappingURL=model.js.map