import { isMap, isPair, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import { formatPath } from '../../proxy/config/config-error.js';
import { readTextFile } from '../../proxy/config/text-file.js';
import { MAX_ALIAS_COUNT } from '../../proxy/config/yaml-source.js';
/** The API versions of networking.istio.io that import reads; the fields it translates are the same in all three. */
export const API_VERSIONS = ['networking.istio.io/v1alpha3', 'networking.istio.io/v1beta1', 'networking.istio.io/v1'];
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/**
 * Reads a YAML file of one or more documents (`---`), as kubectl takes
 * them; a `kind: List` (what kubectl get -o yaml prints) gives its items.
 * Problems of the file itself (syntax, size, encoding) come back as issues
 * with their position, never thrown.
 */
export function readResources(file, text) {
    let source;
    try {
        source = text ?? readTextFile(file);
    }
    catch (err) {
        const issues = err.issues;
        if (issues)
            return { resources: [], issues: [...issues] };
        throw err;
    }
    const lines = new LineCounter();
    const at = (offset) => {
        const p = lines.linePos(offset);
        return { file, line: p.line, column: p.col };
    };
    let docs;
    try {
        docs = parseAllDocuments(source, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    }
    catch (err) {
        return { resources: [], issues: [{ file, line: 1, column: 1, field: '', message: `cannot parse: ${err.message}` }] };
    }
    if (!Array.isArray(docs))
        docs = [];
    const resources = [];
    const issues = [];
    for (const doc of docs) {
        const error = doc.errors[0];
        if (error) {
            issues.push({ ...at(error.pos[0]), field: '', message: error.message.split('\n')[0] ?? error.message });
            continue;
        }
        let data;
        try {
            data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
        }
        catch (err) {
            issues.push({ ...at(doc.range?.[0] ?? 0), field: '', message: `cannot read: ${err.message}` });
            continue;
        }
        if (data === null || data === undefined)
            continue;
        const make = (value, root) => {
            const locate = (f) => ({ ...place(doc, [...root, ...f.path], f.atKey === true, at), field: formatPath(f.path), message: f.message });
            if (!isRecord(value))
                return void issues.push(locate({ path: [], message: 'not a Kubernetes resource (a map with apiVersion and kind)' }));
            if (value.kind === 'List' && Array.isArray(value.items))
                return value.items.forEach((item, i) => make(item, [...root, 'items', i]));
            const meta = isRecord(value.metadata) ? value.metadata : {};
            resources.push({
                file,
                kind: typeof value.kind === 'string' ? value.kind : '',
                apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '',
                name: typeof meta.name === 'string' ? meta.name : '',
                namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
                spec: value.spec,
                root,
                locate,
            });
        };
        make(data, []);
    }
    return { resources, issues };
}
/** Where the value at `path` was written, or its key (`atKey`), or else its nearest ancestor. */
function place(doc, path, atKey, at) {
    const key = path[path.length - 1];
    if (atKey && typeof key === 'string') {
        const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
        if (isMap(parent)) {
            const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
            if (pair && isScalar(pair.key) && pair.key.range)
                return at(pair.key.range[0]);
        }
    }
    for (let depth = path.length; depth >= 0; depth--) {
        const node = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true));
        if (node && typeof node === 'object' && 'range' in node && node.range)
            return at(node.range[0]);
    }
    return at(doc.range?.[0] ?? 0);
}
//# sourceMappingURL=istio-files.js.map