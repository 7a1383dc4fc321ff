/**
 * Join tokens: what a proxy shows the control plane's CA to be given a
 * certificate, each scoped to the services it may be issued for. Held in
 * the control plane's store (so every replica on etcd honours the same
 * ones), as the SHA-256 of the secret: the secret itself is shown once, to
 * whoever created the token, and is never stored, logged or listed.
 *
 * A token reads `fmjt.<id>.<secret>`: the id finds the stored entry in one
 * read, and the secret (32 random bytes) is compared by its hash in
 * constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
/** Every service, for a token given to a fleet whose services are not known in advance. */
export const ANY_SERVICE = '*';
const PREFIX = 'fmjt';
const TOKEN = /^fmjt\.([0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;
const sha256 = (text) => createHash('sha256').update(text).digest();
/** Whether a token entry allows `service`. */
export const allowsService = (token, service) => token.services.includes(ANY_SERVICE) || token.services.includes(service);
/** The id of a token string, when it has a token's shape; for messages that must name the token but never show its secret. */
export const tokenIdOf = (text) => TOKEN.exec(text.trim())?.[1];
function stateOf(value, now) {
    if (value.revokedAt !== undefined)
        return 'revoked';
    if (value.expiresAt !== undefined && Date.parse(value.expiresAt) <= now)
        return 'expired';
    return 'active';
}
export const viewOf = (value, now) => ({
    id: value.id,
    services: value.services,
    createdAt: value.createdAt,
    ...(value.expiresAt !== undefined ? { expiresAt: value.expiresAt } : {}),
    ...(value.revokedAt !== undefined ? { revokedAt: value.revokedAt } : {}),
    state: stateOf(value, now),
});
/**
 * The join tokens of one control plane, over its store. Tokens carry no
 * lease: a memory store with --data keeps them across a restart, as it
 * keeps the mesh, and an expiry is checked when the token is used.
 *
 * @example const { token } = await tokens.create(['orders'], 30 * 86_400_000); // 'fmjt.1a2b…'
 */
export class JoinTokens {
    store;
    keys;
    now;
    constructor(store, keys, now) {
        this.store = store;
        this.keys = keys;
        this.now = now;
    }
    /** A new token for `services` (names, or ["*"]), expiring after `ttlMs` when given. The secret is in `token` only: it cannot be read back. */
    async create(services, ttlMs) {
        const id = randomBytes(6).toString('hex');
        const secret = randomBytes(32).toString('base64url');
        const now = this.now();
        const value = {
            id,
            secretSha256: sha256(secret).toString('hex'),
            services: [...new Set(services)],
            createdAt: new Date(now).toISOString(),
            ...(ttlMs !== undefined ? { expiresAt: new Date(now + ttlMs).toISOString() } : {}),
        };
        // expectModRevision 0: two ids drawn alike (2^-48) fail rather than replace a token.
        await this.store.put(this.keys.joinToken(id), value, { expectModRevision: 0 });
        return { token: `${PREFIX}.${id}.${secret}`, value };
    }
    async list() {
        const { items } = await this.store.list(this.keys.joinTokens);
        const now = this.now();
        return items.map((kv) => viewOf(kv.value, now));
    }
    /** Marks the token revoked (kept, so a proxy still holding it is told "revoked", not "unknown"); undefined when there is no such token. */
    async revoke(id) {
        const kv = /^[0-9a-f]{12}$/.test(id) ? await this.store.get(this.keys.joinToken(id)) : undefined;
        if (!kv)
            return undefined;
        const value = kv.value;
        if (value.revokedAt !== undefined)
            return viewOf(value, this.now());
        const revoked = { ...value, revokedAt: new Date(this.now()).toISOString() };
        // Compare-and-set: a concurrent revoke through another replica makes this one fail (409), never lose a field.
        await this.store.put(kv.key, revoked, { expectModRevision: kv.modRevision });
        return viewOf(revoked, this.now());
    }
    /** Checks a presented token: known, secret matching, not revoked, not expired. Messages name the token's id, never its secret. */
    async check(presented) {
        const unknown = { ok: false, code: 'TOKEN_UNKNOWN', message: 'the join token is not one this control plane issued: create one with faultmesh ca token create' };
        const m = TOKEN.exec(presented.trim());
        if (!m)
            return unknown;
        const kv = await this.store.get(this.keys.joinToken(m[1]));
        if (!kv)
            return unknown;
        const value = kv.value;
        const stored = Buffer.from(value.secretSha256, 'hex');
        const given = sha256(m[2]);
        if (stored.length !== given.length || !timingSafeEqual(stored, given))
            return unknown;
        if (value.revokedAt !== undefined)
            return { ok: false, code: 'TOKEN_REVOKED', message: `join token ${value.id} was revoked at ${value.revokedAt}` };
        if (stateOf(value, this.now()) === 'expired')
            return { ok: false, code: 'TOKEN_EXPIRED', message: `join token ${value.id} expired at ${value.expiresAt}` };
        return { ok: true, token: value };
    }
}
//# sourceMappingURL=join-tokens.js.map