import { explainIssues } from '../../proxy/config/config-error.js';
import { checkDuration, MAX_WAIT_MS } from '../../proxy/config/duration.js';
import { badRequestBody } from '../toxiproxy-error.js';
/**
 * Decodes one JSON value against a schema of field types, the way Go's
 * encoding/json fails on a value of the wrong type: 400 `bad request body:`
 * naming the field. Unknown fields pass (Go ignores them), and so does
 * `null`, which Go leaves as if absent. `at` is where the value sits in a
 * larger body (a /populate entry), for the field path.
 */
export function decodeFields(schema, value, at = []) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw badRequestBody(`expected a JSON object, got ${kindOf(value)}`, at);
    }
    const result = schema.safeParse(value);
    if (result.success)
        return result.data;
    const first = explainIssues(result.error.issues, value)[0];
    throw badRequestBody(first?.message ?? 'invalid', [...at, ...(first?.path ?? [])]);
}
/** `an array`, `a string`, `null`...: what a JSON value is, for messages. */
export function kindOf(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
/**
 * A toxic's lease (faultmesh's `ttl`): seconds (30) or a duration ("30s"),
 * more than 0 and at most 24h, in ms.
 */
export function ttlMsOf(value, at) {
    const checked = checkDuration(value, MAX_WAIT_MS, true);
    if (!checked.ok)
        throw badRequestBody(checked.message, at);
    if (checked.ms <= 0)
        throw badRequestBody('must be more than 0 (leave ttl out for a toxic that stays until removed)', at);
    return checked.ms;
}
/** The JSON of a request body, or Go's decoder's complaint about it. `EOF` for none, as Go says. */
export function parseJsonBody(raw) {
    const text = raw?.toString('utf8') ?? '';
    if (text.trim() === '')
        throw badRequestBody('EOF');
    try {
        return JSON.parse(text);
    }
    catch (err) {
        throw badRequestBody(err.message);
    }
}
//# sourceMappingURL=decode.js.map