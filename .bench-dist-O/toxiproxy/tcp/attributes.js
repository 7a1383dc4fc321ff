import { ToxicError } from './errors.js';
import { TOXIC_KINDS } from './toxics/index.js';
/** Every type a toxic may have, in Toxiproxy's README order. */
export const TOXIC_TYPES = [...TOXIC_KINDS.keys()];
const describe = (v) => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v));
/**
 * Validates one toxic's attributes and fills the defaults, as Toxiproxy's
 * JSON decoding into the toxic's struct does: unknown keys are ignored, an
 * absent (or null) attribute is 0, a value must be a whole number (Go's
 * int64 refuses 1.5 and "100"). Stricter than Toxiproxy where its value
 * would misbehave: negative numbers, and a slicer without pieces of at
 * least one byte. For an update, merge first: `toxicAttributes(type, { ...current, ...patch })`.
 *
 * @example toxicAttributes('latency', { latency: 100 }) // { latency: 100, jitter: 0 }
 * @throws ToxicError INVALID_TOXIC_TYPE, or INVALID_TOXIC_ATTRIBUTE naming the attribute
 */
export function toxicAttributes(type, attributes) {
    const kind = TOXIC_KINDS.get(type);
    if (!kind)
        throw new ToxicError('INVALID_TOXIC_TYPE', `invalid toxic type "${type}": use one of ${TOXIC_TYPES.join(', ')}`);
    if (attributes === undefined || attributes === null)
        attributes = {};
    if (typeof attributes !== 'object' || Array.isArray(attributes)) {
        throw new ToxicError('INVALID_TOXIC_ATTRIBUTE', `attributes of a ${type} toxic must be an object, not ${describe(attributes)}`);
    }
    const given = attributes;
    const out = {};
    for (const [name, rule] of Object.entries(kind.attributes)) {
        const value = Object.hasOwn(given, name) ? given[name] : undefined;
        const min = rule.min ?? 0;
        if (value === undefined || value === null) {
            if (rule.required)
                throw new ToxicError('INVALID_TOXIC_ATTRIBUTE', `${name}: required for a ${type} toxic (${rule.unit}, at least ${min})`, name);
            out[name] = 0;
            continue;
        }
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
            throw new ToxicError('INVALID_TOXIC_ATTRIBUTE', `${name}: expected a whole number of ${rule.unit}, got ${describe(value)}`, name);
        }
        if (value < min)
            throw new ToxicError('INVALID_TOXIC_ATTRIBUTE', `${name}: must be at least ${min} ${rule.unit}, got ${value}`, name);
        out[name] = value;
    }
    const problem = kind.check?.(out);
    if (problem)
        throw new ToxicError('INVALID_TOXIC_ATTRIBUTE', `${problem.attribute}: ${problem.message}`, problem.attribute);
    return out;
}
//# sourceMappingURL=attributes.js.map