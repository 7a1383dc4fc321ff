const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/**
 * One Istio message (a map in the YAML) being read. Every key a translator
 * reads is ticked off; `finish` then reports each key left: one Istio has but
 * faultmesh cannot express (with what to do instead), or one Istio does not
 * have (a typo, most likely). That is how nothing is dropped silently.
 */
export class Fields {
    value;
    path;
    findings;
    message;
    read = new Set();
    constructor(value, path, findings, 
    /** Istio's name for the message, for "not a field of" messages: `HTTPRoute`, `TrafficPolicy`. */
    message) {
        this.value = value;
        this.path = path;
        this.findings = findings;
        this.message = message;
    }
    /** The map at `path`, or undefined (reported as invalid) when the value is something else. */
    static of(value, path, findings, message) {
        if (isRecord(value))
            return new Fields(value, path, findings, message);
        findings.invalid(path, `${message} is a map of fields, not ${describe(value)}`);
        return undefined;
    }
    at(key) {
        return [...this.path, key];
    }
    has(key) {
        return this.value[key] !== undefined && this.value[key] !== null;
    }
    /** The raw value, ticked off as read. */
    raw(key) {
        this.read.add(key);
        const v = this.value[key];
        return v === null ? undefined : v;
    }
    string(key) {
        return this.typed(key, 'a string', (v) => typeof v === 'string');
    }
    number(key) {
        return this.typed(key, 'a number', (v) => typeof v === 'number' && Number.isFinite(v));
    }
    boolean(key) {
        return this.typed(key, 'true or false', (v) => typeof v === 'boolean');
    }
    list(key) {
        return this.typed(key, 'a list', Array.isArray);
    }
    object(key, message) {
        const v = this.raw(key);
        return v === undefined ? undefined : Fields.of(v, this.at(key), this.findings, message);
    }
    /** A map of strings (labels), or undefined (reported) when any value is not a string. */
    strings(key) {
        const v = this.raw(key);
        if (v === undefined)
            return undefined;
        if (!isRecord(v))
            return void this.findings.invalid(this.at(key), `${key} is a map of strings, not ${describe(v)}`);
        const out = {};
        for (const [k, value] of Object.entries(v)) {
            if (typeof value !== 'string')
                return void this.findings.invalid([...this.at(key), k], `label values are strings (quote numbers: "${String(value)}")`);
            out[k] = value;
        }
        return out;
    }
    /** Ticks a key off without reading it: a field that needs no translation (`name`, the default `gateways: [mesh]`). */
    accept(...keys) {
        for (const key of keys)
            this.read.add(key);
    }
    /**
     * Reports every key not read: those in `untranslated` with their advice
     * (what faultmesh cannot do, and what to do instead), any other as not a
     * field of the Istio message.
     */
    finish(untranslated = {}) {
        for (const key of Object.keys(this.value)) {
            if (this.read.has(key) || this.value[key] === null)
                continue;
            const advice = untranslated[key];
            this.findings.untranslated(this.at(key), advice ?? `not a field of Istio's ${this.message} (a typo?); left out`, true);
        }
    }
    typed(key, what, test) {
        const v = this.raw(key);
        if (v === undefined)
            return undefined;
        if (test(v))
            return v;
        this.findings.invalid(this.at(key), `${key} is ${what}, not ${describe(v)}`);
        return undefined;
    }
}
/** A value in a few words, for "is X, not Y" messages. */
export function describe(v) {
    if (Array.isArray(v))
        return 'a list';
    if (isRecord(v))
        return 'a map';
    if (typeof v === 'string')
        return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
    return String(v);
}
//# sourceMappingURL=fields.js.map