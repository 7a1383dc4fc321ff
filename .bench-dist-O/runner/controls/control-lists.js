import { isControlRef } from './control-schema.js';
/**
 * The experiment's controls, checked: a `{ref}` (in the hypothesis or an
 * activity) must name a top-level control, and the top level declares
 * controls rather than referring to them.
 */
export function experimentControls(top, hypothesis, activities) {
    const issues = [];
    const specs = (top ?? []).filter((c, i) => {
        if (isControlRef(c))
            issues.push({ path: ['controls', i, 'ref'], message: 'a top-level control is declared here (name and provider); {ref: NAME} refers to one from a hypothesis or an activity' });
        return !isControlRef(c);
    });
    const lists = [{ path: ['controls'], entries: top ?? [] }];
    if (hypothesis)
        lists.push({ path: ['steady-state-hypothesis', 'controls'], entries: hypothesis });
    for (const { path, entries } of activities)
        entries.forEach((a, i) => !('ref' in a) && a.controls && lists.push({ path: [...path, i, 'controls'], entries: a.controls }));
    const names = new Set(specs.map((c) => c.name));
    for (const { path, entries } of lists.slice(1)) {
        entries.forEach((c, i) => {
            if (isControlRef(c) && !names.has(c.ref))
                issues.push({ path: [...path, i, 'ref'], message: `no top-level control named "${c.ref}" is declared in this experiment` });
        });
    }
    return { top: specs, lists, issues };
}
//# sourceMappingURL=control-lists.js.map