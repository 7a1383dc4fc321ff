const ok = (value) => ({ ok: true, value });
const INTEGER = /^[+-]?\d+(?:_\d+)*$/;
const FLOAT = /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:e[+-]?\d+(?:_\d+)*)?$/i;
/**
 * Converts an environment variable (or its entry's `default`) as chaoslib's
 * convert_to_type does, with Python's rules for the text: `int` takes
 * `" 42 "` and `1_000` but not `4.2`; `bool` is false only for false, 0 and
 * no (any case), so an empty value is true; `json` parses the text; `bytes`
 * stays text, the only form a JSON value has. A Python float JSON cannot
 * hold (inf, nan) is refused.
 *
 * @example convertEnvValue('int', ' 8080 ') // { ok: true, value: 8080 }
 */
export function convertEnvValue(type, value) {
    const text = typeof value === 'string' ? value.trim() : undefined;
    switch (type) {
        case undefined:
        case 'str':
        case 'string':
            return ok(value);
        case 'bytes':
            return ok(typeof value === 'string' ? value : String(value));
        case 'int':
        case 'integer':
            if (typeof value === 'number')
                return ok(Math.trunc(value));
            if (typeof value === 'boolean')
                return ok(value ? 1 : 0);
            return text !== undefined && INTEGER.test(text) ? ok(Number(text.replace(/_/g, ''))) : { ok: false, why: 'not an integer' };
        case 'float':
        case 'number':
            if (typeof value === 'number')
                return ok(value);
            if (typeof value === 'boolean')
                return ok(value ? 1 : 0);
            if (text !== undefined && /^[+-]?(inf|infinity|nan)$/i.test(text))
                return { ok: false, why: 'a float JSON cannot hold' };
            return text !== undefined && FLOAT.test(text) ? ok(Number(text.replace(/_/g, ''))) : { ok: false, why: 'not a number' };
        case 'bool':
            if (typeof value === 'boolean')
                return ok(value);
            return ok(!['false', '0', 'no'].includes(String(value).toLowerCase()));
        case 'json':
            if (typeof value !== 'string' || value === '')
                return ok(value);
            try {
                return ok(JSON.parse(value));
            }
            catch (err) {
                return { ok: false, why: `not JSON (${err.message})` };
            }
    }
}
//# sourceMappingURL=env-var-type.js.map