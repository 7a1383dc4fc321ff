import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listsInstances, subsetsWithoutInstancesAfterMerge } from '../../../importers/istio/merge-check.js';
import { mergeMeshYaml } from '../../../importers/istio/write-yaml.js';
import { parseMeshAwaitingInstances } from '../../../proxy/config/load-mesh.js';
import { at, dr, translateAll, vs } from './istio-test-files.js';

const SUBSETS = dr('ratings', '  subsets:\n    - { name: v1, labels: { version: v1 } }\n    - { name: v2, labels: { version: v2 } }\n');

/** Imports `http` for ratings beside SUBSETS, merges it into `base`, and checks the result as a proxy reading it would. */
function mergeInto(base: string, http: string) {
  const r = translateAll([SUBSETS, vs(http)]);
  const merged = mergeMeshYaml(base, r.services);
  const { mesh } = parseMeshAwaitingInstances(merged, 'merged.yaml');
  return { r, merged, errors: subsetsWithoutInstancesAfterMerge(mesh, r.services, { file: 'base.yaml', text: base }) };
}

const V1_ONLY = 'services:\n  ratings:\n    instances: [{ id: r1, address: 127.0.0.1:9001, labels: { version: v1 } }]\n';

describe('a merge into a mesh a proxy reads itself', () => {
  it('tells a mesh with instances (a proxy reads it) from one with none (a control plane registers them)', () => {
    assert.equal(listsInstances(V1_ONLY), true);
    assert.equal(listsInstances('services:\n  ratings: { instances: [] }\n  reviews: {}\n'), false);
    assert.equal(listsInstances('services: ['), false, 'a file that does not parse is refused by the merge itself');
  });

  it('places a subset no instance has where the VirtualService routes to it, with what to do', () => {
    const { r, errors } = mergeInto(V1_ONLY, '    - route:\n        - { destination: { host: ratings, subset: v1 }, weight: 90 }\n        - { destination: { host: ratings, subset: v2 }, weight: 10 }\n');
    assert.deepEqual(errors.map(at), [
      '10 spec.http[0].route[1].destination.subset: subset v2 of ratings (labels { version: v2 }) has no instance in base.yaml, and a proxy reading the merged mesh refuses a route to it: add an instance with labels: { version: v2 } to services.ratings.instances in base.yaml, or, if the mesh is for a control plane where instances register (faultmesh mesh apply), import with --registered',
    ]);
    assert.equal(errors[0]!.file, r.files[1]);
  });

  it('says so of a service the base has no instance of, whose route names no subset', () => {
    const { errors } = mergeInto('services:\n  reviews:\n    instances: [{ id: rv, address: 127.0.0.1:9002 }]\n', '    - route: [{ destination: { host: ratings } }]\n');
    assert.deepEqual(errors.map(at), [
      '8 spec.http[0].route[0].destination: ratings has no instance in base.yaml, and a proxy reading the merged mesh refuses a route to it: add an instance to services.ratings.instances in base.yaml, or, if the mesh is for a control plane where instances register (faultmesh mesh apply), import with --registered',
    ]);
  });

  it("places a route the base had itself in the base, when the import leaves that service's routes alone", () => {
    const base = `${V1_ONLY}  details:\n    instances: [{ id: d1, address: 127.0.0.1:9003 }]\n    routes:\n      - to: [{ labels: { version: v9 } }]\n`;
    const { errors } = mergeInto(base, '    - route: [{ destination: { host: ratings, subset: v1 } }]\n');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.file, 'base.yaml');
    assert.match(at(errors[0]!), /^7 services\.details\.routes\[0\]\.to\[0\]\.labels: no instance has labels \{ version: v9 \} for this route of base\.yaml/);
  });

  it('finds nothing when every subset has an instance', () => {
    assert.deepEqual(mergeInto(V1_ONLY, '    - route: [{ destination: { host: ratings, subset: v1 } }]\n').errors, []);
  });

  it('writes a merged retries policy as a block map, with the comment on its methods after them', () => {
    const { merged } = mergeInto(V1_ONLY, '    - route: [{ destination: { host: ratings, subset: v1 } }]\n      retries: { attempts: 3, perTryTimeout: 2s, retryOn: gateway-error }\n');
    assert.match(merged, /\n {6}retries:\n {8}attempts: 3\n {8}perTryTimeout: 2s\n {8}retryOn: \[ gateway-error \]\n {8}methods: \[ GET, .* \] # Envoy retries any method/);
    assert.doesNotMatch(merged, /retries:\s*\{/);
  });
});
