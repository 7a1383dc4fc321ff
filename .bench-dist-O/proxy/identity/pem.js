/** PEM text helpers on plain strings: no parsing library, safe for the hot path. */
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
/** Every PEM block of `label` in `text`, in order, each ending with a newline. */
export function pemBlocks(text, label) {
    const found = [];
    for (const m of text.matchAll(BLOCK))
        if (m[1] === label)
            found.push(`${m[0]}\n`);
    return found;
}
/** DER bytes as PEM with `label`, 64 characters a line (RFC 7468). */
export function toPem(der, label) {
    const b64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString('base64');
    const lines = b64.match(/.{1,64}/g) ?? [];
    return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
//# sourceMappingURL=pem.js.map