/**
 * What translating one document (or one fault block) found. Collected, never
 * thrown, so every field is reported in one go; the caller decides what is
 * fatal (an experiment or `faults add` refuses anything untranslated, `import`
 * only with --strict).
 */
export class Findings {
    list = [];
    invalid(path, message, atKey = false) {
        this.add({ kind: 'invalid', path, message, ...(atKey ? { atKey } : {}) });
    }
    untranslated(path, message, atKey = false) {
        this.add({ kind: 'untranslated', path, message, ...(atKey ? { atKey } : {}) });
    }
    caveat(path, message) {
        this.add({ kind: 'caveat', path, message });
    }
    /** Once per place and message: a route read for each host of its VirtualService reports a problem once. */
    add(finding) {
        const key = JSON.stringify([finding.kind, finding.path, finding.message]);
        if (this.seen.has(key))
            return;
        this.seen.add(key);
        this.list.push(finding);
    }
    seen = new Set();
    count(kind) {
        return this.list.filter((f) => f.kind === kind).length;
    }
}
//# sourceMappingURL=findings.js.map