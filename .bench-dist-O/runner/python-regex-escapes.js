// The character level of runner/python-regex.ts: Python's escapes (`\d`, `\x41`,
// `\0`, `\12`...) and sets (`[^]a-z\w]`), written as JavaScript `v`-mode source.
/** A pattern Python would refuse, or one faultmesh cannot match as Python does; the message says which. */
export class PythonRegexError extends Error {
    kind;
    code = 'PYTHON_REGEX_INVALID';
    name = 'PythonRegexError';
    /** `invalid`: Python's re refuses it too; `unsupported`: Python takes it, faultmesh cannot match it the same way. */
    constructor(message, kind) {
        super(message);
        this.kind = kind;
    }
}
/** Where the reading is, in the pattern; errors carry Python's words and position. */
export class Cursor {
    p;
    pos = 0;
    constructor(p) {
        this.p = p;
    }
    fail(message, at = this.pos) {
        throw new PythonRegexError(`${message} at position ${at}`, 'invalid');
    }
    /** What Python takes and JavaScript's RegExp, which faultmesh matches with, cannot do: refused by name, with what to write instead. */
    refuse(what, instead) {
        throw new PythonRegexError(`${what} has no equivalent in JavaScript's regular expressions, which faultmesh matches with: ${instead}`, 'unsupported');
    }
    peek(n = 0) {
        return this.p[this.pos + n];
    }
    rest() {
        return this.p.slice(this.pos);
    }
    eat(s) {
        if (!this.p.startsWith(s, this.pos))
            return false;
        this.pos += s.length;
        return true;
    }
    /** The next code point, consumed. */
    next() {
        const cp = this.p.codePointAt(this.pos);
        this.pos += cp > 0xffff ? 2 : 1;
        return cp;
    }
}
// Python's Unicode classes, checked against its own: \s is str.isspace(), \w str.isalnum() or "_", \d category Nd.
const SPACE = { unicode: '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000', ascii: ' \\t\\n\\r\\f\\v' };
const WORD = { unicode: '\\p{L}\\p{N}_', ascii: 'A-Za-z0-9_' };
const DIGIT = { unicode: '\\p{Nd}', ascii: '0-9' };
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const SIMPLE = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
const isOctal = (c) => c !== undefined && c >= '0' && c <= '7';
const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
/** `[\p{L}\p{N}_]`, or ASCII's under (?a): what \w and \b mean. */
export const wordClass = (flags) => `[${flags.a ? WORD.ascii : WORD.unicode}]`;
/** One code point as JavaScript source: as itself when that is safe, else escaped. */
function literal(cp, inSet) {
    const c = String.fromCodePoint(cp);
    if (cp > 0x20 && /[\p{L}\p{N}_]/u.test(c))
        return c;
    if (!inSet && cp > 0x20 && cp < 0x7f)
        return SYNTAX.has(c) ? `\\${c}` : c;
    return `\\u{${cp.toString(16)}}`;
}
/** A literal character as a piece. */
export const charPiece = (cp, inSet = false) => ({ src: literal(cp, inSet), min: 1, max: 1, cp });
/** Under (?ai), the other case of the ASCII letters in lo..hi, as members of a set (empty when none). */
export function otherCase(lo, hi) {
    const out = [];
    for (const [from, to, shift] of [[0x61, 0x7a, -32], [0x41, 0x5a, 32]]) {
        const a = Math.max(lo, from);
        const b = Math.min(hi, to);
        if (a <= b)
            out.push(a === b ? literal(a + shift, true) : `${literal(a + shift, true)}-${literal(b + shift, true)}`);
    }
    return out.join('');
}
/**
 * After a backslash (consumed): a class, a character, or, outside a set, an
 * anchor; a number outside a set is a group reference, which `groupRef`
 * turns into a piece. In a set `\b` is a backspace and digits are octal, as
 * in Python.
 */
export function escape(cur, flags, inSet, groupRef) {
    const at = cur.pos - 1;
    const c = cur.peek();
    if (c === undefined)
        cur.fail('bad escape (end of pattern)', at);
    cur.pos++;
    const kind = flags.a ? 'ascii' : 'unicode';
    const set = (body, negate) => ({ src: inSet && !negate ? body : `[${negate ? '^' : ''}${body}]`, min: 1, max: 1 });
    const classes = { d: set(DIGIT[kind], false), D: set(DIGIT[kind], true), w: set(WORD[kind], false), W: set(WORD[kind], true), s: set(SPACE[kind], false), S: set(SPACE[kind], true) };
    if (classes[c])
        return classes[c];
    if (c in SIMPLE)
        return charPiece(SIMPLE[c], inSet);
    if (inSet && c === 'b')
        return charPiece(8, true);
    if (!inSet) {
        const w = wordClass(flags);
        const zero = (src) => ({ src, min: 0, max: 0, zeroWidth: true });
        if (c === 'A')
            return zero('(?<![\\s\\S])');
        if (c === 'Z')
            return zero('(?![\\s\\S])');
        if (c === 'b')
            return zero(`(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`);
        // Before Python 3.14, \B never matches in an empty string.
        if (c === 'B')
            return zero(`(?!(?<![\\s\\S])(?![\\s\\S]))(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`);
    }
    const hex = (n) => {
        const digits = cur.p.slice(cur.pos, cur.pos + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits))
            cur.fail(`incomplete escape \\${c}${digits.replace(/[^0-9a-fA-F].*$/, '')}`, at);
        cur.pos += n;
        const cp = Number.parseInt(digits, 16);
        if (cp > 0x10ffff)
            cur.fail(`bad escape \\${c}${digits}`, at);
        return charPiece(cp, inSet);
    };
    if (c === 'x')
        return hex(2);
    if (c === 'u')
        return hex(4);
    if (c === 'U')
        return hex(8);
    if (c === 'N')
        cur.refuse('A character named by \\N{...}', 'write the character itself, or \\uXXXX');
    if (isDigit(c))
        return number(cur, c, at, inSet, groupRef);
    if (/[A-Za-z]/.test(c))
        cur.fail(`bad escape \\${c}`, at);
    cur.pos--;
    return charPiece(cur.next(), inSet);
}
/** Python's rule: `\0` and three octal digits are a character; one or two other digits name a group (in a set, always octal). */
function number(cur, first, at, inSet, groupRef) {
    let digits = first;
    if (first === '0' || inSet) {
        while (digits.length < 3 && isOctal(digits.at(-1)) && isOctal(cur.peek()))
            digits += cur.p[cur.pos++];
    }
    else if (isDigit(cur.peek())) {
        digits += cur.p[cur.pos++];
        if (isOctal(first) && isOctal(digits[1]) && isOctal(cur.peek()))
            digits += cur.p[cur.pos++];
    }
    if (first !== '0' && !inSet && digits.length < 3)
        return groupRef(Number(digits), at + 1);
    if (!isOctal(first))
        cur.fail(`bad escape \\${first}`, at);
    const cp = Number.parseInt(digits, 8);
    if (cp > 0o377)
        cur.fail(`octal escape value \\${digits} outside of range 0-0o377`, at);
    return charPiece(cp, inSet);
}
/** A set, after its `[` (consumed): `]` first is a member, ranges are checked as Python checks them. */
export function charSet(cur, flags) {
    const start = cur.pos - 1;
    const negate = cur.eat('^');
    const item = () => (cur.eat('\\') ? escape(cur, flags, true, () => cur.fail('bad escape', cur.pos)) : charPiece(cur.next(), true));
    let src = '';
    for (let first = true; first || cur.peek() !== ']'; first = false) {
        if (cur.peek() === undefined)
            cur.fail('unterminated character set', start);
        const from = cur.pos;
        const lo = item();
        if (cur.peek() === '-' && cur.peek(1) !== ']' && cur.peek(1) !== undefined) {
            cur.pos++;
            const hi = item();
            if (lo.cp === undefined || hi.cp === undefined || hi.cp < lo.cp)
                cur.fail(`bad character range ${cur.p.slice(from, cur.pos)}`, from);
            src += `${lo.src}-${hi.src}${flags.fold ? otherCase(lo.cp, hi.cp) : ''}`;
        }
        else
            src += `${lo.src}${flags.fold && lo.cp !== undefined ? otherCase(lo.cp, lo.cp) : ''}`;
    }
    cur.pos++;
    return { src: `[${negate ? '^' : ''}${src}]`, min: 1, max: 1 };
}
//# sourceMappingURL=python-regex-escapes.js.map