import { z } from 'zod';
import { TOXIC_TYPES, toxicAttributes, ToxicError } from '../tcp/index.js';
import { defaultToxicName } from '../model.js';
import { badRequestBody, invalidStream, invalidToxicType } from '../toxiproxy-error.js';
import { decodeFields, kindOf, ttlMsOf } from './decode.js';
const ttlField = z.union([z.number(), z.string()]).nullish();
/** The fields of a toxic body and their JSON types; what each means is checked after, in Toxiproxy's order. */
const toxicFields = z.object({
    name: z.string().nullish(),
    type: z.string().nullish(),
    stream: z.string().nullish(),
    toxicity: z.number().nullish(),
    attributes: z.unknown().optional(),
    ttl: ttlField,
});
const toxicUpdateFields = z.object({ toxicity: z.number().nullish(), attributes: z.unknown().optional(), ttl: ttlField });
const isToxicType = (t) => TOXIC_TYPES.includes(t);
function checkToxicity(value, at) {
    if (value === null || value === undefined)
        return undefined;
    // Toxiproxy takes any float and treats it as a probability; 50 meant as "50%" would silently be "always".
    if (!(value >= 0 && value <= 1))
        throw badRequestBody(`${value} is not a probability from 0 to 1 (0.5 is half the connections)`, [...at, 'toxicity']);
    return value;
}
function checkAttributesObject(value, at) {
    if (value === null || value === undefined)
        return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
        throw badRequestBody(`expected a JSON object, got ${kindOf(value)}`, [...at, 'attributes']);
    return value;
}
/**
 * Reads a toxic to create, with Toxiproxy's defaults and in its order of
 * checks (toxic_collection.go AddToxicJson): field types, then the stream
 * (`downstream` by default, any case), the name (`<type>_<stream>` by
 * default), then the type. The attributes are checked by `specOf`, after
 * the registry's duplicate check, as Toxiproxy does.
 *
 * @example draftOfToxic({ type: 'latency', attributes: { latency: 100 } }) // name latency_downstream, toxicity 1
 */
export function draftOfToxic(body, at = []) {
    const f = decodeFields(toxicFields, body, at);
    const stream = (f.stream ?? 'downstream').toLowerCase();
    if (stream !== 'upstream' && stream !== 'downstream')
        throw invalidStream([...at, 'stream']);
    const type = f.type ?? '';
    const name = f.name || defaultToxicName(type, stream);
    if (!isToxicType(type))
        throw invalidToxicType([...at, 'type']);
    const toxicity = checkToxicity(f.toxicity, at) ?? 1;
    checkAttributesObject(f.attributes, at);
    const ttlMs = f.ttl === null || f.ttl === undefined ? undefined : ttlMsOf(f.ttl, [...at, 'ttl']);
    return { name, type, stream: stream, toxicity, attributes: f.attributes ?? {}, ttlMs };
}
/** Reads a toxic update (PATCH, or POST as older clients send it). Name, type and stream in the body are ignored, as Toxiproxy ignores them. */
export function patchOfToxic(body) {
    const f = decodeFields(toxicUpdateFields, body);
    return {
        attributes: checkAttributesObject(f.attributes, []),
        toxicity: checkToxicity(f.toxicity, []),
        ttlMs: f.ttl === null || f.ttl === undefined ? undefined : ttlMsOf(f.ttl, ['ttl']),
    };
}
/**
 * A toxic after an update: the given attributes merged over its own (as Go
 * decodes into the existing struct), the toxicity set, checked again.
 */
export function patchedSpec(spec, patch) {
    return specOf({ ...spec, toxicity: patch.toxicity ?? spec.toxicity, attributes: { ...spec.attributes, ...patch.attributes } });
}
/** The validated toxic: its attributes checked against its type and filled with their defaults (400 `bad request body:` otherwise). */
export function specOf(draft, at = []) {
    return { name: draft.name, type: draft.type, stream: draft.stream, toxicity: draft.toxicity, attributes: attributesOf(draft.type, draft.attributes, at) };
}
function attributesOf(type, attributes, at) {
    try {
        return toxicAttributes(type, attributes ?? {});
    }
    catch (err) {
        if (!(err instanceof ToxicError))
            throw err;
        const { attribute } = err;
        // The message starts with the attribute's name, which the field path already gives.
        const reason = attribute !== undefined && err.message.startsWith(`${attribute}: `) ? err.message.slice(attribute.length + 2) : err.message;
        throw badRequestBody(reason, [...at, 'attributes', ...(attribute !== undefined ? [attribute] : [])]);
    }
}
//# sourceMappingURL=toxic-input.js.map