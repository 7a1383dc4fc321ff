import { ConfigError, explainIssues, formatPath, type SourceIssue } from '../../proxy/config/config-error.js';
import { faultRuleListSchema } from '../../proxy/faults/fault-rule-schema.js';
import { importIstio } from './import-istio.js';
import { readResources } from './istio-files.js';

/** True when the text holds an Istio resource (an `*.istio.io/` apiVersion): `faults add` then reads its VirtualServices' faults. */
export function isIstioText(file: string, text: string): boolean {
  return readResources(file, text).resources.some((r) => /\.istio\.io\//.test(r.apiVersion));
}

/**
 * The fault rules of a file's VirtualServices (Bookinfo's fault-injection
 * files as they are), each leased for `ttl`, for `faults add`. Strict, as
 * faults go into live traffic: anything invalid or not translated throws a
 * ConfigError listing it all, placed in the file; the notes (translated,
 * with a difference worth knowing) come back to be printed.
 *
 * @example faultRulesFromIstio('virtual-service-ratings-test-abort.yaml', '10m').rules[0] // { id: 'ratings-0', target: 'ratings', ... }
 */
export function faultRulesFromIstio(file: string, ttl: string): { rules: Array<Record<string, unknown>>; notes: readonly SourceIssue[] } {
  const result = importIstio([file], { faultsOnly: true });
  const refused = [...result.issues.invalid, ...result.issues.untranslated.map((i) => ({ ...i, message: `not translated: ${i.message}` }))];
  if (refused.length) throw new ConfigError(refused);
  if (result.rules.length === 0) {
    throw new ConfigError([{ file, line: 1, column: 1, field: '', message: `no route of ${result.read.virtualServices === 1 ? 'its VirtualService' : 'its VirtualServices'} has a fault, so there is nothing to add (faultmesh import istio translates routes and policies)` }]);
  }
  const rules = result.rules.map(({ rule }) => ({ ...rule, ttl }));
  const checked = faultRuleListSchema.safeParse(rules);
  if (!checked.success) {
    throw new ConfigError(explainIssues(checked.error.issues, rules).map((i) => ({ file, line: 0, column: 0, field: formatPath(i.path), message: `the translated rule is refused: ${i.message}` })));
  }
  return { rules, notes: result.issues.caveat };
}
