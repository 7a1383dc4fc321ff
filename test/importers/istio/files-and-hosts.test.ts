import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serviceOfHost } from '../../../importers/istio/hosts.js';
import { importIstio } from '../../../importers/istio/import-istio.js';
import { meshYaml, rulesYaml } from '../../../importers/istio/write-yaml.js';
import { parseMeshAwaitingInstances } from '../../../proxy/config/load-mesh.js';
import { YamlSource } from '../../../proxy/config/yaml-source.js';
import { faultRuleListSchema } from '../../../proxy/faults/fault-rule-schema.js';
import { dr, lines, translate, translateAll, vs } from './istio-test-files.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/istio/${name}`, import.meta.url));
const ctx = { namespace: 'shop', namespaced: false };

describe('Istio host names, as faultmesh service names', () => {
  const table: Array<[string, string]> = [
    ['reviews', 'reviews'],
    ['reviews.prod.svc.cluster.local', 'reviews'],
    ['reviews.prod.svc', 'reviews'],
    ['reviews.prod.svc.corp.internal', 'reviews'],
    ['Ratings', 'ratings'],
    ['api.example.com', 'api.example.com'],
  ];
  for (const [host, service] of table) {
    it(`reads ${host} as ${service}`, () => assert.deepEqual(serviceOfHost(host, ctx).ok && (serviceOfHost(host, ctx) as { service: string }).service, service));
  }

  it('keeps the namespace in the name with namespaced, a short name taking the rule\'s', () => {
    assert.deepEqual(serviceOfHost('reviews', { ...ctx, namespaced: true }), { ok: true, service: 'reviews.shop', namespace: 'shop' });
    assert.deepEqual(serviceOfHost('reviews.prod.svc.cluster.local', { ...ctx, namespaced: true }), { ok: true, service: 'reviews.prod', namespace: 'prod' });
  });

  it('refuses wildcards and addresses, saying why', () => {
    assert.match(String((serviceOfHost('*.example.com', ctx) as { message: string }).message), /is a wildcard: a faultmesh service is one exact name/);
    assert.match(String((serviceOfHost('10.0.0.7', ctx) as { message: string }).message), /is an address/);
  });

  it('refuses two namespaces whose services would share a name, and takes them apart with namespaced', () => {
    const texts = [dr('reviews.prod.svc.cluster.local', '', 'a'), dr('reviews.test.svc.cluster.local', '', 'b')];
    const r = translateAll(texts);
    assert.match(lines(r).untranslated.join('\n'), /^6 spec\.host: "reviews\.test\.svc\.cluster\.local" \(namespace test\) and a host of namespace prod would both be service reviews: give --namespaced/m);
    assert.deepEqual([...translateAll(texts, { namespaced: true }).services.keys()], ['reviews.prod', 'reviews.test']);
  });
});

describe('reading Istio files', () => {
  it('reads every document of a multi-document file, in order, with each one\'s own line numbers', () => {
    const r = importIstio([fixture('destination-rules.yaml')]);
    assert.deepEqual([...r.services.keys()], ['productpage', 'reviews', 'ratings', 'details']);
    assert.equal(r.read.destinationRules, 4);
    assert.match(r.services.get('reviews')!.from[0]!, /DestinationRule reviews \(.*destination-rules\.yaml:14\)/);
  });

  it('reads the items of a kind: List, as kubectl get -o yaml prints them', () => {
    const item = (name: string) => `  - apiVersion: networking.istio.io/v1beta1\n    kind: DestinationRule\n    metadata: { name: ${name} }\n    spec: { host: ${name}, trafficPolicy: { loadBalancer: { simple: BOGUS } } }\n`;
    const r = translate(`apiVersion: v1\nkind: List\nitems:\n${item('a')}${item('b')}`);
    assert.deepEqual([...r.services.keys()], ['a', 'b']);
    assert.deepEqual(lines(r).invalid.map((l) => l.split(':')[0]), ['7 spec.trafficPolicy.loadBalancer.simple', '11 spec.trafficPolicy.loadBalancer.simple']);
  });

  it('lets a later resource of the same kind and name replace an earlier one, as kubectl apply does', () => {
    const r = translateAll([readFileSync(fixture('ratings-test-abort.yaml'), 'utf8'), vs('    - route: [{ destination: { host: ratings } }]\n')]);
    assert.deepEqual(r.rules, [], 'the second ratings VirtualService has no fault');
    assert.match(lines(r).caveat.join('\n'), /^4 metadata\.name: replaces VirtualService ratings of .*:3, as kubectl apply would/m);
  });

  it('names other kinds, with what to use instead, and skips Kubernetes objects with a note', () => {
    const r = translate(`apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: { name: gw }\nspec: {}\n---\napiVersion: v1\nkind: Service\nmetadata: { name: ratings }\n`);
    assert.deepEqual(lines(r).untranslated, ['2 kind: Gateway gw: faultmesh has no ingress gateways: callers reach services through their own sidecar proxy; left out']);
    assert.deepEqual(lines(r).caveat, ['7 kind: Service ratings is not an Istio routing resource; skipped']);
  });

  it('refuses an API version it does not read, a syntax error, and a missing file, each with its place', () => {
    assert.deepEqual(lines(translate(`apiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata: { name: x }\nspec: {}\n`)).invalid, ['1 apiVersion: import reads networking.istio.io/v1alpha3, networking.istio.io/v1beta1, networking.istio.io/v1, not networking.istio.io/v2']);
    assert.match(lines(translate('apiVersion: networking.istio.io/v1\nkind: [\n')).invalid.join('\n'), /^3 : /);
    assert.deepEqual(importIstio(['/nonexistent/vs.yaml']).issues.invalid.map((i) => `${i.file}: ${i.message}`), ['/nonexistent/vs.yaml: file not found']);
  });

  it('gives a VirtualService of several hosts to each service they name, with rule ids that keep them apart', () => {
    const r = translate(vs('    - fault: { abort: { httpStatus: 503, percentage: { value: 1 } } }\n      route: [{ destination: { host: ratings } }]\n').replace('hosts: [ratings]', 'hosts: [ratings, ratings.default.svc.cluster.local, stars]'));
    assert.deepEqual(r.rules.map(({ rule }) => [rule.id, rule.target]), [['ratings-ratings-0', 'ratings'], ['ratings-stars-0', 'stars']]);
    assert.match(lines(r).untranslated.join('\n'), /cannot send to ratings; this route is left out of stars/);
  });

  it('gives one host to the first VirtualService that routes it, as Istio gives a sidecar the oldest', () => {
    const r = translateAll([vs('    - route: [{ destination: { host: ratings } }]\n', 'first'), vs('    - route: [{ destination: { host: ratings } }]\n', 'second')]);
    assert.match(lines(r).untranslated.join('\n'), /^6 spec\.hosts\[0\]: VirtualService first \(.*\) already routes ratings/m);
  });
});

describe('what import writes from the Bookinfo-style files', () => {
  const r = importIstio(['destination-rules.yaml', 'ratings-test-abort.yaml', 'reviews-90-10.yaml', 'ratings-test-delay.yaml'].map(fixture));

  it('is a mesh file the control plane takes, and a rules file faults add takes', () => {
    assert.deepEqual(r.issues.invalid, []);
    const mesh = parseMeshAwaitingInstances(meshYaml(r.services, ['test']), 'mesh.yaml').mesh;
    assert.deepEqual(mesh.services.reviews!.routes[0]!.to, [{ labels: { version: 'v1' }, weight: 90 }, { labels: { version: 'v2' }, weight: 10 }]);
    assert.equal(mesh.services.reviews!.policy.loadBalancer, 'least-request');
    const rules = new YamlSource('faults.yaml', rulesYaml(r.rules, '5m', ['test'])).validate(faultRuleListSchema);
    assert.deepEqual(rules.map((x) => [x.id, x.target, x.match.headers, x.abort?.status ?? x.delay]), [['ratings-0', 'ratings', { 'end-user': 'jason' }, { form: 'fixed', ms: 600 }]]);
    assert.match(lines(r).caveat.join('\n'), /replaces VirtualService ratings/, 'the delay file replaces the abort file: both name VirtualService ratings');
  });
});
