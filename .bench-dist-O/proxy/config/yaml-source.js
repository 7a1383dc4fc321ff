import { isAlias, isMap, isScalar, isPair, LineCounter, parseDocument, visit } from 'yaml';
import { ConfigError, explainIssues, formatPath } from './config-error.js';
import { MAX_FILE_BYTES, readTextFile } from './text-file.js';
/**
 * How many copies of anchored values a file may expand to (yaml's
 * maxAliasCount, which counts nested aliases multiplied out). Generous for
 * reuse (`policy: *std` in each of 5,000 services), far below what an
 * alias bomb ("billion laughs") needs.
 */
export const MAX_ALIAS_COUNT = 10_000;
/**
 * A parsed YAML file that remembers where every value came from, so validation
 * errors can name the file, line and column of the offending field. Parsing
 * never throws: whatever goes wrong (syntax, alias limits, nesting too deep)
 * is an issue with a position, reported like any other input error.
 */
export class YamlSource {
    file;
    lines = new LineCounter();
    doc;
    problem;
    data;
    constructor(file, text) {
        this.file = file;
        if (text.length > MAX_FILE_BYTES) {
            this.problem = this.issueAt(0, `the text is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MiB, the most faultmesh reads`);
            return;
        }
        try {
            this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
        }
        catch (err) {
            this.problem = this.issueAt(0, tooDeep(err) ?? `cannot parse: ${err.message}`);
            return;
        }
        // After the first syntax error the parser is lost, and what follows is mostly its echo.
        const first = this.doc.errors[0];
        if (first) {
            const message = first.message.split('\n')[0] ?? first.message;
            this.problem = this.issueAt(first.pos[0], /call stack/i.test(message) ? TOO_DEEP : message);
            return;
        }
        try {
            this.data = this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
        }
        catch (err) {
            this.problem = this.conversionIssue(err);
        }
    }
    /** Reads and parses a file; a missing, oversized, binary or non-UTF-8 file is reported like any other input error. */
    static read(file) {
        return new YamlSource(file, readTextFile(file));
    }
    /** What stops the file from being read at all (a syntax error, an alias bomb...), with its position; at most one. */
    syntaxIssues() {
        return this.problem ? [this.problem] : [];
    }
    /** The document as plain data; undefined when syntaxIssues() has one. */
    toJS() {
        return this.data;
    }
    /**
     * Validates the document against a zod schema. Throws a ConfigError listing
     * every syntax and schema issue; returns the parsed value otherwise.
     */
    validate(schema) {
        const syntax = this.syntaxIssues();
        if (syntax.length)
            throw new ConfigError(syntax);
        return this.validateData(schema, this.toJS());
    }
    /**
     * Validates data derived from this document (substituted, say) whose paths
     * still match the document's, so issues are placed in the file. `earlier`
     * holds issues found before the schema ran; all are thrown together.
     */
    validateData(schema, data, earlier = []) {
        if (data === null || data === undefined) {
            throw new ConfigError([{ file: this.file, line: 1, column: 1, field: '', message: 'the file is empty' }]);
        }
        let result;
        try {
            result = schema.safeParse(data);
        }
        catch (err) {
            throw new ConfigError([{ file: this.file, line: 1, column: 1, field: '', message: tooDeep(err) ?? `cannot validate: ${err.message}` }]);
        }
        // A field already reported (a `${name}` that could not be substituted) is not reported again by the schema.
        const seen = new Set(earlier.map((i) => formatPath(i.path)));
        const later = result.success ? [] : explainIssues(result.error.issues, data).filter((i) => !seen.has(formatPath(i.path)));
        const issues = [...earlier, ...later];
        if (issues.length)
            throw new ConfigError(issues.map((issue) => this.locate(issue)));
        return result.data;
    }
    /** Places an explained issue in the file: unknown keys at the key, others at the value. */
    locate(issue) {
        const key = issue.path[issue.path.length - 1];
        const at = (issue.atKey || issue.message === 'unknown field') && typeof key === 'string' ? this.positionOfKey(issue.path.slice(0, -1), key) : this.positionOf(issue.path);
        return { ...at, field: formatPath(issue.path), message: issue.message };
    }
    /** Position of the value at `path`, or of its nearest existing ancestor. */
    positionOf(path) {
        for (let depth = path.length; depth >= 0; depth--) {
            const node = this.doc?.getIn(path.slice(0, depth), true);
            if (node && typeof node === 'object' && 'range' in node && node.range)
                return this.at(node.range[0]);
        }
        return { file: this.file, line: 1, column: 1 };
    }
    positionOfKey(path, key) {
        const parent = path.length ? this.doc?.getIn(path, true) : this.doc?.contents;
        if (isMap(parent)) {
            const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
            if (pair && isScalar(pair.key) && pair.key.range)
                return this.at(pair.key.range[0]);
        }
        return this.positionOf(path);
    }
    issueAt(offset, message) {
        return { ...this.at(offset), field: '', message };
    }
    /** An error from turning the document into data; yaml names no position, so find the alias most used. */
    conversionIssue(err) {
        if (!/alias/i.test(err.message) || !this.doc)
            return this.issueAt(0, tooDeep(err) ?? `cannot read: ${err.message}`);
        const uses = new Map();
        visit(this.doc, {
            Alias: (_key, node) => {
                if (!isAlias(node))
                    return;
                const entry = uses.get(node.source) ?? { count: 0, first: node };
                entry.count += 1;
                uses.set(node.source, entry);
            },
        });
        const [name, most] = [...uses.entries()].sort((a, b) => b[1].count - a[1].count)[0] ?? ['', undefined];
        const message = /excessive/i.test(err.message)
            ? `aliases expand to more than ${MAX_ALIAS_COUNT} copies (a guard against alias bombs); the most used is *${name}, ${most?.count ?? 0} times: write some values out in full`
            : err.message;
        return this.issueAt(most?.first.range?.[0] ?? 0, message);
    }
    at(offset) {
        const pos = this.lines.linePos(offset);
        return { file: this.file, line: pos.line, column: pos.col };
    }
}
const TOO_DEEP = 'the file nests too deeply to read (lists or maps inside one another thousands of levels down)';
/** A stack overflow, said as what the user can change. */
function tooDeep(err) {
    return err instanceof RangeError && /call stack/i.test(err.message) ? TOO_DEEP : undefined;
}
//# sourceMappingURL=yaml-source.js.map