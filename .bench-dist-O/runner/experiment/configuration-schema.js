import { z } from 'zod';
/** Chaos Toolkit's `env_var_type`s (chaoslib's convert_to_type): how an environment variable's text becomes a value. */
export const ENV_VAR_TYPES = ['str', 'string', 'int', 'integer', 'float', 'number', 'bool', 'json', 'bytes'];
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** `{type: env, key, default?, env_var_type?}`: read from the environment when the run starts. */
const envEntry = z.strictObject({
    type: z.literal('env'),
    key: z.string().min(1),
    default: z.unknown().optional(),
    env_var_type: z.enum(ENV_VAR_TYPES, { error: `env_var_type is one of ${ENV_VAR_TYPES.join(', ')}` }).optional(),
});
/** A secret from the environment: chaoslib converts no secret's type; faultmesh also takes a `default`. */
const envSecret = envEntry.omit({ env_var_type: true });
/** Why a `type` faultmesh does not resolve is refused, and what to write instead. */
function refusal(section, type) {
    const what = section === 'configuration' ? `Chaos Toolkit configuration of type ${JSON.stringify(type)} is not supported` : `Chaos Toolkit secrets of type ${JSON.stringify(type)} are not supported`;
    if (type === 'vault')
        return `${what}: faultmesh reads no HashiCorp Vault; export the value into an environment variable (e.g. with \`vault kv get -field=KEY PATH\`) and read it with {type: env, key: NAME}`;
    if (type === 'probe' && section === 'configuration') {
        return `${what}: faultmesh substitutes and checks every value before anything runs, and a dynamic value exists only once its probe has run; run it first and pass its result with --var NAME=VALUE, or read it from the environment with {type: env, key: NAME}`;
    }
    return `${what}: an entry is a literal value, a mapping without a type, or ${section === 'configuration' ? '{type: env, key, default?, env_var_type?}' : '{type: env, key, default?}'}`;
}
/** Checks an object entry by its `type`, passing the typed form's own issues on (so "unknown field" and the like read as anywhere else). */
function checkTyped(section, entry, ctx, path = []) {
    if (!('type' in entry)) {
        // A mapping of secrets: chaoslib resolves the entries inside it the same way.
        if (section === 'secrets')
            for (const [k, v] of Object.entries(entry))
                if (isRecord(v))
                    checkTyped(section, v, ctx, [...path, k]);
        return;
    }
    if (entry.type !== 'env')
        return ctx.addIssue({ code: 'custom', path: [...path, 'type'], message: refusal(section, entry.type) });
    const result = (section === 'configuration' ? envEntry : envSecret).safeParse(entry);
    if (!result.success)
        for (const issue of result.error.issues)
            ctx.addIssue({ ...issue, path: [...path, ...issue.path] });
}
/** The shapes editors are offered: the JSON Schema of the forms `checkTyped` accepts. */
const shapes = (env, nested) => {
    const { $schema: _drop, ...schema } = z.toJSONSchema(z.union([env, z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]), { io: 'input', unrepresentable: 'any' });
    return nested ? { ...schema, description: 'a literal, {type: env, key}, or a mapping of secrets' } : schema;
};
/**
 * A configuration entry, as chaoslib's load_configuration reads it: a literal
 * (scalar, list or mapping without a `type`) or an environment variable.
 * Other types (Vault, a dynamic probe) are refused by name.
 */
export const configEntry = z
    .unknown()
    .superRefine((v, ctx) => (isRecord(v) ? checkTyped('configuration', v, ctx) : undefined))
    .meta(shapes(envEntry, false));
/**
 * A secret, as chaoslib's load_secrets reads it: a literal, an environment
 * variable, or a mapping of secrets (resolved inside, to a mapping).
 */
export const secretEntry = z
    .unknown()
    .superRefine((v, ctx) => (isRecord(v) ? checkTyped('secrets', v, ctx) : undefined))
    .meta(shapes(envSecret, true));
//# sourceMappingURL=configuration-schema.js.map