import { charPiece, charSet, Cursor, escape, otherCase, PythonRegexError } from './python-regex-escapes.js';
// Chaos Toolkit judges a regex tolerance with Python's `re.compile(pattern).search(value)`
// (chaoslib/hypothesis.py). This reads a Python pattern and writes the JavaScript RegExp
// that finds the same matches: `$` also before a final newline, `.` everything but `\n`,
// `\d`, `\w`, `\s`, `\b` in Unicode unless (?a), inline flags, (?P<name>...), octal
// escapes, atomic groups and possessive quantifiers (as a captured look-ahead, which
// cannot give back). Patterns Python refuses are refused with Python's own words; what
// JavaScript cannot express (conditional groups, case-insensitive groups) is refused by name.
export { PythonRegexError } from './python-regex-escapes.js';
const GLOBAL_FLAGS = /^\(\?([aiLmsux]+)\)/;
const ANCHOR = (src) => ({ src, min: 0, max: 0, zeroWidth: true });
/** One pattern's reading: groups are given JavaScript names, so groups faultmesh adds never shift a `\1`. */
class Translator extends Cursor {
    groups = 0;
    atomics = 0;
    names = new Map();
    jsNames = new Map();
    open = new Set();
    widths = new Map();
    ignoreCase = false;
    ascii = false;
    get asciiOnly() {
        return this.ascii;
    }
    translate() {
        let flags = { m: false, s: false, x: false, a: false, fold: false };
        // Global flags, as Python 3.11 takes them: only at the start.
        for (let m = GLOBAL_FLAGS.exec(this.rest()); m; m = GLOBAL_FLAGS.exec(this.rest())) {
            flags = this.applyFlags(m[1], '', flags, this.pos + m[0].length - 1);
            this.pos += m[0].length;
        }
        const piece = this.alternation(flags);
        if (this.pos < this.p.length)
            this.fail('unbalanced parenthesis');
        return piece.src;
    }
    /** `global` flags start the pattern; the others scope a group `(?s-m:...)`. */
    applyFlags(on, off, flags, at, global = true) {
        if ((on + off).includes('L'))
            this.fail("bad inline flags: cannot use 'L' flag with a str pattern", at);
        if (on.includes('a') && on.includes('u'))
            this.fail("bad inline flags: flags 'a', 'u' and 'L' are incompatible", at);
        if (/[au]/.test(off))
            this.fail("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", at);
        if (global) {
            this.ignoreCase ||= on.includes('i');
            this.ascii ||= on.includes('a');
        }
        else if ((on.includes('i') && !this.ignoreCase) || (off.includes('i') && this.ignoreCase)) {
            this.refuse(`A group that turns case-insensitivity on or off, (?${on}${off ? `-${off}` : ''}:...),`, 'start the pattern with (?i) to ignore case in all of it, or spell both cases ([Uu][Pp])');
        }
        const set = (k) => (on.includes(k) ? true : off.includes(k) ? false : flags[k]);
        const a = set('a') || this.ascii;
        if (!global && a && !this.ascii && this.ignoreCase)
            this.refuse('An ASCII-only group (?a:...) in a case-insensitive pattern', 'give (?a) at the start, for all of the pattern');
        return { m: set('m'), s: set('s'), x: set('x'), a, fold: this.ignoreCase && this.ascii };
    }
    /** What Python reads as nothing: `(?#...)` comments and, in verbose mode (?x), whitespace and `#` comments. A quantifier after them applies to what came before. */
    skipNothing(flags) {
        for (;;) {
            const c = this.peek();
            if (flags.x && c !== undefined && ' \t\n\r\v\f'.includes(c))
                this.pos++;
            else if (flags.x && c === '#')
                while (this.pos < this.p.length && this.peek() !== '\n')
                    this.pos++;
            else if (this.p.startsWith('(?#', this.pos)) {
                const end = this.p.indexOf(')', this.pos);
                if (end < 0)
                    this.fail('missing ), unterminated comment');
                this.pos = end + 1;
            }
            else
                return;
        }
    }
    alternation(flags) {
        const branches = [this.sequence(flags)];
        while (this.eat('|'))
            branches.push(this.sequence(flags));
        return { src: branches.map((b) => b.src).join('|'), min: Math.min(...branches.map((b) => b.min)), max: Math.max(...branches.map((b) => b.max)) };
    }
    sequence(flags) {
        let src = '';
        let min = 0;
        let max = 0;
        for (;;) {
            this.skipNothing(flags);
            const c = this.peek();
            if (c === undefined || c === '|' || c === ')')
                return { src, min, max };
            if (GLOBAL_FLAGS.test(this.rest()))
                this.fail('global flags not at the start of the expression');
            const piece = this.quantified(this.atom(flags), flags);
            src += piece.src;
            min += piece.min;
            max += piece.max;
        }
    }
    quantified(atom, flags) {
        this.skipNothing(flags);
        const start = this.pos;
        const bounds = this.quantifier();
        if (!bounds)
            return atom;
        if (atom.zeroWidth)
            this.fail('nothing to repeat', start);
        const [lo, hi] = bounds;
        const js = lo === 0 && hi === Infinity ? '*' : lo === 1 && hi === Infinity ? '+' : lo === 0 && hi === 1 ? '?' : `{${lo},${hi === Infinity ? '' : hi}}`;
        const lazy = this.eat('?') ? '?' : '';
        const possessive = !lazy && this.eat('+');
        this.skipNothing(flags);
        if (this.quantifier())
            this.fail('multiple repeat', this.pos - 1);
        const src = `(?:${atom.src})${js}${lazy}`;
        return { src: possessive ? this.atomic(src) : src, min: atom.min * lo, max: hi === 0 ? 0 : atom.max * hi };
    }
    /** Python 3.11's atomic group: what a look-ahead captured is then consumed whole, with no giving back. */
    atomic(src) {
        const name = `$a${++this.atomics}`;
        return `(?=(?<${name}>${src}))\\k<${name}>`;
    }
    /** `*`, `+`, `?` or a `{m,n}` Python reads as one (other braces are literal text); consumed. */
    quantifier() {
        const c = this.peek();
        if (c === '*' || c === '+' || c === '?')
            return (this.pos++, c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1]);
        const m = /^\{(\d*)(,?)(\d*)\}/.exec(this.rest());
        if (!m || (m[1] === '' && m[2] === ''))
            return undefined;
        const lo = m[1] ? Number(m[1]) : 0;
        const hi = m[2] ? (m[3] ? Number(m[3]) : Infinity) : lo;
        if (hi < lo)
            this.fail('min repeat greater than max repeat', this.pos + 1);
        this.pos += m[0].length;
        return [lo, hi];
    }
    atom(flags) {
        const start = this.pos;
        const c = this.peek();
        if (c === '(')
            return this.group(flags);
        if (c === '*' || c === '+' || c === '?' || (c === '{' && this.quantifier()))
            this.fail('nothing to repeat', start);
        this.pos++;
        if (c === '[')
            return charSet(this, flags);
        if (c === '\\')
            return this.folded(escape(this, flags, false, (n, at) => this.backReference(n, at)), flags);
        if (c === '.')
            return { src: flags.s ? '[\\s\\S]' : '[^\\n]', min: 1, max: 1 };
        // Python's ^ and $ know only \n as a line's end; without (?m), $ is the end or just before a final newline.
        if (c === '^')
            return ANCHOR(flags.m ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])');
        if (c === '$')
            return ANCHOR(flags.m ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))');
        this.pos--;
        return this.folded(charPiece(this.next()), flags);
    }
    /** A letter under (?ai) as a set of both its cases. */
    folded(piece, flags) {
        const other = flags.fold && piece.cp !== undefined ? otherCase(piece.cp, piece.cp) : '';
        return other ? { ...piece, src: `[${piece.src}${other}]` } : piece;
    }
    group(flags) {
        const start = this.pos++;
        const close = (inner, wrap) => {
            if (!this.eat(')'))
                this.fail('missing ), unterminated subpattern', start);
            return { ...inner, src: wrap(inner.src) };
        };
        if (!this.eat('?'))
            return this.capture(flags, start);
        if (this.peek() === undefined)
            this.fail('unexpected end of pattern');
        if (this.eat(':'))
            return close(this.alternation(flags), (s) => `(?:${s})`);
        if (this.eat('P<'))
            return this.capture(flags, start, this.name('>'));
        if (this.eat('P=')) {
            const name = this.name(')');
            const index = this.names.get(name);
            return index === undefined ? this.fail(`unknown group name '${name}'`, start + 4) : this.backReference(index, start + 4);
        }
        if (this.peek() === 'P')
            this.fail(`unknown extension ?P${this.peek(1) ?? ''}`, start + 1);
        for (const look of ['=', '!', '<=', '<!']) {
            if (!this.eat(look))
                continue;
            const inner = this.alternation(flags);
            if (look.startsWith('<') && inner.min !== inner.max)
                this.fail('look-behind requires fixed-width pattern', start);
            // Python repeats a look-around (JavaScript only inside a group, which quantified() adds).
            return { ...close(inner, (s) => `(?${look}${s})`), min: 0, max: 0 };
        }
        if (this.peek() === '<')
            this.fail(`unknown extension ?<${this.peek(1) ?? ''}`, start + 1);
        if (this.eat('>'))
            return close(this.alternation(flags), (s) => this.atomic(s));
        if (this.peek() === '(')
            this.refuse('The conditional group (?(group)yes|no)', 'write its two cases as alternatives, (a|b), instead');
        const scoped = /^([aiLmsux]*)(?:-([aiLmsux]*))?:/.exec(this.rest());
        if (!scoped)
            return this.fail(`unknown extension ?${this.peek() ?? ''}`, start + 1);
        this.pos += scoped[0].length;
        const inner = this.applyFlags(scoped[1], scoped[2] ?? '', flags, this.pos - 1, false);
        return close(this.alternation(inner), (s) => `(?:${s})`);
    }
    capture(flags, start, name) {
        const index = ++this.groups;
        const jsName = name ?? `$g${index}`;
        if (name !== undefined)
            this.names.set(name, index);
        this.jsNames.set(index, jsName);
        this.open.add(index);
        const inner = this.alternation(flags);
        if (!this.eat(')'))
            this.fail('missing ), unterminated subpattern', start);
        this.open.delete(index);
        this.widths.set(index, inner);
        return { src: `(?<${jsName}>${inner.src})`, min: inner.min, max: inner.max };
    }
    /** A group name up to `end` (consumed), checked as Python checks it. */
    name(end) {
        const at = this.pos;
        const stop = this.p.indexOf(end, at);
        if (stop < 0)
            this.fail(`missing ${end}, unterminated name`, at);
        const name = this.p.slice(at, stop);
        if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name))
            this.fail(name ? `bad character in group name '${name}'` : 'missing group name', at);
        if (end === '>' && this.names.has(name))
            this.fail(`redefinition of group name '${name}' as group ${this.groups + 1}; was group ${this.names.get(name)}`, at);
        this.pos = stop + 1;
        return name;
    }
    backReference(index, at) {
        if (index > this.groups)
            this.fail(`invalid group reference ${index}`, at);
        if (this.open.has(index))
            this.fail('cannot refer to an open group', at - 1);
        const { min, max } = this.widths.get(index);
        return { src: `\\k<${this.jsNames.get(index)}>`, min, max };
    }
}
const compiled = new Map();
/**
 * The RegExp that finds what Python's `re.compile(pattern).search()` finds.
 * Throws a PythonRegexError naming the problem. Compiled once per pattern.
 *
 * @example pythonRegExp('^up$').test('up\n') // true, as in Python
 */
export function pythonRegExp(pattern) {
    const known = compiled.get(pattern);
    if (known)
        return known;
    const t = new Translator(pattern);
    const source = t.translate();
    let regexp;
    try {
        regexp = new RegExp(source, t.ignoreCase && !t.asciiOnly ? 'iv' : 'v');
    }
    catch (err) {
        throw new PythonRegexError(`cannot be matched as Python matches it: ${err.message}`, 'unsupported');
    }
    // Patterns come from experiment files: a few, but a long-lived runner (game days) should not grow without end.
    if (compiled.size >= 1000)
        compiled.clear();
    compiled.set(pattern, regexp);
    return regexp;
}
//# sourceMappingURL=python-regex.js.map