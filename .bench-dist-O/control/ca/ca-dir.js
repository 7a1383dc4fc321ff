/**
 * The CA directory on disk:
 *   ca.key     PKCS#8 PEM private key of the signing certificate (0600)
 *   ca.crt     the signing certificate (the root, or an intermediate)
 *   trust.pem  the trust bundle proxies verify against: the root(s)
 *   chain.pem  optional: intermediates between ca.crt and the root, sent with each leaf
 *   ca.json    {trustDomain, createdAt}; optional for a directory set up by hand
 * Reading refuses a directory with some of these but not the required ones,
 * so a half-copied CA is never mistaken for none and replaced by a new root.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkTrustDomain } from '../../proxy/identity/spiffe.js';
import { writeFileAtomic } from './atomic-write.js';
import { CaError } from './ca-error.js';
export const CA_FILES = { key: 'ca.key', cert: 'ca.crt', trust: 'trust.pem', chain: 'chain.pem', meta: 'ca.json' };
const REQUIRED = [CA_FILES.key, CA_FILES.cert, CA_FILES.trust];
// Group or others may write it, or others may read it. Group read is allowed:
// Kubernetes volumes with an fsGroup mount secrets 0640.
const EXPOSED_BITS = 0o026;
const ioError = (file, err) => new CaError('CA_DIR_IO', `cannot access: ${err.code ?? err.message}`, file);
function readText(file) {
    try {
        return readFileSync(file, 'utf8');
    }
    catch (err) {
        throw ioError(file, err);
    }
}
/** The CA files present in `dir`; empty when it does not exist. Throws when `dir` is not a directory. */
function caFilesIn(dir) {
    if (!existsSync(dir))
        return [];
    try {
        if (!statSync(dir).isDirectory())
            throw new CaError('CA_DIR_IO', 'is not a directory', dir);
        const names = new Set(readdirSync(dir));
        return Object.values(CA_FILES).filter((f) => names.has(f));
    }
    catch (err) {
        if (err instanceof CaError)
            throw err;
        throw ioError(dir, err);
    }
}
function checkKeyNotExposed(file) {
    if (process.platform === 'win32')
        return; // no POSIX modes to check
    let mode;
    try {
        mode = statSync(file).mode & 0o777;
    }
    catch (err) {
        throw ioError(file, err);
    }
    if (mode & EXPOSED_BITS) {
        throw new CaError('CA_KEY_EXPOSED', `mode ${mode.toString(8).padStart(4, '0')} lets other users read or change the CA key; run chmod 600 ${file}`, file);
    }
}
function parseMeta(file, text) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new CaError('CA_FILE_INVALID', 'is not JSON; expected {"trustDomain": "...", "createdAt": "..."}', file);
    }
    const meta = parsed;
    if (typeof meta?.trustDomain !== 'string')
        throw new CaError('CA_FILE_INVALID', 'trustDomain: expected a string', file);
    try {
        checkTrustDomain(meta.trustDomain);
    }
    catch (err) {
        throw new CaError('CA_FILE_INVALID', `trustDomain: ${err.message}`, file);
    }
    return { trustDomain: meta.trustDomain, createdAt: typeof meta.createdAt === 'string' ? meta.createdAt : '' };
}
/**
 * Reads the CA in `dir`; undefined when `dir` is absent or holds none of the
 * CA files (so `openOrInit` may create one there). Throws CaError for a
 * partial directory or an exposed key.
 */
export function readCaDir(dir) {
    const present = caFilesIn(dir);
    if (present.length === 0)
        return undefined;
    const missing = REQUIRED.filter((f) => !present.includes(f));
    if (missing.length > 0) {
        throw new CaError('CA_DIR_PARTIAL', `has ${present.join(', ')} but not ${missing.join(', ')}: restore the missing files, or empty the directory to create a new CA (every issued certificate then stops being trusted)`, dir);
    }
    const keyFile = join(dir, CA_FILES.key);
    checkKeyNotExposed(keyFile);
    const metaFile = join(dir, CA_FILES.meta);
    return {
        keyPem: readText(keyFile),
        certPem: readText(join(dir, CA_FILES.cert)),
        trustPem: readText(join(dir, CA_FILES.trust)),
        chainPem: present.includes(CA_FILES.chain) ? readText(join(dir, CA_FILES.chain)) : undefined,
        meta: present.includes(CA_FILES.meta) ? parseMeta(metaFile, readText(metaFile)) : undefined,
    };
}
/** Throws CA_EXISTS when `dir` already holds any CA file: a CA is never overwritten. */
export function refuseExistingCa(dir) {
    const present = caFilesIn(dir);
    if (present.length > 0)
        throw new CaError('CA_EXISTS', `already holds a CA (${present.join(', ')}); it is never overwritten: use another directory, or load this one`, dir);
}
/** Writes a new CA into `dir` (created 0700), each file atomically, the key 0600. Refuses a directory that holds a CA. */
export function writeNewCaDir(dir, contents) {
    refuseExistingCa(dir);
    const write = (name, text, mode) => {
        const file = join(dir, name);
        try {
            // No clobbering: of two processes creating a CA here at once, one wins and the other gets CA_EXISTS.
            writeFileAtomic(file, text, mode, true);
        }
        catch (err) {
            if (err.code === 'EEXIST')
                throw new CaError('CA_EXISTS', 'was created by another process meanwhile; load it instead', file);
            throw ioError(file, err);
        }
    };
    try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
    catch (err) {
        throw ioError(dir, err);
    }
    write(CA_FILES.key, contents.keyPem, 0o600);
    write(CA_FILES.cert, contents.certPem, 0o644);
    write(CA_FILES.trust, contents.trustPem, 0o644);
    if (contents.chainPem !== undefined)
        write(CA_FILES.chain, contents.chainPem, 0o644);
    // Last: its presence says the others were written.
    write(CA_FILES.meta, `${JSON.stringify(contents.meta, null, 2)}\n`, 0o644);
}
//# sourceMappingURL=ca-dir.js.map