/** Deeper than any mesh needs (root, one team intermediate, the mesh CA, the leaf), and a bound on a looping bundle. */
const MAX_DEPTH = 8;
/** A certificate's subject on one line ("CN=a, O=b"): Node separates the parts with newlines. */
export const subjectOf = (cert) => cert.subject.replaceAll('\n', ', ');
/** When a certificate becomes valid and stops being valid. */
export function validityOf(cert) {
    // Node 20 has only the strings ("Jan  2 03:04:05 2030 GMT"), which Date reads.
    return { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) };
}
/** Why `cert` is not valid at `now`, or undefined when it is. */
export function whyNotCurrent(cert, now) {
    const { notBefore, notAfter } = validityOf(cert);
    if (now.getTime() > notAfter.getTime())
        return { code: 'EXPIRED', reason: `certificate "${subjectOf(cert)}" expired at ${notAfter.toISOString()}` };
    if (now.getTime() < notBefore.getTime())
        return { code: 'NOT_YET_VALID', reason: `certificate "${subjectOf(cert)}" is not valid before ${notBefore.toISOString()}` };
    return undefined;
}
// Node's checkIssued reads "this was issued by the argument".
const issues = (issuer, cert) => issuer.ca && cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
/**
 * Checks that `cert` chains to one of `roots`, through `intermediates` when
 * needed, every certificate on the way current at `now` and every issuer a
 * CA. A certificate that is itself one of the roots is trusted as it is.
 *
 * @example verifyChain(leaf, [intermediate], [root], new Date()) // { ok: true, path: [leaf, intermediate, root] }
 */
export function verifyChain(cert, intermediates, roots, now) {
    const path = [];
    let current = cert;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
        const stale = whyNotCurrent(current, now);
        if (stale)
            return { ok: false, ...stale };
        path.push(current);
        if (roots.some((r) => r.raw.equals(current.raw)))
            return { ok: true, path };
        const root = roots.find((r) => issues(r, current));
        if (root) {
            const staleRoot = whyNotCurrent(root, now);
            return staleRoot ? { ok: false, ...staleRoot } : { ok: true, path: [...path, root] };
        }
        const next = intermediates.find((i) => !path.includes(i) && issues(i, current));
        if (!next)
            break;
        current = next;
    }
    return { ok: false, code: 'UNTRUSTED', reason: `certificate "${subjectOf(cert)}" is not signed by any certificate of the CA bundle` };
}
//# sourceMappingURL=chain.js.map