/**
 * Compiles a path glob to a RegExp. `*` matches within one path segment,
 * `**` matches across segments, and a trailing `*` matches the rest of the
 * path, so `/private/*` covers `/private/a/b` too: a deny rule on a prefix
 * must not be bypassed by a deeper path.
 *
 * @example compileGlob('/api/*\/items').test('/api/v1/items') // true
 */
export function compileGlob(glob) {
    let src = '';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === '*') {
            const double = glob[i + 1] === '*';
            if (double)
                i++;
            src += double || i === glob.length - 1 ? '.*' : '[^/]*';
        }
        else if (c === '?') {
            src += '[^/]';
        }
        else {
            src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
        }
    }
    return new RegExp(`^${src}$`);
}
//# sourceMappingURL=glob.js.map