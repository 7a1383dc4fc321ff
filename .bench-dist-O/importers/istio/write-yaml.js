import { Document, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { formatPath } from '../../proxy/config/config-error.js';
import { routeValue } from './mesh-out.js';
const flow = (node) => {
    if (isMap(node) || isSeq(node))
        node.flow = true;
};
/** A pair's key as text: a parsed file's keys are scalars, keys written in by setIn are plain strings. */
const keyOf = (item) => String(isScalar(item.key) ? item.key.value : item.key);
/** A service as the mesh file holds it: no instances (Istio files name none), its policy and routes. */
function serviceValue(s) {
    return {
        ...(s.tls ? { tls: s.tls } : {}),
        policy: s.policy,
        instances: [],
        ...(s.routes.length ? { routes: s.routes.map(routeValue) } : {}),
    };
}
/**
 * Comments and flow style for one service's node: where it came from, and
 * routes that read like hand-written ones. `implied` is false where a merge
 * kept the file's own value for a key Istio's defaults would have set.
 */
function dress(node, s, implied = true) {
    if (!isMap(node))
        return;
    // A service the merged file already had keeps its own comment.
    if (!node.commentBefore)
        node.commentBefore = ` from ${s.from.join(', ')}`;
    const policy = node.get('policy', true);
    if (isMap(policy)) {
        policy.flow = false;
        // retries stays a block: its methods carry a comment, which inside braces would split the map over lines.
        for (const item of policy.items)
            if (isMap(item.value) && keyOf(item) !== 'retries')
                flow(item.value);
        const outlier = policy.get('outlierDetection', true);
        if (outlier && implied && s.implied.includes('outlierDetection'))
            outlier.comment = ' Istio ejects no instance unless a DestinationRule sets outlierDetection';
        const retries = policy.get('retries', true);
        if (isMap(retries)) {
            for (const item of retries.items)
                flow(item.value);
            const methods = retries.get('methods', true);
            if (methods)
                methods.comment = " Envoy retries any method; faultmesh's default is the idempotent ones";
        }
    }
    const routes = node.get('routes', true);
    if (isSeq(routes)) {
        routes.items.forEach((item, i) => {
            if (!isMap(item))
                return;
            item.commentBefore = ` from ${formatPath(s.routes[i].from)}`;
            flow(item.get('match', true));
            const to = item.get('to', true);
            flow(to);
            if (isSeq(to))
                to.items.forEach(flow);
        });
    }
}
/**
 * The mesh file `import istio` writes: every service with no instances
 * (faultmesh validates it as a control plane's, where instances register),
 * commented with the resources each came from.
 */
export function meshYaml(services, header) {
    const doc = new Document({ services: Object.fromEntries([...services].map(([name, s]) => [name, serviceValue(s)])) }, { aliasDuplicateObjects: false });
    doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
    for (const [name, s] of services)
        dress(doc.getIn(['services', name], true), s);
    return withNewline(doc.toString({ lineWidth: 0 }));
}
const withNewline = (text) => (text.endsWith('\n') ? text : `${text}\n`);
/**
 * An existing mesh file with the imported services written in: a service it
 * has keeps its instances and every field the import does not set, and gets
 * the import's routes, tls and each policy key the Istio files set (a key
 * only implied by Istio's defaults is kept when the file has one). Its
 * comments and layout stay.
 */
export function mergeMeshYaml(text, services) {
    // Unparsed from here on: nodes written in are not the parser's.
    const doc = parseDocument(text);
    if (!isMap(doc.contents))
        doc.contents = doc.createNode({ services: {} });
    if (!doc.hasIn(['services']) || !isMap(doc.getIn(['services'], true)))
        doc.setIn(['services'], doc.createNode({}));
    for (const [name, s] of services) {
        if (!doc.hasIn(['services', name])) {
            doc.setIn(['services', name], doc.createNode(serviceValue(s), { aliasDuplicateObjects: false }));
            dress(doc.getIn(['services', name], true), s);
            continue;
        }
        const at = (...path) => ['services', name, ...path];
        if (s.tls)
            doc.setIn(at('tls'), s.tls);
        if (!isMap(doc.getIn(at('policy'), true)))
            doc.setIn(at('policy'), doc.createNode({}));
        let implied = true;
        for (const [key, value] of Object.entries(s.policy)) {
            if (s.implied.includes(key) && doc.hasIn(at('policy', key))) {
                implied = false;
                continue;
            }
            doc.setIn(at('policy', key), doc.createNode(value, { aliasDuplicateObjects: false }));
        }
        if (s.routes.length)
            doc.setIn(at('routes'), doc.createNode(s.routes.map(routeValue), { aliasDuplicateObjects: false }));
        else
            doc.deleteIn(at('routes'));
        dress(doc.getIn(['services', name], true), s, implied);
    }
    return withNewline(doc.toString({ lineWidth: 0 }));
}
/** A fault rules file (`faultmesh faults add FILE`): each rule with the ttl given and a comment naming its Istio fault block. */
export function rulesYaml(rules, ttl, header) {
    // The id first, as people write rules.
    const doc = new Document(rules.map(({ rule: { id, ...rule } }) => ({ ...(id ? { id } : {}), ...rule, ttl })), { aliasDuplicateObjects: false });
    doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
    const seq = doc.contents;
    if (isSeq(seq)) {
        seq.items.forEach((item, i) => {
            if (!isMap(item))
                return;
            item.commentBefore = ` from the fault at ${rules[i].from}`;
            for (const key of ['match', 'abort', 'delay'])
                flow(item.get(key, true));
        });
    }
    return withNewline(doc.toString({ lineWidth: 0 }));
}
//# sourceMappingURL=write-yaml.js.map