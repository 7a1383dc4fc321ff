const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const seconds = (ms) => ms / 1000;
/**
 * Chaos Toolkit's form of one activity: the file's own mapping, `${}` left
 * as written (chaoslib copies an activity into its journal before it
 * substitutes anything), with the durations Chaos Toolkit reads as numbers
 * of seconds given so: `pauses` and an http or process provider's
 * `timeout` ("250ms" becomes 0.25, "${pause}" its value). Everything else,
 * `arguments` as a string or a list included, stays as the file has it.
 *
 * @example writtenActivity({ name: 'x', pauses: { after: '2s' }, ... }, parsed) // pauses: { after: 2 }
 */
export function writtenActivity(raw, parsed) {
    const out = structuredClone(raw);
    if (parsed.pauses && isRecord(out.pauses))
        out.pauses = inSeconds(parsed.pauses);
    const provider = parsed.provider;
    if ((provider.type === 'http' || provider.type === 'process') && isRecord(out.provider) && out.provider.timeout !== undefined) {
        const t = provider.timeout;
        out.provider = { ...out.provider, timeout: typeof t === 'number' ? seconds(t) : Array.isArray(t) ? t.map((ms) => seconds(Number(ms))) : out.provider.timeout };
    }
    return out;
}
/** `{before, after}` in ms, as Chaos Toolkit writes them: seconds. */
export const inSeconds = (pauses) => Object.fromEntries(Object.entries(pauses).flatMap(([k, ms]) => (typeof ms === 'number' ? [[k, seconds(ms)]] : [])));
/**
 * The experiment in Chaos Toolkit's form, and each activity it declares:
 * the file as written, `${}` and all (chaoslib keeps the experiment as it
 * was loaded), every full activity in it as `writtenActivity` gives it, so
 * the journal's `experiment` and its records agree and Chaos Toolkit reads
 * both. Activities are keyed by name (names are unique in an experiment); a
 * `{ref}` stays a ref in the experiment and stands for the activity it
 * names in the records, as in chaoslib's. `lists` are the parsed sections
 * with their paths in `doc`.
 */
export function writtenForms(doc, lists) {
    const document = structuredClone(doc);
    const asWritten = new Map();
    for (const { path, entries } of lists) {
        const raw = path.reduce((node, key) => (isRecord(node) ? node[key] : undefined), document);
        if (!Array.isArray(raw))
            continue;
        entries.forEach((entry, i) => {
            const own = raw[i];
            if ('ref' in entry || !isRecord(own))
                return;
            raw[i] = writtenActivity(own, entry);
            if (!asWritten.has(entry.name))
                asWritten.set(entry.name, raw[i]);
        });
    }
    return { document, asWritten };
}
//# sourceMappingURL=as-written.js.map