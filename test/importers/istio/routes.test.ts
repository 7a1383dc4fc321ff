import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dr, lines, translateAll, vs } from './istio-test-files.js';

const SUBSETS = dr('ratings', `  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2, track: canary } }
`);

/** ratings' routes (their `from` and `toFrom` left out) when `http` is imported beside SUBSETS. */
function routesOf(http: string) {
  const r = translateAll([SUBSETS, vs(http)]);
  return { r, routes: r.services.get('ratings')?.routes.map(({ from: _from, toFrom: _toFrom, ...route }) => route) };
}

describe('Istio routes, as mesh routes', () => {
  it('routes by header to a subset, its labels from the DestinationRule, then everyone else to v1', () => {
    const { r, routes } = routesOf(`    - match: [{ headers: { end-user: { exact: jason } } }]
      route: [{ destination: { host: ratings, subset: v2 } }]
    - route: [{ destination: { host: ratings, subset: v1 } }]
`);
    assert.deepEqual(routes, [
      { match: { headers: { 'end-user': 'jason' } }, to: [{ labels: { version: 'v2', track: 'canary' } }] },
      { to: [{ labels: { version: 'v1' } }] },
    ]);
    assert.deepEqual(lines(r), { invalid: [], untranslated: [], caveat: [] });
  });

  it('keeps relative weights, a weight left out as 0, and ignores the weight of a lone destination', () => {
    const split = routesOf(`    - route:
        - { destination: { host: ratings, subset: v1 }, weight: 3 }
        - { destination: { host: ratings, subset: v2 } }
        - { destination: { host: ratings }, weight: 1 }
`).routes;
    assert.deepEqual(split, [{ to: [{ labels: { version: 'v1' }, weight: 3 }, { labels: { version: 'v2', track: 'canary' }, weight: 0 }, { labels: {}, weight: 1 }] }]);
    assert.deepEqual(routesOf('    - route: [{ destination: { host: ratings, subset: v1 }, weight: 10 }]\n').routes, [{ to: [{ labels: { version: 'v1' } }] }]);
  });

  it('makes a route of each match block, merging blocks that differ only in their method', () => {
    const { routes } = routesOf(`    - match:
        - { uri: { prefix: /api }, method: { exact: GET } }
        - { uri: { prefix: /api }, method: { exact: HEAD } }
        - { uri: { exact: /health } }
      route: [{ destination: { host: ratings, subset: v1 } }]
    - route: [{ destination: { host: ratings, subset: v2 } }]
`);
    assert.deepEqual(routes?.map((x) => x.match), [{ method: ['GET', 'HEAD'], path: '/api*' }, { path: '/health' }, undefined]);
  });

  it('answers 404, as Istio does, when no route takes every request', () => {
    const { r, routes } = routesOf(`    - match: [{ uri: { prefix: /v1 } }]
      route: [{ destination: { host: ratings, subset: v1 } }]
`);
    assert.deepEqual(routes?.at(-1), { deny: 404 });
    assert.match(lines(r).caveat.join('\n'), /^8 spec\.http: no route here takes every request, and Istio answers 404/m);
  });

  it('writes a directResponse with an error status as a deny route, noting that its body is not kept', () => {
    const { r, routes } = routesOf(`    - match: [{ uri: { prefix: /admin } }]
      directResponse: { status: 403, body: { string: "no" } }
    - route: [{ destination: { host: ratings } }]
`);
    assert.deepEqual(routes, [{ match: { path: '/admin*' }, deny: 403 }, { to: [{ labels: {} }] }]);
    assert.match(lines(r).caveat.join('\n'), /^9 spec\.http\[0\]\.directResponse\.body: written as deny/m);
  });

  it('says that routes after one taking every request are never reached, and leaves them out', () => {
    const { r, routes } = routesOf(`    - route: [{ destination: { host: ratings, subset: v1 } }]
    - match: [{ uri: { exact: /x } }]
      route: [{ destination: { host: ratings, subset: v2 } }]
`);
    assert.equal(routes?.length, 1);
    assert.match(lines(r).caveat.join('\n'), /^9 spec\.http\[1\]: never reached in Istio: http\[0\] takes every request first/m);
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['a destination of another service', '    - route: [{ destination: { host: reviews } }]\n', /^8 spec\.http\[0\]\.route\[0\]\.destination\.host: a faultmesh route chooses among the instances of the service called \(ratings\), so it cannot send to reviews/],
    ['a subset no DestinationRule defines', '    - route: [{ destination: { host: ratings, subset: v9 } }]\n', /^8 spec\.http\[0\]\.route\[0\]\.destination\.subset: no DestinationRule given defines subset "v9" of ratings/],
    ['weights that are all 0', '    - route:\n        - { destination: { host: ratings, subset: v1 } }\n        - { destination: { host: ratings, subset: v2 } }\n', /^9 spec\.http\[0\]\.route: every destination has weight 0/],
    ['a redirect', '    - redirect: { uri: /v2 }\n', /^8 spec\.http\[0\]\.redirect: faultmesh does not answer with redirects/],
    ['a rewrite', '    - rewrite: { uri: /v2 }\n      route: [{ destination: { host: ratings } }]\n', /^8 spec\.http\[0\]\.rewrite: faultmesh forwards the path and Host as the caller sent them/],
    ['mirroring', '    - mirror: { host: ratings }\n      route: [{ destination: { host: ratings } }]\n', /^8 spec\.http\[0\]\.mirror: faultmesh does not mirror traffic/],
    ['header changes', '    - headers: { request: { set: { x-a: b } } }\n      route: [{ destination: { host: ratings } }]\n', /^8 spec\.http\[0\]\.headers: faultmesh does not add, set or remove headers/],
    ['a match on the caller', '    - match: [{ sourceLabels: { app: reviews } }]\n      route: [{ destination: { host: ratings } }]\n', /^8 spec\.http\[0\]\.match\[0\]\.sourceLabels: a faultmesh route cannot match its caller/],
  ];
  for (const [name, http, expected] of refusals) {
    it(`names ${name} as not translated, with its line`, () => {
      const { r } = routesOf(http);
      assert.ok(lines(r).untranslated.some((l) => expected.test(l)), lines(r).untranslated.join('\n'));
    });
  }

  it('warns when an earlier route may take requests a later route\'s fault is for', () => {
    const { r } = routesOf(`    - match: [{ uri: { prefix: /ratings } }]
      route: [{ destination: { host: ratings, subset: v1 } }]
    - match: [{ headers: { end-user: { exact: jason } } }]
      fault: { abort: { httpStatus: 500, percentage: { value: 100 } } }
      route: [{ destination: { host: ratings, subset: v1 } }]
`);
    assert.match(lines(r).caveat.join('\n'), /^11 spec\.http\[1\]\.fault: Istio gives this fault only to requests that http\[0\] did not take first/m);
    const apart = routesOf(`    - match: [{ headers: { end-user: { exact: ann } } }]
      route: [{ destination: { host: ratings, subset: v2 } }]
    - match: [{ headers: { end-user: { exact: jason } } }]
      fault: { abort: { httpStatus: 500, percentage: { value: 100 } } }
      route: [{ destination: { host: ratings, subset: v1 } }]
`);
    assert.doesNotMatch(lines(apart.r).caveat.join('\n'), /did not take first/, 'two exact values of one header cannot both match');
  });
});
